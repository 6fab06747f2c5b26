import type { Logger } from 'pino'
import type { Config } from '../config.js'

/**
 * Exit codes, one rule for every command (README "Exit codes"): 0 ok; 1 a data problem: the input
 * was opened but its content is bad (not X12, UTF-16, binary, empty, a CSV without the expected
 * header, rejected rows, quarantined sets, findings) or a database that refuses (DB_LOCKED, …);
 * 2 a usage problem: a bad option, a path that is missing, a directory or not readable, an output
 * that cannot be written, configuration; 3 an internal bug only (CLI_INTERNAL).
 */
export const EXIT_OK = 0
export const EXIT_FINDINGS = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 3

/**
 * Codes outside CLI_ that mean a usage problem (exit 2): a file that cannot be opened, an option
 * or a configured table that is missing or wrong. Every other code is about the data (exit 1).
 */
const USAGE_CODES: ReadonlySet<string> = new Set([
  'CODES_UNREADABLE_FILE',
  'CODES_NO_QUARTER',
  'INGEST_UNREADABLE',
  'INGEST_BAD_OPTION',
  'INGEST_RULES_MISSING',
  'SCRUB_UNREADABLE_TABLE',
  'SCRUB_BAD_TABLE_ROW',
  // An appeal letter template that cannot be rendered: the user's template folder, like a bad option.
  'APPEAL_TEMPLATE',
  // A `queue corrected-claim --set` value that cannot be used, like a bad option.
  'CORRECTION_BAD_EDIT',
])

/** The exit code of a failure with a stable code (README "Error codes"). */
export function exitCodeOf(code: string): number {
  if (code === 'CLI_INTERNAL') return EXIT_INTERNAL
  if (code.startsWith('CLI_') || USAGE_CODES.has(code)) return EXIT_USAGE
  return EXIT_FINDINGS
}

/** Where a command writes and what it was configured with. Tests pass their own. */
export interface CommandContext {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  config: Config
  /** The working directory for relative paths. */
  cwd: string
  /** Operational logs (stderr, JSON lines, PHI redacted). Never the command's output. */
  logger: Logger
}

/**
 * One CLI command, e.g. `inspect`. `run` gets the arguments after the command name and returns
 * the exit code. It throws `CliError` for usage problems; `main` turns that into exit 2.
 * `--help` is handled by `main` from `usage`.
 */
export interface Command {
  name: string
  /** One line for the command list. */
  summary: string
  /** The full help text printed by `onco-edi NAME --help`. */
  usage: string
  run(args: string[], context: CommandContext): Promise<number>
}

/**
 * A command in the registry (`commands/index.ts`): what `onco-edi --help` lists, and how to load
 * the implementation. Modules are imported only for the command that runs, so start-up does not
 * pay for the database, the xlsx reader or pino.
 */
export interface CommandEntry {
  name: string
  summary: string
  load(): Promise<Command>
}
