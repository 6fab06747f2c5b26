import { homedir } from 'node:os'
import { join } from 'node:path'
import type { OutboundEnvelopeConfig } from './outbound-envelope.js'
import { outboundEnvelopeFromEnv } from './outbound-envelope.js'

/** Runtime configuration, read from the environment only (see README "Configuration"). */
export interface Config {
  /** `DATABASE_URL`: selects PostgreSQL. When absent, the embedded PGlite database is used. */
  databaseUrl: string | undefined
  /** `ONCO_EDI_HOME` (default `~/.onco-edi`): holds the PGlite data directory. */
  home: string
  /** `ONCO_EDI_USER` (default `$USER`, else `unknown`): recorded on audit events. */
  user: string
  /** `LOG_LEVEL` (default `warn`). Logs go to stderr as JSON lines, PHI redacted. */
  logLevel: string
  /** `ONCO_EDI_ISA06`, `_ISA08`, `_GS02`, `_GS03`: ids on the interchanges we write (default: the input's). */
  outbound?: OutboundEnvelopeConfig
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim()
  return {
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    home: env.ONCO_EDI_HOME?.trim() || join(homedir(), '.onco-edi'),
    user: env.ONCO_EDI_USER?.trim() || env.USER?.trim() || 'unknown',
    logLevel: env.LOG_LEVEL?.trim() || 'warn',
    outbound: outboundEnvelopeFromEnv(env),
  }
}
