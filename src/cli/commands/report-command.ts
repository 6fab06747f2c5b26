import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi report`.
export const reportCommand: Command = {
  name: 'report',
  summary: 'not implemented yet',
  usage: 'onco-edi report',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi report is not implemented yet')
  },
}
