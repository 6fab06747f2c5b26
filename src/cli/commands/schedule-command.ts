import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi schedule`.
export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'not implemented yet',
  usage: 'onco-edi schedule',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi schedule is not implemented yet')
  },
}
