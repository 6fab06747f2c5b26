import type { IsoDate } from '../../parsers/dates.js'
import type { CarcTable } from './carc-table.js'
import type { DeadlineRules } from './deadline-calculator.js'
import { computeDeadline } from './deadline-calculator.js'
import { classifyDenial } from './denial-classifier.js'
import type {
  AdjustmentInput,
  DenialClassification,
  PayerClass,
  PayerProfile,
  ReworkDeadline,
} from './denial-types.js'
import { payerClassFromFilingIndicator } from './payer-profile.js'

/** What remit processing needs from the classification and deadline rules, with their tables loaded. */
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

/**
 * The engine over a CARC table (carc-rules.csv) and deadline rules (deadline-rules.csv).
 *
 * @example
 * ```ts
 * const engine = createDenialEngine(parseCarcRules(carcCsv), parseDeadlineRules(deadlineCsv))
 * engine.classify([{ group: 'CO', carc: '97', amount: 15000 }], [], '2026-02-02')?.queue // 'bundling'
 * ```
 */
export function createDenialEngine(carcTable: CarcTable, deadlineRules: DeadlineRules): DenialEngine {
  return {
    classify(adjustments, rarcs, remitDate) {
      return classifyDenial({ adjustments, rarcs, remitDate: remitDate ?? '9999-12-31' }, carcTable)
    },
    deadline(input) {
      const remitDate = input.remitDate
      const serviceDate = input.serviceDate ?? input.throughDate ?? remitDate
      if (remitDate === undefined || serviceDate === undefined) {
        return {
          deadline: undefined,
          basis: 'no remit date or DOS to count from',
          lowConfidence: true,
          appealable: true,
        }
      }
      return computeDeadline(
        {
          action: input.classification.action,
          payer: input.profile,
          payerClass: input.payerClass,
          serviceDate,
          ...(input.throughDate === undefined ? {} : { throughDate: input.throughDate }),
          remitDate,
          carcs: input.classification.carcs,
          ...(input.claimType === undefined ? {} : { claimType: input.claimType }),
        },
        deadlineRules,
      )
    },
    payerClass(profile, filingIndicator) {
      return profile?.payerClass ?? payerClassFromFilingIndicator(filingIndicator) ?? 'commercial'
    },
  }
}
