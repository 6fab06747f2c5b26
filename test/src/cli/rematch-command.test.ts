import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { databaseOptionsFromConfig, openDatabase } from '../../../src/db/create-database.js'
import type { Database } from '../../../src/db/database.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

/** What each remit claim, line and rework item points at (no ids). */
async function matching(db: Kysely<Database>): Promise<unknown> {
  const claims = await sql`select rc.claim_id, rc.match_status, sc.claim_id as submitted
    from remit_claim rc left join submitted_claim sc on sc.id = rc.submitted_claim_id order by rc.id`.execute(
    db,
  )
  const lines = await sql`select rl.id, sl.line_number from remit_line rl
    left join submitted_line sl on sl.id = rl.submitted_line_id order by rl.id`.execute(db)
  const items =
    await sql`select ri.id, ri.submitted_claim_id is not null as has_claim, ri.service_date, ri.deadline, ri.flags
    from rework_item ri order by ri.id`.execute(db)
  return { claims: claims.rows, lines: lines.rows, items: items.rows }
}

/** Every item's claim, status, recovered cents and date, and the allocated total. */
async function recovery(db: Kysely<Database>) {
  const items = await sql<{
    claim_id: string
    status: string
    recovered_amount: string
    recovered_date: string | null
  }>`
    select claim_id, status, recovered_amount, recovered_date from rework_item order by id`.execute(db)
  const allocated = await sql<{
    cents: string | null
  }>`select sum(amount) as cents from recovery_allocation`.execute(db)
  return {
    items: items.rows.map((r) => [r.claim_id, r.status, Number(r.recovered_amount), r.recovered_date]),
    allocated: Number(allocated.rows[0]?.cents ?? 0),
  }
}

async function withDb<T>(config: Config, body: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const handle = await openDatabase(databaseOptionsFromConfig(config))
  try {
    return await body(handle.db)
  } finally {
    await handle.close()
  }
}

for (const engine of engines) {
  describe(`onco-edi rematch [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('matches remit claims left unmatched next to their stored 837, once', async () => {
      const ingest = await cli(config, [
        'ingest',
        join(E2E, '837p-medicare-2026-01.x12'),
        join(E2E, '835-medicare-2026-02-02.x12'),
      ])
      expect(ingest.code).toBe(0)
      const matched = await withDb(config, matching)
      // What an 835 stored while its 837 was still open left behind before the post-commit pass:
      // the remits unmatched, their items without the submitted claim and flagged.
      await withDb(config, async (db) => {
        await sql`update remit_claim set submitted_claim_id = null, match_status = 'unmatched'`.execute(db)
        await sql`update remit_line set submitted_line_id = null`.execute(db)
        await sql`update rework_item set submitted_claim_id = null, submitted_line_id = null,
          flags = array_append(flags, 'unmatched') where not 'unmatched' = any(flags)`.execute(db)
      })
      const repaired = await cli(config, ['rematch', '--json'])
      expect(repaired.code).toBe(0)
      expect(JSON.parse(repaired.stdout)).toMatchObject({ claims: 9 })
      expect(await withDb(config, matching)).toEqual(matched)
      const again = await cli(config, ['rematch'])
      expect([again.code, again.stdout]).toEqual([
        0,
        '0 remit claim(s) matched, 0 line(s), 0 rework item(s), 0 deadline(s) recomputed; recovery: 0 item(s) changed, 0 repeated denial(s) held back\n',
      ])
    }, 240_000) // PGlite opens its data directory five times here: slow on a loaded machine

    it('works recovery out again as ingest would once the remits are matched', async () => {
      // The March 835 pays E2E-P-003 $560 of its $700 February denial.
      const ingest = await cli(config, ['ingest', join(E2E, '835-medicare-2026-03-02.x12')])
      expect(ingest.code).toBe(0)
      const recovered = await withDb(config, recovery)
      expect(recovered.items).toContainEqual(['E2E-P-003', 'partially_recovered', 56000, '2026-03-02'])
      // What a database an older version stored leaves: the remits unmatched and the payment,
      // stored before the denial was, never applied to it.
      await withDb(config, async (db) => {
        await sql`update remit_claim set submitted_claim_id = null, match_status = 'unmatched'`.execute(db)
        await sql`delete from recovery_allocation`.execute(db)
        await sql`update rework_item set status = 'open', recovered_amount = 0, recovered_date = null`.execute(
          db,
        )
        await sql`update rework_item_line set recovered_amount = 0`.execute(db)
        // And the 835s' passes after their commit owed, as a pass that failed leaves them.
        await sql`insert into recovery_pass_owed (file_id, kind)
          select id, kind from ingest_file where kind = '835'`.execute(db)
      })
      expect((await withDb(config, recovery)).allocated).toBe(0)
      const repaired = await cli(config, ['rematch', '--json'])
      expect(repaired.code).toBe(0)
      expect(JSON.parse(repaired.stdout)).toMatchObject({
        claims: 12,
        recovery: { recovered: 1, recoveredAmount: 56000 },
      })
      expect(await withDb(config, recovery)).toEqual(recovered)
      // Nothing is owed any more: rematch did it all.
      const owed = await withDb(config, (db) =>
        db.selectFrom('recovery_pass_owed').select('file_id').execute(),
      )
      expect(owed).toEqual([])
      const again = await cli(config, ['rematch', '--json'])
      expect(JSON.parse(again.stdout)).toMatchObject({ claims: 0, recovery: { changed: 0 } })
    }, 240_000)

    it('refuses arguments with exit 2', async () => {
      const result = await cli(config, ['rematch', 'extra'])
      expect([result.code, result.stderr]).toEqual([2, 'CLI_USAGE: Expected no arguments, got "extra"\n'])
    })
  })
}
