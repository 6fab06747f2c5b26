import { readFile } from 'node:fs/promises'
import type { CsvIssue, CsvProblem } from '../../parsers/csv/csv-reader.js'
import { readCsv } from '../../parsers/csv/csv-reader.js'
import { FIELD_LIMITS } from '../../parsers/csv/field-limits.js'
import type { SkippedRow } from './code-file-records.js'
import type { CodesErrorCode } from './codes-error.js'
import { CodesError } from './codes-error.js'

/** One CSV record with the 1-based line it starts on (a quoted field may span lines). */
export interface CsvRow {
  line: number
  fields: string[]
}

/** Options of {@link readCsvRows}. */
export interface ReadCsvRowsOptions {
  /**
   * Told of each record rejected (a quote never closed, text after a closing quote, a NUL, a field
   * over its limit) and of each line read as Windows-1252 (`warning: true`), with its line and
   * column. Only the issues on or after `fromLine` are told (the title lines before a header are
   * not data).
   */
  onIssue?: (issue: SkippedRow) => void
  fromLine?: number
}

const CODES: Record<CsvProblem, CodesErrorCode> = {
  encoding: 'CODES_CSV_ENCODING',
  syntax: 'CODES_CSV_SYNTAX',
  control: 'CODES_CONTROL_CHAR',
  too_long: 'CODES_TOO_LONG',
}

/**
 * The records of a CMS CSV file, with the explicit decoding and per-record checks of
 * `parsers/csv/csv-reader.ts`: strict UTF-8, and a line that is not UTF-8 read as Windows-1252
 * (CMS ships these files from Windows: the "®" of the AMA notice is byte 0xAE) with a warning
 * naming its line and column. A record that cannot be tokenized (a quote never closed) is rejected
 * alone with its line and column, and the records after it are read. Quoted fields may span lines
 * (the MUE header "HCPCS/⏎CPT Code"). CMS code CSVs are a few MB: the file is read whole.
 */
export async function* readCsvRows(path: string, options: ReadCsvRowsOptions = {}): AsyncGenerator<CsvRow> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (cause) {
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { path },
      { cause },
    )
  }
  const read = readCsv(bytes, {
    header: false,
    comments: false,
    fieldLimit: () => FIELD_LIMITS.description,
  })
  const from = options.fromLine ?? 1
  const tell = (issue: CsvIssue, warning: boolean): void => {
    if (issue.line < from) return
    options.onIssue?.({
      line: issue.line,
      column: issue.column,
      code: CODES[issue.problem],
      reason: `${issue.column === undefined ? '' : `field ${issue.column}: `}${issue.message}`,
      ...(warning ? { warning: true } : {}),
    })
  }
  // Issues are told in line order, between the records around them (a report reads top to bottom).
  const issues = [
    ...read.warnings.map((issue) => ({ issue, warning: true })),
    ...read.rejects.map((issue) => ({ issue, warning: false })),
  ].sort((a, b) => a.issue.line - b.issue.line)
  let next = 0
  for (const record of read.records) {
    for (; next < issues.length && (issues[next]?.issue.line ?? 0) <= record.line; next++) {
      const item = issues[next]
      if (item !== undefined) tell(item.issue, item.warning)
    }
    yield { line: record.line, fields: record.fields }
  }
  for (const item of issues.slice(next)) tell(item.issue, item.warning)
}
