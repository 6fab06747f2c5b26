#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { loadConfig, MAX_LOCK_WAIT_SECONDS, waitSecondsOf } from '../config.js'
import { createLogger } from '../logger.js'
import type { CommandContext } from './command.js'
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, exitCodeOf } from './command.js'
import { commands } from './commands/index.js'
import { escapeControl } from './escape-control.js'
import { finishProgress } from './progress.js'

const HELP = `onco-edi: X12 837/835 pipeline for oncology revenue cycle

Usage: onco-edi COMMAND [options] [--wait[=SECONDS]]    (onco-edi COMMAND --help for its options)

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Global options (anywhere before a "--"):
  --wait[=SECONDS]  when another process has the embedded database open, wait for it (no limit,
                    or at most SECONDS, up to ${MAX_LOCK_WAIT_SECONDS}) instead of failing at once with DB_LOCKED

Configuration (environment):
  DATABASE_URL   PostgreSQL connection string; when unset the embedded PGlite database is used
  ONCO_EDI_HOME  where the embedded database and its lock file live (default ~/.onco-edi)
  ONCO_EDI_USER  the user recorded on audit events (default $USER, else the OS account name)
  ONCO_EDI_WAIT  seconds to wait for a locked embedded database (default 0; --wait overrides)
  LOG_LEVEL      pino log level of the JSON logs on stderr: fatal, error, warn (default), info
                 (logs each file), debug, trace or silent

Exit codes, the same for every command: 0 ok; 1 a data problem: the input was opened but its
content is bad (not X12, UTF-16, binary, empty, not the expected CSV, rejected rows, quarantined
sets, findings) or a database that refuses (DB_LOCKED, DB_NOT_FOUND, ...); 2 a usage problem: a
bad option or configuration, a path that is missing, a directory or not readable, an output that
cannot be written; 3 an internal error (CLI_INTERNAL, a bug: the details are in the log).
`

export { exitCodeOf } from './command.js'

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. It never throws
 * and never prints a stack trace: a failure is one line `CODE: message` on stderr.
 */
export async function main(argv: string[], context: CommandContext): Promise<number> {
  try {
    return await run(argv, context)
  } catch (error) {
    return reportFailure(error, context)
  }
}

async function run(argv: string[], context: CommandContext): Promise<number> {
  const { args, waitSeconds } = takeGlobalOptions(argv)
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(HELP)
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version') {
    context.stdout.write('onco-edi 0.1.0\n')
    return EXIT_OK
  }
  const entry = commands.find((c) => c.name === name)
  if (entry === undefined) {
    context.stderr.write(
      `CLI_UNKNOWN_COMMAND: unknown command ${JSON.stringify(escapeControl(name))}. Run onco-edi --help.\n`,
    )
    return EXIT_USAGE
  }
  const command = await entry.load()
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout.write(`${command.usage.trimEnd()}\n`)
    return EXIT_OK
  }
  const config: Config = {
    ...context.config,
    commandLine: escapeControl([name, ...rest].join(' ')).slice(0, 200),
    ...(waitSeconds === undefined ? {} : { lockWaitSeconds: waitSeconds }),
  }
  try {
    return await command.run(rest, withConfig(context, config))
  } catch (error) {
    if (isParseArgsError(error)) {
      // node:util parseArgs: an unknown option, a missing value, a stray positional.
      context.stderr.write(
        `CLI_USAGE: ${escapeControl(error.message)}. Run onco-edi ${command.name} --help.\n`,
      )
      return EXIT_USAGE
    }
    throw error
  }
}

/**
 * Removes the global options from `argv` (up to a `--`): `--wait` (no limit) or `--wait=SECONDS`.
 */
function takeGlobalOptions(argv: string[]): { args: string[]; waitSeconds: number | undefined } {
  const args: string[] = []
  let waitSeconds: number | undefined
  let passthrough = false
  for (const arg of argv) {
    if (passthrough || arg === '--') {
      passthrough = true
      args.push(arg)
    } else if (arg === '--wait') waitSeconds = Number.POSITIVE_INFINITY
    else if (arg.startsWith('--wait=')) waitSeconds = waitSecondsOf(arg.slice(7), '--wait', 'CLI_BAD_OPTION')
    else args.push(arg)
  }
  return { args, waitSeconds }
}

