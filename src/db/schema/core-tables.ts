import type { ColumnType, Generated } from 'kysely'

/**
 * An int8 as read: pg returns a string (to avoid precision loss) and PGlite a number, so
 * repositories convert with `Number()` (exact below 2^53 cents).
 */
export type Int8 = string | number
/** Money columns are `bigint` integer cents; writes take a number. */
type CentsColumn = ColumnType<Int8, number, number>
type NullableCentsColumn = ColumnType<Int8 | null, number | null, number | null>
/** A bigserial id: read as int8, never written. */
type Id = ColumnType<Int8, never, never>
/** A bigint foreign key: read as int8, written as number. */
type Ref = ColumnType<Int8, number, number>
type NullableRef = ColumnType<Int8 | null, number | null, number | null>
/** Dates are stored as ISO `YYYY-MM-DD` text: they sort, compare and slice (month) without time zones. */
type IsoDateColumn = string | null
type CreatedAt = ColumnType<Date, never, never>

/** One ingested X12 file. `sha256` is unique: the same bytes are never stored twice. */
export interface IngestFileTable {
  id: Id
  sha256: string
  name: string
  /** `837` or `835`. */
  kind: string
  sender_id: string | null
  /** ISA13 of every interchange stored from this file. */
  interchange_controls: Generated<string[]>
  /** GS06 and ST02 lists. */
  group_controls: Generated<string[]>
  transaction_controls: Generated<string[]>
  byte_size: Ref
  received_at: CreatedAt
  /** `ingested` (everything stored) or `partial` (some transaction sets quarantined). */
  status: string
  claim_count: Generated<number>
  quarantined_count: Generated<number>
  skipped_interchange_count: Generated<number>
  /** X12Issue[] as JSON: warnings about the file, e.g. X12_DUPLICATE_CONTROL_NUMBER (migration 0005). */
  warnings: ColumnType<unknown, string | undefined, string>
  /** Transaction sets not stored because the same content was stored from another file (0005). */
  duplicate_set_count: Generated<number>
}

/** An interchange stored from a file. Sender + ISA13 may repeat (migration 0005): content decides. */
export interface InterchangeTable {
  id: Id
  file_id: Ref
  sender_id: string
  control: string
  receiver_id: string
  interchange_date: string | null
}

/** A transaction set that was not stored, with its reasons (codes and positions). */
export interface QuarantineTable {
  id: Id
  file_id: Ref
  interchange_control: string
  group_control: string
  transaction_type: string
  transaction_control: string
  segment_count: number
  /** X12Issue[] as JSON: code, severity, message (no PHI), position. */
  reasons: ColumnType<unknown, string, string>
  created_at: CreatedAt
}

/** One claim (loop 2300) of an ingested 837. */
export interface SubmittedClaimTable {
  id: Id
  file_id: Ref
  /** CLM01, which the 835 echoes as CLP01. */
  claim_id: string
  /** `837P` or `837I`. */
  kind: string
  payer_id: string | null
  payer_name: string | null
  billing_provider_id: string | null
  /** 2010BA NM109. PHI: stored, never logged. */
  member_id: string
  /** SBR09. */
  filing_indicator: string | null
  service_from: IsoDateColumn
  service_to: IsoDateColumn
  total_charge: CentsColumn
  /** CLM05-3. */
  frequency_code: string
  /** CLM05-1 place of service (837P) or facility type (837I). */
  facility_code: string
  type_of_bill: string | null
  prior_authorization: string | null
  /** 2300 REF*F8 on a replacement or void. */
  payer_claim_control: string | null
  diagnoses: string[]
  interchange_control: string
  transaction_control: string
  /**
   * The claim's own X12 segments as text, to rebuild the Claim837
   * (parsers/claim837/claim837-stored-form.ts) for a replacement claim, an appeal or a re-scrub:
   * after its prefix (`prefix_no`, migration 0021), or all of them (set header, HL chain, body) for a
   * claim stored before. PHI. Read through src/rework/submitted-claim-reader.ts.
   */
  claim_x12: string
  /**
   * JSON of the claim's envelope context and delimiters, read with `claim_x12`: only on claims
   * stored before migration 0021 (null when `prefix_no` is set: the prefix holds it).
   */
  claim_envelope: string | null
  /** The claim's `submitted_claim_prefix` in its file (migration 0021); null for a claim stored before. */
  prefix_no: number | null
  created_at: CreatedAt
}

