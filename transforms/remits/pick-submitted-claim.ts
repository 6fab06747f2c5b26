import type { IsoDate } from '../../parsers/dates.js'

/** A submitted (837) claim a remit claim may answer, as stored. */
export interface SubmittedCandidate {
  id: number
  /** CLM01. */
  claimId: string
  payerId: string | null
  serviceFrom: IsoDate | null
  serviceTo: IsoDate | null
  /** SBR09. */
  filingIndicator: string | null
  /** `837P` or `837I`. */
  kind: string
}

/**
 * Picks the submitted claim a CLP answers: CLP01 = CLM01 (X12 005010X221A1 CLP01: "the claim
 * submitter's identifier, as sent in CLM01"), narrowed by payer and then by date of service when
 * CLM01 repeats. The latest submission wins among equals: a replacement claim (CLM05-3 = 7) keeps
 * the CLM01 of the claim it replaces.
 *
 * @param candidates the submitted claims whose CLM01 is the CLP01
 * @param dos the CLP's date of service ({@link remitClaimServiceDate})
 *
 * @example
 * ```ts
 * pickSubmittedClaim([original, replacement], 'MCR01', '2026-01-07') // replacement (higher id)
 * ```
 */
export function pickSubmittedClaim(
  candidates: readonly SubmittedCandidate[],
  payerId: string | null | undefined,
  dos: IsoDate | undefined,
): SubmittedCandidate | undefined {
  let pool = candidates
  if (pool.length > 1 && payerId) {
    const samePayer = pool.filter((c) => c.payerId === payerId)
    if (samePayer.length > 0) pool = samePayer
  }
  if (pool.length > 1 && dos !== undefined) {
    const sameDos = pool.filter(
      (c) => c.serviceFrom !== null && c.serviceFrom <= dos && dos <= (c.serviceTo ?? c.serviceFrom),
    )
    if (sameDos.length > 0) pool = sameDos
  }
  return pool.reduce<SubmittedCandidate | undefined>(
    (best, c) => (best === undefined || c.id > best.id ? c : best),
    undefined,
  )
}
