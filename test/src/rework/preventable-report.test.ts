import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { upsertPayerProfiles } from '../../../src/rework/payer-repository.js'
import { preventableReport } from '../../../src/rework/preventable-report.js'
import { recoveredReport } from '../../../src/rework/reports.js'
import { loadScrubReference } from '../../../src/scrub/load-scrub-reference.js'
import { scrubFiles } from '../../../src/scrub/scrub-files.js'
import { parsePayerProfilesCsv } from '../../../transforms/denials/payer-profile.js'
import { createCodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import { describeEachDatabase } from '../../support/databases.js'

const root = join(import.meta.dirname, '..', '..', '..')
const E2E = join(root, 'fixtures', 'e2e')
const f = (name: string) => join(E2E, name)

/**
 * fixtures/e2e: both 837P files are ingested, only the Medicare one is scrubbed (with the database,
 * so its findings are stored), then the two 835s of February. The expected split was worked out
 * from the files and the scrub findings of the Medicare claims (see each comment).
 */
describeEachDatabase('preventable report', (ctx) => {
  beforeAll(async () => {
    const { profiles } = parsePayerProfilesCsv(readFileSync(f('payers.csv'), 'utf8'))
    await upsertPayerProfiles(ctx.handle.db, profiles, 'tester')
    const claims = [f('837p-medicare-2026-01.x12'), f('837p-commercial-2026-01.x12')]
    await ingestFiles(claims, { handle: ctx.handle, user: 'tester' })
    const loaded = await loadCodeTableRecordsFromFiles(join(root, 'fixtures', 'codes'))
    await scrubFiles({
      files: [f('837p-medicare-2026-01.x12')],
      outDir: mkdtempSync(join(tmpdir(), 'prevent-')),
      asOf: '2026-01-31',
      fix: false,
      codes: createCodeTableSet(loaded),
      reference: loadScrubReference(),
      db: ctx.handle.db,
    })
    await ingestFiles([f('835-medicare-2026-02-02.x12'), f('835-commercial-2026-02-05.x12')], {
      handle: ctx.handle,
      user: 'tester',
    })
  })

  it('splits every denied dollar into flagged-and-sent, would-have-flagged and not preventable', async () => {
    const report = await preventableReport(ctx.handle.db, { asOf: '2026-01-31' })
    expect(report.rows.map((r) => [r.rule, r.outcome, r.denials, r.claims, r.amount])).toEqual([
      // E2E-P-003 line 2 (J9045, CO-4): the scrub stored a jw-jz-modifier error on that line.
      ['jw-jz-modifier', 'flagged_sent_anyway', 1, 1, '300.00'],
      // E2E-C-101/102 (J9299, CO-197): never scrubbed; auth-missing run now flags both lines.
      ['auth-missing', 'would_have_flagged', 2, 2, '16000.00'],
      // P-003 line 1 (CO-4, no finding on line 1), P-002 (CO-97, scrubbed clean), P-004 (CO-50: no
      // rule), P-005 (CO-151, clean), P-007 (CO-16 M119: NDC in the crosswalk), P-008 (CO-29),
      // P-999 (no 837 to scrub).
      [null, 'not_preventable', 7, 7, '8750.00'],
    ])
    expect(report.totals).toEqual({
      denials: 10,
      flaggedSentAnyway: '300.00',
      wouldHaveFlagged: '16000.00',
      notPreventable: '8750.00',
      total: '25050.00',
      totalCents: 2_505_000,
    })
    // The rows sum to the total denied, and that is the denied amount of report recovered.
    expect(report.rows.reduce((s, r) => s + r.amountCents, 0)).toBe(report.totals.totalCents)
    const recovered = await recoveredReport(ctx.handle.db)
    expect(recovered.totals.deniedAmountCents).toBe(report.totals.totalCents)
    const p003 = report.denials
      .filter((d) => d.claimId === 'E2E-P-003')
      .map((d) => [d.outcome, d.rule, d.amount])
    expect(p003.sort()).toEqual([
      ['flagged_sent_anyway', 'jw-jz-modifier', '300.00'],
      ['not_preventable', null, '400.00'],
    ])
  })

  it('keeps to the remit date range, as report recovered does', async () => {
    const report = await preventableReport(ctx.handle.db, {
      from: '2026-02-03',
      to: '2026-02-28',
      asOf: '2026-01-31',
    })
    expect(report.rows.map((r) => [r.rule, r.outcome, r.amount])).toEqual([
      ['auth-missing', 'would_have_flagged', '16000.00'],
    ])
    const recovered = await recoveredReport(ctx.handle.db, { from: '2026-02-03', to: '2026-02-28' })
    expect(report.totals.totalCents).toBe(recovered.totals.deniedAmountCents)
    const none = await preventableReport(ctx.handle.db, { to: '2026-01-31' })
    expect([none.rows, none.totals.total]).toEqual([[], '0.00'])
  })
})

/**
 * E2E-P-003 billed with J9265 (terminated in 2015, successor J9267) on a 2026 DOS and denied
 * CO-181 on that line; the claim was never scrubbed, so jcode-valid-on-dos is run on its stored 837.
 */
describeEachDatabase('preventable report, a code terminated on the DOS', (ctx) => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prevent-j-'))
    const claims = join(dir, '837p.x12')
    const remit = join(dir, '835.x12')
    writeFileSync(
      claims,
      readFileSync(f('837p-medicare-2026-01.x12'), 'utf8').replace('SV1*HC:J9045*', 'SV1*HC:J9265*'),
    )
    writeFileSync(
      remit,
      readFileSync(f('835-medicare-2026-02-02.x12'), 'utf8')
        .replace('SVC*HC:J9045*', 'SVC*HC:J9265*')
        .replace('CAS*CO*4*300~\nREF*6R*P003-2~', 'CAS*CO*181*300~\nREF*6R*P003-2~'),
    )
    await ingestFiles([claims, remit], { handle: ctx.handle, user: 'tester' })
  })

  it('counts the denial under jcode-valid-on-dos as would-have-flagged', async () => {
    const report = await preventableReport(ctx.handle.db, { asOf: '2026-01-31' })
    const p003 = report.denials
      .filter((d) => d.claimId === 'E2E-P-003')
      .map((d) => [d.outcome, d.rule, d.amount])
    expect(p003.sort()).toEqual([
      ['not_preventable', null, '400.00'],
      ['would_have_flagged', 'jcode-valid-on-dos', '300.00'],
    ])
    expect(report.rows.find((r) => r.rule === 'jcode-valid-on-dos')).toMatchObject({
      outcome: 'would_have_flagged',
      denials: 1,
      amount: '300.00',
    })
    expect(report.rows.reduce((s, r) => s + r.amountCents, 0)).toBe(report.totals.totalCents)
    expect(report.totals.flaggedSentAnyway).toBe('0.00')
  })
})
