import type { ColumnType, Generated } from 'kysely'
import type { X12Position } from '../../../parsers/x12/segment.js'

/** An int8 as read: pg returns a string, PGlite a number; convert with `Number()`. */
type Int8 = string | number
/** A timestamp set by the database. */
type CreatedAt = ColumnType<Date, never, never>
/** jsonb: written as JSON text, read back parsed by both drivers. */
type Json<T> = ColumnType<T, string, string>

/**
 * A tracked prior authorization (`onco-edi auths import`). Blank limits are NULL ("not limited").
 * One row per auth number + payer + member + drug: re-importing replaces it.
 */
export interface PriorAuthTable {
  id: Generated<Int8>
  auth_number: string
  payer_id: string
  /** PHI: stored for matching, never logged or printed. */
  member_id: string
  /** NULL when the authorization is not limited to one drug. */
  hcpcs: string | null
  units_authorized: number | null
  cycles_authorized: number | null
  /** ISO dates, NULL when open. */
  start_date: string | null
  end_date: string | null
  imported_at: CreatedAt
}

/** A planned infusion (`onco-edi schedule import`). Unique per member + payer + date + drug. */
export interface InfusionScheduleTable {
  id: Generated<Int8>
  member_id: string
  payer_id: string
  date: string
  hcpcs: string
  planned_units: number | null
  /** Optional clock times (HHMM) for the admin-sequence rule. */
  start_time: string | null
  end_time: string | null
  imported_at: CreatedAt
}

/** One `onco-edi scrub` run. */
export interface ScrubRunTable {
  id: Generated<Int8>
  started_at: CreatedAt
  finished_at: Date | null
  as_of: string
  files: Json<string[]>
  claim_count: Generated<number>
  accepted_count: Generated<number>
  rejected_count: Generated<number>
  error_count: Generated<number>
  warning_count: Generated<number>
  fix_count: Generated<number>
}

/** One finding of a scrub run. Other features read these columns; keep them stable. */
export interface ScrubFindingTable {
  id: Generated<Int8>
  run_id: ColumnType<Int8 | null, number | null, number | null>
  claim_id: string
  line_number: number | null
  rule: string
  severity: string
  message: string
  suggestion: string | null
  position: Json<X12Position>
  created_at: CreatedAt
}

/**
 * The lines of claims accepted by a scrub, kept across runs for cumulative authorization usage and
 * professional/facility duplicates. Keyed on claim id + line: a re-scrub replaces, never adds.
 */
export interface ScrubbedClaimLineTable {
  claim_id: string
  line_number: number
  /** 837P or 837I. */
  kind: string
  payer_id: string
  /** PHI: stored, never logged. */
  member_id: string
  dos: string
  hcpcs: string
  units: number
  /** Place of service (837P) or type of bill (837I). */
  facility: string
  scrubbed_at: ColumnType<Date, Date | undefined, Date>
}

/** Tables of prior authorizations, infusion schedules and scrub results (migration 0003). */
export interface ScrubTables {
  prior_auth: PriorAuthTable
  infusion_schedule: InfusionScheduleTable
  scrub_run: ScrubRunTable
  scrub_finding: ScrubFindingTable
  scrubbed_claim_line: ScrubbedClaimLineTable
}
