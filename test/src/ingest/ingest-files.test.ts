import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { detectKindFromText } from '../../../src/ingest/detect-kind.js'
import { IngestError } from '../../../src/ingest/ingest-error.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'
import { e2eText, withSecondSet } from './fixture-edit.js'

const dir = mkdtempSync(join(tmpdir(), 'ingest-test-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function count(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)
  return rows[0]?.n ?? -1
}

describe('detectKindFromText', () => {
  it('reads ST01 with the delimiters of the ISA', async () => {
    expect(await detectKindFromText(e2eText('837p-medicare-2026-01.x12'), 'a')).toBe('837')
    expect(
      await detectKindFromText(
        e2eText('835-medicare-2026-02-02.x12').replaceAll('*', '|').replaceAll('~', '!'),
        'a',
      ),
    ).toBe('835')
  })

  it('reads an unpadded ISA, as the reader does', async () => {
    const text = e2eText('835-medicare-2026-02-02.x12')
    const isaEnd = text.indexOf('~')
    const isa = text
      .slice(0, isaEnd)
      .split('*')
      .map((element) => element.trim())
      .join('*')
    expect(isa.length).toBeLessThan(105)
    expect(await detectKindFromText(isa + text.slice(isaEnd), 'a')).toBe('835')
  })

  it('rejects another transaction type with its byte offset', async () => {
    const text = e2eText('835-medicare-2026-02-02.x12').replace('ST*835*', 'ST*270*')
    const error = await detectKindFromText(text, 'x.x12').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IngestError)
    expect(error).toMatchObject({ code: 'INGEST_UNKNOWN_KIND', offset: text.indexOf('ST*270*') })
  })

  it("gives the reader's coded error for text that is not X12", async () => {
    await expect(detectKindFromText('hello', 'x')).rejects.toMatchObject({
      code: 'X12_NO_ISA',
      position: { offset: 0 },
    })
  })

  it("gives the reader's X12_BAD_SEGMENT with its byte offset when no terminator comes", async () => {
    const isa = e2eText('835-medicare-2026-02-02.x12').slice(0, 106)
    const text = isa + 'GS*HP'.padEnd(2 * 1024 * 1024, 'A')
    await expect(detectKindFromText(text, 'x')).rejects.toMatchObject({
      code: 'X12_BAD_SEGMENT',
      position: { offset: 106 },
    })
  })
})

