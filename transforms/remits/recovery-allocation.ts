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
