import type { ClaimStatus277 } from '../../parsers/acknowledgment/claim-status277.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'
import type { DenialEngine } from '../denials/denial-engine.js'
import type { PayerProfile, ReworkDeadline } from '../denials/denial-types.js'
import type { Claim277Outcome } from './claim-status-categories.js'

/** The submitted claim a rejection was matched to, as far as its deadline goes. */
export interface RejectedSubmittedClaim {
  /** `837P` or `837I`. */
  kind: string
  payerId: string | null
  /** SBR09. */
  filingIndicator: string | null
  serviceFrom: IsoDate | null
  serviceTo: IsoDate | null
  totalCharge: Cents
}

/** What {@link frontEndRejection} reads. */
export interface FrontEndRejectionInput {
  claim: ClaimStatus277
  outcome: Claim277Outcome
  submitted: RejectedSubmittedClaim | undefined
  profile: PayerProfile | undefined
  engine: DenialEngine
  /** The day the 277CA was ingested: the notice date when STC02 is absent. */
  asOf: IsoDate
}

/** The rework item a front-end rejection opens (queue `rejection`). */
export interface FrontEndRejection {
  queue: 'rejection'
  action: 'resubmit'
  /** The claim's charge: the submitted CLM02, else STC04. */
  amount: Cents
  serviceDate: IsoDate | undefined
  /** STC02 of the rejecting status, else `asOf`. */
  noticeDate: IsoDate
  deadline: ReworkDeadline
  guidance: string
}

/**
 * A claim rejected before adjudication (277CA category A3/A6/A7/A8 by the category table) is not
 * a filed claim: 42 CFR 424.44(a)(1) counts only claims filed, and the Medicare Claims Processing
 * Manual (IOM 100-04) ch. 1 §80.3.2 returns incomplete or invalid claims as unprocessable, with
 * no appeal rights. So the fix is a new original claim, and its deadline is the timely filing
 * limit from the date of service: the `filing` rows of `fixtures/denials/deadline-rules.csv`, or
 * the payer profile's `timely_filing_days` (action `resubmit`, whose only clock is `filing`).
 */
export function frontEndRejection(input: FrontEndRejectionInput): FrontEndRejection {
  const { claim, outcome, submitted, engine } = input
  const rejecting = claim.statuses.find((s) => s.codes.some((c) => c.category === outcome.category))
  const noticeDate = rejecting?.date ?? input.asOf
  const amount = submitted?.totalCharge ?? rejecting?.charge ?? claim.statuses[0]?.charge ?? 0
  const serviceDate = submitted?.serviceFrom ?? claim.serviceFrom
  const institutional = submitted?.kind === '837I'
  const throughDate = institutional ? (submitted?.serviceTo ?? claim.serviceTo) : undefined
  const guidance =
    `277CA ${outcome.codes.join(', ') || outcome.category} (${outcome.meaning}): correct the claim and send it again ` +
    'as a new original claim (frequency 1); a claim rejected before adjudication is not on file with the payer'
  const deadline = engine.deadline({
    classification: {
      queue: 'rejection',
      action: 'resubmit',
      carcs: [],
      rarcs: [],
      amount,
      flags: [],
      guidance,
    },
    payerClass: engine.payerClass(input.profile, submitted?.filingIndicator ?? undefined),
    profile: input.profile,
    serviceDate: serviceDate ?? undefined,
    throughDate: throughDate ?? undefined,
    remitDate: noticeDate,
    claimType: submitted === undefined ? undefined : institutional ? 'institutional' : 'professional',
  })
  return {
    queue: 'rejection',
    action: 'resubmit',
    amount,
    serviceDate: serviceDate ?? undefined,
    noticeDate,
    deadline,
    guidance,
  }
}
