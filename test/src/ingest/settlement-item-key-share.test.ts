import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describePostgresOnly, openTwoConnections } from '../../support/databases.js'
import { ingestEachInOrder, reworkItemsOf } from '../../support/recovery-state.js'

// The settlement locks its claims' items (7c355e3) so that a biller's step comes wholly before it
// or after its commit. A transaction that only references an item (a foreign key to rework_item:
// a 277CA's claim_acknowledgment naming the open rejection item it finds, taken in the 277CA's
// file transaction before its own settlement locks remit claims) holds the item FOR KEY SHARE
// until its commit. Locked FOR UPDATE, the 835's settlement waited for that commit while holding
// the claims' remit claims, which the 277CA's settlement then waited for: a deadlock (40P01).
// FOR NO KEY UPDATE still excludes the biller's step (FOR UPDATE) and lets a reference be taken.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700). */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560: its settlement recovers the denial's item. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

describePostgresOnly(
  "an 835's settlement while another transaction references one of its claim's items [postgres]",
  { file: 'settlement-item-key-share.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('settles without waiting for the transaction that holds the item FOR KEY SHARE', async () => {
      const race = await openTwoConnections(url)
      let release = (): void => undefined
      let holding: Promise<void> | undefined
      let ingesting: Promise<unknown> | undefined
      try {
        await ingestEachInOrder(race.first, [CLAIMS, DENIAL])
        // What a foreign key to the item takes (as a 277CA's claim_acknowledgment row does).
        const released = new Promise<void>((resolve) => {
          release = resolve
        })
        let held = (): void => undefined
        const locked = new Promise<void>((resolve) => {
          held = resolve
        })
        holding = race.second.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ id: string }>`select id from rework_item
            where claim_id = 'E2E-P-003' for key share`.execute(trx)
          expect(rows.length).toBe(1)
          held()
          await released
        })
        await Promise.race([locked, holding])
        ingesting = ingestFiles([PAYMENT], { handle: race.first })
        const outcome = await Promise.race([
          ingesting.then(() => 'settled'),
          new Promise((resolve) => setTimeout(() => resolve('waiting for the key share'), 10_000)),
        ])
        expect(outcome).toBe('settled')
        const items = (await reworkItemsOf(race.first)).filter((i) => i.claimId === 'E2E-P-003')
        expect(items.map((i) => [i.status, i.recovered])).toEqual([['partially_recovered', 56000]])
      } finally {
        release()
        await holding?.catch(() => undefined)
        await ingesting?.catch(() => undefined)
        await race.cleanup()
      }
    }, 60_000)
  },
)