/** The context with another configuration; the logger stays lazy (pino loads on first use). */
function withConfig(context: CommandContext, config: Config): CommandContext {
  return {
    stdout: context.stdout,
    stderr: context.stderr,
    cwd: context.cwd,
    config,
    get logger(): Logger {
      return context.logger
    },
  }
}

/** Prints one line for a failure and returns its exit code. */
function reportFailure(error: unknown, context: CommandContext): number {
  finishProgress()
  const code = stableCodeOf(error)
  if (code !== undefined && error instanceof Error) {
    context.stderr.write(`${code}: ${oneLine(error.message)}\n`)
    return exitCodeOf(code)
  }
  const io = describeSystemError(error)
  if (io !== undefined) {
    context.stderr.write(`${io.code}: ${oneLine(io.message)}\n`)
    return EXIT_USAGE
  }
  // A bug: the stack goes to the log (error level), never to the user's terminal.
  const message = error instanceof Error ? error.message : String(error)
  try {
    context.logger.error({ err: error }, 'internal error')
  } catch {
    // The logger itself failed; the one line below still tells the user.
  }
  context.stderr.write(`CLI_INTERNAL: ${oneLine(message)} (details in the log)\n`)
  return EXIT_INTERNAL
}

/** The stable error code of our layers (README "Error codes"), or `undefined` for a bug. */
function stableCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined
  return /^(X12|SCRUB|CODES|DB|CLI|INGEST|DENIAL|APPEAL|CORRECTION|JSON)_[A-Z0-9_]+$/.test(error.code)
    ? error.code
    : undefined
}

/**
 * A Node file-system error that escaped a command (ENOENT, EACCES, EISDIR, ENOTDIR, ...): the
 * input or output named by its path, not a bug. Reads map to CLI_UNREADABLE_INPUT, writes to
 * CLI_UNWRITABLE_OUTPUT.
 */
function describeSystemError(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined
  if (!/^E[A-Z]+$/.test(error.code) || !('path' in error) || typeof error.path !== 'string') return undefined
  const syscall = 'syscall' in error && typeof error.syscall === 'string' ? error.syscall : ''
  const writes = ['mkdir', 'write', 'rename', 'unlink', 'rmdir', 'copyfile', 'symlink', 'link', 'ftruncate']
  const dest = 'dest' in error && typeof error.dest === 'string' ? ` -> ${error.dest}` : ''
  return writes.includes(syscall) || error.code === 'EROFS' || error.code === 'ENOSPC'
    ? { code: 'CLI_UNWRITABLE_OUTPUT', message: `Cannot write ${error.path}${dest} (${error.code})` }
    : { code: 'CLI_UNREADABLE_INPUT', message: `Cannot read ${error.path} (${error.code})` }
}

