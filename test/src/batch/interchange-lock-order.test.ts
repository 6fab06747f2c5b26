import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { SeenInterchange } from '../../../src/acknowledgments/acknowledge-file.js'
import { acknowledgeBatch837, registerBatchInterchange } from '../../../src/batch/acknowledge-batch-file.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { openTestDatabase } from '../../support/databases.js'

// Two PostgreSQL workers acknowledging two files that carry the same two reused interchanges
// (same ISA05/ISA06 and ISA13) in opposite orders: each records an interchange as received in its
// transaction (a unique batch_interchange row), so in file order each would hold one and wait for
// the other. Recorded in one global order, one waits and the other finishes.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const TEMPLATE = readFileSync(join(E2E, '837p-medicare-2026-01.x12'), 'latin1')

/** The template interchange under ISA13 `control`, with BHT03 tagged so each file's bytes differ. */
function interchange(control: string, tag: string): string {
  return TEMPLATE.replace('*000001001*0*T*', `*${control}*0*T*`)
    .replace('IEA*1*000001001~', `IEA*1*${control}~`)
    .replace(/BHT\*0019\*00\*([^*]+)\*/, `BHT*0019*00*$1${tag}*`)
}

const databaseUrl = process.env.DATABASE_URL
describe('two workers, two files sharing two reused interchanges in opposite orders [postgres]', () => {
  if (databaseUrl === undefined) {
    it('cannot run: DATABASE_URL is not set (the race needs two connections; PGlite has one)', () => {
      console.warn('interchange-lock-order.test.ts: DATABASE_URL is not set; the PostgreSQL race did not run')
    })
    return
  }

  it('both files finish (no deadlock) and each interchange is accepted exactly once', async () => {
    const first = await openTestDatabase(databaseUrl)
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(first.handle.db))
      .rows[0]?.schema
    const second = await openDatabase({ databaseUrl, schema })
    try {
      const fileA = new TextEncoder().encode(interchange('000007001', 'A') + interchange('000007002', 'A'))
      const fileB = new TextEncoder().encode(interchange('000007002', 'B') + interchange('000007001', 'B'))
      // Each worker, once it has recorded its first interchange, waits (at most 1.5 s) for the
      // other to record its own first: in file order that is the crossing that deadlocks.
      const firstRecorded = { A: false, B: false }
      const bothStarted = async (): Promise<void> => {
        const end = Date.now() + 1500
        while (!(firstRecorded.A && firstRecorded.B) && Date.now() < end)
          await new Promise((r) => setTimeout(r, 20))
      }
      const run = (handle: typeof second, name: 'A' | 'B', bytes: Uint8Array) =>
        handle.db.transaction().execute(async (trx) => {
          let count = 0
          const ack = await acknowledgeBatch837(handle.db, bytes, {
            sha256: name,
            duplicate: false,
            outbound: undefined,
            register: async (seen: SeenInterchange) => {
              const earlier = await registerBatchInterchange(trx, `claim-${name}`, seen)
              if (count++ === 0) {
                firstRecorded[name] = true
                await bothStarted()
              }
              return earlier
            },
          })
          return { name, duplicates: ack.duplicates.length, interchanges: ack.interchanges }
        })
      const results = await Promise.allSettled([run(first.handle, 'A', fileA), run(second, 'B', fileB)])
      const failures = results.flatMap((r) =>
        r.status === 'rejected' ? [String((r.reason as { code?: string }).code ?? r.reason)] : [],
      )
      expect(failures, 'a worker failed (40P01 is a deadlock)').toEqual([])
      const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      // One file accepted both interchanges (it went first); the other answered both with TA1 025.
      expect(done.map((d) => [d.interchanges, d.duplicates]).sort()).toEqual([
        [2, 0],
        [2, 2],
      ])
      const rows = await first.handle.db
        .selectFrom('batch_interchange')
        .select(['control', 'claim_id'])
        .orderBy('control')
        .execute()
      expect(rows.map((r) => r.control)).toEqual(['000007001', '000007002'])
      expect(new Set(rows.map((r) => r.claim_id)).size).toBe(1)
    } finally {
      await second.close()
      await first.cleanup()
    }
  }, 60_000)
})
