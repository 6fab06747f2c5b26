import type { Logger } from 'pino'
import { pino } from 'pino'

/**
 * Paths pino replaces with `[redacted]`. Any object we log that carries a person or a member id
 * uses one of these keys (parsers/claim837/claim837.ts marks the PHI fields).
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

/** Creates the process logger: JSON lines on stderr (stdout is for command output). */
export function createLogger(level = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      name: 'onco-edi',
      level,
      redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' },
    },
    pino.destination({ dest: destination === process.stderr ? 2 : 1, sync: true }),
  )
}
