import { describe, expect, it } from 'vitest'
import type { StoredPayment, StoredRecoveryItem } from '../../../transforms/remits/settle-recovery.js'
import {
  keptByBiller,
  linesToHoldBack,
  planSettlement,
  rejectionSetKey,
  remitSetKey,
  statusesBeforeRecovery,
} from '../../../transforms/remits/settle-recovery.js'

const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const SHA_F = 'f'.repeat(64)

const header = {
  contentSha256: null,
  payerId: 'MCR01',
  traceNumber: 'EFT123',
  totalPaid: 56000,
  paymentDate: '2026-03-02',
  interchangeControl: '000003001',
  transactionControl: '0001',
}

describe('remitSetKey', () => {
  it('is the set content SHA-256 when the set is recorded', () => {
    expect(remitSetKey({ ...header, contentSha256: SHA_A })).toBe(SHA_A)
  })

  it('is made of the header content without one: the same for the same content, after every digest', () => {
    const key = remitSetKey(header)
    expect(key).toBe(remitSetKey({ ...header }))
    expect(key).not.toBe(remitSetKey({ ...header, traceNumber: 'EFT124' }))
    expect(key).not.toBe(remitSetKey({ ...header, transactionControl: '0002' }))
    expect(key > SHA_F).toBe(true)
    // No database id in it (it was `remittance <id>`).
    expect(key).not.toMatch(/^remittance \d+$/u)
  })
})

describe('rejectionSetKey', () => {
  it('orders 277CA sets by their content, after the 835 sets of the day', () => {
    expect(rejectionSetKey(SHA_A) < rejectionSetKey(SHA_B)).toBe(true)
    expect(rejectionSetKey(SHA_A) > SHA_F).toBe(true)
    expect(rejectionSetKey(SHA_A) > remitSetKey(header)).toBe(true)
    expect(rejectionSetKey(null)).toBe('~277CA')
  })
})

const item = (over: Partial<StoredRecoveryItem> & { id: number }): StoredRecoveryItem => ({
  claimId: 'C1',
  payerId: 'MCR01',
  amount: 10000,
  recoveredAmount: 0,
  recoveredDate: null,
  status: 'open',
  queue: 'coding',
  remitDate: '2026-02-02',
  remitClaimId: over.id * 10,
  setKey: SHA_A,
  lines: [
    {
      id: over.id * 100,
      amount: over.amount ?? 10000,
      recoveredAmount: 0,
      level: 'line',
      procedureCode: '96413',
      carcs: ['4'],
    },
  ],
  ...over,
})

const payment = (over: Partial<StoredPayment> & { remitClaimId: number }): StoredPayment => ({
  remittanceId: 9,
  setKey: SHA_F,
  claimId: 'C1',
  payerId: 'MCR01',
  status: '1',
  paid: 6000,
  remitDate: '2026-03-02',
  ...over,
})

describe('keptByBiller', () => {
  it('is an item with recovered cents whose status a biller set', () => {
    expect(keptByBiller({ status: 'written_off', recoveredAmount: 500 })).toBe(true)
    expect(keptByBiller({ status: 'partially_recovered', recoveredAmount: 500 })).toBe(false)
    expect(keptByBiller({ status: 'written_off', recoveredAmount: 0 })).toBe(false)
  })
})

describe('statusesBeforeRecovery', () => {
  it('takes the last status a recovered event moved from, else open; other items keep theirs', () => {
    const items = [
      { id: 1, status: 'recovered' },
      { id: 2, status: 'partially_recovered' },
      { id: 3, status: 'assigned' },
    ]
    const events = [
      { itemId: 1, beforeStatus: 'open' },
      { itemId: 1, beforeStatus: 'corrected' },
      // From one recovery to another, or unknown: not a status before recovery.
      { itemId: 1, beforeStatus: 'partially_recovered' },
      { itemId: 1, beforeStatus: null },
      { itemId: 3, beforeStatus: 'open' },
    ]
    expect(statusesBeforeRecovery(items, events)).toEqual(
      new Map([
        [1, 'corrected'],
        [2, 'open'],
        [3, 'assigned'],
      ]),
    )
  })
})

describe('linesToHoldBack', () => {
  it('holds back the later denial of the same line and reasons, never one a biller kept', () => {
    const older = item({ id: 1 })
    const later = item({ id: 2, remitDate: '2026-02-20', setKey: SHA_B })
    expect(linesToHoldBack([later, older], [])).toEqual(new Set([200]))
    const kept = { ...later, status: 'written_off', recoveredAmount: 100 }
    expect(linesToHoldBack([kept, older], [])).toEqual(new Set())
    // A recovered item is judged on its status before recovery (open here).
    const paid = { ...later, status: 'recovered', recoveredAmount: 10000 }
    expect(linesToHoldBack([paid, older], [{ itemId: 2, beforeStatus: 'open' }])).toEqual(new Set([200]))
  })
})

