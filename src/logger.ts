import { createRequire } from 'node:module'
import type { DestinationStream, Logger } from 'pino'

type PinoModule = typeof import('pino')

const require = createRequire(import.meta.url)
let loaded: PinoModule | undefined

/**
 * pino, loaded on first use: it costs ~55 ms at start-up on the reference machine, and `--help` or
 * `inspect` of a small file never log. pino is CommonJS, so `require` loads it synchronously.
 */
function pinoModule(): PinoModule {
  if (loaded !== undefined) return loaded
  const module: PinoModule = require('pino')
  loaded = module
  return module
}

/**
 * Paths pino replaces with `[redacted]`. Any object we log that carries a person or a member id
 * uses one of these keys (parsers/claim837/claim837.ts marks the PHI fields). Messages themselves
 * never interpolate PHI: log ids (CLM01, file name, sha256) and counts only.
 */
export const PHI_REDACT_PATHS = [
  'memberId',
  'insuredMemberId',
  'person',
  'patient',
  'subscriber',
  'lastName',
  'firstName',
  'birthDate',
  'address',
  '*.memberId',
  '*.insuredMemberId',
  '*.person',
  '*.patient',
  '*.subscriber',
  '*.lastName',
  '*.firstName',
  '*.birthDate',
  '*.address',
  '*.*.memberId',
  '*.*.person',
  '*.*.patient',
  '*.*.subscriber',
]

/**
 * Creates the process logger: JSON lines on stderr by default (stdout is for command output),
 * PHI paths redacted.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const { pino } = pinoModule()
  return pino(
    { name: 'onco-edi', level, redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination({ dest: 2, sync: true }),
  )
}

/** A logger that writes nothing, for library callers and tests that do not want logs. */
export function silentLogger(): Logger {
  return pinoModule().pino({ level: 'silent' })
}
