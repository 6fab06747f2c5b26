import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import { pgliteTemplateDump } from './pglite-template.js'

/** The test databases of this test file that are open or opening and not dropped yet. */
const undropped = new Set<SuiteDatabase>()

/**
 * Drops every test database of this file that is still there: what a test opened and did not get
 * to drop (it failed or timed out before it had its cleanup). Run by the afterAll below.
 */
export async function dropUndropped(): Promise<void> {
  for (const database of [...undropped]) await database.drop()
}

// The last teardown of every test file that imports this module (hooks at the top level of a
// module the file imports belong to the file; registered first, this afterAll runs last).
afterAll(() => dropUndropped())

/** The engines a database suite runs on: PGlite always, PostgreSQL too when DATABASE_URL is set. */
export const engines: { name: 'pglite' | 'postgres'; url: string | undefined }[] = [
  { name: 'pglite', url: undefined },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, url: process.env.DATABASE_URL }] : []),
]

/**
 * Runs `body` once per engine against a fresh, migrated database: an in-memory PGlite (loaded from
 * the run's migrated template, test/support/pglite-template.ts), and a PostgreSQL schema of its
 * own (dropped afterwards, with pg-boss's schema beside it). No mocks.
 *
 * The schema is dropped last: after the suite's afterAll hooks and after the cleanups its own
 * beforeAll hooks return (vitest runs those after every afterAll), so a job queue a suite stops in
 * such a cleanup is stopped before its schema goes. When the opening beforeAll failed or timed out,
 * afterAll drops the schema once the open has settled (see {@link suiteDatabase}).
 *
 * @example
 * ```ts
 * describeEachDatabase('payer repository', (ctx) => {
 *   it('stores a payer', async () => { await ctx.handle.db.insertInto(...) })
 * })
 * ```
 */
export function describeEachDatabase(
  title: string,
  body: (ctx: { readonly handle: DatabaseHandle }) => void,
): void {
  for (const engine of engines) {
    describe(`${title} [${engine.name}]`, () => {
      const database = suiteDatabase(engine.url)
      const ctx = {
        get handle(): DatabaseHandle {
          return database.handle
        },
      }
      beforeAll(async () => {
        await database.open()
        return () => database.drop()
      })
      afterAll(async () => {
        if (!database.opened) await database.drop()
      })
      body(ctx)
    })
  }
}

/** Opens a fresh database on one engine; the caller closes it with `cleanup()`. */
export async function openTestDatabase(
  url: string | undefined,
): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  const database = suiteDatabase(url)
  try {
    const handle = await database.open()
    return { handle, cleanup: () => database.drop() }
  } catch (error) {
    // The schema exists once CREATE SCHEMA ran, also when a migration failed after it.
    await database.drop()
    throw error
  }
}

/**
 * A suite that only PostgreSQL can run (two connections racing; PGlite has one). With
 * DATABASE_URL set, `body` declares its tests with the URL; without it, the suite holds one test
 * that says in its name and on stderr why the suite did not run (`file`: the test file's name;
 * `needs`: what it needs two connections for; `what`: what did not run).
 */
export function describePostgresOnly(
  title: string,
  why: { file: string; needs: string; what: string },
  body: (url: string) => void,
): void {
  describe(title, () => {
    const url = process.env.DATABASE_URL
    if (!url) {
      it(`cannot run: DATABASE_URL is not set (${why.needs} needs two connections; PGlite has one)`, () => {
        console.warn(`${why.file}: DATABASE_URL is not set; ${why.what} did not run`)
      })
      return
    }
    body(url)
  })
}

/** Two connection pools to one fresh PostgreSQL test database, as two processes or workers have. */
export interface TwoConnections {
  first: DatabaseHandle
  second: DatabaseHandle
  /** Closes the second pool, then drops the database (once, however often called). */
  cleanup(): Promise<void>
}

/** Opens a fresh PostgreSQL test database ({@link suiteDatabase}) and a second pool to its schema. */
export async function openTwoConnections(url: string): Promise<TwoConnections> {
  const database = suiteDatabase(url)
  try {
    const first = await database.open()
    const second = await openDatabase({ databaseUrl: url, schema: database.schema })
    let closing: Promise<void> | undefined
    return {
      first,
      second,
      cleanup: () => {
        closing ??= second.close().finally(() => database.drop())
        return closing
      },
    }
  } catch (error) {
    await database.drop()
    throw error
  }
}

/** Runs `body` on a fresh test database ({@link openTestDatabase}), dropped however it ends. */
export async function withTestDatabase<T>(
  url: string | undefined,
  body: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openTestDatabase(url)
  try {
    return await body(database.handle)
  } finally {
    await database.cleanup()
  }
}

/** A test's database: {@link suiteDatabase}. */
export interface SuiteDatabase {
  /** The PostgreSQL schema (also named when the engine is PGlite, which has none). */
  readonly schema: string
  /** The open handle; throws before `open()` has finished or after `drop()`. */
  readonly handle: DatabaseHandle
  /** Whether `open()` has finished (and `drop()` has not started). */
  readonly opened: boolean
  open(): Promise<DatabaseHandle>
  /** Closes the handle and drops the schema and `SCHEMA_pgboss`; once, however often called. */
  drop(): Promise<void>
}

/**
 * One fresh database for a test: a `t_…` schema on PostgreSQL, an in-memory PGlite otherwise.
 * `drop()` waits for an `open()` still under way before dropping: a drop in the middle of the
 * migrations (an afterAll after its beforeAll timed out) would otherwise be undone, as kysely's
 * migrator creates its table's schema again, and leave the schema behind on the shared server.
 */
export function suiteDatabase(url: string | undefined): SuiteDatabase {
  const schema = `t_${randomBytes(6).toString('hex')}`
  let opening: Promise<DatabaseHandle> | undefined
  let current: DatabaseHandle | undefined
  let dropping: Promise<void> | undefined
  const database: SuiteDatabase = {
    schema,
    get handle(): DatabaseHandle {
      if (current === undefined) throw new Error('the test database is not open (use it inside it/beforeAll)')
      return current
    },
    get opened(): boolean {
      return current !== undefined
    },
    async open(): Promise<DatabaseHandle> {
      if (dropping !== undefined) throw new Error('the test database was dropped')
      undropped.add(database)
      opening ??= openFresh(url, schema)
      const handle = await opening
      if (dropping === undefined) current = handle
      return handle
    },
    drop(): Promise<void> {
      dropping ??= (async () => {
        current = undefined
        const handle = await opening?.catch(() => undefined)
        await handle?.close()
        if (url) await dropSchema(url, schema)
        undropped.delete(database)
      })()
      return dropping
    },
  }
  return database
}

/** PostgreSQL in a schema of its own, or an in-memory PGlite loaded from the migrated template. */
async function openFresh(url: string | undefined, schema: string): Promise<DatabaseHandle> {
  if (url) return openDatabase({ databaseUrl: url, schema })
  return openDatabase({ pgliteDump: await pgliteTemplateDump() })
}

/** Drops a test's PostgreSQL schema and pg-boss's schema beside it (src/batch/job-queue.ts), if there. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  } finally {
    await client.end()
  }
}
