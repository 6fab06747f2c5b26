import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { writeCorrectedClaim } from '../../src/rework/corrected-claim.js'
import { upsertPayerProfiles } from '../../src/rework/payer-repository.js'
import { denialsReport, recoveredReport } from '../../src/rework/reports.js'
import type { ReworkItemView } from '../../src/rework/rework-repository.js'
import { assignReworkItem, listReworkItems, resolveReworkItem } from '../../src/rework/rework-repository.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'
import { describeEachDatabase } from '../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', 'fixtures', 'e2e')
const f = (name: string) => join(E2E, name)
const CLAIMS_837 = [
  '837p-medicare-2026-01.x12',
  '837p-commercial-2026-01.x12',
  '837i-medicare-2026-01.x12',
].map(f)
const REMITS_FEB = [
  '835-medicare-2026-02-02.x12',
  '835-commercial-2026-02-05.x12',
  '835-medicare-parta-2026-02-06.x12',
].map(f)
const REMIT_MAR = f('835-medicare-2026-03-02.x12')

const TABLES = [
  'ingest_file',
  'interchange',
  'submitted_claim',
  'submitted_line',
  'remittance',
  'remit_claim',
  'remit_line',
  'remit_adjustment',
  'rework_item',
] as const

/**
 * The month of fixtures/e2e, end to end. Every expected number below was worked out by hand from
 * the X12 files (see the comments), not from the code.
 */
