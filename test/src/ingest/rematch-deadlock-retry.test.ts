import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { ingestFiles, rematchAll } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import { describePostgresOnly, openTwoConnections } from '../../support/databases.js'
import { reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const FILES = [
  join(E2E, '837p-medicare-2026-01.x12'),
  join(E2E, '835-medicare-2026-02-02.x12'),
  join(E2E, '835-medicare-2026-03-02.x12'),
]

// `onco-edi rematch` (rematchAll) settles every claim in one transaction, locking the claims'
// remit claims in id order. Another transaction holding them in another order (an 835's pass after
// its commit matches its own remit claims first) can make PostgreSQL end one of the two with a
// deadlock (40P01). rematchAll is then tried again whole, as ingest's transactions are, instead of
// failing the command.
describePostgresOnly(
  'onco-edi rematch chosen as a deadlock victim [postgres]',
  { file: 'rematch-deadlock-retry.test.ts', needs: 'the deadlock', what: 'a PostgreSQL deadlock' },
  (url) => {
    it('is tried again and ends as a run without the other transaction', async () => {
      const race = await openTwoConnections(url)
      try {
        const results = await ingestFiles(FILES, { handle: race.first })
        expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested', 'ingested'])
        const items = await reworkItemsOf(race.first)
        const totals = await reportTotalsOf(race.first)
        // The remit claims rematch settles: those of claims remitted by both 835s (E2E-P-003
        // denied, then paid), which it locks lowest id first.
        const { rows } = await sql<{ first: string; last: string }>`select min(id)::text as first,
            max(id)::text as last from remit_claim where claim_id in (select claim_id from remit_claim
              group by claim_id having count(distinct remittance_id) > 1)`.execute(race.first.db)
        const first = Number(rows[0]?.first)
        const last = Number(rows[0]?.last)
        expect(last).toBeGreaterThan(first)

        const engine = await loadDenialEngine()
        let rematching: Promise<unknown> | undefined
        await race.second.db.transaction().execute(async (trx) => {
          // This side never looks for the deadlock first: rematch's backend (1 s) finds it.
          await sql`set local deadlock_timeout = '60s'`.execute(trx)
          await sql`select id from remit_claim where id = ${last} for update`.execute(trx)
          rematching = rematchAll(race.first.db, engine, 'rematch-test')
          rematching.catch(() => undefined)
          // Once rematch holds the first remit claim and waits for this transaction, take the first.
          const deadline = Date.now() + 20_000
          for (;;) {
            const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks
              where locktype = 'transactionid' and not granted
                and transactionid = xid(pg_current_xact_id())`.execute(trx)
            if ((waiting.rows[0]?.n ?? 0) > 0) break
            if (Date.now() > deadline) throw new Error('rematch never waited for the held remit claim')
            await new Promise((resolve) => setTimeout(resolve, 50))
          }
          await sql`select id from remit_claim where id = ${first} for update`.execute(trx)
        })
        // Without the retry, rematch failed with 40P01 (deadlock detected).
        await expect(rematching).resolves.toMatchObject({ owedCleared: 0 })
        expect(await reworkItemsOf(race.first)).toEqual(items)
        expect(await reportTotalsOf(race.first)).toEqual(totals)
      } finally {
        await race.cleanup()
      }
    })
  },
)