/**
 * What a batch of a file's stored claims share (migration 0021): the envelope JSON and the segments
 * before each claim's own (set header, billing provider loop). PHI-free in practice, but read only
 * with its claims.
 */
export interface SubmittedClaimPrefixTable {
  file_id: Ref
  prefix_no: number
  claim_envelope: string
  prefix_x12: string
}

/** One service line (loop 2400) of a submitted claim. */
export interface SubmittedLineTable {
  id: Id
  submitted_claim_id: Ref
  line_number: number
  revenue_code: string | null
  procedure_code: string | null
  /** Modifiers joined with `:` in order (`JW:59`), '' when none. */
  modifiers: string
  charge: CentsColumn
  unit_basis: string
  units: number
  place_of_service: string | null
  service_from: IsoDateColumn
  service_to: IsoDateColumn
  /** REF*6R. */
  line_control: string | null
  /** REF*G1 at line level. */
  prior_authorization: string | null
  /** LIN03 (N4) and CTP04/CTP05-1. */
  ndc: string | null
  ndc_quantity: number | null
  ndc_unit: string | null
}

/** One 835 transaction set: BPR/TRN, payer, payee, PLB total. */
export interface RemittanceTable {
  id: Id
  file_id: Ref
  interchange_control: string
  transaction_control: string
  payer_id: string | null
  payer_name: string | null
  payee_id: string | null
  payee_name: string | null
  handling_code: string
  total_paid: CentsColumn
  credit_debit: string
  payment_method: string
  payment_date: IsoDateColumn
  trace_number: string | null
  production_date: IsoDateColumn
  /** Σ PLB amounts (positive = withheld). */
  plb_total: CentsColumn
  claim_count: number
}

/** One CLP (loop 2100), matched or not. */
export interface RemitClaimTable {
  id: Id
  remittance_id: Ref
  file_id: Ref
  claim_id: string
  payer_id: string | null
  status: string
  charge: CentsColumn
  paid: CentsColumn
  patient_responsibility: CentsColumn
  filing_indicator: string | null
  payer_claim_number: string | null
  facility_code: string | null
  frequency_code: string | null
  statement_from: IsoDateColumn
  statement_to: IsoDateColumn
  /** BPR16, else DTM*405: the date the remit was issued (starts appeal clocks). */
  remit_date: IsoDateColumn
  /** MOA/MIA remark codes joined with `,`. */
  remark_codes: string
  submitted_claim_id: NullableRef
  /** `matched` or `unmatched`. */
  match_status: string
  /** CLP02 = 22. */
  is_reversal: boolean
}

/** One SVC (loop 2110). */
export interface RemitLineTable {
  id: Id
  remit_claim_id: Ref
  line_seq: number
  procedure_code: string
  modifiers: string
  charge: CentsColumn
  paid: CentsColumn
  units: number
  service_from: IsoDateColumn
  service_to: IsoDateColumn
  line_control: string | null
  /** LQ*HE remark codes joined with `,`. */
  rarcs: string
  allowed: NullableCentsColumn
  submitted_line_id: NullableRef
}

/** One CAS triplet, at claim level (remit_line_id null) or line level. */
export interface RemitAdjustmentTable {
  id: Id
  remit_claim_id: Ref
  remit_line_id: NullableRef
  group_code: string
  carc: string
  amount: CentsColumn
  quantity: number | null
}

/** Deadline settings per payer (42 CFR 424.44 for Medicare filing; contract limits otherwise); blanks fall back to the class defaults. */
export interface PayerProfileTable {
  payer_id: string
  name: string
  payer_class: string
  timely_filing_days: number | null
  corrected_claim_days: number | null
  appeal_days: number | null
  /** NULL: the payer class default (migration 0008). */
  requires_ndc: boolean | null
  jw_jz_required: boolean | null
  /** `none` or `list`; NULL: the payer class default. */
  drug_prior_auth: string | null
  updated_at: ColumnType<Date, never, Date>
}

