import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import {
  assignReworkItem,
  getReworkItemDetail,
  listReworkItems,
  reopenReworkItem,
  resolveReworkItem,
} from '../../../src/rework/rework-repository.js'
import { describeEachDatabase } from '../../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

describeEachDatabase('rework repository', (ctx) => {
  const idOf = async (claimId: string, code: string): Promise<number> => {
    const row = await ctx.handle.db
      .selectFrom('rework_item')
      .select('id')
      .where('claim_id', '=', claimId)
      .where('procedure_code', '=', code)
      .executeTakeFirstOrThrow()
    return Number(row.id)
  }

  beforeAll(async () => {
    const files = ['837p-medicare-2026-01.x12', '835-medicare-2026-02-02.x12'].map((n) => join(E2E, n))
    const results = await ingestFiles(files, { handle: ctx.handle })
    expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested'])
  })

  it('filters by queue and status, and counts days left from --as-of', async () => {
    const coding = await listReworkItems(ctx.handle.db, { queue: 'coding', asOf: '2027-01-01' })
    // One item per claim and queue: E2E-P-003's two coding lines are one item, lines inside.
    expect(
      coding.map((i) => [
        i.claimId,
        i.procedureCode,
        i.daysLeft,
        i.amount,
        i.lines.map((l) => l.procedureCode),
      ]),
    ).toEqual([
      ['E2E-P-003', '96413', 6, '700.00', ['96413', 'J9045']],
      ['E2E-P-007', 'J9271', 9, '6000.00', ['J9271']],
    ])
    expect(await listReworkItems(ctx.handle.db, { status: 'appealed' })).toEqual([])
  })

  it('assigns and resolves with audit events, and keeps past-due items visible', async () => {
    const id = await idOf('E2E-P-002', '96417')
    const assigned = await assignReworkItem(ctx.handle.db, id, 'bob', 'lead')
    expect([assigned.status, assigned.assignee]).toEqual(['assigned', 'bob'])
    const resolved = await resolveReworkItem(ctx.handle.db, id, 'appealed', 'bob', 'sent records')
    expect(resolved.status).toBe('appealed')
    expect((await listReworkItems(ctx.handle.db, { status: 'appealed' })).map((i) => i.id)).toEqual([id])
    // Resolved items leave the default worklist.
    expect((await listReworkItems(ctx.handle.db)).some((i) => i.id === id)).toBe(false)
    const events = await ctx.handle.db
      .selectFrom('audit_event')
      .select(['actor', 'action', 'before_status', 'after_status', 'note'])
      .where('entity', '=', 'rework_item')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
    expect(events).toEqual([
      {
        actor: 'lead',
        action: 'assign',
        before_status: 'open',
        after_status: 'assigned',
        note: 'assigned to bob',
      },
      {
        actor: 'bob',
        action: 'resolve:appealed',
        before_status: 'assigned',
        after_status: 'appealed',
        note: 'sent records',
      },
    ])
  })

  it('refuses to change the audit trail', async () => {
    await expect(sql`update audit_event set actor = 'mallory'`.execute(ctx.handle.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`delete from audit_event`.execute(ctx.handle.db)).rejects.toThrow(/append-only/)
  })

  it('throws DB_NOT_FOUND for an unknown item and DB_INVALID_TRANSITION for a recovered one', async () => {
    await expect(assignReworkItem(ctx.handle.db, 999_999, 'bob', 'lead')).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
    })
    const id = await idOf('E2E-P-005', '96413')
    await ctx.handle.db.updateTable('rework_item').set({ status: 'recovered' }).where('id', '=', id).execute()
    await expect(resolveReworkItem(ctx.handle.db, id, 'written_off', 'bob')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
      message: `Rework item ${id}: a recovered item cannot be written off; allowed: nothing (final)`,
    })
    await expect(reopenReworkItem(ctx.handle.db, id, 'bob', 'why not')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
    })
  })

  it('refuses written_off → appealed → assigned; a reopen with a note is the audited way back', async () => {
    const id = await idOf('E2E-P-004', 'J9035')
    const history = async () =>
      (
        await ctx.handle.db
          .selectFrom('audit_event')
          .select(['action', 'before_status', 'after_status', 'note'])
          .where('entity', '=', 'rework_item')
          .where('entity_id', '=', String(id))
          .orderBy('id')
          .execute()
      ).map((e) => [e.action, e.before_status, e.after_status, e.note])
    const status = async () => (await getReworkItemDetail(ctx.handle.db, id)).item.status
    await assignReworkItem(ctx.handle.db, id, 'bob', 'lead')
    await resolveReworkItem(ctx.handle.db, id, 'written_off', 'bob', 'not worth it')
    await expect(resolveReworkItem(ctx.handle.db, id, 'appealed', 'bob')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
      message: `Rework item ${id}: a written_off item cannot be appealed; allowed: recover, reopen`,
    })
    await expect(assignReworkItem(ctx.handle.db, id, 'carol', 'lead')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
    })
    await expect(reopenReworkItem(ctx.handle.db, id, 'lead', '  ')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
    })
    // The refused moves changed nothing and wrote no audit event.
    expect(await status()).toBe('written_off')
    expect(await history()).toEqual([
      ['assign', 'open', 'assigned', 'assigned to bob'],
      ['resolve:written_off', 'assigned', 'written_off', 'not worth it'],
    ])
    const reopened = await reopenReworkItem(ctx.handle.db, id, 'lead', 'payer reopened the appeal window')
    expect([reopened.status, reopened.assignee]).toEqual(['open', null])
    await resolveReworkItem(ctx.handle.db, id, 'appealed', 'bob')
    await expect(assignReworkItem(ctx.handle.db, id, 'carol', 'lead')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
      message: `Rework item ${id}: an appealed item cannot be assigned; allowed: write_off, bill_patient, recover, reopen`,
    })
    expect((await history()).slice(2)).toEqual([
      ['reopen', 'written_off', 'open', 'payer reopened the appeal window'],
      ['resolve:appealed', 'open', 'appealed', null],
    ])
    // Reopening what is already being worked is not a move either (E2E-P-002 was appealed above).
    const open = await idOf('E2E-P-002', '96417')
    expect((await reopenReworkItem(ctx.handle.db, open, 'lead', 'back')).status).toBe('open')
    await expect(reopenReworkItem(ctx.handle.db, open, 'lead', 'again')).rejects.toMatchObject({
      code: 'DB_INVALID_TRANSITION',
      message: `Rework item ${open}: an open item cannot be reopened; allowed: assign, correct, appeal, write_off, bill_patient, recover`,
    })
  })

  it('shows the denial with matched lines (NDC, auth), adjustments and scrub findings', async () => {
    const id = await idOf('E2E-P-007', 'J9271')
    await sql`insert into scrub_finding (claim_id, line_number, rule, severity, message, suggestion, position)
      values ('E2E-P-007', 2, 'ndc-crosswalk', 'error', 'NDC does not belong to J9271 for the DOS quarter', null, '{}'::jsonb)`.execute(
      ctx.handle.db,
    )
    const detail = await getReworkItemDetail(ctx.handle.db, id, '2026-02-10')
    expect(detail.item).toMatchObject({
      queue: 'coding',
      carcs: ['CO-16'],
      rarcs: ['M119'],
      amount: '6000.00',
      daysLeft: 334,
    })
    expect(detail.remit).toMatchObject({
      status: '4',
      charge: '6000.00',
      paid: '0.00',
      payerClaimNumber: 'MCR26020072',
    })
    expect(detail.claim).toMatchObject({ kind: '837P', frequencyCode: '1', priorAuthorization: 'AUTH7001' })
    expect(detail.lines).toEqual([
      expect.objectContaining({
        procedureCode: 'J9271',
        submittedLineNumber: 2,
        lineControl: 'P007-2',
        ndc: '00006302602',
        ndcQuantity: 8,
        ndcUnit: 'ML',
        priorAuthorization: 'AUTH7001',
      }),
    ])
    expect(detail.adjustments).toEqual([{ lineSeq: 1, group: 'CO', carc: '16', amount: '6000.00' }])
    expect(detail.scrubFindings).toEqual([
      {
        lineNumber: 2,
        rule: 'ndc-crosswalk',
        severity: 'error',
        message: 'NDC does not belong to J9271 for the DOS quarter',
        suggestion: null,
      },
    ])
  })
})
