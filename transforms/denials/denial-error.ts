/** Stable codes of failures thrown while reading the denial tables (carc-rules, deadline-rules). */
export const DENIAL_ERROR_CODES = [
  /** The CSV text cannot be tokenized (unclosed quote, bad characters). */
  'DENIAL_CSV_SYNTAX',
  /** A required column is missing from the header line. */
  'DENIAL_CSV_HEADER',
  /** A row of a product table has a value that is not allowed (the table must be fixed). */
  'DENIAL_CSV_ROW',
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
