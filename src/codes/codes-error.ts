export const CODES_ERROR_CODES = ['CODES_UNREADABLE_FILE', 'CODES_UNKNOWN_FILE', 'CODES_NO_QUARTER'] as const

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
