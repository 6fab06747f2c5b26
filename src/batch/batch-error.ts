/**
 * Stable codes of the clearinghouse service's failures and findings (README error table).
 * `BATCH_DUPLICATE_INTERCHANGE` is never thrown: it names, in a file's result, interchanges
 * answered with TA1 025.
 */
export const BATCH_ERROR_CODES = [
  'BATCH_UNKNOWN_KIND',
  'BATCH_NO_UPLOAD',
  'BATCH_JOB_FAILED',
  'BATCH_DUPLICATE_INTERCHANGE',
] as const

export type BatchErrorCode = (typeof BATCH_ERROR_CODES)[number]

/** A file the service cannot take, or a job whose input is gone. */
export class BatchError extends Error {
  readonly code: BatchErrorCode

  constructor(code: BatchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BatchError'
    this.code = code
  }
}
