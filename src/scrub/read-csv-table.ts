import { readFileSync } from 'node:fs'
import type { CsvIssue, CsvProblem } from '../../parsers/csv/csv-reader.js'
import { readCsv } from '../../parsers/csv/csv-reader.js'
import type { ScrubErrorCode } from '../../transforms/scrub/scrub-error.js'
import { ScrubError } from '../../transforms/scrub/scrub-error.js'

/** One data row by column name, with its 1-based line in the file. */
export interface CsvTableRow {
  line: number
  values: Record<string, string>
}

/**
 * A row that was not loaded (or, for a warning, loaded with a remark): its line, the 1-based
 * column when one field is at fault, a stable code and why. Good rows are never dropped because of
 * a bad one. Reasons name columns, never a member id.
 */
export interface CsvReject {
  line: number
  column?: number | undefined
  code: ScrubErrorCode
  reason: string
}

/** A parsed CSV table: its rows, the rows it could not read, and the warnings about kept rows. */
export interface CsvTable {
  /** Header names (trimmed, lower-cased), in file order. */
  columns: string[]
  rows: CsvTableRow[]
  rejects: CsvReject[]
  warnings: CsvReject[]
}

const CODES: Record<CsvProblem, ScrubErrorCode> = {
  encoding: 'SCRUB_CSV_ENCODING',
  syntax: 'SCRUB_CSV_SYNTAX',
  control: 'SCRUB_CSV_CONTROL_CHAR',
  too_long: 'SCRUB_CSV_TOO_LONG',
}

/**
 * Parses a small CSV with a header row (lower-cased, trimmed column names) from its bytes (or
 * text), with the explicit decoding and per-row checks of `parsers/csv/csv-reader.ts`: a bad record
 * is rejected with its line, column and code, not the whole file. Throws SCRUB_BAD_CSV_HEADER
 * when the file is empty or a required column is missing.
 */
export function parseCsvTable(
  input: Uint8Array | string,
  required: readonly string[],
  name: string,
): CsvTable {
  const read = readCsv(input)
  const columns = read.header
  if (columns === undefined)
    throw new ScrubError(
      'SCRUB_BAD_CSV_HEADER',
      `${name} line ${read.rejects[0]?.line ?? 1}: ${read.rejects[0]?.message ?? 'the file is empty'}; expected columns ${required.join(',')}`,
    )
  const missing = required.filter((column) => !columns.includes(column))
  if (missing.length > 0)
    throw new ScrubError(
      'SCRUB_BAD_CSV_HEADER',
      `${name} line ${read.headerLine}: missing column(s) ${missing.join(', ')}; found ${columns.join(',')}`,
    )
  const issue = (found: CsvIssue): CsvReject => ({
    line: found.line,
    column: found.column,
    code: CODES[found.problem],
    reason: `${found.column === undefined ? '' : `${columns[found.column - 1] ?? `field ${found.column}`}: `}${found.message}`,
  })
  const rows = read.records.map(({ line, fields }) => {
    const values: Record<string, string> = {}
    columns.forEach((column, index) => {
      values[column] = fields[index] ?? ''
    })
    return { line, values }
  })
  return { columns, rows, rejects: read.rejects.map(issue), warnings: read.warnings.map(issue) }
}

/** Reads a CSV file and parses it with {@link parseCsvTable}. */
export function readCsvTable(path: string, required: readonly string[]): CsvTable {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (cause) {
    throw new ScrubError(
      'SCRUB_UNREADABLE_TABLE',
      `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
  }
  return parseCsvTable(bytes, required, path)
}

/** Sorts rejects by line, then column. */
export function byPosition(a: CsvReject, b: CsvReject): number {
  return a.line - b.line || (a.column ?? 0) - (b.column ?? 0)
}
