import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import { upsertPayerProfiles } from '../../../src/rework/payer-repository.js'
import type { PayerProfile } from '../../../transforms/denials/denial-types.js'
import { describeEachDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'

const e2e = (name: string): string => join(repoRoot, 'fixtures/e2e', name)

const COMMERCIAL: PayerProfile = {
  payerId: 'COM01',
  name: 'EXAMPLE COMMERCIAL HEALTH PLAN',
  payerClass: 'commercial',
  timelyFilingDays: undefined,
  correctedClaimDays: 60,
  appealDays: 120,
}
const MEDICARE: PayerProfile = {
  payerId: 'MCR01',
  name: 'MEDICARE PART B EXAMPLE',
  payerClass: 'medicare',
  timelyFilingDays: undefined,
  correctedClaimDays: undefined,
  appealDays: undefined,
}

/** `date` plus `days` calendar days (UTC), as YYYY-MM-DD. */
function plusDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() + days)
  return at.toISOString().slice(0, 10)
}

describe('recomputeDeadlines', () => {
  describeEachDatabase('after a payer profile changes', (ctx) => {
    it('moves the deadlines of the payer’s open items, audits each change, and leaves the rest', async () => {
      const db = ctx.handle.db
      const engine = await loadDenialEngine()
      await upsertPayerProfiles(db, [COMMERCIAL, MEDICARE], 'tester')
      await ingestFiles(
        [
          e2e('837p-commercial-2026-01.x12'),
          e2e('837p-medicare-2026-01.x12'),
          e2e('835-commercial-2026-02-05.x12'),
          e2e('835-medicare-2026-02-02.x12'),
        ],
        { handle: ctx.handle, engine },
      )
      const items = () =>
        db
          .selectFrom('rework_item')
          .select(['id', 'payer_id', 'action', 'status', 'remit_date', 'deadline', 'deadline_basis'])
          .orderBy('id')
          .execute()
      const before = await items()
      const commercial = before.filter((i) => i.payer_id === 'COM01')
      const appeal = commercial.find((i) => i.action === 'appeal' && i.deadline !== null)
      expect(appeal, 'the commercial remit opens an appeal item').toBeDefined()
      expect(appeal?.deadline).toBe(plusDays(appeal?.remit_date ?? '', 120))
      // An item already worked keeps the deadline it was worked against.
      const worked = commercial.find((i) => i.id !== appeal?.id)
      expect(worked, 'the commercial remit opens a second item').toBeDefined()
      await db
        .updateTable('rework_item')
        .set({ status: 'appealed' })
        .where('id', '=', worked?.id ?? '0')
        .execute()

      const shorter = { ...COMMERCIAL, appealDays: 30, correctedClaimDays: 20 }
      const first = await upsertPayerProfiles(db, [shorter], 'carol', engine)
      const after = await items()
      const byId = new Map(after.map((i) => [i.id, i]))
      expect(byId.get(appeal?.id ?? '0')?.deadline).toBe(plusDays(appeal?.remit_date ?? '', 30))
      expect(byId.get(worked?.id ?? '0')?.deadline).toBe(worked?.deadline)
      for (const item of before.filter((i) => i.payer_id !== 'COM01')) {
        expect(byId.get(item.id)?.deadline, `item ${item.id} of ${item.payer_id}`).toBe(item.deadline)
      }
      const open = commercial.filter(
        (i) => i.id !== worked?.id && (i.status === 'open' || i.status === 'assigned'),
      )
      expect(first.recomputed.items).toBe(open.length)
      const moved = open.filter((i) => byId.get(i.id)?.deadline_basis !== i.deadline_basis)
      expect(first.recomputed.changed).toBe(moved.length)
      expect(moved.length).toBeGreaterThan(0)

      const audit = await db
        .selectFrom('audit_event')
        .select(['actor', 'entity_id', 'note'])
        .where('action', '=', 'deadline_recomputed')
        .orderBy('id')
        .execute()
      expect(audit.map((a) => a.entity_id)).toEqual(moved.map((i) => String(i.id)))
      expect(audit[0]?.actor).toBe('carol')
      expect(audit.find((a) => a.entity_id === String(appeal?.id))?.note).toMatch(
        new RegExp(`^deadline ${appeal?.deadline} -> ${plusDays(appeal?.remit_date ?? '', 30)}: `),
      )

      // The same profile again changes nothing.
      const again = await upsertPayerProfiles(db, [shorter], 'carol', engine)
      expect(again.recomputed).toEqual({ items: open.length, changed: 0 })
    })
  })
})
