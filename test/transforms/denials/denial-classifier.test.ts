import { describe, expect, it } from 'vitest'
import { parseCarcRules } from '../../../transforms/denials/carc-table.js'
import { classifyDenial, QUEUE_PRECEDENCE } from '../../../transforms/denials/denial-classifier.js'
import type { AdjustmentInput } from '../../../transforms/denials/denial-types.js'
import { productCarcTable } from './fixtures.js'

const table = productCarcTable()
const REMIT = '2026-04-10'

function classify(
  adjustments: AdjustmentInput[],
  rarcs: string[] = [],
  extra: { claimStatus?: string; remitDate?: string } = {},
) {
  return classifyDenial(
    {
      adjustments,
      rarcs,
      remitDate: extra.remitDate ?? REMIT,
      ...(extra.claimStatus === undefined ? {} : { claimStatus: extra.claimStatus }),
    },
    table,
  )
}

function adj(group: string, carc: string, amount: number): AdjustmentInput {
  return { group, carc, amount }
}

describe('classifyDenial: one queue per family (DOMAIN.md §8)', () => {
  const cases: Array<[string, string, string, string]> = [
    ['CO', '4', 'coding', 'corrected_claim'],
    ['CO', '197', 'authorization', 'appeal'],
    ['CO', '198', 'authorization', 'appeal'],
    ['CO', '50', 'coverage', 'appeal'],
    ['CO', '97', 'bundling', 'corrected_claim'],
    ['CO', 'B15', 'bundling', 'corrected_claim'],
    ['CO', '151', 'medical_necessity', 'appeal'],
    ['CO', '29', 'other', 'appeal'],
    ['CO', '252', 'other', 'send_records'],
    ['OA', '18', 'other', 'verify'],
  ]
  for (const [group, carc, queue, action] of cases) {
    it(`${group}-${carc} → ${queue} / ${action}`, () => {
      const result = classify([adj('CO', '45', 1500), adj(group, carc, 23456)])
      expect(result?.queue).toBe(queue)
      expect(result?.action).toBe(action)
      expect(result?.carcs).toEqual([`${group}-${carc}`])
      // CO-45 is contractual: never part of the amount at risk.
      expect(result?.amount).toBe(23456)
      expect(result?.flags).toEqual([])
      expect(result?.guidance.startsWith(`${group}-${carc} `)).toBe(true)
    })
  }

  it('CO-4 carries provider liability', () => {
    expect(classify([adj('CO', '4', 100)])?.liability).toBe('provider')
  })
})

describe('classifyDenial: no work', () => {
  for (const [group, carc] of [
    ['PR', '1'],
    ['PR', '2'],
    ['PR', '3'],
    ['CO', '45'],
    ['CO', '253'],
    ['OA', '23'],
  ] as const) {
    it(`${group}-${carc} opens nothing`, () => {
      expect(classify([adj(group, carc, 5000)])).toBeUndefined()
    })
  }

  it('a typical paid claim (PR-1 + PR-2 + CO-45 + CO-253) opens nothing', () => {
    expect(
      classify([adj('PR', '1', 24000), adj('PR', '2', 3100), adj('CO', '45', 88000), adj('CO', '253', 310)]),
    ).toBeUndefined()
  })

  it('a reversal (CLP02=22) never classifies, even with denial codes', () => {
    expect(
      classify([adj('CO', '4', -12000), adj('CO', '4', 12000)], [], { claimStatus: '22' }),
    ).toBeUndefined()
    expect(classify([adj('CO', '4', 12000)], [], { claimStatus: '4' })?.queue).toBe('coding')
  })

  it('zero and negative amounts deny nothing', () => {
    expect(classify([adj('CO', '4', 0)])).toBeUndefined()
    expect(classify([adj('CO', '97', -5000)])).toBeUndefined()
  })
})

describe('classifyDenial: flags', () => {
  it('CO-15 routes to authorization and is flagged deactivated after 2018-05-01', () => {
    const result = classify([adj('CO', '15', 40000)])
    expect(result?.queue).toBe('authorization')
    expect(result?.flags).toEqual(['deactivated_carc'])
  })

  it('CO-15 on a remit before its stop date is not flagged; on the stop date it is', () => {
    expect(classify([adj('CO', '15', 1)], [], { remitDate: '2018-04-30' })?.flags).toEqual([])
    expect(classify([adj('CO', '15', 1)], [], { remitDate: '2018-05-01' })?.flags).toEqual([
      'deactivated_carc',
    ])
  })

  it('CO-62 uses its own stop date (2007-04-01)', () => {
    expect(classify([adj('CO', '62', 1)], [], { remitDate: '2007-03-31' })?.flags).toEqual([])
    expect(classify([adj('CO', '62', 1)], [], { remitDate: '2007-04-01' })?.flags).toEqual([
      'deactivated_carc',
    ])
  })

  it('an unknown CARC goes to other with unknown_carc, never dropped', () => {
    const result = classify([adj('CO', '999', 7700)])
    expect(result?.queue).toBe('other')
    expect(result?.action).toBe('verify')
    expect(result?.flags).toEqual(['unknown_carc'])
    expect(result?.carcs).toEqual(['CO-999'])
    expect(result?.amount).toBe(7700)
  })

  it('the retired CR group is accepted and flagged', () => {
    const result = classify([adj('CR', '4', 1000)])
    expect(result?.queue).toBe('coding')
    expect(result?.flags).toEqual(['retired_group_cr'])
    expect(result?.carcs).toEqual(['CR-4'])
    expect(result?.liability).toBe('other')
  })

  it('an unknown group is read like OA and flagged', () => {
    const result = classify([adj('XX', '97', 1000)])
    expect(result?.queue).toBe('bundling')
    expect(result?.flags).toEqual(['unknown_group'])
  })
})

