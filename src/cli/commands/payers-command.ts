import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi payers`.
export const payersCommand: Command = {
  name: 'payers',
  summary: 'not implemented yet',
  usage: 'onco-edi payers',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi payers is not implemented yet')
  },
}
