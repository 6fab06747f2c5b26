#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { X12Error } from '../../parsers/x12/x12-error.js'
import { loadConfig } from '../config.js'
import { DbError } from '../db/db-error.js'
import { CliError } from './cli-error.js'
import type { CommandContext } from './command.js'
import { EXIT_FINDINGS, EXIT_USAGE } from './command.js'
import { commands } from './commands/index.js'

const HELP = `onco-edi: X12 837/835 pipeline for oncology revenue cycle

Usage: onco-edi COMMAND [options]    (onco-edi COMMAND --help for its options)

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Configuration (environment):
  DATABASE_URL   PostgreSQL connection string; when unset the embedded PGlite database is used
  ONCO_EDI_HOME  where the embedded database lives (default ~/.onco-edi)
  ONCO_EDI_USER  the user recorded on audit events (default $USER)
  LOG_LEVEL      pino log level on stderr (default info)

Exit codes: 0 ok, 1 findings or errors in the data, 2 usage error or unreadable input.
`

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(HELP)
    return name === undefined ? EXIT_USAGE : 0
  }
  if (name === '--version') {
    context.stdout.write('onco-edi 0.1.0\n')
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (command === undefined) {
    context.stderr.write(`CLI_UNKNOWN_COMMAND: unknown command "${name}". Run onco-edi --help.\n`)
    return EXIT_USAGE
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout.write(`${command.usage.trimEnd()}\n`)
    return 0
  }
  try {
    return await command.run(rest, context)
  } catch (error) {
    if (error instanceof CliError) {
      context.stderr.write(`${error.code}: ${error.message}\n`)
      return EXIT_USAGE
    }
    if (error instanceof X12Error) {
      context.stderr.write(`${error.code}: ${error.message}\n`)
      return EXIT_USAGE
    }
    if (error instanceof DbError) {
      context.stderr.write(`${error.code}: ${error.message}\n`)
      return EXIT_FINDINGS
    }
    throw error
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1]
  if (entry === undefined) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  const context: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    config: loadConfig(),
    cwd: process.cwd(),
  }
  main(process.argv.slice(2), context).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      context.stderr.write(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
      process.exitCode = 3
    },
  )
}
