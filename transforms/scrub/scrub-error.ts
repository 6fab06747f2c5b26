import type { X12Position } from '../../parsers/x12/segment.js'
import { formatPosition } from '../../parsers/x12/segment.js'

/** Stable error codes of the scrub layer (failures, not findings: findings are returned values). */
export const SCRUB_ERROR_CODES = [
  /** A reference table (fixtures/scrub/*.csv) has a bad row: the file and line are named. */
  'SCRUB_BAD_TABLE_ROW',
  /** A CSV (authorizations, schedule, reference table) lacks a required column. */
  'SCRUB_BAD_CSV_HEADER',
  /** A reference table file is missing or cannot be read. */
  'SCRUB_UNREADABLE_TABLE',
  /** A warning, the row is kept: a line of a CSV is not UTF-8 and was read as Windows-1252. */
  'SCRUB_CSV_ENCODING',
  /** A CSV row cannot be tokenized (a quote never closed, text after a closing quote): rejected. */
  'SCRUB_CSV_SYNTAX',
  /** A CSV field holds a NUL or another control character: the row is rejected. */
  'SCRUB_CSV_CONTROL_CHAR',
  /** A CSV field is longer than its limit (parsers/csv/field-limits.ts): the row is rejected. */
  'SCRUB_CSV_TOO_LONG',
  /** A CSV field's value is not allowed (blank, not a date, a number out of range): rejected. */
  'SCRUB_CSV_VALUE',
  /** A CSV row repeats the key of an earlier row of the same file: the later row is rejected. */
  'SCRUB_CSV_DUPLICATE',
] as const

/** One of {@link SCRUB_ERROR_CODES}. */
export type ScrubErrorCode = (typeof SCRUB_ERROR_CODES)[number]

/** Thrown when scrubbing cannot proceed: a reference table is unusable or a fix cannot be applied. */
export class ScrubError extends Error {
  readonly code: ScrubErrorCode
  readonly position: X12Position | undefined

  constructor(code: ScrubErrorCode, message: string, position?: X12Position) {
    super(position === undefined ? message : `${message} at ${formatPosition(position)}`)
    this.name = 'ScrubError'
    this.code = code
    this.position = position
  }
}
