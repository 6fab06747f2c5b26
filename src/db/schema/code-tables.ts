import type { ColumnType, Generated } from 'kysely'

/** An int8 as read: pg returns a string, PGlite a number; convert with `Number()`. */
type Int8 = string | number
/** A bigserial id: read as int8, never written. */
type Id = ColumnType<Int8, never, never>
/** A bigint reference to `code_import_log.id`. */
type ImportRef = ColumnType<Int8, number, number>
/** Dates are ISO `YYYY-MM-DD` text, as everywhere in onco-edi. */
type IsoDateColumn = string | null

/**
 * One imported CMS code file. `sha256` is unique: importing the same bytes again is a no-op.
 * The rows of a file replace the rows of the same kind and quarter (and MUE setting) stored before,
 * so other quarters are never touched: a newer quarter adds history.
 */
export interface CodeImportLogTable {
  id: Generated<Int8>
  sha256: string
  file_name: string
  /** `CodeFileKind`: hcpcs, hcpcs-changes, crosswalk, add-on, mue-practitioner, mue-outpatient-hospital. */
  kind: string
  /** fixed-width, xlsx or csv. */
  format: string
  quarter: string
  /** content, name or option. */
  quarter_source: string
  row_count: number
  skipped_count: number
  imported_at: ColumnType<Date, never, never>
}

/** A HCPCS Level II code (or modifier) as one quarter's ANWEB file has it. */
export interface HcpcsCodeTable {
  id: Id
  import_id: ImportRef
  source_quarter: string
  code: string
  long_description: string
  short_description: string
  add_date: IsoDateColumn
  action_effective_date: IsoDateColumn
  termination_date: IsoDateColumn
  action_code: string | null
  /** XREF1..XREF5, blanks dropped. */
  xrefs: string[]
  billing_unit_amount: number | null
  billing_unit: string | null
}

/** One ASP NDC-HCPCS crosswalk row of a quarter: codes and numbers only. */
export interface AspCrosswalkTable {
  id: Id
  import_id: ImportRef
  quarter: string
  hcpcs: string
  /** 11 digits, no hyphens. */
  ndc: string
  dosage: string
  package_size: number | null
  package_quantity: number | null
  bill_units: number | null
  bill_units_per_package: number | null
}

/** One NCCI add-on code edit: an add-on and one eligible primary. */
export interface NcciAddOnTable {
  id: Id
  import_id: ImportRef
  source_quarter: string
  add_on_code: string
  primary_code: string
  edit_type: string
  effective_date: string
  deletion_date: IsoDateColumn
}

/** One MUE row for a setting (practitioner, outpatient_hospital) and quarter. */
export interface MueEditTable {
  id: Id
  import_id: ImportRef
  setting: string
  source_quarter: string
  code: string
  units: number
  mai: number
  rationale: string
}

/** One change of the HCPCS quarterly transaction report. */
export interface HcpcsChangeTable {
  id: Id
  import_id: ImportRef
  source_quarter: string
  code: string
  action_code: string
  /** added, terminated, descriptor, other. */
  change: string
  effective_date: IsoDateColumn
  long_description: string
}

/** Tables of the CMS code sets (migration 0002). */
export interface CodeTables {
  code_import_log: CodeImportLogTable
  hcpcs_code: HcpcsCodeTable
  asp_crosswalk: AspCrosswalkTable
  ncci_add_on: NcciAddOnTable
  mue_edit: MueEditTable
  hcpcs_change: HcpcsChangeTable
}
