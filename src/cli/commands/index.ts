import type { Command } from '../command.js'
import { authsCommand } from './auths-command.js'
import { codesCommand } from './codes-command.js'
import { dbCommand } from './db-command.js'
import { demoCommand } from './demo-command.js'
import { ingestCommand } from './ingest-command.js'
import { inspectCommand } from './inspect-command.js'
import { parseCommand } from './parse-command.js'
import { payersCommand } from './payers-command.js'
import { queueCommand } from './queue-command.js'
import { rematchCommand } from './rematch-command.js'
import { reportCommand } from './report-command.js'
import { scheduleCommand } from './schedule-command.js'
import { scrubCommand } from './scrub-command.js'

/** Every command, in the order `onco-edi --help` lists them. */
export const commands: Command[] = [
  demoCommand,
  inspectCommand,
  parseCommand,
  codesCommand,
  authsCommand,
  scheduleCommand,
  scrubCommand,
  dbCommand,
  payersCommand,
  ingestCommand,
  rematchCommand,
  queueCommand,
  reportCommand,
]