describe('classifyDenial: group and RARC', () => {
  it('PR-50 routes to coverage with the ABN guidance and patient liability', () => {
    const result = classify([adj('PR', '50', 9000)])
    expect(result?.queue).toBe('coverage')
    expect(result?.liability).toBe('patient')
    expect(result?.guidance).toContain('ABN')
    expect(classify([adj('CO', '50', 9000)])?.guidance).not.toContain('ABN')
  })

  it('CO-119 is medical necessity, PR-119 is the patient share', () => {
    expect(classify([adj('CO', '119', 100)])?.queue).toBe('medical_necessity')
    expect(classify([adj('PR', '119', 100)])).toBeUndefined()
  })

  it('CO-16 reads the RARC: M119 NDC → coding, M62 → authorization, N706 → send records', () => {
    const ndc = classify([adj('CO', '16', 500)], ['M119'])
    expect(ndc?.queue).toBe('coding')
    expect(ndc?.guidance).toContain('NDC')
    expect(ndc?.rarcs).toEqual(['M119'])
    expect(classify([adj('CO', '16', 500)], ['N1', 'M62'])?.queue).toBe('authorization')
    const records = classify([adj('CO', '16', 500)], ['N706'])
    expect(records?.queue).toBe('other')
    expect(records?.action).toBe('send_records')
    expect(classify([adj('CO', '16', 500)], [])?.queue).toBe('coding')
  })

  it('leading zeros and lower case are normalized', () => {
    expect(classify([adj('co', '004', 100)])?.carcs).toEqual(['CO-4'])
  })

  it('matches on codes only: the table text does not matter', () => {
    const header =
      'code,rarc,status,start_date,last_modified,stop_date,queue_co,queue_pr,queue_oa,queue_pi,action,summary,guidance'
    const custom = parseCarcRules(
      `${header}\n4,,active,1995-01-01,,,bundling,none,none,none,write_off,zz,qq\n`,
    )
    const result = classifyDenial({ adjustments: [adj('CO', '4', 10)], rarcs: [], remitDate: REMIT }, custom)
    expect(result?.queue).toBe('bundling')
    expect(result?.guidance).toBe('CO-4 zz: qq')
  })
})

describe('classifyDenial: several CARCs on one claim', () => {
  it('picks the primary queue by precedence, keeps every carc, sums only the routed amounts', () => {
    const result = classify([
      adj('CO', '97', 90000),
      adj('PR', '2', 1000),
      adj('CO', '4', 100),
      adj('CO', '197', 5000),
      adj('CO', '45', 7000),
    ])
    expect(result?.queue).toBe('authorization')
    expect(result?.action).toBe('appeal')
    expect(result?.carcs).toEqual(['CO-197', 'CO-97', 'CO-4'])
    expect(result?.amount).toBe(95100)
  })

  it('follows QUEUE_PRECEDENCE whatever the input order', () => {
    const byQueue: Record<string, AdjustmentInput> = {
      authorization: adj('CO', '197', 1),
      coding: adj('CO', '4', 2),
      bundling: adj('CO', '97', 3),
      medical_necessity: adj('CO', '151', 4),
      coverage: adj('CO', '50', 5),
      other: adj('CO', '18', 6),
    }
    for (let start = 0; start < QUEUE_PRECEDENCE.length; start++) {
      const rest = QUEUE_PRECEDENCE.slice(start)
      const adjustments = [...rest].reverse().flatMap((q) => (byQueue[q] === undefined ? [] : [byQueue[q]]))
      expect(classify(adjustments)?.queue).toBe(QUEUE_PRECEDENCE[start])
    }
  })

  it('inside one queue the largest amount names the action; a tie goes to the first', () => {
    const bigger = classify([adj('CO', '18', 100), adj('CO', '22', 900)])
    expect(bigger?.action).toBe('bill_other_payer')
    expect(bigger?.carcs).toEqual(['CO-22', 'CO-18'])
    const tie = classify([adj('CO', '18', 500), adj('CO', '22', 500)])
    expect(tie?.action).toBe('verify')
    expect(tie?.carcs).toEqual(['CO-18', 'CO-22'])
  })

  it('a repeated carc is listed once and summed', () => {
    const result = classify([adj('CO', '4', 100), adj('CO', '4', 250)])
    expect(result?.carcs).toEqual(['CO-4'])
    expect(result?.amount).toBe(350)
  })

  it('an unknown CARC next to a known one keeps the known queue and the flag', () => {
    const result = classify([adj('CO', 'Z9', 100), adj('CO', '151', 50)])
    expect(result?.queue).toBe('medical_necessity')
    expect(result?.flags).toEqual(['unknown_carc'])
    expect(result?.carcs).toEqual(['CO-151', 'CO-Z9'])
  })
})
