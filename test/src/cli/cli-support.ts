import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import type { Config } from '../../../src/config.js'
import { silentLogger } from '../../../src/logger.js'
import { seedPgliteDataDir } from '../../support/pglite-template.js'

/** A writable that keeps what was written. */
export class Capture extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

/**
 * A CLI configuration on a fresh database: a PGlite data directory (a copy of the migrated
 * template, test/support/pglite-template.ts), or a PostgreSQL database of
 * its own (created here on the DATABASE_URL server, dropped by `cleanup`). A database rather than
 * a schema, because the CLI connects with the URL alone.
 */
export async function cliDatabase(
  url: string | undefined,
  options: { migrated?: boolean } = {},
): Promise<{ config: Config; cleanup(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'cli-'))
  if (url === undefined) {
    // The home's database starts as a copy of the run's migrated template, unless the test is
    // about a new home (`migrated: false`: the CLI creates its database).
    if (options.migrated !== false) await seedPgliteDataDir(join(home, 'pgdata'))
    return {
      config: { databaseUrl: undefined, home, user: 'tester', logLevel: 'silent' },
      cleanup: async () => {},
    }
  }
  const name = `cli_${randomBytes(5).toString('hex')}`
  const { default: pg } = await import('pg')
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await run(`CREATE DATABASE ${name}`)
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    config: { databaseUrl: target.toString(), home, user: 'tester', logLevel: 'silent' },
    cleanup: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

/** Runs the CLI in process and returns the exit code and the output. */
export async function cli(
  config: Config,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture()
  const stderr = new Capture()
  const context: CommandContext = { stdout, stderr, config, cwd: process.cwd(), logger: silentLogger() }
  const code = await main(args, context)
  return { code, stdout: stdout.text, stderr: stderr.text }
}
