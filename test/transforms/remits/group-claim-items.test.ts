import { describe, expect, it } from 'vitest'
import type { DeniedLine } from '../../../transforms/remits/group-claim-items.js'
import { groupClaimItems } from '../../../transforms/remits/group-claim-items.js'

function denied(fields: Partial<DeniedLine>): DeniedLine {
  return {
    level: 'line',
    remitLineId: 1,
    submittedLineId: null,
    procedureCode: '96413',
    modifiers: '',
    units: 1,
    serviceDate: '2026-01-07',
    queue: 'coding',
    action: 'corrected_claim',
    carcs: ['CO-4'],
    rarcs: [],
    amount: 100,
    deadline: '2027-01-07',
    deadlineBasis: 'DOS + 12 months',
    lowConfidence: false,
    appealable: true,
    flags: [],
    guidance: 'fix the code',
    ...fields,
  }
}

describe('groupClaimItems', () => {
  it('makes one item per queue, in the order queues first appear, with the lines inside', () => {
    const items = groupClaimItems([
      denied({ remitLineId: 1 }),
      denied({ remitLineId: 2, queue: 'authorization', carcs: ['CO-197'], action: 'appeal' }),
      denied({ remitLineId: 3, procedureCode: 'J9045', amount: 250, carcs: ['CO-16'], rarcs: ['M119'] }),
    ])
    expect(items.map((i) => [i.queue, i.lines.map((l) => l.remitLineId), i.amount])).toEqual([
      ['coding', [1, 3], 350],
      ['authorization', [2], 100],
    ])
    expect(items[0]).toMatchObject({ carcs: ['CO-4', 'CO-16'], rarcs: ['M119'], procedureCode: '96413' })
  })

  it('takes the earliest deadline and that line’s basis and action; a line without one never wins', () => {
    const [item] = groupClaimItems([
      denied({
        deadline: null,
        deadlineBasis: 'not appealable',
        appealable: false,
        flags: ['not_appealable'],
      }),
      denied({ deadline: '2026-06-07', deadlineBasis: 'remit + 125 days', action: 'appeal' }),
      denied({ deadline: '2027-01-07', serviceDate: '2026-01-05' }),
    ])
    expect(item).toMatchObject({
      deadline: '2026-06-07',
      deadlineBasis: 'remit + 125 days',
      action: 'appeal',
      appealable: true,
      flags: ['not_appealable'],
      serviceDate: '2026-01-05',
    })
    const [none] = groupClaimItems([denied({ deadline: null, deadlineBasis: 'no date' })])
    expect([none?.deadline, none?.deadlineBasis]).toEqual([null, 'no date'])
  })

  it('makes nothing of no lines', () => {
    expect(groupClaimItems([])).toEqual([])
  })
})
