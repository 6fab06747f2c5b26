import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'
import { e2eText, withSecondSet } from './fixture-edit.js'

const dir = mkdtempSync(join(tmpdir(), 'same-file-suppression-test-'))

/**
 * The commercial 835 with a second set that denies the same lines for the same reasons a week
 * later (BPR16 and DTM*405 2026-02-12): its repeated denials are held back while the file is
 * stored, by the first set's items of the same file, not opened and removed again afterwards.
 */
describeEachDatabase('repeated denials in a later set of the same 835', (ctx) => {
  it("are compared with the file's earlier sets' items: no second item, nothing held back after the fact", async () => {
    const text = withSecondSet(e2eText('835-commercial-2026-02-05.x12'), {
      mutate: (set) => set.replaceAll('*20260205~', '*20260212~').replaceAll('E2ECHK0205', 'E2ECHK0212'),
    })
    const path = join(dir, 'two-sets.x12')
    writeFileSync(path, text)
    const [result] = await ingestFiles([path], { handle: ctx.handle })
    expect(result?.status).toBe('ingested')
    expect(result?.sets).toBe(2)
    const { rows } = await sql<{ control: string; items: number }>`select r.transaction_control as control,
        count(ri.id)::int as items
      from remittance r left join remit_claim rc on rc.remittance_id = r.id
        left join rework_item ri on ri.remit_claim_id = rc.id
      group by r.transaction_control order by r.transaction_control`.execute(ctx.handle.db)
    expect(rows[0]?.control).toBe('0001')
    expect(rows[0]?.items).toBeGreaterThan(0)
    expect(rows[1]).toEqual({ control: '0002', items: 0 })
    const { rows: heldBack } = await sql<{ n: number }>`select count(*)::int as n from audit_event
      where entity = 'rework_item' and action = 'held_back'`.execute(ctx.handle.db)
    expect(heldBack[0]?.n).toBe(0)
  })
})

/**
 * The same repeat in a file of its own, stored after the first: the first file's items hold its
 * repeated denials back while it is stored (on PGlite the look-up is skipped only for a database
 * with no other file's open items).
 */
describeEachDatabase("repeated denials of another file's items", (ctx) => {
  it('are compared while the later file is stored: no second item, nothing held back after the fact', async () => {
    const first = e2eText('835-commercial-2026-02-05.x12')
    const later = first
      .replaceAll('*20260205~', '*20260212~')
      .replaceAll('E2ECHK0205', 'E2ECHK0212')
      .replace(/^(ISA(?:\*[^*]*){12}\*)\d{9}/, '$1000000912')
      .replace(/IEA\*(\d+)\*\d{9}~/, 'IEA*$1*000000912~')
    const firstPath = join(dir, 'first.x12')
    const laterPath = join(dir, 'later.x12')
    writeFileSync(firstPath, first)
    writeFileSync(laterPath, later)
    const [one] = await ingestFiles([firstPath], { handle: ctx.handle })
    expect(one?.status).toBe('ingested')
    expect(one?.items).toBeGreaterThan(0)
    const [two] = await ingestFiles([laterPath], { handle: ctx.handle })
    expect(two?.status).toBe('ingested')
    expect(two?.warnings).toEqual([])
    expect(two?.items).toBe(0)
    const { rows: heldBack } = await sql<{ n: number }>`select count(*)::int as n from audit_event
      where entity = 'rework_item' and action = 'held_back'`.execute(ctx.handle.db)
    expect(heldBack[0]?.n).toBe(0)
  })
})
