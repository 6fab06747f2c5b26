import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'

/** A submitted claim that may be the one a 277CA speaks of. */
export interface SubmittedCandidate {
  id: number
  payerId: string | null
  totalCharge: Cents
  serviceFrom: IsoDate | null
}

/** What a 277CA claim status says about the claim, to match it. */
export interface AcknowledgedClaimFacts {
  /** STC04 of the claim-level status, in cents. */
  charge: Cents | undefined
  /** DTP*472 of 2200D. */
  serviceFrom: IsoDate | undefined
}

/**
 * Picks the submitted claim a 277CA claim status answers among those with its claim id (TRN02 =
 * CLM01; candidates newest first): the newest whose charge (STC04 = CLM02) and first date of
 * service both agree, else the newest whose charge agrees, else the newest. A patient control
 * number is unique per submitter, but a resubmission reuses it: the newest is the one in flight.
 */
export function pickAcknowledgedClaim(
  candidates: readonly SubmittedCandidate[],
  facts: AcknowledgedClaimFacts,
): SubmittedCandidate | undefined {
  const charge = (c: SubmittedCandidate): boolean =>
    facts.charge === undefined || c.totalCharge === facts.charge
  const date = (c: SubmittedCandidate): boolean =>
    facts.serviceFrom === undefined || c.serviceFrom === null || c.serviceFrom === facts.serviceFrom
  return candidates.find((c) => charge(c) && date(c)) ?? candidates.find(charge) ?? candidates[0]
}
