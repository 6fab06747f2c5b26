import { expect, it } from 'vitest'
import {
  createScrubRun,
  finishScrubRun,
  listAuthorizations,
  listSchedule,
  loadLedgerLines,
  saveAuthorizations,
  saveSchedule,
  saveScrubbedClaims,
} from '../../../src/scrub/scrub-repository.js'
import type { TrackedAuthorization } from '../../../transforms/scrub/scrub-context.js'
import { ledgerLinesOf } from '../../../transforms/scrub/scrub-context.js'
import type { Finding } from '../../../transforms/scrub/scrub-rule.js'
import { buildClaim837 } from '../../support/claim837-builder.js'
import { describeEachDatabase } from '../../support/databases.js'

const auth = (overrides: Partial<TrackedAuthorization> = {}): TrackedAuthorization => ({
  authNumber: 'PA1',
  payerId: 'P01',
  memberId: 'M0001',
  hcpcs: 'J9271',
  unitsAuthorized: 400,
  cyclesAuthorized: 2,
  startDate: '2026-01-01',
  endDate: '2026-03-31',
  ...overrides,
})

describeEachDatabase('scrub repository', (ctx) => {
  it('re-importing an authorization replaces it; a drug-less auth is its own row', async () => {
    const db = ctx.handle.db
    expect(await saveAuthorizations(db, [auth(), auth({ hcpcs: undefined })])).toEqual({
      inserted: 2,
      replaced: 0,
    })
    expect(
      await saveAuthorizations(db, [auth({ unitsAuthorized: 600 }), auth({ hcpcs: undefined })]),
    ).toEqual({ inserted: 0, replaced: 2 })
    const stored = await listAuthorizations(db)
    expect(stored).toHaveLength(2)
    expect(stored.find((a) => a.hcpcs === 'J9271')?.unitsAuthorized).toBe(600)
    expect(stored.find((a) => a.hcpcs === undefined)?.endDate).toBe('2026-03-31')
  })

  it('upserts schedule entries on member + payer + date + drug', async () => {
    const db = ctx.handle.db
    const entry = { memberId: 'M0001', payerId: 'P01', date: '2026-02-23', hcpcs: 'J9271', plannedUnits: 200 }
    await saveSchedule(db, [entry, { ...entry, date: '2026-03-16' }])
    await saveSchedule(db, [{ ...entry, plannedUnits: 300, startTime: '0900', endTime: '0930' }])
    const rows = await listSchedule(db)
    expect(rows.map((r) => [r.date, r.plannedUnits, r.startTime])).toEqual([
      ['2026-02-23', 300, '0900'],
      ['2026-03-16', 200, undefined],
    ])
    expect(await listSchedule(db, '2026-03-01')).toHaveLength(1)
  })

  it('keeps one ledger row per claim line across re-scrubs and drops a claim rejected later', async () => {
    const db = ctx.handle.db
    const claim = buildClaim837({
      claimId: 'LEDGER1',
      lines: [{ code: '96413' }, { code: 'J9271', units: 200 }],
    })
    const lines = ledgerLinesOf(claim, '2026-03-01')
    const finding: Finding = {
      claimId: 'LEDGER1',
      line: 2,
      rule: 'auth-missing',
      severity: 'warning',
      message: 'test',
      position: { offset: 1, segment: 2, stSegment: 1, segmentId: 'SV1', element: 1, component: 2 },
    }
    const runId = await createScrubRun(db, '2026-03-01', ['a.x12'])
    await saveScrubbedClaims(db, runId, [{ claimId: 'LEDGER1', accepted: true, findings: [finding], lines }])
    await saveScrubbedClaims(db, runId, [{ claimId: 'LEDGER1', accepted: true, findings: [finding], lines }])
    let ledger = (await loadLedgerLines(db)).filter((l) => l.claimId === 'LEDGER1')
    expect(ledger.map((l) => [l.lineNumber, l.hcpcs, l.units, l.memberId])).toEqual([
      [1, '96413', 1, 'MBR0001'],
      [2, 'J9271', 200, 'MBR0001'],
    ])
    const stored = await db
      .selectFrom('scrub_finding')
      .selectAll()
      .where('claim_id', '=', 'LEDGER1')
      .execute()
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      line_number: 2,
      rule: 'auth-missing',
      severity: 'warning',
      suggestion: null,
    })
    expect(stored[0]?.position).toEqual(finding.position)
    expect(stored[0]?.created_at).toBeInstanceOf(Date)
    await saveScrubbedClaims(db, runId, [{ claimId: 'LEDGER1', accepted: false, findings: [], lines }])
    ledger = (await loadLedgerLines(db)).filter((l) => l.claimId === 'LEDGER1')
    expect(ledger).toEqual([])
    await finishScrubRun(db, runId, { claims: 3, accepted: 2, rejected: 1, errors: 0, warnings: 1, fixes: 0 })
    const run = await db.selectFrom('scrub_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow()
    expect(run).toMatchObject({ claim_count: 3, accepted_count: 2, files: ['a.x12'] })
    expect(run.finished_at).toBeInstanceOf(Date)
  })
})