describe('planSettlement', () => {
  it('pays the oldest item first and reports only what differs from what is stored', () => {
    const one = item({ id: 1 })
    const two = item({ id: 2, remitDate: '2026-02-03' })
    const items = [one, two]
    const plan = planSettlement(items, [], [payment({ remitClaimId: 50, paid: 12000 })], [])
    expect(plan.changes).toEqual([
      {
        itemId: 1,
        before: 'open',
        after: 'recovered',
        recovered: 10000,
        date: '2026-03-02',
        allocations: [{ remitClaimId: 50, amount: 10000 }],
        withdrawn: false,
      },
      {
        itemId: 2,
        before: 'open',
        after: 'partially_recovered',
        recovered: 2000,
        date: '2026-03-02',
        allocations: [{ remitClaimId: 50, amount: 2000 }],
        withdrawn: false,
      },
    ])
    expect(plan.lines).toEqual([
      { lineId: 100, recovered: 10000 },
      { lineId: 200, recovered: 2000 },
    ])
    expect(plan).toMatchObject({ recovered: 2, recoveredAmount: 12000 })
    // Stored as planned: nothing to change.
    const stored = [
      {
        ...one,
        status: 'recovered',
        recoveredAmount: 10000,
        recoveredDate: '2026-03-02',
        lines: one.lines.map((l) => ({ ...l, recoveredAmount: 10000 })),
      },
      {
        ...two,
        status: 'partially_recovered',
        recoveredAmount: 2000,
        recoveredDate: '2026-03-02',
        lines: two.lines.map((l) => ({ ...l, recoveredAmount: 2000 })),
      },
    ] as StoredRecoveryItem[]
    const again = planSettlement(
      stored,
      [
        { itemId: 1, beforeStatus: 'open' },
        { itemId: 2, beforeStatus: 'open' },
      ],
      [payment({ remitClaimId: 50, paid: 12000 })],
      [
        { remitClaimId: 50, itemId: 1, amount: 10000 },
        { remitClaimId: 50, itemId: 2, amount: 2000 },
      ],
    )
    expect(again).toEqual({ changes: [], lines: [], recovered: 0, recoveredAmount: 0 })
  })

  it('leaves an item a biller kept with its cents, and the payment has those cents less to give', () => {
    const kept = item({ id: 1, status: 'written_off', recoveredAmount: 4000, recoveredDate: '2026-03-02' })
    const open = item({ id: 2, remitDate: '2026-02-03' })
    const plan = planSettlement(
      [kept, open],
      [],
      [payment({ remitClaimId: 50, paid: 6000 })],
      [{ remitClaimId: 50, itemId: 1, amount: 4000 }],
    )
    expect(plan.changes.map((c) => [c.itemId, c.after, c.recovered])).toEqual([
      [2, 'partially_recovered', 2000],
    ])
  })

  it('withdraws a payment that now goes to an older denial', () => {
    const older = item({ id: 2, remitDate: '2026-02-01', setKey: SHA_B })
    const paid = item({
      id: 1,
      status: 'recovered',
      recoveredAmount: 6000,
      recoveredDate: '2026-03-02',
      amount: 6000,
    })
    const plan = planSettlement(
      [paid, older],
      [{ itemId: 1, beforeStatus: 'open' }],
      [payment({ remitClaimId: 50, paid: 6000 })],
      [{ remitClaimId: 50, itemId: 1, amount: 6000 }],
    )
    // Oldest first: the older denial takes the payment, the item it had paid is left open.
    expect(plan.changes.map((c) => [c.itemId, c.after, c.recovered, c.withdrawn])).toEqual([
      [2, 'partially_recovered', 6000, false],
      [1, 'open', 0, true],
    ])
    expect(plan.recoveredAmount).toBe(0)
  })

  it('nets a set’s reversal with its correction before paying', () => {
    const plan = planSettlement(
      [item({ id: 1 })],
      [],
      [
        payment({ remitClaimId: 50, status: '22', paid: -3000 }),
        payment({ remitClaimId: 51, status: '1', paid: 5000 }),
      ],
      [],
    )
    expect(plan.changes.map((c) => [c.itemId, c.recovered, c.allocations])).toEqual([
      [1, 2000, [{ remitClaimId: 51, amount: 2000 }]],
    ])
  })

  it('orders same-day 277CA rejection items by their sets’ content, not by their ids', () => {
    const rejection = (id: number, sha: string): StoredRecoveryItem =>
      item({ id, queue: 'rejection', remitClaimId: null, setKey: rejectionSetKey(sha), lines: [] })
    // Item ids swapped (the other 277CA stored first): the item of set A is paid either way.
    const first = planSettlement(
      [rejection(1, SHA_A), rejection(2, SHA_B)],
      [],
      [payment({ remitClaimId: 50, paid: 5000 })],
      [],
    )
    const second = planSettlement(
      [rejection(1, SHA_B), rejection(2, SHA_A)],
      [],
      [payment({ remitClaimId: 50, paid: 5000 })],
      [],
    )
    expect(first.changes.map((c) => c.itemId)).toEqual([1])
    expect(second.changes.map((c) => c.itemId)).toEqual([2])
  })
})
