/**
 * The key a claim is known by across remits: CLP01 (the 837's CLM01 as sent) within one payer.
 * CLM01 is unique per submitter, not across payers, so the payer is part of the key (X12
 * 005010X221A1, CLP01 and loop 1000A N1*PR).
 *
 * @example
 * ```ts
 * remitClaimKey('E2E-P-003', 'MCR01') === remitClaimKey('E2E-P-003', 'MCR01') // true
 * ```
 */
export function remitClaimKey(claimId: string, payerId: string | null | undefined): string {
  return `${payerId ?? ''}\u0000${claimId}`
}
