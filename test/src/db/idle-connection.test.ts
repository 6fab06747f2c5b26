import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/create-database.js'

const url = process.env.DATABASE_URL

if (url === undefined) {
  process.stderr.write(
    'idle-connection.test.ts: DATABASE_URL is not set, the PostgreSQL idle-connection test does not run\n',
  )
}

describe.skipIf(url === undefined)('a pooled PostgreSQL connection the server closes while idle', () => {
  it('is reported to onIdleClientError, not thrown, and the next query opens a new connection', async () => {
    const seen: string[] = []
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    const handle = await openDatabase({
      databaseUrl: url,
      migrate: false,
      poolSize: 1,
      onIdleClientError: (error) => seen.push((error as Error & { code?: string }).code ?? error.message),
    })
    try {
      const first = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)
      const pid = first.rows[0]?.pid
      expect(typeof pid).toBe('number')
      // Another connection terminates the pool's idle one, as a restart or DROP … WITH (FORCE) does.
      const { default: pg } = await import('pg')
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query('select pg_terminate_backend($1)', [pid])
      } finally {
        await admin.end()
      }
      for (let waited = 0; seen.length === 0 && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(seen).toEqual(['57P01'])
      const second = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)
      expect(second.rows[0]?.pid).not.toBe(pid)
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
      await handle.close()
    }
  })
})
