import type { Cents } from '../../parsers/money.js'

/** A rework item a later payment may recover. */
export interface RecoverableItem {
  id: number
  amount: Cents
  recoveredAmount: Cents
  status: string
}

/** The part of a payment that one item recovers. */
export interface RecoveryAllocation {
  itemId: number
  /** The item's status before the payment. */
  beforeStatus: string
  /** Cents of this payment given to the item. */
  amount: Cents
  /** The item's recovered amount after this payment (cumulative). */
  recoveredAmount: Cents
}

/**
 * Spreads a claim's new payment over its earlier rework items, oldest first, each up to what is
 * still open on it (amount − recovered). A payment of 0 or less (a reversal not yet corrected, or
 * a correction that pays less) recovers nothing.
 *
 * @param items the claim's recoverable items, oldest first
 *
 * @example
 * ```ts
 * allocateRecovery([{ id: 1, amount: 40000, … }, { id: 2, amount: 30000, … }], 56000)
 * // [{ itemId: 1, amount: 40000, … }, { itemId: 2, amount: 16000, … }]
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
    allocations.push({
      itemId: item.id,
      beforeStatus: item.status,
      amount: take,
      recoveredAmount: item.recoveredAmount + take,
    })
  }
  return allocations
}
