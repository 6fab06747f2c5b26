import { describe, expect, it } from 'vitest'
import { allocateRecovery } from '../../../transforms/remits/recovery-allocation.js'

const items = [
  { id: 1, amount: 40000, recoveredAmount: 0, status: 'corrected' },
  { id: 2, amount: 30000, recoveredAmount: 0, status: 'open' },
  { id: 3, amount: 5000, recoveredAmount: 0, status: 'open' },
]

describe('allocateRecovery', () => {
  it('pays the oldest items first, each up to what is open on it', () => {
    expect(allocateRecovery(items, 56000)).toEqual([
      { itemId: 1, beforeStatus: 'corrected', amount: 40000, recoveredAmount: 40000 },
      { itemId: 2, beforeStatus: 'open', amount: 16000, recoveredAmount: 16000 },
    ])
  })

  it('skips what is already recovered and adds to a partial recovery', () => {
    const partly = [
      { id: 1, amount: 100, recoveredAmount: 100, status: 'written_off' },
      { id: 2, amount: 300, recoveredAmount: 160, status: 'open' },
    ]
    expect(allocateRecovery(partly, 1000)).toEqual([
      { itemId: 2, beforeStatus: 'open', amount: 140, recoveredAmount: 300 },
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
