import { controlCharacterIndex, describeControlCharacter } from '../../parsers/csv/csv-reader.js'
import { FIELD_LIMITS } from '../../parsers/csv/field-limits.js'
import type {
  AddOnRecord,
  CrosswalkRecord,
  HcpcsChangeRecord,
  HcpcsRecord,
  MueRecord,
  MueSetting,
  Quarter,
} from '../../transforms/codes/code-records.js'
import type { CodesErrorCode } from './codes-error.js'

/** The CMS code files `onco-edi codes import` understands, recognized by their content. */
export const CODE_FILE_KINDS = [
  'hcpcs',
  'hcpcs-changes',
  'crosswalk',
  'add-on',
  'mue-practitioner',
  'mue-outpatient-hospital',
] as const

export type CodeFileKind = (typeof CODE_FILE_KINDS)[number]

/** What `detectCodeFile` found out about a file. */
export interface DetectedCodeFile {
  path: string
  kind: CodeFileKind
  format: 'fixed-width' | 'xlsx' | 'csv'
  quarter: Quarter
  /** Where the quarter came from: the file's content (title, sheet name, data), its name, or an option. */
  quarterSource: 'content' | 'name' | 'option'
  /** 1-based line (csv) or row (xlsx) of the column header; `undefined` for the fixed-width txt. */
  headerLine: number | undefined
  /** The sheet holding the data (xlsx). */
  sheet: string | undefined
}

/** The MUE setting of an MUE file kind. */
export function mueSettingOf(kind: 'mue-practitioner' | 'mue-outpatient-hospital'): MueSetting {
  return kind === 'mue-practitioner' ? 'practitioner' : 'outpatient_hospital'
}

/** A batch of records read from one code file. */
export type CodeRecordBatch =
  | { kind: 'hcpcs'; records: HcpcsRecord[] }
  | { kind: 'hcpcs-changes'; records: HcpcsChangeRecord[] }
  | { kind: 'crosswalk'; records: CrosswalkRecord[] }
  | { kind: 'add-on'; records: AddOnRecord[] }
  | { kind: 'mue'; records: MueRecord[] }

/** A data row the importer did not keep: where, a stable code, and why. `codes import` exits 1. */
export interface SkippedRow {
  /** 1-based line (txt/csv) or sheet row (xlsx). */
  line: number
  /** 1-based column (csv/xlsx field, or character of a fixed-width record) when one is at fault. */
  column?: number | undefined
  code: CodesErrorCode
  reason: string
  /** A remark on a row that was kept (e.g. CODES_CSV_ENCODING), not a skipped row. */
  warning?: boolean
}

/**
 * The first cell of a code file row that cannot be stored: a NUL or another control character, or
 * more characters than any CMS field holds ({@link FIELD_LIMITS} `description`). `undefined` when
 * the row is fine.
 */
export function cellProblem(cells: readonly string[], line: number): SkippedRow | undefined {
  for (const [index, cell] of cells.entries()) {
    if (cell.length > FIELD_LIMITS.description)
      return {
        line,
        column: index + 1,
        code: 'CODES_TOO_LONG',
        reason: `field ${index + 1}: ${cell.length} characters, more than the ${FIELD_LIMITS.description} allowed`,
      }
    const control = controlCharacterIndex(cell)
    if (control >= 0)
      return {
        line,
        column: index + 1,
        code: 'CODES_CONTROL_CHAR',
        reason: `field ${index + 1}: control character ${describeControlCharacter(cell, control)}`,
      }
  }
  return undefined
}
