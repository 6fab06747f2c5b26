import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Opens denial items (CARC 4 among others). */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')

describeEachDatabase('835 recovery reads planned from statistics', (ctx) => {
  /** Columns of `table` the planner has statistics for. */
  const statistics = async (table: string): Promise<string[]> => {
    const { rows } = await sql<{ attname: string }>`
      select attname from pg_catalog.pg_stats
      where schemaname = current_schema() and tablename = ${table} order by attname`.execute(ctx.handle.db)
    return rows.map((r) => r.attname)
  }

  it('the tables the recovery reads have statistics once an 835 opened items in a fresh database', async () => {
    // Without them, the file's own uncommitted items and lines were planned as one-row tables and
    // read by nested loops over every item and line: 67 s of a 20k-claim 835 on PostgreSQL.
    for (const path of [CLAIMS, DENIAL]) {
      const [result] = await ingestFiles([path], { handle: ctx.handle })
      expect(result?.status).toBe('ingested')
    }
    const items = await ctx.handle.db
      .selectFrom('rework_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(items.n)).toBeGreaterThan(0)
    expect(await statistics('rework_item')).toContain('remit_claim_id')
    expect(await statistics('rework_item_line')).toContain('rework_item_id')
    expect(await statistics('remit_claim')).toContain('claim_id')
  })
})
