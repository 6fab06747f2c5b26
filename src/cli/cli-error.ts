export const CLI_ERROR_CODES = [
  'CLI_USAGE',
  'CLI_UNREADABLE_INPUT',
  'CLI_UNWRITABLE_OUTPUT',
  'CLI_UNKNOWN_COMMAND',
  'CLI_BAD_OPTION',
  'CLI_BAD_CONFIG',
  'CLI_INTERNAL',
] as const

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number]

/**
 * A usage, configuration or file-access problem: the CLI prints `CODE: message` on one line and
 * exits 2. `CLI_INTERNAL` is only printed by `main` for an error without a code (a bug, exit 3).
 */
export class CliError extends Error {
  readonly code: CliErrorCode

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.code = code
  }
}
