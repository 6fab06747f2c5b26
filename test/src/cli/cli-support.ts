import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll } from 'vitest'
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

/** The PostgreSQL databases of this test file not dropped yet: name → server and CREATE under way. */
const undropped = new Map<string, { url: string; created: Promise<void> }>()

// The last teardown of every test file that imports this module (registered first, this afterAll
// runs last): drops the databases a test created and did not get to drop (it failed or timed out
// before it had its cleanup, or while the database was being created).
afterAll(() => dropUndroppedCliDatabases())

/** Drops every database of {@link cliDatabase} in this test file that is still there. */
export async function dropUndroppedCliDatabases(): Promise<void> {
  for (const name of [...undropped.keys()]) await dropCliDatabase(name)
}

async function runOnServer(url: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Drops a database of {@link cliDatabase} once its CREATE has settled (a drop before it did nothing). */
async function dropCliDatabase(name: string): Promise<void> {
  const entry = undropped.get(name)
  if (entry === undefined) return
  await entry.created.catch(() => undefined)
  await runOnServer(entry.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  undropped.delete(name)
}

/**
 * A CLI configuration on a fresh database: a PGlite data directory (a copy of the migrated
 * template, test/support/pglite-template.ts), or a PostgreSQL database of
 * its own (created here on the DATABASE_URL server, dropped by `cleanup`, or at the end of the test
 * file when its test did not get to call it). A database rather than a schema, because the CLI
 * connects with the URL alone.
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
  const created = runOnServer(url, `CREATE DATABASE ${name}`)
  undropped.set(name, { url, created })
  await created
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    config: { databaseUrl: target.toString(), home, user: 'tester', logLevel: 'silent' },
    cleanup: () => dropCliDatabase(name),
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
