import { describe, expect, it } from 'vitest'
import {
  computeDeadline,
  DEFAULT_WARNING_BUFFER_DAYS,
  type DeadlineInput,
  daysLeft,
  deadlineFlags,
  isDueSoon,
  parseDeadlineRules,
} from '../../../transforms/denials/deadline-calculator.js'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import type { PayerProfile } from '../../../transforms/denials/denial-types.js'
import { productDeadlineRules } from './fixtures.js'

const rules = productDeadlineRules()

function input(overrides: Partial<DeadlineInput>): DeadlineInput {
  return {
    action: 'corrected_claim',
    payer: undefined,
    payerClass: 'medicare',
    serviceDate: '2026-03-15',
    remitDate: '2026-04-10',
    carcs: ['CO-4'],
    ...overrides,
  }
}

function profile(overrides: Partial<PayerProfile>): PayerProfile {
  return {
    payerId: 'P1',
    name: 'Plan',
    payerClass: 'commercial',
    timelyFilingDays: undefined,
    correctedClaimDays: undefined,
    appealDays: undefined,
    ...overrides,
  }
}

function thrown(fn: () => unknown): DenialError {
  try {
    fn()
  } catch (error) {
    if (error instanceof DenialError) return error
    throw error
  }
  throw new Error('expected a DenialError')
}

describe('computeDeadline: Medicare', () => {
  it('corrected claim: 12 months from the line DOS (42 CFR 424.44)', () => {
    const result = computeDeadline(input({}), rules)
    expect(result.deadline).toBe('2027-03-15')
    expect(result.clock).toBe('filing')
    expect(result.lowConfidence).toBe(false)
    expect(result.appealable).toBe(true)
    expect(result.basis).toContain('424.44')
    expect(result.warnFrom).toBe('2027-03-01')
  })

  it('redetermination: remit + 125 days (42 CFR 405.942)', () => {
    const result = computeDeadline(input({ action: 'appeal', carcs: ['CO-50'] }), rules)
    expect(result.deadline).toBe('2026-08-13')
    expect(result.clock).toBe('appeal')
    expect(result.basis).toContain('405.942')
  })

  it('institutional filing counts from the Through date', () => {
    const result = computeDeadline(input({ serviceDate: '2026-01-05', throughDate: '2026-01-31' }), rules)
    expect(result.deadline).toBe('2027-01-31')
  })

  it('clamps month ends: DOS 2024-02-29 files by 2025-02-28', () => {
    expect(computeDeadline(input({ serviceDate: '2024-02-29' }), rules).deadline).toBe('2025-02-28')
    expect(computeDeadline(input({ serviceDate: '2027-02-28' }), rules).deadline).toBe('2028-02-28')
  })

  it('CO-29 is not appealable: no appeal deadline, flagged', () => {
    const result = computeDeadline(input({ action: 'appeal', carcs: ['CO-29'] }), rules)
    expect(result.appealable).toBe(false)
    expect(result.deadline).toBeUndefined()
    expect(result.basis).toContain('405.926')
    expect(deadlineFlags(result, '2026-05-01')).toEqual(['not_appealable'])
  })

  it('CO-29 stays appealable for a commercial payer', () => {
    const result = computeDeadline(
      input({ action: 'appeal', carcs: ['CO-29'], payerClass: 'commercial' }),
      rules,
    )
    expect(result.appealable).toBe(true)
    expect(result.deadline).toBe('2026-10-07')
  })
})

describe('computeDeadline: other classes', () => {
  it('commercial appeal: remit + 180 days, low confidence', () => {
    const result = computeDeadline(input({ action: 'appeal', payerClass: 'commercial' }), rules)
    expect(result.deadline).toBe('2026-10-07')
    expect(result.lowConfidence).toBe(true)
  })

  it('commercial corrected claim: the earlier of DOS + 90 and remit + 90', () => {
    const early = computeDeadline(input({ payerClass: 'commercial' }), rules)
    expect(early.deadline).toBe('2026-06-13')
    expect(early.clock).toBe('filing')
    const lateRemit = computeDeadline(
      input({ payerClass: 'commercial', serviceDate: '2026-04-01', remitDate: '2026-04-02' }),
      rules,
    )
    expect(lateRemit.deadline).toBe('2026-06-30')
    expect(lateRemit.clock).toBe('filing')
    const earlyRemit = computeDeadline(
      input({ payerClass: 'commercial', serviceDate: '2026-04-01', remitDate: '2026-03-20' }),
      rules,
    )
    expect(earlyRemit.deadline).toBe('2026-06-18')
    expect(earlyRemit.clock).toBe('corrected_claim')
  })

  it('Medicaid filing: 12 months from DOS, low confidence (state rule at most)', () => {
    const result = computeDeadline(input({ payerClass: 'medicaid' }), rules)
    expect(result.deadline).toBe('2027-03-15')
    expect(result.lowConfidence).toBe(true)
  })

  it('Medicare Advantage appeal: remit + 60 days, low confidence', () => {
    const result = computeDeadline(input({ action: 'appeal', payerClass: 'medicare_advantage' }), rules)
    expect(result.deadline).toBe('2026-06-09')
    expect(result.lowConfidence).toBe(true)
  })

  it('a class without a rule for the clock says so instead of inventing a date', () => {
    const result = computeDeadline(input({ action: 'appeal', payerClass: 'medicaid' }), rules)
    expect(result.deadline).toBeUndefined()
    expect(result.basis).toContain('medicaid')
  })

  it('a write-off has no deadline', () => {
    expect(computeDeadline(input({ action: 'write_off' }), rules).deadline).toBeUndefined()
  })
})

