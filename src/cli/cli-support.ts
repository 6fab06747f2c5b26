import { isAbsolute, resolve } from 'node:path'
import type { IsoDate } from '../../parsers/dates.js'
import { isValidIsoDate } from '../../parsers/dates.js'
import type { DatabaseHandle } from '../db/create-database.js'
import { databaseOptionsFromConfig, openDatabase } from '../db/create-database.js'
import { CliError } from './cli-error.js'
import type { CommandContext } from './command.js'

/**
 * Opens the configured database (applying pending migrations), runs `body`, and closes it in
 * `finally` — every database command does this.
 */
export async function withDatabase<T>(
  context: CommandContext,
  body: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
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

/** Parses a positive integer option, or throws CLI_BAD_OPTION. */
export function parsePositiveInt(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --${name} to be an integer from ${min} and up, got "${value}"`,
    )
  return Number(value)
}

/** Parses an item id argument. */
export function parseId(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw new CliError('CLI_USAGE', `Expected a rework item id (a number), got "${value ?? ''}"`)
  return Number(value)
}

/** Validates a YYYY-MM-DD option (a real calendar day), or throws CLI_BAD_OPTION. */
export function parseDateOption(name: string, value: string | undefined): IsoDate | undefined {
  if (value === undefined) return undefined
  if (!isValidIsoDate(value))
    throw new CliError('CLI_BAD_OPTION', `Expected --${name} as YYYY-MM-DD, got "${value}"`)
  return value
}

/** Writes a simple aligned text table. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`
}
