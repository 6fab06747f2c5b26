import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi queue`.
export const queueCommand: Command = {
  name: 'queue',
  summary: 'not implemented yet',
  usage: 'onco-edi queue',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi queue is not implemented yet')
  },
}