describeEachDatabase('e2e rework flow', (ctx) => {
  let items: ReworkItemView[] = []
  const find = (claimId: string, code: string | null): ReworkItemView => {
    const item = items.find((i) => i.claimId === claimId && (code === null || i.procedureCode === code))
    if (item === undefined) throw new Error(`no item for ${claimId} ${code}`)
    return item
  }

  beforeAll(async () => {
    const { profiles, rejects } = parsePayerProfilesCsv(readFileSync(f('payers.csv'), 'utf8'))
    expect(rejects).toEqual([])
    await upsertPayerProfiles(ctx.handle.db, profiles, 'tester')
  })

  it('stores the 837s: 8 Medicare 837P claims, 3 commercial, 1 837I', async () => {
    const results = await ingestFiles(CLAIMS_837, { handle: ctx.handle, user: 'tester' })
    expect(results.map((r) => [r.kind, r.status, r.claims])).toEqual([
      ['837', 'ingested', 8],
      ['837', 'ingested', 3],
      ['837', 'ingested', 1],
    ])
    const lines = await ctx.handle.db
      .selectFrom('submitted_line')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    // 2+2+2+2+1+1+2+1 Medicare, 2+2+1 commercial, 2 institutional.
    expect(lines.n).toBe(20)
    const ndc = await ctx.handle.db
      .selectFrom('submitted_line')
      .select(['ndc', 'ndc_quantity', 'ndc_unit', 'prior_authorization'])
      .where('line_control', '=', 'P007-2')
      .executeTakeFirstOrThrow()
    expect(ndc).toEqual({
      ndc: '00006302602',
      ndc_quantity: 8,
      ndc_unit: 'ML',
      prior_authorization: 'AUTH7001',
    })
  })

  it('ingests the February 835s: matching, split claim, unmatched remit', async () => {
    const results = await ingestFiles(REMITS_FEB, { handle: ctx.handle, user: 'tester' })
    // Medicare: 10 CLPs (E2E-P-007 split in two), 9 matched, E2E-P-999 unmatched; 7 items, one per
    // denied claim and queue (E2E-P-003's two CO-4 lines are one coding item).
    expect(results.map((r) => [r.status, r.claims, r.matched, r.unmatched, r.items])).toEqual([
      ['ingested', 10, 9, 1, 7],
      ['ingested', 3, 3, 0, 2],
      ['ingested', 1, 1, 0, 1],
    ])
    // E2E-P-004's 835 lines carry no REF*6R: matched on code + modifiers + DOS + charge.
    const p004 = await ctx.handle.db
      .selectFrom('remit_line as rl')
      .innerJoin('remit_claim as rc', 'rc.id', 'rl.remit_claim_id')
      .innerJoin('submitted_line as sl', 'sl.id', 'rl.submitted_line_id')
      .select(['rl.procedure_code', 'sl.line_control'])
      .where('rc.claim_id', '=', 'E2E-P-004')
      .orderBy('rl.line_seq')
      .execute()
    expect(p004).toEqual([
      { procedure_code: 'J9035', line_control: 'P004-1' },
      { procedure_code: '96413', line_control: 'P004-2' },
    ])
  })

  it('routes every denial to its queue, with deadlines to the day, in deadline then amount order', async () => {
    items = await listReworkItems(ctx.handle.db, { asOf: '2026-02-10' })
    expect(
      items.map((i) => [
        i.claimId,
        i.procedureCode,
        i.queue,
        i.carcs,
        i.action,
        i.amount,
        i.deadline,
        i.daysLeft,
      ]),
    ).toEqual([
      // Commercial profile appeal_days 120: 2026-02-05 + 120 days.
      ['E2E-C-101', 'J9299', 'authorization', ['CO-197'], 'appeal', '8000.00', '2026-06-05', 115],
      ['E2E-C-102', 'J9299', 'authorization', ['CO-197'], 'appeal', '8000.00', '2026-06-05', 115],
      // Medicare redetermination: remit 2026-02-02 + 125 days (42 CFR 405.942).
      ['E2E-P-004', 'J9035', 'coverage', ['CO-50'], 'appeal', '1000.00', '2026-06-07', 117],
      ['E2E-P-005', '96413', 'medical_necessity', ['CO-151'], 'appeal', '400.00', '2026-06-07', 117],
      // Part A: remit 2026-02-06 + 125 days.
      ['E2E-I-201', 'J9271', 'authorization', ['CO-15'], 'appeal', '9000.00', '2026-06-11', 121],
      // Medicare filing: line DOS + 12 months.
      ['E2E-P-002', '96417', 'bundling', ['CO-97'], 'corrected_claim', '150.00', '2027-01-06', 330],
      // One item for the claim's two CO-4 lines (96413 400.00 + J9045 300.00).
      ['E2E-P-003', '96413', 'coding', ['CO-4'], 'corrected_claim', '700.00', '2027-01-07', 331],
      ['E2E-P-007', 'J9271', 'coding', ['CO-16'], 'corrected_claim', '6000.00', '2027-01-10', 334],
      ['E2E-P-999', '96413', 'other', ['CO-18'], 'verify', '400.00', '2027-01-11', 335],
      // CO-29 with Medicare: not appealable, so no deadline (sorted last, never hidden).
      ['E2E-P-008', '96413', 'other', ['CO-29'], 'appeal', '400.00', null, null],
    ])
    expect(find('E2E-I-201', 'J9271').flags).toContain('deactivated_carc')
    expect(find('E2E-P-008', '96413').flags).toContain('not_appealable')
    expect(find('E2E-P-999', '96413').flags).toContain('unmatched')
    expect(find('E2E-P-999', '96413').matched).toBe(false)
    expect(find('E2E-P-007', 'J9271').rarcs).toEqual(['M119'])
    expect(find('E2E-C-101', 'J9299').payerClaimNumber).toBe('COM0205101')
    // Every queue is covered.
    expect(new Set(items.map((i) => i.queue))).toEqual(
      new Set(['coding', 'authorization', 'coverage', 'bundling', 'medical_necessity', 'other']),
    )
    // No item for patient share (E2E-C-103 PR-1), contractual CO-45, or the paid claims.
    expect(items.some((i) => ['E2E-C-103', 'E2E-P-001', 'E2E-P-006'].includes(i.claimId))).toBe(false)
    const due = await listReworkItems(ctx.handle.db, { asOf: '2026-02-10', dueWithin: 116 })
    expect(due.map((i) => i.claimId)).toEqual(['E2E-C-101', 'E2E-C-102'])
    const late = await listReworkItems(ctx.handle.db, { asOf: '2026-06-08', queue: 'coverage' })
    expect(late.map((i) => [i.daysLeft, i.flags.includes('past_deadline')])).toEqual([[-1, true]])
  })

  it('works the queue: assign, resolve, corrected claim; a later 835 recovers the reworked claim', async () => {
    const c101 = find('E2E-C-101', 'J9299')
    const p003 = find('E2E-P-003', '96413')
    const p008 = find('E2E-P-008', '96413')
    expect((await assignReworkItem(ctx.handle.db, c101.id, 'alice', 'lead')).status).toBe('assigned')
    expect(
      (await resolveReworkItem(ctx.handle.db, p008.id, 'written_off', 'alice', 'late filing')).status,
    ).toBe('written_off')
    expect((await resolveReworkItem(ctx.handle.db, p003.id, 'corrected', 'alice')).status).toBe('corrected')

    const dir = mkdtempSync(join(tmpdir(), 'e2e-'))
    const written = await writeCorrectedClaim(ctx.handle.db, p003.id, {
      user: 'alice',
      date: '2026-02-12',
      out: join(dir, 'corrected.x12'),
      // The J9045 line was sent without JW/JZ: the corrected claim must scrub clean to be written.
      set: ['2.modifiers=JZ'],
    })
    expect(written.x12).toContain('CLM*E2E-P-003*700***11:B:7*Y*A*Y*Y~')
    expect(written.x12).toContain('REF*F8*MCR26020003~')
    expect(readFileSync(join(dir, 'corrected.x12'), 'utf8')).toBe(written.x12)
    const [resubmitted] = await ingestFiles([join(dir, 'corrected.x12')], {
      handle: ctx.handle,
      user: 'alice',
    })
    expect([resubmitted?.status, resubmitted?.claims]).toEqual(['ingested', 1])

    const [later] = await ingestFiles([REMIT_MAR], { handle: ctx.handle, user: 'tester' })
    // Reversal of E2E-P-006 + its correction open nothing; E2E-P-003 is paid 320 + 240 = 560.00.
    expect([later?.claims, later?.reversals, later?.items, later?.recovered, later?.recoveredAmount]).toEqual(
      [3, 1, 0, 1, 56000],
    )
    expect(await listReworkItems(ctx.handle.db, { status: 'recovered', asOf: '2026-03-05' })).toEqual([])
    const recovered = await listReworkItems(ctx.handle.db, {
      status: 'partially_recovered',
      asOf: '2026-03-05',
    })
    // 560.00 of the item's 700.00: its lines oldest first, 400.00 then 160.00 of 300.00.
    expect(
      recovered.map((i) => [
        i.procedureCode,
        i.recoveredAmount,
        i.recoveredDate,
        i.lines.map((l) => [l.procedureCode, l.recoveredAmount]),
      ]),
    ).toEqual([
      [
        '96413',
        '560.00',
        '2026-03-02',
        [
          ['96413', '400.00'],
          ['J9045', '160.00'],
        ],
      ],
    ])
    // The payment matched the replacement claim (CLM01 repeats: the latest submission wins).
    const match = await ctx.handle.db
      .selectFrom('remit_claim as rc')
      .innerJoin('submitted_claim as sc', 'sc.id', 'rc.submitted_claim_id')
      .select(['sc.frequency_code', 'sc.payer_claim_control'])
      .where('rc.payer_claim_number', '=', 'MCR26030003')
      .executeTakeFirstOrThrow()
    expect(match).toEqual({ frequency_code: '7', payer_claim_control: 'MCR26020003' })
    const audit = await ctx.handle.db
      .selectFrom('audit_event')
      .select(['actor', 'action', 'before_status', 'after_status'])
      .where('entity', '=', 'rework_item')
      .where('entity_id', '=', String(p003.id))
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { actor: 'alice', action: 'resolve:corrected', before_status: 'open', after_status: 'corrected' },
      {
        actor: 'alice',
        action: 'corrected_claim_written',
        before_status: 'corrected',
        after_status: 'corrected',
      },
      {
        actor: 'tester',
        action: 'recovered',
        before_status: 'corrected',
        after_status: 'partially_recovered',
      },
    ])
  })

  it('reports denied, recovered, open at risk and the denial rate', async () => {
    const report = await recoveredReport(ctx.handle.db)
    // Denied: 150+400+300+1000+400+6000+400+400+8000+8000+9000 = 34050.00.
    // Open at risk: all but the E2E-P-003 item paid in part (700.00) and the written-off E2E-P-008
    // (400.00). Items counts the 11 denied lines.
    // Denied claims 10 (P-002/3/4/5/7/8/999, C-101/102, I-201) of 13 adjudicated (P-001..008, P-999, C-101..103, I-201).
    expect(report.totals).toMatchObject({
      items: 11,
      deniedAmount: '34050.00',
      recoveredAmount: '560.00',
      openAmount: '32950.00',
      deniedClaims: 10,
      adjudicatedClaims: 13,
      denialRate: 0.7692,
    })
    const byPayer = await recoveredReport(ctx.handle.db, {}, 'payer')
    expect(byPayer.groups.map((g) => [g.key, g.deniedAmount, g.deniedClaims, g.adjudicatedClaims])).toEqual([
      ['COM01', '16000.00', 2, 3],
      ['MCR01', '9050.00', 7, 9],
      ['MCRA1', '9000.00', 1, 1],
    ])
    const february = await recoveredReport(ctx.handle.db, { from: '2026-02-01', to: '2026-02-03' })
    expect([february.totals.deniedAmount, february.totals.adjudicatedClaims]).toEqual(['9050.00', 9])
  })

  it('finds the systematic cause: J9299 denied on every claim billed with it', async () => {
    const byDrug = await denialsReport(ctx.handle.db, 'drug')
    expect(byDrug[0]).toMatchObject({
      key: 'J9299',
      deniedClaims: 2,
      claimsWithKey: 2,
      systematic: true,
      carcs: ['CO-197'],
    })
    const j9271 = byDrug.find((p) => p.key === 'J9271')
    // J9271 was billed on E2E-P-001 (paid), E2E-P-007 and E2E-I-201 (denied).
    expect(j9271).toMatchObject({ deniedClaims: 2, claimsWithKey: 3, systematic: false })
  })

  it('is idempotent: ingesting everything again stores nothing new', async () => {
    const count = async () =>
      Promise.all(
        TABLES.map(async (t) => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(
            ctx.handle.db,
          )
          return rows[0]?.n
        }),
      )
    const before = await count()
    const again = await ingestFiles([...CLAIMS_837, ...REMITS_FEB, REMIT_MAR], { handle: ctx.handle })
    expect(again.map((r) => r.status)).toEqual(Array(7).fill('already_ingested'))
    expect(again[0]?.message).toMatch(/already ingested/)
    expect(await count()).toEqual(before)
  })
})

describe('fixtures/e2e', () => {
  it('is what test/support/e2e-fixture.ts generates', async () => {
    const { buildE2eFixtures } = await import('../support/e2e-fixture.js')
    for (const [name, text] of Object.entries(buildE2eFixtures()))
      expect(readFileSync(f(name), 'utf8')).toBe(text)
  })
})
