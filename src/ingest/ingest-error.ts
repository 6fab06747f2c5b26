/** Stable error codes of the ingest layer (README error table). */
export const INGEST_ERROR_CODES = [
  'INGEST_UNREADABLE',
  'INGEST_UNKNOWN_KIND',
  'INGEST_BAD_OPTION',
  'INGEST_RULES_MISSING',
  'INGEST_STORE_FAILED',
  'INGEST_RECOVERY_PENDING',
] as const

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number]

/** Thrown when a file cannot be ingested at all (unreadable, not an 837 or 835). */
export class IngestError extends Error {
  readonly code: IngestErrorCode
  /** Byte offset in the file the problem was found at, when it is about input. */
  readonly offset: number | undefined

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown; offset?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'IngestError'
    this.code = code
    this.offset = options?.offset
  }
}
