import type { Cents } from '../../parsers/money.js'
import { remitClaimKey } from './remit-claim-key.js'

/** CLP02 = 22: reversal of a previous payment (X12 005010X221A1, CLP02). */
export const CLP02_REVERSAL = '22'

/** What netting reads of one CLP (a parsed `RemittanceClaim835` with its payer fits). */
export interface PaymentClaim {
  /** CLP01. */
  claimId: string
  /** N1*PR of the CLP's 835. */
  payerId: string | null
  /** CLP02. */
  status: string
  /** CLP04 (negative on a reversal). */
  paid: Cents
}

/** The payment one input brings to one claim, once reversals are netted and split parts summed. */
export interface ClaimPayment {
  /** {@link remitClaimKey} of the claim. */
  key: string
  /** Index (in the input) of the CLP the payment is credited to: the claim's last standing CLP. */
  index: number
  /** Σ CLP04 of the claim's CLPs up to that one, plus the reversals carried in for it. */
  paid: Cents
  /** Indexes of the CLPs that stand (not reversals): several for a split claim (RARC MA15). */
  parts: number[]
}

/** {@link netClaimPayments}' result. */
export interface NettedPayments {
  /** One per claim with a standing CLP, in the order of their `index`. */
  payments: ClaimPayment[]
  /**
   * Σ CLP04 of reversals still waiting for the corrected CLP that follows them, by claim key:
   * those carried in and not used, plus the reversals after a claim's last standing CLP.
   */
  carried: Map<string, Cents>
}

/**
 * Nets the CLPs of one 835 (or one batch of it, `carried` linking the batches) per claim:
 *
 * - a reversal (CLP02 = 22, negated amounts) never stands for the claim: its negative CLP04 is
 *   netted against the CLP of the same claim that follows it, usually the corrected claim (X12
 *   005010X221A1, CLP02 code 22 "Reversal of Previous Payment", sent with the correction);
 * - the CLPs of a split claim (one CLM01 answered by several CLPs, RARC MA15 "Your claim has been
 *   separated to expedite handling") are summed: the claim's payment is Σ CLP04 of its parts.
 *
 * The result is the change of payment each claim got, credited to its last standing CLP.
 * A reversal whose correction has not come yet (the last CLPs of the input) is `carried`.
 *
 * @example
 * ```ts
 * // reversal of 240.00, then the correction paying 280.00:
 * netClaimPayments([reversal, correction], new Map()).payments
 * // [{ key, index: 1, paid: 4000, parts: [1] }]
 * ```
 */
export function netClaimPayments(
  claims: readonly PaymentClaim[],
  carried: ReadonlyMap<string, Cents>,
): NettedPayments {
  const groups = new Map<string, { running: Cents; settled: Cents; parts: number[] }>()
  claims.forEach((claim, index) => {
    const key = remitClaimKey(claim.claimId, claim.payerId)
    let group = groups.get(key)
    if (group === undefined) {
      group = { running: carried.get(key) ?? 0, settled: 0, parts: [] }
      groups.set(key, group)
    }
    group.running += claim.paid
    if (claim.status === CLP02_REVERSAL) return
    group.settled = group.running
    group.parts.push(index)
  })
  const payments: ClaimPayment[] = []
  const next = new Map(carried)
  for (const [key, group] of groups) {
    const index = group.parts.at(-1)
    // What came after the last standing CLP: reversals waiting for their correction.
    const waiting = index === undefined ? group.running : group.running - group.settled
    if (waiting !== 0 || index === undefined) next.set(key, waiting)
    else next.delete(key)
    if (index !== undefined) payments.push({ key, index, paid: group.settled, parts: group.parts })
  }
  payments.sort((a, b) => a.index - b.index)
  return { payments, carried: next }
}
