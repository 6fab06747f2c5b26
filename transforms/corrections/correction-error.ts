import type { Finding } from '../scrub/scrub-rule.js'

/** Stable codes of failures while building a corrected (frequency-7) claim. */
export const CORRECTION_ERROR_CODES = [
  /** A `--set LINE.FIELD=VALUE` edit cannot be read, names no line of the claim, or has a value not allowed. */
  'CORRECTION_BAD_EDIT',
  /** The corrected claim still has error-level scrub findings; it is not written. */
  'CORRECTION_SCRUB_ERRORS',
  /** The stored claim cannot be turned into a replacement (no CLM segment). */
  'CORRECTION_BAD_CLAIM',
] as const

/** One of {@link CORRECTION_ERROR_CODES}. */
export type CorrectionErrorCode = (typeof CORRECTION_ERROR_CODES)[number]

/**
 * Thrown when a corrected claim cannot be built. `CORRECTION_SCRUB_ERRORS` carries the findings
 * that block it (their messages hold codes and line numbers, never PHI).
 */
export class CorrectionError extends Error {
  readonly code: CorrectionErrorCode
  readonly findings: readonly Finding[]

  constructor(
    code: CorrectionErrorCode,
    message: string,
    details: { findings?: readonly Finding[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'CorrectionError'
    this.code = code
    this.findings = details.findings ?? []
  }
}
