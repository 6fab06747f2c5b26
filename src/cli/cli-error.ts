export const CLI_ERROR_CODES = [
  'CLI_USAGE',
  'CLI_UNREADABLE_INPUT',
  'CLI_UNKNOWN_COMMAND',
  'CLI_BAD_OPTION',
] as const

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number]

/** A usage or input problem: the CLI prints the message and exits 2. */
export class CliError extends Error {
  readonly code: CliErrorCode

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.code = code
  }
}
