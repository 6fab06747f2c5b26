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

/** A rework item that has just opened, as {@link allocateStoredPayments} reads it. */
export interface OpeningItem extends RecoverableItem {
  /** The date of the remit that denied it (BPR16, else DTM*405, as `remitDateOf` reads it). */
  remitDate: string | null
  /** The 835 file that opened it: a file's payments never recover its own denials. */
  fileId?: number
}

/** A payment of the claim stored before its denial opened, and what of it no item has taken yet. */
export interface StoredPayment {
  remitClaimId: number
  /** The date of the remit that paid it (BPR16, else DTM*405, as `remitDateOf` reads it). */
  remitDate: string | null
  /** Its net CLP04 "Total Claim Payment Amount" (reversals netted) less what it already recovered on other items. */
  unallocated: Cents
  /** The 835 file that stored it. */
  fileId?: number
}

/** The part of a stored payment that one newly opened item recovers. */
export interface StoredRecovery extends RecoveryAllocation {
  remitClaimId: number
  /** The paying remit's date: the item's recovery date. */
  date: string | null
}

/** Statuses a payment no longer adds to: the item was paid, in full or in part, by another remit. */
const PAID = new Set(['recovered', 'partially_recovered'])

/**
 * Recovers a claim's newly opened denial items from payments of the claim stored before them:
 * the same result as if the denial had been stored first and the payment after it
 * ({@link allocateRecovery}), so that the order in which files arrive does not change what is
 * recovered.
 *
 * - A payment recovers an item only when its remit is dated on or after the denial's remit (X12
 *   005010X221A1 BPR16 "Check Issue or EFT Effective Date", else DTM*405 "Production Date"): a
 *   payment issued before the denial cannot be a payment of it. Without either date it does not.
 * - Payments are taken oldest first (remit date, then the order they were stored), each over the
 *   items oldest first and within an item its lines oldest first, each up to what is open on it.
 * - A payment of 0 or less (a reversal, CLP02 = 22, or a correction that pays less) and what a
 *   payment already gave other items recover nothing.
 * - A payment never recovers a denial of its own file (as a file's payments recover only other
 *   files' items).
 * - An item paid in part by one payment is not paid again by another (as a later 835 does not
 *   add to a `partially_recovered` item): its recovery has one date.
 *
 * @param items the claim's newly opened items, oldest first
 * @param payments the claim's stored payments
 *
 * @example
 * ```ts
 * // CO-29 denial of 34.00 dated 2026-03-10, a payment of 11.50 dated 2026-03-20 stored earlier:
 * allocateStoredPayments([{ id: 7, amount: 3400, …, remitDate: '2026-03-10' }],
 *   [{ remitClaimId: 3, remitDate: '2026-03-20', unallocated: 1150 }])
 * // [{ itemId: 7, amount: 1150, afterStatus: 'partially_recovered', remitClaimId: 3, … }]
 * ```
 */
export function allocateStoredPayments(
  items: readonly OpeningItem[],
  payments: readonly StoredPayment[],
): StoredRecovery[] {
  const state = items.map((item) => ({ ...item, lines: item.lines.map((line) => ({ ...line })) }))
  const ordered = payments
    .map((payment, index) => ({ payment, index }))
    .sort(
      (a, b) =>
        (a.payment.remitDate ?? '').localeCompare(b.payment.remitDate ?? '') ||
        a.payment.remitClaimId - b.payment.remitClaimId ||
        a.index - b.index,
    )
  const out: StoredRecovery[] = []
  for (const { payment } of ordered) {
    const paidOn = payment.remitDate
    if (paidOn === null || payment.unallocated <= 0) continue
    const eligible = state.filter(
      (item) =>
        !PAID.has(item.status) &&
        item.remitDate !== null &&
        item.remitDate <= paidOn &&
        (item.fileId === undefined || item.fileId !== payment.fileId),
    )
    for (const allocation of allocateRecovery(eligible, payment.unallocated)) {
      out.push({ ...allocation, remitClaimId: payment.remitClaimId, date: paidOn })
      const item = state.find((s) => s.id === allocation.itemId)
      if (item === undefined) continue
      item.status = allocation.afterStatus
      item.recoveredAmount = allocation.recoveredAmount
      for (const reached of allocation.lines) {
        const line = item.lines.find((l) => l.id === reached.lineId)
        if (line !== undefined) line.recoveredAmount = reached.recoveredAmount
      }
    }
  }
  return out
}
