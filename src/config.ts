import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { CliError } from './cli/cli-error.js'
import type { OutboundEnvelopeConfig } from './outbound-envelope.js'
import { outboundEnvelopeFromEnv } from './outbound-envelope.js'

/** The pino levels LOG_LEVEL accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The longest wait for a locked home that ONCO_EDI_WAIT or `--wait=SECONDS` accepts: one day. */
export const MAX_LOCK_WAIT_SECONDS = 86_400

/** Runtime configuration, read from the environment only (see README "Configuration"). */
export interface Config {
  /** `DATABASE_URL`: selects PostgreSQL. When absent, the embedded PGlite database is used. */
  databaseUrl: string | undefined
  /** `ONCO_EDI_HOME` (default `~/.onco-edi`): holds the PGlite data directory and its lock. */
  home: string
  /**
   * The actor recorded on audit events: `ONCO_EDI_USER`, else `$USER`, else the operating
   * system's account name. `''` when ONCO_EDI_USER is set but blank (refused by the commands that
   * record an actor), `undefined` when no name is known at all (refused the same way).
   */
  user: string | undefined
  /** `LOG_LEVEL` (default `warn`), one of {@link LOG_LEVELS}. Logs go to stderr as JSON lines. */
  logLevel: string
  /**
   * `ONCO_EDI_WAIT` or the global `--wait[=SECONDS]`: how long a command waits for an embedded
   * database that another process holds (default 0: fail at once with DB_LOCKED; Infinity: no limit).
   */
  lockWaitSeconds?: number
  /** The command line recorded in the home lock (set by `main`), e.g. `ingest c.837`. */
  commandLine?: string
  /** `ONCO_EDI_ISA06`, `_ISA08`, `_GS02`, `_GS03`: ids on the interchanges we write (default: the input's). */
  outbound?: OutboundEnvelopeConfig
  /**
   * `ONCO_EDI_DUPLICATE_ISA13_DAYS`: how long (days) an accepted 837 interchange's sender + ISA13
   * makes another interchange with them a duplicate (TA1 025) for `batch` and `worker`. Unset: for
   * ever (the default).
   */
  duplicateIsa13Days?: number | undefined
}

/** The longest ONCO_EDI_DUPLICATE_ISA13_DAYS accepted: 100 years. */
export const MAX_DUPLICATE_ISA13_DAYS = 36_500

/**
 * Reads the configuration from `env`. Throws CLI_BAD_CONFIG for a LOG_LEVEL or ONCO_EDI_WAIT that
 * is not allowed (exit 2).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, osUser: () => string = osUserName): Config {
  const databaseUrl = env.DATABASE_URL?.trim()
  const logLevel = env.LOG_LEVEL?.trim() || 'warn'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new CliError(
      'CLI_BAD_CONFIG',
      `Expected LOG_LEVEL to be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    )
  const wait = env.ONCO_EDI_WAIT?.trim()
  return {
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    home: env.ONCO_EDI_HOME?.trim() || join(homedir(), '.onco-edi'),
    user:
      env.ONCO_EDI_USER !== undefined ? env.ONCO_EDI_USER.trim() : env.USER?.trim() || osUser() || undefined,
    logLevel,
    lockWaitSeconds:
      wait === undefined || wait === '' ? 0 : waitSecondsOf(wait, 'ONCO_EDI_WAIT', 'CLI_BAD_CONFIG'),
    outbound: outboundEnvelopeFromEnv(env),
    duplicateIsa13Days: duplicateDaysOf(env.ONCO_EDI_DUPLICATE_ISA13_DAYS?.trim()),
  }
}

/** ONCO_EDI_DUPLICATE_ISA13_DAYS: unset or blank for no window, else whole days from 1; CLI_BAD_CONFIG otherwise. */
function duplicateDaysOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > MAX_DUPLICATE_ISA13_DAYS)
    throw new CliError(
      'CLI_BAD_CONFIG',
      `Expected ONCO_EDI_DUPLICATE_ISA13_DAYS to be a number of days from 1 to ${MAX_DUPLICATE_ISA13_DAYS}, got ${JSON.stringify(text)}`,
    )
  return Number(text)
}

/** Parses a lock wait in whole seconds (0 to one day), or throws `code` naming `source`. */
export function waitSecondsOf(
  text: string,
  source: string,
  code: 'CLI_BAD_CONFIG' | 'CLI_BAD_OPTION',
): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) > MAX_LOCK_WAIT_SECONDS)
    throw new CliError(
      code,
      `Expected ${source} to be a number of seconds from 0 to ${MAX_LOCK_WAIT_SECONDS}, got ${JSON.stringify(text)}`,
    )
  return Number(text)
}

/** The operating system's name for the current account, or '' when it has none (a bare uid). */
function osUserName(): string {
  try {
    return userInfo().username.trim()
  } catch {
    return ''
  }
}
