import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi auths`.
export const authsCommand: Command = {
  name: 'auths',
  summary: 'not implemented yet',
  usage: 'onco-edi auths',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi auths is not implemented yet')
  },
}
