import type { IsoDate } from '../../parsers/dates.js'

/** What the date-of-service fallback reads of a CLP (a parsed `RemittanceClaim835` fits). */
export interface DatedRemitClaim {
  /** DTM*232 (claim statement period start). */
  statementFrom: IsoDate | undefined
  /** DTM*233 (claim statement period end). */
  statementTo: IsoDate | undefined
  lines: readonly { serviceFrom: IsoDate | undefined }[]
}

/** What the fallback reads of the submitted claim a CLP answers. */
export interface DatedSubmittedClaim {
  serviceFrom: IsoDate | null
  serviceTo: IsoDate | null
  /** `837I` counts the Through date. */
  kind: string
}

function firstLineDate(claim: DatedRemitClaim): IsoDate | undefined {
  for (const line of claim.lines) if (line.serviceFrom) return line.serviceFrom
  return undefined
}

/**
 * The date of service the remit itself carries: the claim statement date (DTM*232), else the first
 * line's DTM*472 (X12 005010X221A1 loops 2100 and 2110). Used to tell apart submitted claims that
 * share a CLM01, before any is picked.
 */
export function remitClaimServiceDate(claim: DatedRemitClaim): IsoDate | undefined {
  return claim.statementFrom ?? firstLineDate(claim)
}

/**
 * The From date a claim-level item counts from: the remit's statement date, else the submitted
 * claim's From date, else the first remit line's date. Many 835s omit DTM*232 and carry dates
 * only on the lines, or not at all; the 837 then knows the date.
 */
export function claimServiceDate(
  claim: DatedRemitClaim,
  submitted: DatedSubmittedClaim | undefined,
): IsoDate | undefined {
  return claim.statementFrom ?? submitted?.serviceFrom ?? firstLineDate(claim) ?? undefined
}

/** The From date a line item counts from: the SVC's DTM*472, else its submitted line's, else the claim's. */
export function lineServiceDate(
  line: { serviceFrom: IsoDate | undefined },
  submittedLine: { serviceFrom: IsoDate | null } | undefined,
  claimDos: IsoDate | undefined,
): IsoDate | undefined {
  return line.serviceFrom ?? submittedLine?.serviceFrom ?? claimDos
}

/**
 * The Through date of an institutional claim (DTM*233, else the 837I's statement end), from which
 * Medicare Part A counts its filing limit (42 CFR 424.44: 12 months after the date of service,
 * the Through date for institutional claims). `undefined` for professional claims.
 */
export function claimThroughDate(
  claim: DatedRemitClaim,
  submitted: DatedSubmittedClaim | undefined,
): IsoDate | undefined {
  if (submitted?.kind !== '837I') return undefined
  return claim.statementTo ?? submitted.serviceTo ?? undefined
}
