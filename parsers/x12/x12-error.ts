import type { X12Position } from './segment.js'
import { formatPosition } from './segment.js'

/**
 * Stable error codes of the parser layer. The README's error table is checked against this list
 * by `test/readme-error-codes.test.ts`, both ways.
 */
export const X12_ERROR_CODES = [
  'X12_NO_ISA',
  'X12_BAD_ISA',
  'X12_TRUNCATED',
  'X12_UNSUPPORTED_VERSION',
  'X12_UNSUPPORTED_TRANSACTION',
  'X12_ENVELOPE_ORDER',
  'X12_IEA_COUNT',
  'X12_IEA_CONTROL',
  'X12_GE_COUNT',
  'X12_GE_CONTROL',
  'X12_SE_COUNT',
  'X12_SE_CONTROL',
  'X12_VERSION_MISMATCH',
  'X12_MISSING_TRAILER',
  'X12_BAD_SEGMENT',
  'X12_BAD_ELEMENT',
  'X12_BAD_AMOUNT',
  'X12_BAD_DATE',
  'X12_MISSING_SEGMENT',
  'X12_BAD_HL',
  'X12_UNBALANCED',
  'X12_WRITE_OPTION',
  'X12_DUPLICATE_CONTROL_NUMBER',
] as const

export type X12ErrorCode = (typeof X12_ERROR_CODES)[number]

/**
 * A problem found in X12 input: a value that travels in events (quarantine reasons, warnings)
 * and the payload of a thrown {@link X12Error}.
 */
export interface X12Issue {
  code: X12ErrorCode
  severity: 'error' | 'warning'
  /** Says what was expected, what was found and where. Never contains PHI. */
  message: string
  position: X12Position | undefined
}

/**
 * Thrown when input cannot be read further (no ISA, a truncated file).
 *
 * @example
 * ```ts
 * try { tokenizer.end() } catch (e) { if (e instanceof X12Error) console.error(e.code, e.position) }
 * ```
 */
export class X12Error extends Error {
  readonly code: X12ErrorCode
  readonly position: X12Position | undefined

  constructor(code: X12ErrorCode, message: string, position?: X12Position) {
    super(position === undefined ? message : `${message} at ${formatPosition(position)}`)
    this.name = 'X12Error'
    this.code = code
    this.position = position
  }

  toIssue(): X12Issue {
    return { code: this.code, severity: 'error', message: this.message, position: this.position }
  }
}
