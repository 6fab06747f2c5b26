import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi scrub`.
export const scrubCommand: Command = {
  name: 'scrub',
  summary: 'not implemented yet',
  usage: 'onco-edi scrub',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi scrub is not implemented yet')
  },
}
