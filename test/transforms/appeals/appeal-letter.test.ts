import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppealFacts } from '../../../transforms/appeals/appeal-facts.js'
import type { AppealTables } from '../../../transforms/appeals/appeal-letter.js'
import {
  appealLevelOf,
  buildAppealLetterValues,
  checklistFor,
  isAppealAction,
} from '../../../transforms/appeals/appeal-letter.js'
import {
  parseAppealChecklist,
  parseAppealLevels,
  parseRarcParaphrases,
} from '../../../transforms/appeals/appeal-tables.js'
import { renderTemplate } from '../../../transforms/appeals/letter-template.js'
import { parseCarcRules } from '../../../transforms/denials/carc-table.js'
import { DenialError } from '../../../transforms/denials/denial-error.js'

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures')
const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8')
const tables: AppealTables = {
  levels: parseAppealLevels(read('appeals', 'appeal-levels.csv')),
  checklist: parseAppealChecklist(read('appeals', 'appeal-checklist.csv')),
  carcs: parseCarcRules(read('denials', 'carc-rules.csv')),
  rarcs: parseRarcParaphrases(read('denials', 'rarc-paraphrases.csv')),
}
const template = read('appeals', 'letter.md')

const facts: AppealFacts = {
  itemId: 4,
  claimId: 'CLM-1',
  payerClaimNumber: 'PCN-9',
  payer: { id: 'MCR01', name: 'MEDICARE EXAMPLE', payerClass: 'medicare' },
  patient: { name: 'JANE SAMPLE', memberId: 'M123' },
  provider: { name: 'EXAMPLE ONCOLOGY', npi: '1548267313' },
  claimKind: '837P',
  diagnoses: ['C61'],
  queue: 'coverage',
  action: 'appeal',
  carcs: ['CO-50'],
  rarcs: ['N115'],
  amount: 100_000,
  remitDate: '2026-02-02',
  deadline: '2026-06-07',
  deadlineBasis: 'remit date 2026-02-02 + 125 days (42 CFR 405.942(a))',
  appealable: true,
  lines: [
    {
      lineNumber: 1,
      serviceDate: '2026-01-08',
      procedureCode: 'J9035',
      modifiers: ['JZ'],
      units: 10,
      ndc: '50242006001',
      ndcQuantity: 4,
      ndcUnit: 'ML',
      charge: 100_000,
      paid: 0,
      adjustments: [{ group: 'CO', carc: '50', amount: 100_000 }],
      rarcs: ['N115'],
      priorAuthorization: undefined,
    },
    {
      lineNumber: 2,
      serviceDate: '2026-01-09',
      procedureCode: '96413',
      modifiers: [],
      units: 1,
      ndc: undefined,
      ndcQuantity: undefined,
      ndcUnit: undefined,
      charge: 40_000,
      paid: 24_000,
      adjustments: [],
      rarcs: [],
      priorAuthorization: undefined,
    },
  ],
  claimAuthorization: undefined,
  authorizations: [],
}