describeEachDatabase('ingestFiles', (ctx) => {
  it('rejects a concurrency below 1', async () => {
    await expect(ingestFiles([], { handle: ctx.handle, concurrency: 0 })).rejects.toMatchObject({
      code: 'INGEST_BAD_OPTION',
    })
  })

  it('reports an unreadable or unknown file as failed and goes on with the others', async () => {
    const results = await ingestFiles([join(dir, 'missing.x12'), file('junk.x12', 'not x12 at all')], {
      handle: ctx.handle,
    })
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['unreadable', 'INGEST_UNREADABLE'],
      ['unreadable', 'X12_NO_ISA'],
    ])
    expect(results[0]?.message).toContain(join(dir, 'missing.x12'))
    expect(await count(ctx.handle.db, 'ingest_file')).toBe(0)
  })

  it('stores the good sets of a file and quarantines the bad one with its reasons', async () => {
    const claims = file('claims.x12', e2eText('837p-commercial-2026-01.x12'))
    // The copy renames its claims so that stored rows can be told apart, and breaks SE01.
    const remit = file(
      'quarantine.x12',
      withSecondSet(e2eText('835-commercial-2026-02-05.x12'), {
        breakSe01: true,
        mutate: (set) => set.replaceAll('E2E-C-10', 'E2E-Q-10'),
      }),
    )
    const [, result] = await ingestFiles([claims, remit], { handle: ctx.handle })
    expect(result?.status).toBe('partial')
    expect(result?.claims).toBe(3)
    expect(result?.quarantined).toHaveLength(1)
    expect(result?.quarantined[0]?.transactionControl).toBe('0002')
    expect(result?.quarantined[0]?.reasons[0]).toMatchObject({
      code: 'X12_SE_COUNT',
      position: { segmentId: 'SE', element: 1, stSegment: 36 },
    })
    const stored = await ctx.handle.db
      .selectFrom('remit_claim')
      .select('claim_id')
      .orderBy('claim_id')
      .execute()
    expect(stored.map((r) => r.claim_id)).toEqual(['E2E-C-101', 'E2E-C-102', 'E2E-C-103'])
    expect(await count(ctx.handle.db, 'remittance')).toBe(1)
    const quarantine = await ctx.handle.db.selectFrom('quarantine').selectAll().executeTakeFirstOrThrow()
    expect(quarantine.transaction_control).toBe('0002')
    expect(quarantine.reasons).toEqual([expect.objectContaining({ code: 'X12_SE_COUNT' })])
    const row = await ctx.handle.db
      .selectFrom('ingest_file')
      .selectAll()
      .where('name', '=', 'quarantine.x12')
      .executeTakeFirstOrThrow()
    expect([row.status, row.claim_count, row.quarantined_count, row.transaction_controls]).toEqual([
      'partial',
      3,
      1,
      ['0001'],
    ])
  })

  it('stores nothing from a different file whose every set is already stored', async () => {
    const original = file('medicare.x12', e2eText('837p-medicare-2026-01.x12'))
    const copy = file('medicare-copy.x12', `${e2eText('837p-medicare-2026-01.x12')}\n\n`)
    const [first] = await ingestFiles([original], { handle: ctx.handle })
    const claimsBefore = await count(ctx.handle.db, 'submitted_claim')
    const [second] = await ingestFiles([copy], { handle: ctx.handle })
    expect(first?.status).toBe('ingested')
    expect(second?.status).toBe('already_ingested')
    expect(second?.message).toMatch(new RegExp(`every transaction set was stored from file ${first?.fileId}`))
    expect(second?.duplicateSets).toEqual([
      { interchangeControl: '000001001', transactionControl: '0001', fileId: first?.fileId },
    ])
    expect(await count(ctx.handle.db, 'submitted_claim')).toBe(claimsBefore)
    const [third] = await ingestFiles([original], { handle: ctx.handle })
    expect(third?.message).toMatch(/same content/)
  })

  it('gives the same rows with tiny batches as with the default (savepoints span batches)', async () => {
    const remit = file('medicare-remit.x12', e2eText('835-medicare-2026-02-02.x12'))
    const [result] = await ingestFiles([remit], { handle: ctx.handle, batchSize: 2 })
    expect([result?.claims, result?.matched, result?.unmatched, result?.items]).toEqual([10, 9, 1, 7])
    const { rows } = await sql<{
      paid: string | number
      n: number
    }>`select sum(paid) as paid, count(*)::int as n
      from remit_claim where file_id = ${result?.fileId}`.execute(ctx.handle.db)
    // BPR02 of the file: 5200.00.
    expect([Number(rows[0]?.paid), rows[0]?.n]).toEqual([520000, 10])
    const audit = await ctx.handle.db
      .selectFrom('audit_event')
      .select(['actor', 'action', 'after_status', 'note'])
      .where('entity', '=', 'ingest_file')
      .where('entity_id', '=', String(result?.fileId))
      .execute()
    expect(audit).toEqual([
      {
        actor: 'ingest',
        action: 'ingest',
        after_status: 'ingested',
        note: '835: 10 claims, 0 quarantined set(s), 7 rework item(s)',
      },
    ])
  })

  it('never opens an item for a reversal on its own', async () => {
    const text = e2eText('835-medicare-2026-03-02.x12')
    const [result] = await ingestFiles([file('reversal.x12', text)], { handle: ctx.handle })
    expect([result?.reversals, result?.items]).toEqual([1, 0])
    const reversal = await ctx.handle.db
      .selectFrom('remit_claim')
      .select(['is_reversal', 'paid'])
      .where('status', '=', '22')
      .executeTakeFirstOrThrow()
    expect([reversal.is_reversal, Number(reversal.paid)]).toEqual([true, -24000])
  })

  it('stores nothing of an 837 whose third claim batch the server refuses, and stores it all once it accepts', async () => {
    // Batches of 2 claims: the statement of batch 3 (E2E-R-005/006) fails at the server while the
    // statement of batch 4 is already built; the file's transaction must end with nothing stored.
    // Claim ids and ISA13 of its own, so that the other tests' files are not duplicates of it.
    const db = ctx.handle.db
    const tables = ['ingest_file', 'interchange', 'transaction_set', 'submitted_claim', 'submitted_line']
    const counts = async () => Promise.all(tables.map(async (table) => [table, await count(db, table)]))
    const before = await counts()
    await sql`create function refuse_claim_005() returns trigger language plpgsql as $$
      begin
        if new.claim_id = 'E2E-R-005' then raise exception 'claim refused by the test trigger'; end if;
        return new;
      end $$`.execute(db)
    await sql`create trigger refuse_claim_005 before insert on submitted_claim
      for each row execute function refuse_claim_005()`.execute(db)
    const claims = file(
      'refused.x12',
      e2eText('837p-medicare-2026-01.x12')
        .replaceAll('E2E-P-', 'E2E-R-')
        .replaceAll('000001001', '000009001'),
    )
    const [result] = await ingestFiles([claims], { handle: ctx.handle, batchSize: 2 })
    expect([result?.status, result?.error?.code]).toEqual(['failed', 'INGEST_STORE_FAILED'])
    expect(result?.message).toContain('claim refused by the test trigger')
    expect(await counts()).toEqual(before)

    await sql`drop trigger refuse_claim_005 on submitted_claim`.execute(db)
    await sql`drop function refuse_claim_005()`.execute(db)
    const [again] = await ingestFiles([claims], { handle: ctx.handle, batchSize: 2 })
    expect([again?.status, again?.claims]).toEqual(['ingested', 8])
    const stored = await db
      .selectFrom('submitted_claim')
      .select('claim_id')
      .where('file_id', '=', again?.fileId ?? -1)
      .orderBy('claim_id')
      .execute()
    expect(stored.map((r) => r.claim_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `E2E-R-00${n}`))
  })
})
