import type {
  AddOnRecord,
  CrosswalkRecord,
  HcpcsChangeRecord,
  HcpcsRecord,
  MueRecord,
  MueSetting,
  Quarter,
} from '../../transforms/codes/code-records.js'

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

/** A data row the importer did not keep, and why (a code file's own oddities, not a failure). */
export interface SkippedRow {
  /** 1-based line (txt/csv) or sheet row (xlsx). */
  line: number
  reason: string
}
