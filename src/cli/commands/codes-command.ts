import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi codes`.
export const codesCommand: Command = {
  name: 'codes',
  summary: 'not implemented yet',
  usage: 'onco-edi codes',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi codes is not implemented yet')
  },
}
