/** Stable codes of failures thrown while reading the denial tables (carc-rules, deadline-rules). */
export const DENIAL_ERROR_CODES = [
  /** The CSV text cannot be tokenized (unclosed quote, bad characters). */
  'DENIAL_CSV_SYNTAX',
  /** A required column is missing from the header line. */
  'DENIAL_CSV_HEADER',
  /** A row has a value that is not allowed (a product table must be fixed; an imported row is rejected). */
  'DENIAL_CSV_ROW',
  /** A warning, the row is kept: a line of an imported CSV is not UTF-8 and was read as Windows-1252. */
  'DENIAL_CSV_ENCODING',
  /** A field of an imported CSV holds a NUL or another control character: the row is rejected. */
  'DENIAL_CSV_CONTROL_CHAR',
  /** A field of an imported CSV is longer than its limit (parsers/csv/field-limits.ts): rejected. */
  'DENIAL_CSV_TOO_LONG',
  /** A row of an imported CSV repeats the payer id of an earlier row: the later row is rejected. */
  'DENIAL_CSV_DUPLICATE',
] as const

/** One of {@link DENIAL_ERROR_CODES}. */
export type DenialErrorCode = (typeof DENIAL_ERROR_CODES)[number]

/** Thrown when a denial data table cannot be read; `line` is the 1-based CSV line, `column` the header name. */
export class DenialError extends Error {
  readonly code: DenialErrorCode
  readonly line: number | undefined
  readonly column: string | undefined

  constructor(
    code: DenialErrorCode,
    message: string,
    position: { line?: number; column?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DenialError'
    this.code = code
    this.line = position.line
    this.column = position.column
  }
}
