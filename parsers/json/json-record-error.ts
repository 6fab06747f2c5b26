/**
 * Stable error codes of JSON claim input (`build-837`, JSON inbox files). The README's error table
 * is checked against this list by `test/readme-error-codes.test.ts`, both ways.
 */
export const JSON_ERROR_CODES = [
  'JSON_SYNTAX',
  'JSON_BAD_RECORD',
  'JSON_UNKNOWN_HEADER',
  'JSON_BAD_VALUE',
] as const

export type JsonErrorCode = (typeof JSON_ERROR_CODES)[number]

/** Where a problem sits in JSON input: which record, and where inside it. */
export interface JsonPosition {
  /** 0-based index of the record: its index in the top-level array, or among the top-level values. */
  record: number
  /** JSON path inside the record, e.g. `$.lines[0].charge` (`$` for the record itself). */
  path: string
}

/** A rejected JSON record: a value, reported alone while the other records go on. */
export interface JsonRecordIssue {
  code: JsonErrorCode
  message: string
  position: JsonPosition
}

/** `record 3 $.lines[0].charge`. */
export function formatJsonPosition(position: JsonPosition): string {
  return `record ${position.record} ${position.path}`
}

/** JSON input that cannot be read further (not JSON, cut short). */
export class JsonRecordError extends Error {
  readonly code: JsonErrorCode
  readonly position: JsonPosition | undefined

  constructor(code: JsonErrorCode, message: string, position?: JsonPosition, options?: ErrorOptions) {
    super(position === undefined ? message : `${message} (${formatJsonPosition(position)})`, options)
    this.name = 'JsonRecordError'
    this.code = code
    this.position = position
  }
}
