import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi inspect`.
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'not implemented yet',
  usage: 'onco-edi inspect',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi inspect is not implemented yet')
  },
}
