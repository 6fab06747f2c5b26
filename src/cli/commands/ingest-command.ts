import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'

// PLACEHOLDER: replaced by the implementation of `onco-edi ingest`.
export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'not implemented yet',
  usage: 'onco-edi ingest',
  async run() {
    throw new CliError('CLI_UNKNOWN_COMMAND', 'onco-edi ingest is not implemented yet')
  },
}
