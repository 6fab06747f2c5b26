import { describe, expect, it } from 'vitest'
import { allocateRecovery } from '../../../transforms/remits/recovery-allocation.js'

const line = (id: number, amount: number, recoveredAmount = 0) => ({ id, amount, recoveredAmount })
const items = [
  { id: 1, amount: 40000, recoveredAmount: 0, status: 'corrected', lines: [line(11, 40000)] },
  { id: 2, amount: 30000, recoveredAmount: 0, status: 'open', lines: [line(21, 10000), line(22, 20000)] },
  { id: 3, amount: 5000, recoveredAmount: 0, status: 'open', lines: [line(31, 5000)] },
]

describe('allocateRecovery', () => {
  it('pays the oldest items first, each up to what is open on it, and its lines oldest first', () => {
    expect(allocateRecovery(items, 56000)).toEqual([
      {
        itemId: 1,
        beforeStatus: 'corrected',
        afterStatus: 'recovered',
        amount: 40000,
        recoveredAmount: 40000,
        lines: [{ lineId: 11, recoveredAmount: 40000 }],
      },
      {
        itemId: 2,
        beforeStatus: 'open',
        afterStatus: 'partially_recovered',
        amount: 16000,
        recoveredAmount: 16000,
        lines: [
          { lineId: 21, recoveredAmount: 10000 },
          { lineId: 22, recoveredAmount: 6000 },
        ],
      },
    ])
  })

  it('skips what is already recovered and adds to a partial recovery', () => {
    const partly = [
      { id: 1, amount: 100, recoveredAmount: 100, status: 'written_off', lines: [line(11, 100, 100)] },
      {
        id: 2,
        amount: 300,
        recoveredAmount: 160,
        status: 'partially_recovered',
        lines: [line(21, 100, 100), line(22, 200, 60)],
      },
    ]
    expect(allocateRecovery(partly, 1000)).toEqual([
      {
        itemId: 2,
        beforeStatus: 'partially_recovered',
        afterStatus: 'recovered',
        amount: 140,
        recoveredAmount: 300,
        lines: [{ lineId: 22, recoveredAmount: 200 }],
      },
    ])
  })

  it('recovers nothing from a payment of zero or less', () => {
    expect(allocateRecovery(items, 0)).toEqual([])
    expect(allocateRecovery(items, -4000)).toEqual([])
  })

  it('never gives more than the items are open for', () => {
    const total = allocateRecovery(items, 1_000_000).reduce((sum, a) => sum + a.amount, 0)
    expect(total).toBe(75000)
  })
})
