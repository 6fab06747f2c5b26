import { describe, expect, it } from 'vitest'
import { allocateRecovery, allocateStoredPayments } from '../../../transforms/remits/recovery-allocation.js'

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

describe('allocateStoredPayments', () => {
  const opening = (
    id: number,
    amount: number,
    remitDate: string | null,
    lines = [line(id * 10 + 1, amount)],
  ) => ({
    id,
    amount,
    recoveredAmount: 0,
    status: 'open',
    remitDate,
    lines,
  })

  it('gives a payment stored before the denial to it when the payment is dated on or after the denial', () => {
    const items = [opening(1, 3400, '2026-03-10', [line(11, 1200), line(12, 2200)])]
    expect(
      allocateStoredPayments(items, [{ remitClaimId: 9, remitDate: '2026-03-10', unallocated: 2000 }]),
    ).toEqual([
      {
        itemId: 1,
        beforeStatus: 'open',
        afterStatus: 'partially_recovered',
        amount: 2000,
        recoveredAmount: 2000,
        lines: [
          { lineId: 11, recoveredAmount: 1200 },
          { lineId: 12, recoveredAmount: 800 },
        ],
        remitClaimId: 9,
        date: '2026-03-10',
      },
    ])
  })

  it('recovers nothing from a payment dated before the denial, without a date, or with nothing left', () => {
    const items = [opening(1, 3400, '2026-03-10')]
    expect(
      allocateStoredPayments(items, [
        { remitClaimId: 1, remitDate: '2026-03-09', unallocated: 5000 },
        { remitClaimId: 2, remitDate: null, unallocated: 5000 },
        { remitClaimId: 3, remitDate: '2026-04-01', unallocated: 0 },
        { remitClaimId: 4, remitDate: '2026-04-01', unallocated: -2400 },
      ]),
    ).toEqual([])
    expect(
      allocateStoredPayments(
        [opening(1, 3400, null)],
        [{ remitClaimId: 5, remitDate: '2026-04-01', unallocated: 5000 }],
      ),
    ).toEqual([])
  })

  it('takes payments oldest first over the items oldest first, and pays an item in part only once', () => {
    const items = [
      opening(1, 4000, '2026-03-01'),
      opening(2, 3000, '2026-03-01'),
      opening(3, 500, '2026-03-20'),
    ]
    const recoveries = allocateStoredPayments(items, [
      { remitClaimId: 8, remitDate: '2026-03-25', unallocated: 2000 },
      { remitClaimId: 7, remitDate: '2026-03-05', unallocated: 5000 },
    ])
    expect(recoveries.map((r) => [r.remitClaimId, r.itemId, r.amount, r.afterStatus, r.date])).toEqual([
      // 03-05 pays item 1 in full and item 2 in part; item 3 was denied after it.
      [7, 1, 4000, 'recovered', '2026-03-05'],
      [7, 2, 1000, 'partially_recovered', '2026-03-05'],
      // 03-25 skips item 2 (paid in part already: one recovery date) and pays item 3.
      [8, 3, 500, 'recovered', '2026-03-25'],
    ])
  })

  it("never gives a file's payment to a denial of the same file", () => {
    const items = [
      { ...opening(1, 400, '2026-03-01'), fileId: 5 },
      { ...opening(2, 300, '2026-03-01'), fileId: 6 },
    ]
    expect(
      allocateStoredPayments(items, [
        { remitClaimId: 9, remitDate: '2026-03-02', unallocated: 1000, fileId: 5 },
      ]).map((r) => [r.itemId, r.amount]),
    ).toEqual([[2, 300]])
  })
})
