/** Stable codes of failures thrown while turning 835 claims into rows. */
export const REMIT_ERROR_CODES = [
  /**
   * Fewer ids were reserved than rows need (a remit claim, remit line or rework item without its
   * id): a row would point at a remit claim that does not exist.
   */
  'INGEST_ID_NOT_RESERVED',
] as const

/** One of {@link REMIT_ERROR_CODES}. */
export type RemitErrorCode = (typeof REMIT_ERROR_CODES)[number]

/** Thrown when an 835 batch cannot be turned into rows. */
export class RemitError extends Error {
  readonly code: RemitErrorCode

  constructor(code: RemitErrorCode, message: string) {
    super(message)
    this.name = 'RemitError'
    this.code = code
  }
}
