import type { Cents } from '../../parsers/money.js'
import { normalizeCarc } from './carc-table.js'
import type { AdjustmentInput } from './denial-types.js'

/** CLP02 of a reversal of a previous payment (835 5010). */
const CLP02_REVERSAL = '22'

/** RARC MA15: the claim was separated to expedite handling (a split claim). */
export const RARC_SPLIT_CLAIM = 'MA15'

/**
 * What netting reads of one CLP. `RemittanceClaim835` fits it; pass `adjustments` as the claim's
 * CAS plus its lines' CAS when the line amounts should count too.
 */
export interface NettableClaim {
  /** CLP01, the 837's CLM01. */
  claimId: string
  /** CLP02. */
  status: string
  /** CLP07. */
  payerClaimNumber: string | undefined
  charge: Cents
  paid: Cents
  patientResponsibility: Cents
  adjustments: readonly AdjustmentInput[]
  /** MOA/MIA/LQ remarks, read for MA15. */
  remarkCodes?: readonly string[]
}

/** Summed amounts of the CLPs that stand for one claim. */
export interface ClaimTotals {
  charge: Cents
  paid: Cents
  patientResponsibility: Cents
  /** Adjustments summed by group + CARC, in first-seen order; pairs that net to 0 are dropped. */
  adjustments: AdjustmentInput[]
}

/** One claim (CLP01 within one payer) after netting reversals and summing split parts. */
export interface NetClaim<T extends NettableClaim> {
  /** The grouping key: payer id and CLP01. */
  key: string
  claimId: string
  /** The CLPs that stand after netting (a split claim has several), in remit order. */
  parts: T[]
  /** Sum of `parts`; `undefined` when only a reversal arrived (its correction is still to come). */
  current: ClaimTotals | undefined
  /** True when several CLPs stand for the claim or one carries RARC MA15. */
  split: boolean
  /** How many reversals (CLP02=22) the group had. */
  reversals: number
  /** Σ CLP04 of reversals whose original CLP was not in this input (negative: money taken back). */
  reversedPaid: Cents
  /** Σ CLP04 of every CLP in the group: the payment change this input brings for the claim. */
  paidDelta: Cents
}

/** The grouping key of a CLP: CLP01 within a payer (CLM01 is unique per submitter, not globally). */
export function nettingKey(claimId: string, payerId: string | undefined): string {
  return `${payerId ?? ''}\u0000${claimId.trim()}`
}

/**
 * Sums the parts of a split claim (several CLPs for one CLM01, RARC MA15): charges, payments,
 * patient responsibility, and adjustments by group + CARC.
 */
export function sumClaimParts(parts: readonly NettableClaim[]): ClaimTotals {
  const byCode = new Map<string, AdjustmentInput>()
  let charge = 0
  let paid = 0
  let patientResponsibility = 0
  for (const part of parts) {
    charge += part.charge
    paid += part.paid
    patientResponsibility += part.patientResponsibility
    for (const adjustment of part.adjustments) {
      const group = adjustment.group.trim().toUpperCase()
      const carc = normalizeCarc(adjustment.carc)
      const key = `${group}-${carc}`
      const sum = byCode.get(key)
      byCode.set(key, { group, carc, amount: (sum?.amount ?? 0) + adjustment.amount })
    }
  }
  const adjustments = [...byCode.values()].filter((a) => a.amount !== 0)
  return { charge, paid, patientResponsibility, adjustments }
}

function reverses(reversal: NettableClaim, original: NettableClaim): boolean {
  if (original.charge !== -reversal.charge) return false
  if (reversal.payerClaimNumber === undefined || original.payerClaimNumber === undefined) return true
  return reversal.payerClaimNumber.trim() === original.payerClaimNumber.trim()
}

/**
 * Nets the CLPs of one or more 835s per claim (005010X221A1: CLP02 = 22 reversal, RARC MA15 split claim):
 * - a reversal (CLP02=22, negated amounts) cancels the latest earlier CLP of the same claim whose
 *   charge it negates (and CLP07, when both carry one); when that original came in an earlier
 *   835, the reversal's negative payment stays in `reversedPaid`;
 * - the corrected CLP that follows stands, and is what gets classified; a reversal never does;
 * - several standing CLPs for one CLM01 (a split claim, RARC MA15) are summed in `current`.
 *
 * `payerIdOf` names the payer of a CLP (N1*PR of its 835); claims group by payer and CLP01.
 * Groups come out in the order their first CLP appeared.
 *
 * @example
 * ```ts
 * // original paid 100.00, its reversal, then the correction paying 80.00:
 * netRemittedClaims([orig, reversal, correction], () => 'MAC1')[0]
 * // { parts: [correction], current: { paid: 8000, … }, reversals: 1, reversedPaid: 0, paidDelta: 8000 }
 * ```
 */
export function netRemittedClaims<T extends NettableClaim>(
  claims: Iterable<T>,
  payerIdOf: (claim: T) => string | undefined = () => undefined,
): NetClaim<T>[] {
  const groups = new Map<
    string,
    { claimId: string; parts: T[]; reversals: number; reversedPaid: Cents; paid: Cents }
  >()
  for (const claim of claims) {
    const key = nettingKey(claim.claimId, payerIdOf(claim))
    let group = groups.get(key)
    if (group === undefined) {
      group = { claimId: claim.claimId.trim(), parts: [], reversals: 0, reversedPaid: 0, paid: 0 }
      groups.set(key, group)
    }
    group.paid += claim.paid
    if (claim.status.trim() !== CLP02_REVERSAL) {
      group.parts.push(claim)
      continue
    }
    group.reversals++
    let cancelled = false
    for (let i = group.parts.length - 1; i >= 0; i--) {
      const part = group.parts[i]
      if (part !== undefined && reverses(claim, part)) {
        group.parts.splice(i, 1)
        cancelled = true
        break
      }
    }
    if (!cancelled) group.reversedPaid += claim.paid
  }
  const result: NetClaim<T>[] = []
  for (const [key, group] of groups) {
    const split =
      group.parts.length > 1 ||
      group.parts.some((p) => (p.remarkCodes ?? []).some((r) => r.trim().toUpperCase() === RARC_SPLIT_CLAIM))
    result.push({
      key,
      claimId: group.claimId,
      parts: group.parts,
      current: group.parts.length === 0 ? undefined : sumClaimParts(group.parts),
      split,
      reversals: group.reversals,
      reversedPaid: group.reversedPaid,
      paidDelta: group.paid,
    })
  }
  return result
}
