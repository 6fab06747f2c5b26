import type { IsoDate } from '../dates.js'
import type { Cents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { X12Position } from '../x12/segment.js'

/**
 * One STC status (005010X214 277CA): STC01 (or STC10/STC11) composite C043. Category codes
 * (X12 external code source 507, Health Care Claim Status Category Codes) start with `A` for
 * acknowledgments: `A1`/`A2` received/accepted, `A3` returned as unprocessable, `A4` not found,
 * `A6`/`A7` rejected for missing/invalid information, `A8` rejected for relational field errors.
 */
export interface StatusCode277 {
  /** C043-1: the status category code, e.g. `A7`. */
  category: string
  /** C043-2: the status code (external code source 508), e.g. `562`. */
  code: string
  /** C043-3: the entity identifier the status is about, e.g. `85` billing provider. */
  entity: string | undefined
}

/** One STC segment. */
export interface Status277 {
  /** STC01, then STC10 and STC11 when sent. */
  codes: StatusCode277[]
  /** STC02: the status information effective date. */
  date: IsoDate | undefined
  /** STC03: action code (`WQ` accepted, `U` rejected, in 277CA usage). */
  action: string | undefined
  /** STC04: the total claim charge amount, in cents. */
  charge: Cents | undefined
  /** STC12: free-form message text, when sent. */
  message: string | undefined
}

/** A service line status (loop 2220D: SVC + STC). */
export interface LineStatus277 {
  /** SVC01-2: the procedure code. */
  procedureCode: string
  /** SVC02: line charge in cents. */
  charge: Cents | undefined
  /** REF*FJ: the line item control number (REF*6R of the 837). */
  lineControl: string | undefined
  statuses: Status277[]
}

/**
 * The claim-level status of one claim in a 277CA (loop 2200D, under the patient HL 2000D): the
 * answer of a payer or clearinghouse to a claim we sent. No patient name or member id is kept.
 */
export interface ClaimStatus277 {
  envelope: EnvelopeContext
  /** TRN02 of 2200D: the claim's patient control number (CLM01 of the 837). */
  claimId: string
  /** NM109 of 2100A (NM1*PR or NM1*AY): the payer or clearinghouse answering. */
  payerId: string | undefined
  /** NM109 of 2100C (NM1*85): the billing provider. */
  billingProviderId: string | undefined
  /** REF*1K: the payer's claim control number, when the claim was accepted. */
  payerClaimControl: string | undefined
  /** REF*D9: the clearinghouse trace number. */
  clearinghouseTrace: string | undefined
  /** DTP*472 (D8 or RD8): the claim's service dates. */
  serviceFrom: IsoDate | undefined
  serviceTo: IsoDate | undefined
  statuses: Status277[]
  lines: LineStatus277[]
  position: X12Position
}
