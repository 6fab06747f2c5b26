import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseCents } from '../../../parsers/money.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import {
  deniedVsRecovered,
  FINANCE_SECTIONS,
  financeTable,
  loadFinanceDashboard,
  loadFinanceTable,
} from '../../../src/rework/finance-dashboard.js'
import { upsertPayerProfiles } from '../../../src/rework/payer-repository.js'
import { csvCell, DENIALS_HEADERS, denialsRows, toCsv } from '../../../src/rework/report-csv.js'
import { recoveredReport } from '../../../src/rework/reports.js'
import { listReworkItems, resolveReworkItem } from '../../../src/rework/rework-repository.js'
import { deadlineBucket } from '../../../transforms/denials/deadline-bucket.js'
import { parsePayerProfilesCsv } from '../../../transforms/denials/payer-profile.js'
import { describeEachDatabase } from '../../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const AS_OF = '2026-03-15'

describe('deadlineBucket', () => {
  it('splits days left into overdue, 0–14, 15–30, 31–90 and > 90', () => {
    const on = (deadline: string | null) => deadlineBucket(deadline, '2026-03-15')
    expect(on('2026-03-14')).toBe('overdue')
    expect(on('2026-03-15')).toBe('0-14')
    expect(on('2026-03-29')).toBe('0-14')
    expect(on('2026-03-30')).toBe('15-30')
    expect(on('2026-04-14')).toBe('15-30')
    expect(on('2026-04-15')).toBe('31-90')
    expect(on('2026-06-13')).toBe('31-90')
    expect(on('2026-06-14')).toBe('>90')
    expect(on(null)).toBe('(no deadline)')
  })
})

describe('csvCell', () => {
  it('quotes, and defuses text a spreadsheet would run as a formula, but keeps signed amounts', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "x"')).toBe('"say ""x"""')
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"')
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('-12.50')).toBe('-12.50')
    expect(csvCell('-3.00%')).toBe('-3.00%')
    expect(csvCell(-5)).toBe('-5')
    expect(toCsv(['k', 'v'], [['a', '1.00']])).toBe('k,v\na,1.00\n')
  })
})

describeEachDatabase('finance dashboard: e2e fixtures', (ctx) => {
  beforeAll(async () => {
    const { profiles } = parsePayerProfilesCsv(readFileSync(join(E2E, 'payers.csv'), 'utf8'))
    await upsertPayerProfiles(ctx.handle.db, profiles, 'tester')
    const files = [
      '837p-medicare-2026-01.x12',
      '837p-commercial-2026-01.x12',
      '837i-medicare-2026-01.x12',
      '835-medicare-2026-02-02.x12',
      '835-commercial-2026-02-05.x12',
      '835-medicare-parta-2026-02-06.x12',
    ]
    await ingestFiles(
      files.map((n) => join(E2E, n)),
      { handle: ctx.handle, user: 'tester' },
    )
    const items = await listReworkItems(ctx.handle.db, { asOf: '2026-02-10' })
    const p008 = items.find((i) => i.claimId === 'E2E-P-008')
    const p003 = items.find((i) => i.claimId === 'E2E-P-003' && i.queue === 'coding')
    if (p008 === undefined || p003 === undefined) throw new Error('e2e items missing')
    await resolveReworkItem(ctx.handle.db, p008.id, 'written_off', 'alice')
    await resolveReworkItem(ctx.handle.db, p003.id, 'corrected', 'alice')
    await ingestFiles([join(E2E, '835-medicare-2026-03-02.x12')], { handle: ctx.handle, user: 'tester' })
  })

  it('gives the numbers of report recovered, section by section', async () => {
    const d = await loadFinanceDashboard(ctx.handle.db, {}, AS_OF)
    expect(d.byMonth).toEqual(await recoveredReport(ctx.handle.db, {}, 'month'))
    expect(financeTable(d, 'payer')).toEqual({
      section: 'payer',
      title: 'By payer',
      headers: DENIALS_HEADERS,
      rows: denialsRows(await recoveredReport(ctx.handle.db, {}, 'payer')),
    })
    // Worked by hand in report-reconciliation.test.ts: 34050.00 denied in February, 560.00 of it
    // recovered by the March remit, 32950.00 still open.
    expect(financeTable(d, 'denied-recovered').rows).toEqual([
      ['2026-02', '34050.00', '0.00'],
      ['2026-03', '0.00', '560.00'],
      ['TOTAL', '34050.00', '560.00'],
    ])
    const months = deniedVsRecovered(d)
    expect(months.reduce((s, m) => s + m.deniedAmountCents, 0)).toBe(d.byMonth.totals.deniedAmountCents)
    expect(months.reduce((s, m) => s + m.recoveredAmountCents, 0)).toBe(
      d.cashByMonth.totals.recoveredAmountCents,
    )
    for (const section of FINANCE_SECTIONS) {
      const table = financeTable(d, section)
      // One section alone (the CSV download) runs only its reports, with the same result.
      expect(await loadFinanceTable(ctx.handle.db, {}, AS_OF, section), section).toEqual(table)
      expect(table.rows.at(-1)?.[0], section).toBe('TOTAL')
      for (const row of table.rows) expect(row.length, section).toBe(table.headers.length)
    }
  })

  it('splits the open amount at risk by days left, adding up to the open total', async () => {
    const d = await loadFinanceDashboard(ctx.handle.db, {}, AS_OF)
    expect(d.atRisk.totals.openAmount).toBe('32950.00')
    expect(d.atRisk.totals.openAmountCents).toBe(d.byMonth.totals.openAmountCents)
    expect(d.atRisk.buckets.map((b) => b.key)).toEqual(['overdue', '0-14', '15-30', '31-90', '>90'])
    // The same split from the worklist's own view of each line (deadline, amount, recovered).
    const expected = new Map<string, number>()
    for (const status of ['open', 'assigned', 'corrected', 'appealed'])
      for (const item of await listReworkItems(ctx.handle.db, { status, asOf: AS_OF }))
        for (const line of item.lines) {
          const open = (parseCents(line.amount) ?? 0) - (parseCents(line.recoveredAmount) ?? 0)
          if (open === 0) continue
          const key = deadlineBucket(line.deadline, AS_OF)
          expected.set(key, (expected.get(key) ?? 0) + open)
        }
    expect(
      new Map(d.atRisk.buckets.filter((b) => b.openAmountCents !== 0).map((b) => [b.key, b.openAmountCents])),
    ).toEqual(expected)
    expect(financeTable(d, 'at-risk').rows.at(-1)).toEqual([
      'TOTAL',
      String(d.atRisk.totals.lines),
      '32950.00',
    ])
  })

  it('limits every section to the remit dates asked for', async () => {
    const march = await loadFinanceDashboard(ctx.handle.db, { from: '2026-03-01', to: '2026-03-31' }, AS_OF)
    expect(march.byMonth.totals.deniedAmount).toBe('0.00')
    expect(march.atRisk.totals.openAmountCents).toBe(0)
    expect(march.cashByMonth.totals.recoveredAmount).toBe('560.00')
  })
})
