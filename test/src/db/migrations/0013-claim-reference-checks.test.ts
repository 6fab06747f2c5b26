import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { Database } from '../../../../src/db/database.js'
import { down, up } from '../../../../src/db/migrations/0013-claim-reference-checks.js'
import { describeEachDatabase } from '../../../support/databases.js'
import { insertIngestFile, sqlState } from '../../../support/reference-checks.js'

function insertClaim(db: Kysely<Database>, fileId: number, claimId: string) {
  return sql<{ id: string | number }>`insert into submitted_claim (file_id, claim_id, kind, member_id,
      total_charge, frequency_code, facility_code, interchange_control, transaction_control, claim_envelope, claim_x12)
    values (${fileId}, ${claimId}, '837P', 'M1', 100, '1', '11', '1', '1', '{}', '') returning id`.execute(db)
}

function insertLine(db: Kysely<Database>, claimId: number) {
  return sql`insert into submitted_line (submitted_claim_id, line_number, charge, unit_basis, units)
    values (${claimId}, 1, 100, 'UN', 1)`.execute(db)
}

describeEachDatabase('migration 0013: claim and file references checked per statement', (ctx) => {
  it('refuses lines without their claim and claims without their file (23503)', async () => {
    const db = ctx.handle.db
    const fileId = await insertIngestFile(db, 'refs-1')
    const { rows } = await insertClaim(db, fileId, 'REF-1')
    const claimId = Number(rows[0]?.id)
    await insertLine(db, claimId)
    expect(await sqlState(insertLine(db, claimId + 1000))).toBe('23503')
    expect(await sqlState(insertClaim(db, fileId + 1000, 'REF-2'))).toBe('23503')
    expect(
      await sqlState(sql`update submitted_line set submitted_claim_id = ${claimId + 1000}`.execute(db)),
    ).toBe('23503')
    expect(
      await sqlState(
        sql`update submitted_claim set file_id = ${fileId + 1000} where id = ${claimId}`.execute(db),
      ),
    ).toBe('23503')
    // Nothing of the refused statements was stored.
    const counts = await sql<{ lines: string | number; claims: string | number }>`select
      (select count(*) from submitted_line where submitted_claim_id = ${claimId}) as lines,
      (select count(*) from submitted_claim where file_id = ${fileId}) as claims`.execute(db)
    expect(counts.rows.map((r) => [Number(r.lines), Number(r.claims)])).toEqual([[1, 1]])
  })

  it('refuses to delete (or renumber) a claim that has lines, or a file that has claims', async () => {
    const db = ctx.handle.db
    const fileId = await insertIngestFile(db, 'refs-2')
    const { rows } = await insertClaim(db, fileId, 'REF-3')
    const claimId = Number(rows[0]?.id)
    await insertLine(db, claimId)
    expect(await sqlState(sql`delete from submitted_claim where id = ${claimId}`.execute(db))).toBe('23503')
    expect(
      await sqlState(
        sql`update submitted_claim set id = ${claimId + 1000} where id = ${claimId}`.execute(db),
      ),
    ).toBe('23503')
    expect(await sqlState(sql`delete from ingest_file where id = ${fileId}`.execute(db))).toBe('23503')
    // A file's other updates, and deleting in order (lines, claim, file), pass.
    await sql`update ingest_file set status = 'ingested' where id = ${fileId}`.execute(db)
    await sql`update submitted_claim set payer_id = 'P1' where id = ${claimId}`.execute(db)
    await sql`delete from submitted_line where submitted_claim_id = ${claimId}`.execute(db)
    await sql`delete from submitted_claim where id = ${claimId}`.execute(db)
    await sql`delete from ingest_file where id = ${fileId}`.execute(db)
  })

  it('accepts claims and their lines inserted in one statement', async () => {
    const db = ctx.handle.db
    const fileId = await insertIngestFile(db, 'refs-3')
    await sql`with c as (
        insert into submitted_claim (file_id, claim_id, kind, member_id, total_charge, frequency_code,
          facility_code, interchange_control, transaction_control, claim_envelope, claim_x12)
        values (${fileId}, 'REF-4', '837P', 'M1', 100, '1', '11', '1', '1', '{}', '') returning id)
      insert into submitted_line (submitted_claim_id, line_number, charge, unit_basis, units)
      select id, n, 50, 'UN', 1 from c, generate_series(1, 2) as n`.execute(db)
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from submitted_line l
      join submitted_claim c on c.id = l.submitted_claim_id where c.file_id = ${fileId}`.execute(db)
    expect(Number(rows[0]?.n)).toBe(2)
  })

  it('down brings the foreign keys back, and up replaces them again', async () => {
    const db = ctx.handle.db
    const untyped = db as unknown as Kysely<unknown>
    const state = async () => {
      const { rows } = await sql<{ name: string }>`select conname as name from pg_constraint
        where connamespace = (select oid from pg_namespace where nspname = current_schema())
          and conname in ('submitted_line_submitted_claim_id_fkey', 'submitted_claim_file_id_fkey')
        union all
        select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
          and not t.tgisinternal and (tgname like '%_check_%' or tgname like '%_kept_%')
          and tgname not like 'submitted_claim_prefix_%'
        order by 1`.execute(db)
      return rows.map((r) => r.name)
    }
    const triggers = await state()
    expect(triggers).toHaveLength(8)
    await down(untyped)
    expect(await state()).toEqual(['submitted_claim_file_id_fkey', 'submitted_line_submitted_claim_id_fkey'])
    await up(untyped)
    expect(await state()).toEqual(triggers)
    const fileId = await insertIngestFile(db, 'refs-4')
    const { rows } = await insertClaim(db, fileId, 'REF-5')
    expect(await sqlState(insertLine(db, Number(rows[0]?.id) + 1000))).toBe('23503')
  })
})