describe('appeal letter', () => {
  it('writes packets for appeals and records reconsiderations only', () => {
    expect(['appeal', 'send_records', 'corrected_claim', 'write_off', 'verify'].map(isAppealAction)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ])
  })

  it('states the claim facts, our paraphrases, the Medicare level and the presumed receipt', () => {
    const letter = renderTemplate(template, buildAppealLetterValues(facts, tables, '2026-03-16'), 'letter.md')
    expect(letter).toContain('# Request for redetermination')
    expect(letter).toContain('Patient: JANE SAMPLE, member id M123')
    expect(letter).toContain('payer claim number PCN-9, dates of service 2026-01-08 to 2026-01-09')
    expect(letter).toContain(
      '| 1 | 2026-01-08 | J9035 | JZ | 10 | 50242006001 | 4 ML | 1000.00 | 0.00 | CO-50 1000.00 | N115 |',
    )
    expect(letter).toContain('| 2 | 2026-01-09 | 96413 |  | 1 |  |  | 400.00 | 240.00 |  |  |')
    expect(letter).toContain('Billed 1400.00, paid 240.00, denied 1000.00. Diagnoses: C61.')
    // Our paraphrases (carc-rules.csv summary, rarc-paraphrases.csv), never X12's text.
    const co50 = tables.carcs.byCode.get('50')?.summary ?? 'missing'
    expect(letter).toContain(`- CO-50: ${co50}`)
    expect(letter).toContain(`- Remark N115: ${tables.rarcs.get('N115')}`)
    expect(letter).toContain('42 CFR 405.942')
    expect(letter).toContain('presumed received 2026-02-07 (5 days after the notice date 2026-02-02)')
    expect(letter).toContain('- File by: 2026-06-07')
    expect(letter).toContain('- No authorization on file for this payer and member.')
    expect(letter).toContain('- [ ] NCCN Drugs & Biologics Compendium')
    expect(letter).toContain('for the drug (J9035) and the diagnosis (C61)')
    expect(letter).toContain('- [ ] Infusion record with the start and stop time')
    expect(letter).toContain('- [ ] The LCD or NCD criteria')
    expect(letter).not.toContain('{{')
  })

  it('lists the authorizations on file and the commercial level, without a presumed receipt', () => {
    const commercial: AppealFacts = {
      ...facts,
      payer: { id: 'COM01', name: 'EXAMPLE PLAN', payerClass: 'commercial' },
      queue: 'authorization',
      carcs: ['CO-197'],
      rarcs: [],
      claimAuthorization: 'G1-55',
      authorizations: [
        {
          authNumber: 'PA1',
          hcpcs: 'J9035',
          unitsAuthorized: 100,
          cyclesAuthorized: undefined,
          startDate: '2026-01-01',
          endDate: undefined,
        },
      ],
    }
    const letter = renderTemplate(
      template,
      buildAppealLetterValues(commercial, tables, '2026-03-16'),
      'letter.md',
    )
    expect(letter).toContain('# Request for first-level provider appeal (reconsideration)')
    expect(letter).not.toContain('presumed received')
    expect(letter).toContain('- On the claim (REF*G1): G1-55')
    expect(letter).toContain('- PA1: J9035, 100 units, not limited cycles, 2026-01-01 to open')
    expect(letter).not.toContain('No authorization on file')
    expect(letter).toContain('- [ ] Proof of a timely retro-authorization request')
    expect(letter).not.toContain('LCD or NCD')
  })

  it('picks checklist rows by queue and CARC, and levels by class with a * fallback', () => {
    const auth = checklistFor({ ...facts, queue: 'authorization', carcs: ['CO-198'] }, tables.checklist)
    expect(auth.some((r) => r.document.startsWith('Proof of a timely retro-authorization'))).toBe(false)
    expect(auth.some((r) => r.document.startsWith('The authorization approval'))).toBe(true)
    expect(appealLevelOf(tables.levels, 'medicaid')?.level).toContain('Medicaid')
    expect(
      appealLevelOf(
        [{ payerClass: '*', level: 'any', limit: '', receiptDays: undefined, source: '' }],
        'medicare',
      )?.level,
    ).toBe('any')
  })

  it('refuses a table row with an unknown payer class or bad receipt days, naming the line', () => {
    const bad = (text: string): DenialError => {
      try {
        parseAppealLevels(text)
      } catch (error) {
        if (error instanceof DenialError) return error
      }
      throw new Error('expected a DenialError')
    }
    const header = 'payer_class,level,limit,receipt_days,source\n'
    expect([
      bad(`${header}medicare,a,b,5,c\nmedicair,a,b,,c\n`).code,
      bad(`${header}medicair,a,b,,c\n`).line,
    ]).toEqual(['DENIAL_CSV_ROW', 2])
    expect(bad(`${header}medicare,a,b,five,c\n`).message).toContain('receipt_days')
  })
})
