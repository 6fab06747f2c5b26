import type { Cents } from '../../parsers/money.js'

/** A line of a rework item, as recovery reads it. */
export interface RecoverableLine {
  id: number
  amount: Cents
  recoveredAmount: Cents
}

/** A rework item a later payment may recover. */
export interface RecoverableItem {
  id: number
  amount: Cents
  recoveredAmount: Cents
  status: string
  /** Its lines, oldest first. */
  lines: readonly RecoverableLine[]
}

/** The part of a payment that one item recovers. */
export interface RecoveryAllocation {
  itemId: number
  /** The item's status before the payment. */
  beforeStatus: string
  /** `recovered` once nothing is left open on the item, else `partially_recovered`. */
  afterStatus: 'recovered' | 'partially_recovered'
  /** Cents of this payment given to the item. */
  amount: Cents
  /** The item's recovered amount after this payment (cumulative). */
  recoveredAmount: Cents
  /** The lines' recovered amounts after this payment (cumulative), for the lines it reached. */
  lines: { lineId: number; recoveredAmount: Cents }[]
}

/** Spreads `paid` over `lines` oldest first, each up to what is still open on it. */
function spread(lines: readonly RecoverableLine[], paid: Cents): RecoveryAllocation['lines'] {
  const out: RecoveryAllocation['lines'] = []
  let remaining = paid
  for (const line of lines) {
    if (remaining <= 0) break
    const open = line.amount - line.recoveredAmount
    if (open <= 0) continue
    const take = Math.min(open, remaining)
    remaining -= take
    out.push({ lineId: line.id, recoveredAmount: line.recoveredAmount + take })
  }
  return out
}

/**
 * Spreads a claim's new payment over its earlier rework items, oldest first, each up to what is
 * still open on it (amount − recovered), and within an item over its lines the same way. A
 * payment of 0 or less (a reversal not yet corrected, or a correction that pays less) recovers
 * nothing. An item paid in part is `partially_recovered`; a later payment can add to it.
 *
 * @param items the claim's recoverable items, oldest first
 *
 * @example
 * ```ts
 * allocateRecovery([{ id: 1, amount: 70000, recoveredAmount: 0, … }], 56000)
 * // [{ itemId: 1, amount: 56000, recoveredAmount: 56000, afterStatus: 'partially_recovered', … }]
 * ```
 */
export function allocateRecovery(items: readonly RecoverableItem[], paid: Cents): RecoveryAllocation[] {
  const allocations: RecoveryAllocation[] = []
  let remaining = paid
  for (const item of items) {
    if (remaining <= 0) break
    const open = item.amount - item.recoveredAmount
    if (open <= 0) continue
    const take = Math.min(open, remaining)
    remaining -= take
    const recoveredAmount = item.recoveredAmount + take
    allocations.push({
      itemId: item.id,
      beforeStatus: item.status,
      afterStatus: recoveredAmount >= item.amount ? 'recovered' : 'partially_recovered',
      amount: take,
      recoveredAmount,
      lines: spread(item.lines, take),
    })
  }
  return allocations
}

/** A denial item of a claim, as {@link settleClaimRecovery} reads it. */
export interface SettleItem extends RecoverableItem {
  /**
   * Its status without any recovery: `open`, a biller's step, or what it was before an earlier
   * run recovered it (recovery is worked out again from the payments every time).
   */
  status: string
  /** The date of the remit that denied it (BPR16, else DTM*405, as `remitDateOf` reads it). */
  remitDate: string | null
  /** The content identity of the transaction set (ST-SE) that denied it. */
  setKey: string
  /** Its CLP's position within that set (0-based). */
  position: number
  /** Its queue (one item per remit claim and queue). */
  queue: string
}

/** A payment of the claim (net CLP04 of one transaction set, reversals netted). */
export interface SettlePayment {
  remitClaimId: number
  /** The date of the remit that paid it (BPR16, else DTM*405, as `remitDateOf` reads it). */
  remitDate: string | null
  /** The content identity of its transaction set. */
  setKey: string
  /** Its CLP's position within that set. */
  position: number
  /** Its net CLP04 "Total Claim Payment Amount" (reversals netted, split parts summed). */
  paid: Cents
}

/** What an item ends with once every payment is applied. */
export interface SettledItem {
  itemId: number
  /** `recovered`, `partially_recovered`, or its status without recovery when nothing paid it. */
  status: string
  recoveredAmount: Cents
  /** The paying remit's date, null when nothing paid it. */
  recoveredDate: string | null
  /** Every line's recovered amount (0 when nothing reached it). */
  lines: { lineId: number; recoveredAmount: Cents }[]
  /** The payment that paid it (at most one) and the cents. */
  allocations: { remitClaimId: number; amount: Cents }[]
}

