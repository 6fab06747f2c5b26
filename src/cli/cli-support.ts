import { accessSync, constants, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { IsoDate } from '../../parsers/dates.js'
import { isValidIsoDate } from '../../parsers/dates.js'
import type { DatabaseHandle } from '../db/create-database.js'
import { describeFsError } from '../output-file.js'
import { CliError } from './cli-error.js'
import type { CommandContext } from './command.js'
import { escapeControl } from './escape-control.js'

/**
 * Opens the configured database (applying pending migrations; on PGlite, taking the home lock),
 * runs `body`, and closes it in `finally` — every database command does this. The database
 * modules are loaded here, not at start-up.
 */
export async function withDatabase<T>(
  context: CommandContext,
  body: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const { databaseOptionsFromConfig, openDatabase } = await import('../db/create-database.js')
  const handle = await openDatabase(databaseOptionsFromConfig(context.config))
  try {
    return await body(handle)
  } finally {
    await handle.close()
  }
}

/** A path relative to the command's working directory. */
export function resolvePath(context: CommandContext, path: string): string {
  return isAbsolute(path) ? path : resolve(context.cwd, path)
}

/** The largest id or count an option accepts: beyond it a JS number loses integer precision. */
export const MAX_SAFE_OPTION = Number.MAX_SAFE_INTEGER

/**
 * Parses an integer option within `[min, max]`, or throws CLI_BAD_OPTION naming the option and the
 * range. Every numeric option goes through here, so `--due-within 99999999999999` is a usage error
 * and never reaches date arithmetic or the database.
 */
export function parseIntegerOption(
  name: string,
  value: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  const number = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN
  if (!(number >= range.min && number <= range.max))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --${name} to be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(escapeControl(value))}`,
    )
  return number
}

/** Parses a non-negative integer option (at least `min`), bounded by {@link MAX_SAFE_OPTION}. */
export function parsePositiveInt(name: string, value: string | undefined, min = 0): number | undefined {
  return parseIntegerOption(name, value, { min, max: MAX_SAFE_OPTION })
}

/** Parses an item id argument: a whole number from 1 to 2^53 − 1 (ids are bigserial). */
export function parseId(value: string | undefined): number {
  const number = value !== undefined && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN
  if (!(number >= 1 && number <= MAX_SAFE_OPTION))
    throw new CliError(
      'CLI_USAGE',
      `Expected a rework item id (a whole number from 1 to ${MAX_SAFE_OPTION}), got ${JSON.stringify(escapeControl(value ?? ''))}`,
    )
  return number
}

/** Validates a YYYY-MM-DD option (a real calendar day), or throws CLI_BAD_OPTION. */
export function parseDateOption(name: string, value: string | undefined): IsoDate | undefined {
  if (value === undefined) return undefined
  if (!isValidIsoDate(value))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --${name} as YYYY-MM-DD, got ${JSON.stringify(escapeControl(value))}`,
    )
  return value
}

/**
 * The actor a state-changing command records on audit events: `--user`, else the configured user
 * (ONCO_EDI_USER, $USER, the OS account). A blank name is refused, and so is having none at all:
 * an audit trail never says "unknown".
 */
export function actorOf(flag: string | undefined, context: CommandContext): string {
  if (flag !== undefined) {
    const user = flag.trim()
    if (user === '') throw new CliError('CLI_USAGE', 'Expected --user to name a user, got an empty value')
    return user
  }
  const configured = context.config.user
  if (configured === '')
    throw new CliError(
      'CLI_USAGE',
      'ONCO_EDI_USER is set but empty: set it to a user name, or pass --user USER',
    )
  if (configured === undefined)
    throw new CliError(
      'CLI_USAGE',
      'No user to record on the audit trail: pass --user USER or set ONCO_EDI_USER (neither $USER nor an OS account name is known)',
    )
  return configured
}

/**
 * Checks that `path` is a file this process can read, or throws CLI_UNREADABLE_INPUT naming it:
 * missing, a directory, a socket, a path through a regular file (ENOTDIR), no permission. A FIFO
 * or character device (`inspect <(cat f.835)`, `parse /dev/stdin`) is accepted: the readers that
 * take it read it once, streaming.
 */
export function checkInputFile(path: string, shown: string = path): void {
  let stats: ReturnType<typeof statSync>
  try {
    stats = statSync(path)
  } catch (error) {
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${escapeControl(shown)}: ${describeFsError(error)}`,
      {
        cause: error,
      },
    )
  }
  if (stats.isDirectory())
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${escapeControl(shown)}: it is a directory, not a file`,
    )
  if (!stats.isFile() && !stats.isFIFO() && !stats.isCharacterDevice())
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${escapeControl(shown)}: not a file, a FIFO or a character device (a socket or block device)`,
    )
  try {
    accessSync(path, constants.R_OK)
  } catch (error) {
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${escapeControl(shown)}: ${describeFsError(error)}`,
      {
        cause: error,
      },
    )
  }
}

/**
 * Checks that the output file `path` can be created: its folder exists and is writable, and the
 * path is not a directory. Throws CLI_UNWRITABLE_OUTPUT naming it — before any work is done.
 */
export function checkOutputFile(path: string, shown: string = path): void {
  const fail = (reason: string, cause?: unknown): never => {
    throw new CliError('CLI_UNWRITABLE_OUTPUT', `Cannot write ${escapeControl(shown)}: ${reason}`, { cause })
  }
  try {
    if (statSync(path).isDirectory()) fail('it is a directory')
  } catch (error) {
    if (error instanceof CliError) throw error
    const code = error instanceof Error && 'code' in error ? error.code : undefined
    if (code !== 'ENOENT') fail(describeFsError(error), error)
  }
  const folder = dirname(path)
  try {
    if (!statSync(folder).isDirectory()) fail(`its folder ${escapeControl(folder)} is not a directory`)
    accessSync(folder, constants.W_OK)
  } catch (error) {
    if (error instanceof CliError) throw error
    fail(`its folder ${escapeControl(folder)}: ${describeFsError(error)}`, error)
  }
}

/** Writes an output file, turning a failure into CLI_UNWRITABLE_OUTPUT naming the path. */
export async function writeOutputFile(path: string, data: string, shown: string = path): Promise<void> {
  try {
    await writeFile(path, data)
  } catch (error) {
    throw new CliError(
      'CLI_UNWRITABLE_OUTPUT',
      `Cannot write ${escapeControl(shown)}: ${describeFsError(error)}`,
      {
        cause: error,
      },
    )
  }
}

/**
 * Writes a simple aligned text table. Cells are printed with control characters escaped (a note
 * or a user name cannot rewrite the terminal).
 */
export function formatTable(headers: string[], rows: string[][]): string {
  const safe = rows.map((r) => r.map(escapeControl))
  const widths = headers.map((h, i) => Math.max(h.length, ...safe.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return `${[line(headers), ...safe.map(line)].join('\n')}\n`
}
