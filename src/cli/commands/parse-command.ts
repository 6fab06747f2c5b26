import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi parse`.
export const parseCommand: Command = {
  name: 'parse',
  summary: 'not implemented yet',
  usage: 'onco-edi parse',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi parse is not implemented yet')
  },
}
