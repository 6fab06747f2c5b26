import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobQueue } from '../../../src/batch/job-queue.js'
import { startJobQueue } from '../../../src/batch/job-queue.js'
import {
  describeEachDatabase,
  dropUndropped,
  openTestDatabase,
  suiteDatabase,
} from '../../support/databases.js'
import { cliDatabase, dropUndroppedCliDatabases } from '../cli/cli-support.js'

const url = process.env.DATABASE_URL

/** Whether a database of that name exists on the test server. */
async function databaseExists(databaseUrl: string, name: string): Promise<boolean> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query('select 1 from pg_database where datname = $1', [name])
    return rows.length > 0
  } finally {
    await client.end()
  }
}

/** Whether a schema of that name exists on the test server. */
async function schemaExists(databaseUrl: string, name: string): Promise<boolean> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ found: boolean }>(
      'select to_regnamespace($1) is not null as found',
      [name],
    )
    return rows[0]?.found === true
  } finally {
    await client.end()
  }
}

/**
 * The test databases on the shared PostgreSQL (test/support/databases.ts) are dropped by their own
 * test's teardown, also when that teardown runs while the database is still being opened (an
 * afterAll after its beforeAll timed out), and only after the suite's own cleanups (a job queue's
 * stop) have run. Other engineers' runs share the server: repeated runs must not pile up schemas.
 */
describe('a test database on the shared PostgreSQL', () => {
  if (url === undefined)
    it('NOT RUN: DATABASE_URL is not set (only PostgreSQL keeps schemas behind)', () => {
      console.warn('test-database-cleanup: the PostgreSQL part is NOT RUN (DATABASE_URL is not set)')
    })
  else {
    it("is dropped by the file's last teardown when its test never dropped it", async () => {
      // As a test that failed or timed out between its open and its cleanup.
      const { handle } = await openTestDatabase(url)
      const schema = handle.queueAccess?.engine === 'postgres' ? handle.queueAccess.schema : undefined
      if (schema === undefined) throw new Error('no schema')
      expect(await schemaExists(url, schema)).toBe(true)
      // What the afterAll that test/support/databases.ts registers in each file runs.
      await dropUndropped()
      expect(await schemaExists(url, schema)).toBe(false)
    })
    it("of the CLI tests (a database of its own) is dropped by the file's last teardown too", async () => {
      const { config } = await cliDatabase(url)
      const name = new URL(config.databaseUrl ?? '').pathname.slice(1)
      expect(await databaseExists(url, name)).toBe(true)
      // What the afterAll that test/src/cli/cli-support.ts registers in each file runs.
      await dropUndroppedCliDatabases()
      expect(await databaseExists(url, name)).toBe(false)
    })
    it('waits for the open and leaves no schema behind', async () => {
      const database = suiteDatabase(url)
      const opening = database.open()
      // As afterAll does when its beforeAll timed out: the open (CREATE SCHEMA, migrations) is
      // still under way. Dropping at once let the migrations create the schema again afterwards.
      await database.drop()
      await opening.catch(() => undefined)
      expect(database.opened).toBe(false)
      expect(await schemaExists(url, database.schema)).toBe(false)
    })
  }
})

const seen: string[] = []
const schemas: string[] = []

describeEachDatabase('a suite that starts a job queue', (ctx) => {
  let queue: JobQueue
  beforeAll(async () => {
    const { queueAccess } = ctx.handle
    if (queueAccess?.engine === 'postgres' && queueAccess.schema !== undefined)
      schemas.push(queueAccess.schema, `${queueAccess.schema}_pgboss`)
    queue = await startJobQueue(ctx.handle)
    // As test/src/batch/worker.test.ts stops its queue: a cleanup returned by beforeAll, which
    // vitest runs after every afterAll. The database must still be there then.
    return async () => {
      await queue.stop()
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(ctx.handle.db)
      seen.push(`${ctx.handle.engine}: open at the suite's cleanup (${rows[0]?.one})`)
    }
  })

  it('has its database', async () => {
    expect(await queue.pending()).toBe(0)
  })
})

afterAll(async () => {
  expect(seen).toEqual([
    "pglite: open at the suite's cleanup (1)",
    ...(url === undefined ? [] : ["postgres: open at the suite's cleanup (1)"]),
  ])
  // Its schema and pg-boss's beside it are gone once the suite is done.
  if (url !== undefined) for (const name of schemas) expect(await schemaExists(url, name), name).toBe(false)
})
