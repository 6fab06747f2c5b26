import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'

/** The rework queues, named after the CO-4/15/50/97/151 CARC families (X12 CARC list, 2026-05). */
export const REWORK_QUEUES = [
  'coding',
  'authorization',
  'coverage',
  'bundling',
  'medical_necessity',
  'other',
  // Front-end rejections (277CA STC A3/A6/A7/A8): the claim never reached adjudication.
  'rejection',
] as const
export type ReworkQueue = (typeof REWORK_QUEUES)[number]

/** Payer classes of the deadline table (42 CFR 424.44 and 405.942 for Medicare; contract limits otherwise). */
export const PAYER_CLASSES = ['medicare', 'medicaid', 'commercial', 'medicare_advantage'] as const
export type PayerClass = (typeof PAYER_CLASSES)[number]

/** What the biller does next; decides which deadline clock applies. */
export type ReworkAction =
  | 'corrected_claim'
  | 'appeal'
  | 'write_off'
  | 'verify'
  | 'bill_other_payer'
  | 'send_records'
  /** Fix and send again a claim rejected before adjudication (only the filing clock runs). */
  | 'resubmit'

/**
 * Which drugs a payer wants prior authorization for: `none`, or `list` (the drugs of the editable
 * list `fixtures/scrub/auth-required-drugs.csv` for the payer's class or id).
 */
export const DRUG_AUTHORIZATION_POLICIES = ['none', 'list'] as const
export type DrugAuthorizationPolicy = (typeof DRUG_AUTHORIZATION_POLICIES)[number]

/**
 * One payer's profile (`payers import`), read by scrub and by denials: its class, deadline
 * settings and claim requirements. Blanks (`undefined`) fall back to the payer class defaults.
 */
export interface PayerProfile {
  payerId: string
  name: string
  payerClass: PayerClass
  timelyFilingDays: number | undefined
  correctedClaimDays: number | undefined
  appealDays: number | undefined
  /** NDC (loop 2410) required on drug lines; class default: Medicaid only. */
  requiresNdc?: boolean | undefined
  /** JW/JZ required on single-dose drug lines; class default: traditional Medicare only. */
  jwJzRequired?: boolean | undefined
  /** Drug prior authorization; class default: `none` for traditional Medicare, else `list`. */
  drugAuthorization?: DrugAuthorizationPolicy | undefined
}

/** One adjustment as the classifier reads it (claim- or line-level CAS). */
export interface AdjustmentInput {
  group: string
  carc: string
  amount: Cents
}

/** Flags that never drop an item but tell the biller something is off. */
export type DenialFlag =
  | 'deactivated_carc'
  | 'unknown_carc'
  | 'retired_group_cr'
  | 'not_appealable'
  | 'past_deadline'
  /** A CAS group that is none of CO/PR/OA/PI/CR; read like OA. */
  | 'unknown_group'

/** The classifier's verdict for one claim or line: where it goes and why. */
export interface DenialClassification {
  queue: ReworkQueue
  action: ReworkAction
  /** `GROUP-CARC` strings that routed it, e.g. `['CO-4']`. */
  carcs: string[]
  rarcs: string[]
  /** The denied amount at risk: the sum of the routed adjustments. */
  amount: Cents
  flags: DenialFlag[]
  /** A short paraphrase of what to do, never X12's description text. */
  guidance: string
  /** Who carries the primary adjustment by its CAS group: CO provider, PR patient, OA/PI/CR other. */
  liability?: 'provider' | 'patient' | 'other'
}

/** The rework clocks (42 CFR 424.44, 42 CFR 405.942, payer contracts). */
export type DeadlineClock = 'filing' | 'corrected_claim' | 'appeal' | 'reopening'

/** A computed deadline for a rework item. */
export interface ReworkDeadline {
  deadline: IsoDate | undefined
  /** e.g. `remit date + 125 days (42 CFR 405.942)`. */
  basis: string
  lowConfidence: boolean
  appealable: boolean
  /** The clock that set `deadline` (the earliest of those that bound the action). */
  clock?: DeadlineClock
  /** `deadline` less the warning buffer: warn from this date on. */
  warnFrom?: IsoDate
}
