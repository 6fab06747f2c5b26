#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../config.js'
import { DbError } from '../db/db-error.js'
import { createLogger } from '../logger.js'
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
  LOG_LEVEL      pino log level of the JSON logs on stderr (default warn; info logs each file)

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
    if (isParseArgsError(error)) {
      // node:util parseArgs: an unknown option, a missing value, a stray positional.
      context.stderr.write(`CLI_USAGE: ${error.message}. Run onco-edi ${command.name} --help.\n`)
      return EXIT_USAGE
    }
    const code = stableCodeOf(error)
    if (code !== undefined && error instanceof Error) {
      context.stderr.write(`${code}: ${error.message}\n`)
      // A database that refuses (not found, conflict, unreachable) is a failure of the run, not of
      // its arguments; everything else (usage, unreadable or unsupported input) exits 2.
      return error instanceof DbError ? EXIT_FINDINGS : EXIT_USAGE
    }
    throw error
  }
}

/** The stable error code of our layers (README "Error codes"), or `undefined` for a bug. */
function stableCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined
  return /^(X12|SCRUB|CODES|DB|CLI|INGEST|DENIAL|APPEAL)_[A-Z0-9_]+$/.test(error.code)
    ? error.code
    : undefined
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
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
  const config = loadConfig()
  const context: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    config,
    cwd: process.cwd(),
    logger: createLogger(config.logLevel),
  }
  main(process.argv.slice(2), context).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      context.logger.fatal({ err: error }, 'internal error')
      context.stderr.write(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
      process.exitCode = 3
    },
  )
}
