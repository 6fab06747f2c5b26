import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../src/db/create-database.js'
import { migrateToLatest, openDatabase } from '../../../../src/db/create-database.js'
import { migrations } from '../../../../src/db/migrations/index.js'
import { ingestFiles } from '../../../../src/ingest/ingest-files.js'
import { getReworkItemDetail } from '../../../../src/rework/rework-repository.js'
import { engines } from '../../../support/databases.js'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
/**
 * Rows written by release 0.1.0 (one rework item per denied line), from fixtures/e2e: the 837s,
 * the February 835s, and a biller's work on the items (E2E-P-003's two coding lines corrected
 * and assigned apart, E2E-C-101 assigned, E2E-P-008 written off).
 */
const OLD = JSON.parse(
  readFileSync(join(ROOT, 'fixtures', 'migrations', 'line-items-0.1.0.json'), 'utf8'),
) as Record<string, Record<string, unknown>[]>
const TABLES = [
  'ingest_file',
  'interchange',
  'submitted_claim',
  'submitted_line',
  'remittance',
  'remit_claim',
  'remit_line',
  'remit_adjustment',
  'payer_profile',
  'rework_item',
  'audit_event',
] as const
const CLAIM_ITEMS = '0006-claim-rework-items'

/** Opens a database on `url`'s engine with the migrations before 0006 only, filled with OLD. */
async function openOldDatabase(url: string | undefined, schema: string): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: url, schema: url ? schema : undefined, migrate: false })
  const before = Object.keys(migrations)
    .filter((name) => name < CLAIM_ITEMS)
    .sort()
    .at(-1)
  if (before === undefined) throw new Error('no migration before 0006')
  const { error } = await new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrations },
    ...(url ? { migrationTableSchema: schema } : {}),
  }).migrateTo(before)
  if (error !== undefined) throw error
  for (const table of TABLES) {
    for (const row of OLD[table] ?? []) {
      const values = Object.entries(row).map(([column, value]) =>
        column === 'claim_json' || column === 'reasons' ? JSON.stringify(value) : value,
      )
      const columns = Object.keys(row)
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        values (${sql.join(values)})`.execute(handle.db)
    }
    if (table !== 'payer_profile')
      await sql`select setval(${`${table}_id_seq`}, (select coalesce(max(id), 1) from ${sql.table(table)}))`.execute(
        handle.db,
      )
  }
  return handle
}

for (const engine of engines) {
  describe(`migration 0006: line items become claim items [${engine.name}]`, () => {
    const schema = `t_${randomBytes(6).toString('hex')}`
    let handle: DatabaseHandle | undefined
    const db = () => {
      if (handle === undefined) throw new Error('database not open')
      return handle.db
    }
    const itemOf = (claimId: string, code: string) => {
      const row = OLD.rework_item?.find((r) => r.claim_id === claimId && r.procedure_code === code)
      if (row === undefined) throw new Error(`no old item ${claimId} ${code}`)
      return Number(row.id)
    }
    let auditBefore: { id: number; entity_id: string; action: string; note: string | null }[] = []

    beforeAll(async () => {
      handle = await openOldDatabase(engine.url, schema)
      // A note and an audit event written on the old line item, as `queue resolve --note` did.
      await sql`update rework_item set note = 'NDC check pending' where id = ${itemOf('E2E-P-003', 'J9045')}`.execute(
        db(),
      )
      await sql`insert into audit_event (actor, entity, entity_id, action, before_status, after_status, note)
        values ('bob', 'rework_item', ${String(itemOf('E2E-P-003', 'J9045'))}, 'note', 'assigned', 'assigned', 'NDC check pending')`.execute(
        db(),
      )
      const { rows } = await sql<{
        id: string | number
        entity_id: string
        action: string
        note: string | null
      }>`
        select id, entity_id, action, note from audit_event order by id`.execute(db())
      auditBefore = rows.map((r) => ({ ...r, id: Number(r.id) }))
      await migrateToLatest(db(), engine.url ? schema : undefined)
    })
    afterAll(async () => {
      await handle?.close()
      if (engine.url) {
        const { default: pg } = await import('pg')
        const client = new pg.Client({ connectionString: engine.url })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.end()
      }
    })

    it('merges the lines of one remit claim and queue into one item, and keeps every line', async () => {
      const items = await db().selectFrom('rework_item').selectAll().orderBy('id').execute()
      const old = OLD.rework_item ?? []
      expect(items).toHaveLength(old.length - 1)
      const lines = await db().selectFrom('rework_item_line').selectAll().execute()
      expect(lines).toHaveLength(old.length)
      const total = (rows: readonly { amount?: unknown }[]) =>
        rows.reduce((sum, r) => sum + Number(r.amount), 0)
      expect(total(items)).toBe(total(old))
      expect(total(lines)).toBe(total(old))
      const p003 = items.filter((i) => i.claim_id === 'E2E-P-003')
      expect(p003.map((i) => [Number(i.id), i.queue, Number(i.amount), i.carcs, i.level])).toEqual([
        [itemOf('E2E-P-003', '96413'), 'coding', 70000, ['CO-4'], 'claim'],
      ])
      const p003Lines = lines
        .filter((l) => Number(l.rework_item_id) === itemOf('E2E-P-003', '96413'))
        .map((l) => [l.procedure_code, Number(l.amount), l.level])
        .sort()
      expect(p003Lines).toEqual([
        ['96413', 40000, 'line'],
        ['J9045', 30000, 'line'],
      ])
      const merge = await db().selectFrom('rework_item_merge').selectAll().execute()
      expect(merge.map((m) => [Number(m.merged_id), Number(m.rework_item_id)])).toEqual([
        [itemOf('E2E-P-003', 'J9045'), itemOf('E2E-P-003', '96413')],
      ])
    })

    it('resolves conflicts as documented: least advanced status, most recent assignee, every note', async () => {
      const p003 = await db()
        .selectFrom('rework_item')
        .select(['status', 'assignee', 'note'])
        .where('id', '=', itemOf('E2E-P-003', '96413'))
        .executeTakeFirstOrThrow()
      // corrected (96413, alice) and assigned (J9045, bob): assigned is the less advanced.
      expect(p003).toEqual({
        status: 'assigned',
        assignee: 'bob',
        note: 'admin line recoded\nNDC check pending',
      })
      const kept = await db()
        .selectFrom('rework_item')
        .select(['id', 'status', 'assignee', 'note'])
        .where('id', 'in', [itemOf('E2E-C-101', 'J9299'), itemOf('E2E-P-008', '96413')])
        .orderBy('id')
        .execute()
      expect(kept.map((k) => [k.status, k.assignee, k.note]).sort()).toEqual([
        ['assigned', 'carol', null],
        ['written_off', null, 'late filing'],
      ])
    })

    it('loses no audit event, audits the merge, and shows merged items’ history on the survivor', async () => {
      const { rows } = await sql<{
        id: string | number
        entity_id: string
        action: string
        note: string | null
      }>`
        select id, entity_id, action, note from audit_event order by id`.execute(db())
      const after = rows.map((r) => ({ ...r, id: Number(r.id) }))
      expect(after.slice(0, auditBefore.length)).toEqual(auditBefore)
      const survivor = itemOf('E2E-P-003', '96413')
      expect(after.slice(auditBefore.length).map((e) => [e.entity_id, e.action, e.note])).toEqual([
        [
          String(survivor),
          'merged',
          `line items ${itemOf('E2E-P-003', 'J9045')} merged into claim item ${survivor} (least advanced status, most recent assignee)`,
        ],
      ])
      const detail = await getReworkItemDetail(db(), survivor, '2026-02-10')
      expect(detail.history.map((h) => [h.actor, h.action])).toEqual([
        ['alice', 'resolve:corrected'],
        ['lead', 'assign'],
        ['bob', 'note'],
        ['migration 0006', 'merged'],
      ])
      expect(detail.item.lines.map((l) => l.procedureCode)).toEqual(['96413', 'J9045'])
    })

    it('goes on working: the next remit recovers the merged item in part', async () => {
      if (handle === undefined) throw new Error('database not open')
      const [march] = await ingestFiles([join(ROOT, 'fixtures', 'e2e', '835-medicare-2026-03-02.x12')], {
        handle,
        user: 'tester',
      })
      expect([march?.status, march?.items, march?.recovered, march?.recoveredAmount]).toEqual([
        'ingested',
        0,
        1,
        56000,
      ])
      const p003 = await getReworkItemDetail(db(), itemOf('E2E-P-003', '96413'), '2026-03-05')
      expect([p003.item.status, p003.item.recoveredAmount, p003.item.amount]).toEqual([
        'partially_recovered',
        '560.00',
        '700.00',
      ])
    })
  })
}
