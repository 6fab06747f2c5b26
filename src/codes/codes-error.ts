export const CODES_ERROR_CODES = [
  /** A CMS code file cannot be opened (missing, a folder, no permission): exit 2. */
  'CODES_UNREADABLE_FILE',
  /** The file is not a CMS code file we recognize by content (nor a readable xlsx): exit 1. */
  'CODES_UNKNOWN_FILE',
  /** Neither the content nor the name says which quarter. */
  'CODES_NO_QUARTER',
  /** A row is skipped: a HCPCS fixed-width record is not 320 characters (CMS record layout). */
  'CODES_BAD_RECORD_LENGTH',
  /** A row is skipped: a value is not valid (a date, a code, an NDC, a number out of range). */
  'CODES_BAD_ROW',
  /** A row is skipped: a field holds a NUL or another control character. */
  'CODES_CONTROL_CHAR',
  /** A row is skipped: a field is longer than its limit (parsers/csv/field-limits.ts). */
  'CODES_TOO_LONG',
  /** A CSV record is skipped: a quote never closed, or text after a closing quote (RFC 4180). */
  'CODES_CSV_SYNTAX',
  /** A warning, the row is kept: a CSV line that is not UTF-8 was read as Windows-1252. */
  'CODES_CSV_ENCODING',
] as const

export type CodesErrorCode = (typeof CODES_ERROR_CODES)[number]

/** Where in a code file a failure was found: a line (txt, csv) or a sheet row (xlsx). */
export interface CodeFilePosition {
  path: string
  /** 1-based line of a txt/csv file, or row of an xlsx sheet. */
  line?: number
  sheet?: string
}

/** A code file cannot be imported: unreadable, not a CMS code file we know, or its quarter is unknown. */
export class CodesError extends Error {
  readonly code: CodesErrorCode
  readonly position: CodeFilePosition

  constructor(
    code: CodesErrorCode,
    message: string,
    position: CodeFilePosition,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'CodesError'
    this.code = code
    this.position = position
  }
}

/** "file.csv line 12" / "file.xlsx sheet AOC row 3", for messages. */
export function formatCodeFilePosition(position: CodeFilePosition): string {
  const where = position.sheet === undefined ? 'line' : `sheet "${position.sheet}" row`
  return position.line === undefined ? position.path : `${position.path} ${where} ${position.line}`
}
