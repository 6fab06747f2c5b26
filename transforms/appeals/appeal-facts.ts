import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'
import type { PayerClass } from '../denials/denial-types.js'

/** One adjustment (CAS triplet) on a denied line or claim. */
export interface AppealAdjustment {
  group: string
  carc: string
  amount: Cents
}

/** One service line of the denied work item, as billed (837) and as remitted (835). */
export interface AppealLine {
  /** LX01 of the 837 line, when the remit line was matched to one. */
  lineNumber: number | undefined
  serviceDate: IsoDate | undefined
  procedureCode: string
  modifiers: readonly string[]
  units: number | undefined
  ndc: string | undefined
  ndcQuantity: number | undefined
  ndcUnit: string | undefined
  charge: Cents
  paid: Cents
  adjustments: readonly AppealAdjustment[]
  rarcs: readonly string[]
  /** REF*G1 on the line (or the claim's). */
  priorAuthorization: string | undefined
}

/** An authorization on file (`auths import`) for the claim's payer and member. */
export interface AuthorizationOnFile {
  authNumber: string
  hcpcs: string | undefined
  unitsAuthorized: number | undefined
  cyclesAuthorized: number | undefined
  startDate: IsoDate | undefined
  endDate: IsoDate | undefined
}

/**
 * The facts of a denied work item an appeal letter states: the claim, its denied lines with their
 * adjustments, the CARCs/RARCs, the deadline and the payer. Built by `src/` from the database so
 * that the letter model does not depend on how rework items are stored.
 *
 * `patient` is PHI: it is written into the letter file only, never logged or printed.
 */
export interface AppealFacts {
  itemId: number
  claimId: string
  /** CLP07. */
  payerClaimNumber: string | undefined
  payer: { id: string | undefined; name: string | undefined; payerClass: PayerClass }
  patient: { name: string | undefined; memberId: string | undefined }
  provider: { name: string | undefined; npi: string | undefined }
  /** `837P` or `837I`; `undefined` when the remit matched no submitted claim. */
  claimKind: string | undefined
  diagnoses: readonly string[]
  queue: string
  action: string
  /** `GROUP-CARC` strings that routed the item, e.g. `CO-50`. */
  carcs: readonly string[]
  rarcs: readonly string[]
  /** Denied amount at risk. */
  amount: Cents
  /** The remit date (the notice of the initial determination for Medicare, 42 CFR 405.921). */
  remitDate: IsoDate | undefined
  deadline: IsoDate | undefined
  deadlineBasis: string
  appealable: boolean
  lines: readonly AppealLine[]
  /** REF*G1 on the claim. */
  claimAuthorization: string | undefined
  authorizations: readonly AuthorizationOnFile[]
}