/** A message on one line, control characters escaped. */
function oneLine(message: string): string {
  return escapeControl(message)
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

/**
 * V8's largest semi-space (MB) for `ingest`, `batch` and `worker` (Node's default on this 64-bit
 * machine: 16). 4 MB first (2026-12-04) kept V8's heap close to the live data while an ingest
 * streams claims into the database (an 837 + 835 of 30k claims each: 350-368 MB peak RSS on
 * PostgreSQL with the default, 217 MB with 4). But into a database that an earlier process migrated,
 * as every user's is, 4 MB made V8 copy each 837 claim out of the young generation: a 100k 837
 * promoted 960 MB in 707 scavenges (11 and 10 MB at 8 and 16; `--trace-gc-nvp`). Hence 8 MB,
 * measured on main at a699ece, 2026-12-05 04:41-05:01 UTC, load 1.2-3.7, each value at least twice,
 * alternated (`BENCH_SEMI_SPACE_MB=4|8|16`; README "Performance", V8's young generation):
 * - 837 ingest, PostgreSQL (`npm run bench ingest837`), 100k claims: node CPU 5.3-5.7 s at 4 MB,
 *   2.9-4.3 s at 8, 3.8-4.4 s at 16; peak RSS 150-169 / 132-135 / 147-149 MB (target < 350);
 *   20k: 1.3-1.9 / 1.0-1.4 / 1.1-1.2 s, 135-140 / 119-122 / 124-125 MB. `onco-edi ingest` of the
 *   100k file (whole process, /usr/bin/time): CPU 5.4-6.0 / 3.2-5.0 / 4.3-4.4 s.
 * - 837 + 835 in one run (`npm run bench ingest-pair`, target < 350 MB): 30k claims each
 *   184-198 / 204-218 / 231-246 MB; 300k each 240-259 / 266-268 / 275-281 MB.
 * - `batch --once` on PGlite, 16 files of 5,000 claims: 454-461 / 437-438 / 459 MB, CPU within
 *   the runs' noise (49.7-65.4 s over all six); the demo (< 500 MB) does not re-run itself.
 */
export const INGEST_SEMI_SPACE_MB = 8

/**
 * The commands re-run with {@link INGEST_SEMI_SPACE_MB}: `ingest`, and the long-running `batch`
 * and `worker` (16 files of 5,000 claims through `batch --once` on PGlite, 2026-12-04: peak RSS
 * 0.59 GB with 4 MB against 0.72 GB with Node's default; 2026-12-05, the same run: 437-438 MB with
 * 8 MB, 454-461 with 4, 459 with 16, the same CPU; README "Performance").
 */
const SMALL_YOUNG_GENERATION_COMMANDS = new Set(['ingest', 'batch', 'worker'])

/**
 * `onco-edi ingest …` (and `batch`, `worker`) runs again in a child Node started with `--max-semi-space-size` (V8 sizes
 * its heap when the process starts; `v8.setFlagsFromString` later has no effect), unless the flag
 * is already given (node's arguments or NODE_OPTIONS). The child inherits stdio, gets the signals
 * forwarded, and its exit code is this process's. Returns false when there is nothing to do.
 */
async function runIngestWithSmallYoungGeneration(): Promise<boolean> {
  const args = process.argv.slice(2)
  const name = args.find((arg) => arg !== '--wait' && !arg.startsWith('--wait='))
  const entry = process.argv[1]
  if (name === undefined || !SMALL_YOUNG_GENERATION_COMMANDS.has(name) || entry === undefined) return false
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
  if (given.some((arg) => arg.startsWith('--max-semi-space-size'))) return false
  const { spawn } = await import('node:child_process')
  const child = spawn(
    process.execPath,
    [`--max-semi-space-size=${INGEST_SEMI_SPACE_MB}`, ...process.execArgv, entry, ...args],
    { stdio: 'inherit' },
  )
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal)
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward)
  await new Promise<void>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`CLI_INTERNAL: ${oneLine(error.message)} (could not start the ${name} process)\n`)
      process.exitCode = EXIT_INTERNAL
      resolve()
    })
    child.on('exit', (code, signal) => {
      if (signal !== null) {
        // Ended by a signal: end the same way, so that a caller sees what the child saw.
        for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeListener(name, forward)
        process.kill(process.pid, signal)
      }
      process.exitCode = code ?? EXIT_INTERNAL
      resolve()
    })
  })
  return true
}

/** The process entry point: configuration from the environment, a lazy logger, one-line failures. */
function runProcess(): void {
  runIngestWithSmallYoungGeneration().then(
    (done) => {
      if (!done) runInThisProcess()
    },
    () => runInThisProcess(),
  )
}

function runInThisProcess(): void {
  // V8's code cache on disk (node:module, Node 22.1+): the command modules imported below compile
  // from the cache after the first run, which takes a third off the start-up of `inspect`.
  enableCompileCache()
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    const code = stableCodeOf(error) ?? 'CLI_BAD_CONFIG'
    process.stderr.write(`${code}: ${oneLine(error instanceof Error ? error.message : String(error))}\n`)
    process.exitCode = EXIT_USAGE
    return
  }
  let logger: Logger | undefined
  const context: CommandContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    config,
    cwd: process.cwd(),
    get logger(): Logger {
      if (logger === undefined) logger = createLogger(config.logLevel)
      return logger
    },
  }
  const fatal = (error: unknown): void => {
    // `onco-edi parse big.835 | head`: the reader went away; that is not an error of ours.
    if (error instanceof Error && 'code' in error && error.code === 'EPIPE')
      process.exit(process.exitCode ?? 0)
    process.exitCode = reportFailure(error, context)
    process.exit()
  }
  process.on('uncaughtException', fatal)
  process.on('unhandledRejection', fatal)
  process.stdout.on('error', fatal)
  main(process.argv.slice(2), context).then((code) => {
    process.exitCode = code
  }, fatal)
}

if (isEntryPoint()) runProcess()