describe('computeDeadline: payer profile overrides', () => {
  it('profile days replace the class defaults and are not low confidence', () => {
    const payer = profile({ appealDays: 60, correctedClaimDays: 30, timelyFilingDays: 365 })
    const appeal = computeDeadline(input({ action: 'appeal', payer, payerClass: 'commercial' }), rules)
    expect(appeal.deadline).toBe('2026-06-09')
    expect(appeal.lowConfidence).toBe(false)
    expect(appeal.basis).toContain('payer profile P1')
    const corrected = computeDeadline(input({ payer, payerClass: 'commercial' }), rules)
    expect(corrected.deadline).toBe('2026-05-10')
    expect(corrected.clock).toBe('corrected_claim')
  })

  it('blank profile days fall back to the class; the profile class wins over the passed class', () => {
    const payer = profile({ payerClass: 'medicare' })
    const result = computeDeadline(input({ action: 'appeal', payer, payerClass: 'commercial' }), rules)
    expect(result.deadline).toBe('2026-08-13')
  })

  it('a Medicare profile with appeal days still cannot appeal CO-29', () => {
    const payer = profile({ payerClass: 'medicare', appealDays: 200 })
    const result = computeDeadline(input({ action: 'appeal', payer, carcs: ['CO-29'] }), rules)
    expect(result.appealable).toBe(false)
    expect(result.deadline).toBeUndefined()
  })
})

describe('daysLeft, isDueSoon, deadlineFlags', () => {
  const deadline = computeDeadline(input({ action: 'appeal' }), rules)

  it('counts calendar days, 0 on the day, negative when past', () => {
    expect(daysLeft(deadline, '2026-08-01')).toBe(12)
    expect(daysLeft(deadline, '2026-08-13')).toBe(0)
    expect(daysLeft(deadline, '2026-08-20')).toBe(-7)
    expect(
      daysLeft({ deadline: undefined, basis: '', lowConfidence: false, appealable: true }, '2026-01-01'),
    ).toBeUndefined()
  })

  it('warns inside the buffer and flags a past deadline (not hidden)', () => {
    expect(rules.warningBufferDays).toBe(DEFAULT_WARNING_BUFFER_DAYS)
    expect(isDueSoon(deadline, '2026-07-29', rules)).toBe(false)
    expect(isDueSoon(deadline, '2026-07-30', rules)).toBe(true)
    expect(deadlineFlags(deadline, '2026-08-13')).toEqual([])
    expect(deadlineFlags(deadline, '2026-08-14')).toEqual(['past_deadline'])
  })
})

describe('parseDeadlineRules', () => {
  const header =
    'payer_class,event,claim_type,carc,basis,limit_days,limit_months,confidence,appealable,source'

  it('reads an edited table and its warning buffer', () => {
    const edited = parseDeadlineRules(
      `${header}\ncommercial,appeal,,,remit_date,45,,high,true,contract 2026\n*,warning_buffer,,,,21,,high,,buffer\n`,
    )
    expect(edited.warningBufferDays).toBe(21)
    const result = computeDeadline(input({ action: 'appeal', payerClass: 'commercial' }), edited)
    expect(result.deadline).toBe('2026-05-25')
    expect(result.lowConfidence).toBe(false)
    expect(result.warnFrom).toBe('2026-05-04')
  })

  it('rejects a row with an unknown payer class, naming line and column', () => {
    const error = thrown(() =>
      parseDeadlineRules(`${header}\n# note\nmedicar,appeal,,,remit_date,45,,high,true,x\n`),
    )
    expect(error.code).toBe('DENIAL_CSV_ROW')
    expect(error.line).toBe(3)
    expect(error.column).toBe('payer_class')
  })

  it('rejects a clock without a limit', () => {
    const error = thrown(() =>
      parseDeadlineRules(`${header}\ncommercial,appeal,,,remit_date,,,high,true,x\n`),
    )
    expect(error.code).toBe('DENIAL_CSV_ROW')
    expect(error.column).toBe('limit_days')
  })

  it('rejects days and months on one row, and duplicate rows', () => {
    expect(
      thrown(() => parseDeadlineRules(`${header}\ncommercial,appeal,,,dos,5,1,high,true,x\n`)).column,
    ).toBe('limit_months')
    const row = 'commercial,appeal,,,dos,5,,high,true,x'
    const dup = thrown(() => parseDeadlineRules(`${header}\n${row}\n${row}\n`))
    expect(dup.line).toBe(3)
    expect(dup.message).toContain('line 2')
  })

  it('rejects a missing column', () => {
    const error = thrown(() => parseDeadlineRules('payer_class,event\nmedicare,appeal\n'))
    expect(error.code).toBe('DENIAL_CSV_HEADER')
    expect(error.column).toBe('claim_type')
  })
})