/** One denial to work: a claim or line routed to a queue. */
export interface ReworkItemTable {
  id: Id
  file_id: Ref
  /** Null for a front-end rejection (queue `rejection`, from a 277CA: no remit; migration 0010). */
  remit_claim_id: NullableRef
  remit_line_id: NullableRef
  submitted_claim_id: NullableRef
  submitted_line_id: NullableRef
  /** `claim` or `line`. */
  level: string
  claim_id: string
  payer_id: string | null
  payer_claim_number: string | null
  /** HCPCS of the line (line-level items), for the drug report. */
  procedure_code: string | null
  service_date: IsoDateColumn
  remit_date: IsoDateColumn
  queue: string
  action: string
  carcs: string[]
  rarcs: string[]
  amount: CentsColumn
  deadline: IsoDateColumn
  deadline_basis: string
  low_confidence: boolean
  appealable: boolean
  flags: string[]
  guidance: string
  /** open, assigned, corrected, appealed, written_off, patient_billed, recovered. */
  status: Generated<string>
  assignee: string | null
  recovered_amount: ColumnType<Int8, number | undefined, number>
  recovered_date: IsoDateColumn
  note: string | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, never, Date>
}

/** One denied line (or the claim-level CAS) of a rework item (migration 0006). */
export interface ReworkItemLineTable {
  id: Id
  rework_item_id: Ref
  remit_line_id: NullableRef
  submitted_line_id: NullableRef
  /** `claim` (claim-level CAS) or `line` (an SVC's CAS). */
  level: string
  procedure_code: string | null
  /** `A:B`, from the SVC. */
  modifiers: string
  units: number | null
  service_date: IsoDateColumn
  carcs: string[]
  rarcs: string[]
  amount: CentsColumn
  action: string
  deadline: IsoDateColumn
  deadline_basis: string
  low_confidence: boolean
  appealable: boolean
  flags: string[]
  guidance: string
  /** The part of the item's recovery given to this line (oldest line first). */
  recovered_amount: ColumnType<Int8, number | undefined, number>
}

/** Line items merged into a claim item by migration 0006: the merged id and its survivor. */
export interface ReworkItemMergeTable {
  merged_id: Ref
  rework_item_id: Ref
}

/** Append-only: who did what to which entity, when, with the before/after status. */
export interface AuditEventTable {
  id: Id
  at: CreatedAt
  actor: string
  entity: string
  entity_id: string
  action: string
  before_status: string | null
  after_status: string | null
  note: string | null
  /** The web user who made the change (migration 0009); null for the CLI, whose actor is `actor`. */
  user_id: ColumnType<Int8 | null, number | null | undefined, never>
}

/**
 * Which remit claim gave how many cents to which rework item when a later payment recovered it
 * (migration 0014): one row per allocation, written with the item's `recovered` audit event.
 */
export interface RecoveryAllocationTable {
  id: Id
  remit_claim_id: Ref
  rework_item_id: Ref
  amount: CentsColumn
  created_at: CreatedAt
}

/**
 * A stored file whose pass after its commit has not run (migration 0020): written in the file's
 * transaction, deleted in the pass's.
 */
export interface RecoveryPassOwedTable {
  file_id: Ref
  kind: string
  owed_since: CreatedAt
}

/** Tables of ingest, matching, rework and audit (migration 0001; recovery_allocation 0014, recovery_pass_owed 0020, submitted_claim_prefix 0021). */
export type CoreTables = {
  ingest_file: IngestFileTable
  interchange: InterchangeTable
  quarantine: QuarantineTable
  submitted_claim: SubmittedClaimTable
  submitted_claim_prefix: SubmittedClaimPrefixTable
  submitted_line: SubmittedLineTable
  remittance: RemittanceTable
  remit_claim: RemitClaimTable
  remit_line: RemitLineTable
  remit_adjustment: RemitAdjustmentTable
  payer_profile: PayerProfileTable
  rework_item: ReworkItemTable
  rework_item_line: ReworkItemLineTable
  rework_item_merge: ReworkItemMergeTable
  audit_event: AuditEventTable
  recovery_allocation: RecoveryAllocationTable
  recovery_pass_owed: RecoveryPassOwedTable
}
