import type { Logger } from 'pino'
import type { Config } from '../config.js'

/**
 * Exit codes: 0 ok; 1 findings or errors in the data (including a file that is read but is not
 * what the command reads: empty, UTF-16, binary) and a database that refuses (DB_LOCKED, …);
 * 2 usage, configuration, or a file that cannot be opened or written; 3 an internal bug only
 * (CLI_INTERNAL).
 */
export const EXIT_OK = 0
export const EXIT_FINDINGS = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 3

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
