import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { engines, openTestDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'
import { e2eText } from './fixture-edit.js'

const e2e = (name: string): string => join(repoRoot, 'fixtures/e2e', name)
const CLAIMS_837 = e2e('837p-medicare-2026-01.x12')
const REMIT_835 = e2e('835-medicare-2026-02-02.x12')
const dir = mkdtempSync(join(tmpdir(), 'rematch-test-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** The matching as ids-free rows: what each remit claim, line and rework item points at. */
async function matching(db: Kysely<Database>): Promise<unknown> {
  const claims = await sql<Record<string, unknown>>`
    select rc.claim_id, rc.match_status, sc.claim_id as submitted, sc.total_charge
    from remit_claim rc left join submitted_claim sc on sc.id = rc.submitted_claim_id
    order by rc.id`.execute(db)
  const lines = await sql<Record<string, unknown>>`
    select rc.claim_id, rl.line_seq, sl.line_number, sl.procedure_code
    from remit_line rl join remit_claim rc on rc.id = rl.remit_claim_id
    left join submitted_line sl on sl.id = rl.submitted_line_id
    order by rc.id, rl.line_seq`.execute(db)
  const items = await sql<Record<string, unknown>>`
    select ri.claim_id, ri.level, ri.procedure_code, ri.queue, ri.service_date, ri.deadline,
      ri.deadline_basis, ri.low_confidence, ri.appealable, ri.flags,
      sc.claim_id as submitted, sl.line_number
    from rework_item ri
    left join submitted_claim sc on sc.id = ri.submitted_claim_id
    left join submitted_line sl on sl.id = ri.submitted_line_id
    order by ri.id`.execute(db)
  return { claims: claims.rows, lines: lines.rows, items: items.rows }
}

for (const engine of engines) {
  describe(`remits that arrive before their 837 [${engine.name}]`, () => {
    const opened: { cleanup(): Promise<void> }[] = []
    afterAll(async () => {
      for (const db of opened) await db.cleanup()
    })

    /**
     * Ingests `remit` and `claims` into two fresh databases: in the usual order (one run: 837s go
     * first), and the remit in a first run with the 837 in a later one. Returns both databases, the
     * remit's result and the late 837's result.
     */
    async function bothOrders(remit: string, claims: string) {
      // Each one in `opened` as soon as it exists: afterAll drops it also when the next open fails.
      const usual = await openTestDatabase(engine.url)
      opened.push(usual)
      const reversed = await openTestDatabase(engine.url)
      opened.push(reversed)
      await ingestFiles([remit, claims], { handle: usual.handle })
      const [early] = await ingestFiles([remit], { handle: reversed.handle })
      const before = await matching(reversed.handle.db)
      const [late] = await ingestFiles([claims], { handle: reversed.handle })
      return { usual: usual.handle.db, reversed: reversed.handle.db, early, before, late }
    }

    it('are matched when the 837 is ingested: the same rows as in the usual order, with an audit trail', async () => {
      const { usual, reversed, early, before, late: claims } = await bothOrders(REMIT_835, CLAIMS_837)
      expect([early?.matched, early?.unmatched]).toEqual([0, 10])
      const { items } = before as { items: { flags: string[] }[] }
      expect(items.every((item) => item.flags.includes('unmatched'))).toBe(true)
      // E2E-P-999 has no 837 claim and stays unmatched; E2E-P-007 is paid in two CLPs.
      expect(claims?.rematched).toEqual({ claims: 9, lines: expect.any(Number), items: 6, deadlines: 0 })
      expect(claims?.rematched.lines).toBeGreaterThanOrEqual(9)
      expect(await matching(reversed)).toEqual(await matching(usual))

      const audit = await reversed
        .selectFrom('audit_event')
        .select(['entity', 'action', 'note'])
        .where('action', '=', 'matched')
        .execute()
      expect(audit).toHaveLength(6)
      expect(audit[0]?.note).toMatch(/^matched to submitted claim \d+ when 837 file \d+ was ingested$/)
      const fileAudit = await reversed
        .selectFrom('audit_event')
        .select('note')
        .where('entity', '=', 'ingest_file')
        .where('entity_id', '=', String(claims?.fileId))
        .executeTakeFirstOrThrow()
      expect(fileAudit.note).toContain('9 earlier remit claim(s) matched')
    })

    it('end an 837I (Part A) pair as in the usual order, deadlines included', async () => {
      const { usual, reversed, late } = await bothOrders(
        e2e('835-medicare-parta-2026-02-06.x12'),
        e2e('837i-medicare-2026-01.x12'),
      )
      expect(late?.rematched.claims).toBeGreaterThan(0)
      expect(await matching(reversed)).toEqual(await matching(usual))
    })

    it('take the DOS a remit lacks from the 837 and compute the deadlines again', async () => {
      // The same remit with its DTM*232/233/472 turned into DTM*036 (a date onco-edi does not read).
      const undated = file(
        'undated.x12',
        e2eText('835-medicare-2026-02-02.x12').replace(/DTM\*(232|233|472)\*/g, 'DTM*036*'),
      )
      const { usual, reversed, late } = await bothOrders(undated, CLAIMS_837)
      // Without a DOS the remit date stood in for it, which pushes the filing clock out.
      expect(late?.rematched.deadlines).toBeGreaterThan(0)
      expect(await matching(reversed)).toEqual(await matching(usual))
      const audit = await reversed
        .selectFrom('audit_event')
        .select('note')
        .where('action', '=', 'deadline_recomputed')
        .execute()
      expect(audit).toHaveLength(late?.rematched.deadlines ?? -1)
      expect(audit[0]?.note).toMatch(/^deadline \d{4}-\d{2}-\d{2} -> \d{4}-\d{2}-\d{2}: /)
    })

    it('leaves remit claims that are already matched alone when the same claims come again', async () => {
      const db = await openTestDatabase(engine.url)
      opened.push(db)
      await ingestFiles([CLAIMS_837, REMIT_835], { handle: db.handle })
      const before = await matching(db.handle.db)
      // The same claims in another interchange (a resubmission): the matched remits keep their claim,
      // and E2E-P-999, which has no 837 claim in either file, stays unmatched.
      const again = file(
        'resubmitted.x12',
        e2eText('837p-medicare-2026-01.x12')
          .replaceAll('000001001', '000001002')
          .replace('BHT*0019*00*E2E1001*20260120*0900', 'BHT*0019*00*E2E1002*20260121*0900'),
      )
      const [result] = await ingestFiles([again], { handle: db.handle })
      expect([result?.status, result?.claims]).toEqual(['ingested', 8])
      expect(result?.rematched).toEqual({ claims: 0, lines: 0, items: 0, deadlines: 0 })
      expect(await matching(db.handle.db)).toEqual(before)
      const { rows } = await sql<{ claim_id: string }>`select claim_id from remit_claim
        where match_status = 'unmatched'`.execute(db.handle.db)
      expect(rows.map((r) => r.claim_id)).toEqual(['E2E-P-999'])
    })
  })
}
