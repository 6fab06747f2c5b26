import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi db`.
export const dbCommand: Command = {
  name: 'db',
  summary: 'not implemented yet',
  usage: 'onco-edi db',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi db is not implemented yet')
  },
}
