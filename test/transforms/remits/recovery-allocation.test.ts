import { describe, expect, it } from 'vitest'
import { allocateRecovery, settleClaimRecovery } from '../../../transforms/remits/recovery-allocation.js'

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

describe('settleClaimRecovery', () => {
  const denial = (
    id: number,
    amount: number,
    remitDate: string | null,
    setKey = `set-${id}`,
    lines = [line(id * 10 + 1, amount)],
  ) => ({
    id,
    amount,
    recoveredAmount: 0,
    status: 'open',
    remitDate,
    setKey,
    position: id,
    queue: 'other',
    lines,
  })
  const payment = (
    remitClaimId: number,
    remitDate: string | null,
    paid: number,
    setKey = `pay-${remitClaimId}`,
  ) => ({
    remitClaimId,
    remitDate,
    setKey,
    position: remitClaimId,
    paid,
  })
  const paid = (settled: ReturnType<typeof settleClaimRecovery>) =>
    settled
      .filter((s) => s.allocations.length > 0)
      .map((s) => [
        s.itemId,
        s.status,
        s.recoveredAmount,
        s.recoveredDate,
        s.allocations.map((a) => a.remitClaimId),
      ])

  it('pays a denial from a payment dated on or after it, its lines oldest first', () => {
    const items = [denial(1, 3400, '2026-03-10', 'a', [line(11, 1200), line(12, 2200)])]
    expect(settleClaimRecovery(items, [payment(9, '2026-03-10', 2000)])).toEqual([
      {
        itemId: 1,
        status: 'partially_recovered',
        recoveredAmount: 2000,
        recoveredDate: '2026-03-10',
        lines: [
          { lineId: 11, recoveredAmount: 1200 },
          { lineId: 12, recoveredAmount: 800 },
        ],
        allocations: [{ remitClaimId: 9, amount: 2000 }],
      },
    ])
  })

  it('recovers nothing from a payment dated before the denial, without a date, or of 0 or less', () => {
    const items = [denial(1, 3400, '2026-03-10')]
    const settled = settleClaimRecovery(items, [
      payment(1, '2026-03-09', 5000),
      payment(2, null, 5000),
      payment(3, '2026-04-01', 0),
      payment(4, '2026-04-01', -2400),
    ])
    expect(settled.map((s) => [s.status, s.recoveredAmount, s.recoveredDate])).toEqual([['open', 0, null]])
    expect(paid(settleClaimRecovery([denial(1, 3400, null)], [payment(5, '2026-04-01', 5000)]))).toEqual([])
  })

  it('takes payments oldest first over the items oldest first, and pays an item in part only once', () => {
    const items = [denial(1, 4000, '2026-03-01'), denial(2, 3000, '2026-03-01'), denial(3, 500, '2026-03-20')]
    expect(
      paid(settleClaimRecovery(items, [payment(8, '2026-03-25', 2000), payment(7, '2026-03-05', 5000)])),
    ).toEqual([
      // 03-05 pays item 1 in full and item 2 in part; item 3 was denied after it.
      [1, 'recovered', 4000, '2026-03-05', [7]],
      [2, 'partially_recovered', 1000, '2026-03-05', [7]],
      // 03-25 skips item 2 (paid in part already: one recovery date) and pays item 3.
      [3, 'recovered', 500, '2026-03-25', [8]],
    ])
  })

  it('never gives a payment to a denial of its own transaction set', () => {
    const items = [denial(1, 400, '2026-03-01', 'same'), denial(2, 300, '2026-03-01', 'other')]
    expect(paid(settleClaimRecovery(items, [payment(9, '2026-03-02', 1000, 'same')]))).toEqual([
      [2, 'recovered', 300, '2026-03-02', [9]],
    ])
  })

  it('gives the same result whatever order the items and payments come in (ties broken on content)', () => {
    // Same-day denials and payments: the sets' content identities decide, not the input order.
    const items = [
      denial(1, 3400, '2010-01-01', 'c'),
      denial(2, 2275, '2010-01-01', 'a'),
      denial(3, 80500, '2010-01-01', 'b'),
    ]
    const payments = [
      payment(10, '2010-01-01', 1150, 'b'),
      payment(11, '2010-01-01', 22364, 'a'),
      payment(12, '2010-01-01', 3425, 'c'),
    ]
    const expected = settleClaimRecovery(items, payments)
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
      [2, 0, 1],
    ]
    for (const order of orders)
      for (const payOrder of orders) {
        const shuffled = settleClaimRecovery(
          order.map((i) => items[i] as (typeof items)[number]),
          payOrder.map((i) => payments[i] as (typeof payments)[number]),
        )
        expect([...shuffled].sort((a, b) => a.itemId - b.itemId)).toEqual(
          [...expected].sort((a, b) => a.itemId - b.itemId),
        )
      }
    // Items in order 2 ('a'), 3 ('b'), 1 ('c'); payments 11 ('a'), 10 ('b'), 12 ('c'). 11 pays item 3
    // (not its own set) in part; 10 pays item 2 in part; 12 finds only item 1, of its own set.
    expect(paid(expected)).toEqual([
      [2, 'partially_recovered', 1150, '2010-01-01', [10]],
      [3, 'partially_recovered', 22364, '2010-01-01', [11]],
    ])
  })

  it('counts an item with its status without recovery, and returns it when nothing pays it', () => {
    const items = [{ ...denial(1, 400, '2026-03-01'), status: 'appealed' }]
    expect(settleClaimRecovery(items, []).map((s) => [s.status, s.recoveredAmount])).toEqual([
      ['appealed', 0],
    ])
  })
})
