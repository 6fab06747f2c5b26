import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe } from 'vitest'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import { pgliteTemplateDump } from './pglite-template.js'

/** The engines a database suite runs on: PGlite always, PostgreSQL too when DATABASE_URL is set. */
export const engines: { name: 'pglite' | 'postgres'; url: string | undefined }[] = [
  { name: 'pglite', url: undefined },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, url: process.env.DATABASE_URL }] : []),
]

/**
 * Runs `body` once per engine against a fresh, migrated database: an in-memory PGlite (loaded from
 * the run's migrated template, test/support/pglite-template.ts), and a PostgreSQL schema of its
 * own (dropped afterwards). No mocks.
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
      let current: DatabaseHandle | undefined
      const ctx = {
        get handle(): DatabaseHandle {
          if (current === undefined)
            throw new Error('the test database is not open (use it inside it/beforeAll)')
          return current
        },
      }
      const schema = `t_${randomBytes(6).toString('hex')}`
      beforeAll(async () => {
        current = await openFresh(engine.url, schema)
      })
      afterAll(async () => {
        await current?.close()
        current = undefined
        if (engine.url) await dropSchema(engine.url, schema)
      })
      body(ctx)
    })
  }
}

/** Opens a fresh database on one engine; the caller closes it with `cleanup()`. */
export async function openTestDatabase(
  url: string | undefined,
): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const handle = await openFresh(url, schema)
  return {
    handle,
    async cleanup() {
      await handle.close()
      if (url) await dropSchema(url, schema)
    },
  }
}

/** PostgreSQL in a schema of its own, or an in-memory PGlite loaded from the migrated template. */
async function openFresh(url: string | undefined, schema: string): Promise<DatabaseHandle> {
  if (url) return openDatabase({ databaseUrl: url, schema })
  return openDatabase({ pgliteDump: await pgliteTemplateDump() })
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    // pg-boss's schema beside it (src/batch/job-queue.ts), when a test started the job queue.
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  } finally {
    await client.end()
  }
}
