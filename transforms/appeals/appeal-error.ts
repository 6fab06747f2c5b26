/** Stable codes of failures while building an appeal packet. */
export const APPEAL_ERROR_CODES = [
  /** The rework item's action is not an appeal or a records reconsideration, or it cannot be appealed. */
  'APPEAL_NOT_APPEALABLE',
  /** A letter template cannot be rendered (unknown placeholder, unclosed section); line and column named. */
  'APPEAL_TEMPLATE',
] as const

/** One of {@link APPEAL_ERROR_CODES}. */
export type AppealErrorCode = (typeof APPEAL_ERROR_CODES)[number]

/** Thrown when an appeal packet cannot be built; template errors carry the 1-based line and column. */
export class AppealError extends Error {
  readonly code: AppealErrorCode
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(
    code: AppealErrorCode,
    message: string,
    position: { line?: number; column?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AppealError'
    this.code = code
    this.line = position.line
    this.column = position.column
  }
}
