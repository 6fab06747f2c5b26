/** Stable codes of the clearinghouse service's failures (README error table). */
export const BATCH_ERROR_CODES = ['BATCH_UNKNOWN_KIND', 'BATCH_NO_UPLOAD', 'BATCH_JOB_FAILED'] as const

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
