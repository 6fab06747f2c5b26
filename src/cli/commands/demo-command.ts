import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi demo`.
export const demoCommand: Command = {
  name: 'demo',
  summary: 'not implemented yet',
  usage: 'onco-edi demo',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi demo is not implemented yet')
  },
}
