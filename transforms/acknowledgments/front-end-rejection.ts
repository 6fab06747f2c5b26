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
  const guidance =
    `277CA ${outcome.codes.join(', ') || outcome.category} (${outcome.meaning}): correct the claim and send it again ` +
    'as a new original claim (frequency 1); a claim rejected before adjudication is not on file with the payer'
  const deadline = rejectionDeadline(engine, {
    amount,
    guidance,
    profile: input.profile,
    filingIndicator: submitted?.filingIndicator ?? undefined,
    kind: submitted?.kind,
    serviceDate: serviceDate ?? undefined,
    serviceTo: submitted?.serviceTo ?? claim.serviceTo ?? undefined,
    noticeDate,
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

/** What a rejection item's deadline is computed from: a 277CA being read, or a stored item. */
export interface RejectionDeadlineInput {
  amount: Cents
  guidance: string
  profile: PayerProfile | undefined
  /** SBR09 of the submitted claim. */
  filingIndicator: string | undefined
  /** `837P` or `837I`; `undefined` when no submitted claim was matched. */
  kind: string | undefined
  serviceDate: IsoDate | undefined
  /** The last date of service (an institutional claim's through date). */
  serviceTo: IsoDate | undefined
  /** The rejection's notice date. */
  noticeDate: IsoDate | undefined
}

/**
 * The deadline of a front-end rejection (queue `rejection`, action `resubmit`): timely filing from
 * the date of service, the through date for an institutional claim (see {@link frontEndRejection}).
 * Used when the 277CA is read and when deadlines are recomputed.
 */
export function rejectionDeadline(engine: DenialEngine, input: RejectionDeadlineInput): ReworkDeadline {
  const institutional = input.kind === '837I'
  return engine.deadline({
    classification: {
      queue: 'rejection',
      action: 'resubmit',
      carcs: [],
      rarcs: [],
      amount: input.amount,
      flags: [],
      guidance: input.guidance,
    },
    payerClass: engine.payerClass(input.profile, input.filingIndicator),
    profile: input.profile,
    serviceDate: input.serviceDate,
    throughDate: institutional ? input.serviceTo : undefined,
    remitDate: input.noticeDate,
    claimType: input.kind === undefined ? undefined : institutional ? 'institutional' : 'professional',
  })
}
