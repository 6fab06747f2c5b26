import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/create-database.js'
import { ingestFileInTransaction } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import { openTestDatabase } from '../../support/databases.js'

// Two PostgreSQL workers storing two 835s that carry the same two reused interchanges (same
// ISA06 and ISA13, other content) in opposite orders, each in the caller's transaction as the
// batch service does (no retry there): each interchange takes an advisory lock until commit, so
// in file order each worker would hold one and wait for the other's.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const TEMPLATE = readFileSync(join(E2E, '835-medicare-2026-02-02.x12'), 'latin1')
const dir = mkdtempSync(join(tmpdir(), 'interchange-lock-order-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The template interchange under ISA13 `control`, its TRN02 tagged so each set is new content. */
function interchange(control: string, tag: string): string {
  return TEMPLATE.replace('*000003001*0*T*', `*${control}*0*T*`)
    .replace('IEA*1*000003001~', `IEA*1*${control}~`)
    .replace('TRN*1*E2EEFT0202*', `TRN*1*E2EEFT0202${tag}*`)
}

const databaseUrl = process.env.DATABASE_URL
describe('two workers, two 835s sharing two reused interchanges in opposite orders [postgres]', () => {
  if (databaseUrl === undefined) {
    it('cannot run: DATABASE_URL is not set (the race needs two connections; PGlite has one)', () => {
      console.warn('interchange-lock-order.test.ts (ingest): DATABASE_URL is not set; the race did not run')
    })
    return
  }

  it('both files are stored (no deadlock); the one stored second is told of the reused ISA13s', async () => {
    const first = await openTestDatabase(databaseUrl)
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(first.handle.db))
      .rows[0]?.schema
    const second = await openDatabase({ databaseUrl, schema })
    try {
      const a = join(dir, 'a.x12')
      const b = join(dir, 'b.x12')
      writeFileSync(a, interchange('000008001', 'A1') + interchange('000008002', 'A2'))
      writeFileSync(b, interchange('000008002', 'B2') + interchange('000008001', 'B1'))
      const engine = await loadDenialEngine()
      // After its first batch each worker waits (at most 1.5 s) for the other's first batch: in
      // file order that is the crossing that deadlocks.
      const started = { a: false, b: false }
      const bothStarted = async (): Promise<void> => {
        const end = Date.now() + 1500
        while (!(started.a && started.b) && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      }
      const run = (handle: typeof second, name: 'a' | 'b', path: string) =>
        handle.db.transaction().execute(async (trx) => {
          let batches = 0
          const stored = await ingestFileInTransaction(trx, path, {
            handle,
            engine,
            batchSize: 1,
            onProgress: async () => {
              if (batches++ > 0) return
              started[name] = true
              await bothStarted()
            },
          })
          return stored.result
        })
      const results = await Promise.allSettled([run(first.handle, 'a', a), run(second, 'b', b)])
      const failures = results.flatMap((r) =>
        r.status === 'rejected' ? [String((r.reason as { code?: string }).code ?? r.reason)] : [],
      )
      expect(failures, 'a worker failed (40P01 is a deadlock)').toEqual([])
      const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      expect(stored.map((r) => r.status)).toEqual(['ingested', 'ingested'])
      // Stored anyway (the default policy), with a warning for each reused ISA13 on the later one.
      expect(stored.map((r) => r.warnings.length).sort()).toEqual([0, 2])
    } finally {
      await second.close()
      await first.cleanup()
    }
  }, 60_000)
})
