import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../src/db/create-database.js'
import { down, up } from '../../../../src/db/migrations/0014-recovery-allocation.js'
import { ingestFiles } from '../../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'e2e')
/** Claims, then the 2026-02-02 denial and the 2026-03-02 payment that recovers part of it. */
const FILES = ['837p-medicare-2026-01.x12', '835-medicare-2026-02-02.x12', '835-medicare-2026-03-02.x12']

async function allocations(handle: DatabaseHandle) {
  const rows = await handle.db
    .selectFrom('recovery_allocation')
    .select(['remit_claim_id', 'rework_item_id', 'amount', 'created_at'])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    remitClaimId: Number(r.remit_claim_id),
    itemId: Number(r.rework_item_id),
    amount: Number(r.amount),
    createdAt: new Date(r.created_at).getTime(),
  }))
}

describeEachDatabase('migration 0014: recovery_allocation', (ctx) => {
  it('is written with each recovery, in its audit event transaction, and backfilled from the notes', async () => {
    const { handle } = ctx
    for (const name of FILES) {
      const [result] = await ingestFiles([join(E2E, name)], { handle })
      expect(result?.status).toBe('ingested')
    }
    // One allocation per recovered audit event, naming the same remit claim and cents.
    const written = await allocations(handle)
    const events = await handle.db
      .selectFrom('audit_event')
      .select(['entity_id', 'note', 'at'])
      .where('entity', '=', 'rework_item')
      .where('action', '=', 'recovered')
      .orderBy('id')
      .execute()
    expect(written.length).toBeGreaterThan(0)
    expect(written.map((a) => [a.itemId, `paid ${a.amount} cents by remit claim ${a.remitClaimId}`])).toEqual(
      events.map((e) => [Number(e.entity_id), e.note]),
    )
    const first = written[0]
    if (first === undefined) throw new Error('no allocation')

    // A database from before 0014: the allocations exist only as audit notes, plus notes that are
    // not allocations (another form, a remit claim that does not exist) and one of an item that
    // migration 0006 merged into another.
    // Migrations take an untyped Kysely (they run before and after any table exists).
    const untyped = handle.db as unknown as Kysely<unknown>
    await down(untyped)
    const merged = 900_000_001
    await sql`insert into rework_item_merge (merged_id, rework_item_id) values (${merged}, ${first.itemId})`.execute(
      handle.db,
    )
    await sql`insert into audit_event (actor, entity, entity_id, action, before_status, after_status, note)
      values ('t', 'rework_item', ${String(first.itemId)}, 'recovered', 'open', 'recovered', 'paid by check'),
        ('t', 'rework_item', ${String(first.itemId)}, 'recovered', 'open', 'recovered',
          'paid 5 cents by remit claim 999999999'),
        ('t', 'rework_item', ${String(first.itemId)}, 'assigned', 'open', 'assigned',
          ${`paid 7 cents by remit claim ${first.remitClaimId}`}),
        ('t', 'rework_item', ${String(merged)}, 'recovered', 'open', 'recovered',
          ${`paid 300 cents by remit claim ${first.remitClaimId}`})`.execute(handle.db)
    await up(untyped)
    const backfilled = await allocations(handle)
    expect(backfilled.slice(0, written.length)).toEqual(written)
    expect(backfilled.slice(written.length).map(({ createdAt: _, ...a }) => a)).toEqual([
      { remitClaimId: first.remitClaimId, itemId: first.itemId, amount: 300 },
    ])
  })
})