/** Statuses a payment no longer adds to: the item was paid, in full or in part, by another remit. */
const PAID = new Set(['recovered', 'partially_recovered'])

/** Code-unit order (the same on every machine and locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Recovered revenue of one claim (one CLP01 and payer), worked out from every stored denial item
 * and payment of it, so that the result depends on the remits' content and dates and never on the
 * order in which files were stored (or on which of two files brought a transaction set both
 * carry): the same items, statuses and cents whatever that order.
 *
 * - Payments are applied oldest first by remit date (X12 005010X221A1 BPR16 "Check Issue or EFT
 *   Effective Date", else DTM*405 "Production Date"); payments of one date by their transaction
 *   set's content identity, then by their CLP's position in it.
 * - Each payment goes to the items oldest first (the same order: remit date, set, CLP position,
 *   queue), each up to what is open on it, and within an item to its lines oldest first
 *   ({@link allocateRecovery}).
 * - A payment recovers an item only when its remit is dated on or after the denial's: a payment
 *   issued before the denial cannot be a payment of it. Without either date it does not.
 * - A payment never recovers a denial of its own transaction set (a split claim's parts, or a
 *   reversal and its correction, are netted within the set: `netClaimPayments`).
 * - A payment of 0 or less (a reversal not yet corrected, a correction that pays less) recovers
 *   nothing.
 * - An item paid in part by one payment is not paid again by another: its recovery has one date.
 *
 * @param items every denial item of the claim that a payment may recover, with the status each
 *   has without recovery
 * @param payments every payment of the claim, each with what it has left (less the cents kept by
 *   items that are not settled again)
 *
 * @example
 * ```ts
 * // CO-29 denial of 34.00 dated 2026-03-10, a payment of 11.50 dated 2026-03-20:
 * settleClaimRecovery([{ id: 7, amount: 3400, status: 'open', remitDate: '2026-03-10', … }],
 *   [{ remitClaimId: 3, remitDate: '2026-03-20', paid: 1150, … }])
 * // [{ itemId: 7, status: 'partially_recovered', recoveredAmount: 1150, recoveredDate: '2026-03-20', … }]
 * ```
 */
export function settleClaimRecovery(
  items: readonly SettleItem[],
  payments: readonly SettlePayment[],
): SettledItem[] {
  const state = [...items]
    .sort(
      (a, b) =>
        compareText(a.remitDate ?? '', b.remitDate ?? '') ||
        compareText(a.setKey, b.setKey) ||
        a.position - b.position ||
        compareText(a.queue, b.queue),
    )
    .map((item) => ({
      ...item,
      recoveredAmount: 0,
      recoveredDate: null as string | null,
      allocations: [] as SettledItem['allocations'],
      lines: item.lines.map((line) => ({ ...line, recoveredAmount: 0 })),
    }))
  const ordered = [...payments].sort(
    (a, b) =>
      compareText(a.remitDate ?? '', b.remitDate ?? '') ||
      compareText(a.setKey, b.setKey) ||
      a.position - b.position,
  )
  for (const payment of ordered) {
    const paidOn = payment.remitDate
    if (paidOn === null || payment.paid <= 0) continue
    const eligible = state.filter(
      (item) =>
        !PAID.has(item.status) &&
        item.remitDate !== null &&
        item.remitDate <= paidOn &&
        item.setKey !== payment.setKey,
    )
    for (const allocation of allocateRecovery(eligible, payment.paid)) {
      const item = state.find((s) => s.id === allocation.itemId)
      if (item === undefined) continue
      item.status = allocation.afterStatus
      item.recoveredAmount = allocation.recoveredAmount
      item.recoveredDate = paidOn
      item.allocations.push({ remitClaimId: payment.remitClaimId, amount: allocation.amount })
      for (const reached of allocation.lines) {
        const line = item.lines.find((l) => l.id === reached.lineId)
        if (line !== undefined) line.recoveredAmount = reached.recoveredAmount
      }
    }
  }
  return state.map((item) => ({
    itemId: item.id,
    status: item.status,
    recoveredAmount: item.recoveredAmount,
    recoveredDate: item.recoveredDate,
    lines: item.lines.map((line) => ({ lineId: line.id, recoveredAmount: line.recoveredAmount })),
    allocations: item.allocations,
  }))
}
