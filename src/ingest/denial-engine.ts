import type { IsoDate } from '../../parsers/dates.js'
import type {
  AdjustmentInput,
  DenialClassification,
  PayerClass,
  PayerProfile,
  ReworkDeadline,
} from '../../transforms/denials/denial-types.js'

/** What ingest needs from the classification and deadline rules (transforms/denials). */
export interface DenialEngine {
  /** Routes one claim's or line's adjustments; `undefined` when nothing needs work. */
  classify(
    adjustments: AdjustmentInput[],
    rarcs: string[],
    remitDate: IsoDate | undefined,
  ): DenialClassification | undefined
  /** The deadline of the clock that applies to the item's action. */
  deadline(input: DeadlineInput): ReworkDeadline
  /** Payer class of a payer: its profile, else the claim filing indicator (CLP06/SBR09). */
  payerClass(profile: PayerProfile | undefined, filingIndicator: string | undefined): PayerClass
}

/** The dates and settings a deadline is computed from. */
export interface DeadlineInput {
  classification: DenialClassification
  payerClass: PayerClass
  profile: PayerProfile | undefined
  /** The line's From DOS (claim From DOS for claim-level items). */
  serviceDate: IsoDate | undefined
  /** Claim Through date (837I statement period end). */
  throughDate: IsoDate | undefined
  remitDate: IsoDate | undefined
  /** From the submitted claim's kind (837I institutional); professional when unmatched. */
  claimType: 'professional' | 'institutional' | undefined
}
