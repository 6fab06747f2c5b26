import type { Kysely } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import type { Database } from '../db/database.js'
import { DENIALS_HEADERS, denialsRows } from './report-csv.js'
import type { AtRiskReport, CashReport, DenialsReport, ReportRange } from './reports.js'
import { atRiskByDeadline, cashReport, recoveredReport } from './reports.js'

/** The sections of the finance page, each a chart, a table and a CSV download. */
export const FINANCE_SECTIONS = [
  'denial-rate',
  'denied-recovered',
  'carc-family',
  'payer',
  'drug',
  'at-risk',
] as const
export type FinanceSection = (typeof FINANCE_SECTIONS)[number]

export const isFinanceSection = (value: string): value is FinanceSection =>
  (FINANCE_SECTIONS as readonly string[]).includes(value)

/**
 * Everything the finance page shows, from the reports of `report recovered` (so the page, the
 * API, the CSV downloads and the CLI give the same reconciled numbers):
 * - `byMonth`, `byQueue`, `byPayer`, `byDrug`: the denials view by month (denial rate, denied),
 *   by queue (the CARC family the classifier routed the denial to), payer and drug;
 * - `cashByMonth`: the cash view by month (money recovered in each month);
 * - `atRisk`: the denials view's open amount by days left to the deadline on `asOf`.
 */
export interface FinanceDashboard {
  asOf: IsoDate
  from: string | null
  to: string | null
  byMonth: DenialsReport
  cashByMonth: CashReport
  byQueue: DenialsReport
  byPayer: DenialsReport
  byDrug: DenialsReport
  atRisk: AtRiskReport
}

/** The reports of the dashboard (what each section's table is built from). */
export type FinanceReports = Pick<
  FinanceDashboard,
  'byMonth' | 'cashByMonth' | 'byQueue' | 'byPayer' | 'byDrug' | 'atRisk'
>

/** Reads the finance dashboard (seven aggregate queries; one row per group reaches this process). */
export async function loadFinanceDashboard(
  db: Kysely<Database>,
  range: ReportRange,
  asOf: IsoDate,
): Promise<FinanceDashboard> {
  // One after the other: a PGlite handle runs one query at a time anyway, and a pool stays free.
  const byMonth = await recoveredReport(db, range, 'month')
  const cashByMonth = await cashReport(db, range, 'month')
  const byQueue = await recoveredReport(db, range, 'queue')
  const byPayer = await recoveredReport(db, range, 'payer')
  const byDrug = await recoveredReport(db, range, 'drug')
  const atRisk = await atRiskByDeadline(db, range, asOf)
  return {
    asOf,
    from: range.from ?? null,
    to: range.to ?? null,
    byMonth,
    cashByMonth,
    byQueue,
    byPayer,
    byDrug,
    atRisk,
  }
}

/** One month of "denied vs recovered": denied (denials view) and recovered in the month (cash view). */
export interface DeniedRecoveredMonth {
  month: string
  deniedAmountCents: number
  recoveredAmountCents: number
}

/**
 * Months of the denials view and of the cash view side by side (a month with only one of them
 * shows 0 for the other), in month order; the columns add up to the two views' TOTALs.
 */
export function deniedVsRecovered(
  d: Pick<FinanceReports, 'byMonth' | 'cashByMonth'>,
): DeniedRecoveredMonth[] {
  const months = new Map<string, DeniedRecoveredMonth>()
  const row = (month: string): DeniedRecoveredMonth => {
    let r = months.get(month)
    if (r === undefined) {
      r = { month, deniedAmountCents: 0, recoveredAmountCents: 0 }
      months.set(month, r)
    }
    return r
  }
  for (const g of d.byMonth.groups) row(g.key).deniedAmountCents += g.deniedAmountCents
  for (const g of d.cashByMonth.groups) row(g.key).recoveredAmountCents += g.recoveredAmountCents
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month))
}

/** A table of the finance page: what the CSV download holds, its TOTAL row last. */
export interface FinanceTable {
  section: FinanceSection
  title: string
  headers: string[]
  rows: string[][]
}

const TITLES: Readonly<Record<FinanceSection, string>> = {
  'denial-rate': 'Denial rate by month',
  'denied-recovered': 'Denied vs recovered by month',
  'carc-family': 'By CARC family (rework queue)',
  payer: 'By payer',
  drug: 'By drug',
  'at-risk': 'Open amount at risk by deadline',
}

export const financeSectionTitle = (section: FinanceSection): string => TITLES[section]

/**
 * The table of one section. The denials-view sections are exactly `report recovered --by
 * month|queue|payer|drug --csv`; "denied vs recovered" puts the denials view's denied and the
 * cash view's recovered by month side by side; "at risk" lists the deadline buckets.
 */
export function financeTable(d: Partial<FinanceReports>, section: FinanceSection): FinanceTable {
  const title = TITLES[section]
  switch (section) {
    case 'denial-rate':
      return { section, title, headers: DENIALS_HEADERS, rows: denialsRows(need(d.byMonth)) }
    case 'carc-family':
      return { section, title, headers: DENIALS_HEADERS, rows: denialsRows(need(d.byQueue)) }
    case 'payer':
      return { section, title, headers: DENIALS_HEADERS, rows: denialsRows(need(d.byPayer)) }
    case 'drug':
      return { section, title, headers: DENIALS_HEADERS, rows: denialsRows(need(d.byDrug)) }
    case 'denied-recovered': {
      const byMonth = need(d.byMonth)
      const cashByMonth = need(d.cashByMonth)
      const months = deniedVsRecovered({ byMonth, cashByMonth })
      return {
        section,
        title,
        headers: ['month', 'denied', 'recovered_in_month'],
        rows: [
          ...months.map((m) => [
            m.month,
            formatCents(m.deniedAmountCents),
            formatCents(m.recoveredAmountCents),
          ]),
          ['TOTAL', byMonth.totals.deniedAmount, cashByMonth.totals.recoveredAmount],
        ],
      }
    }
    case 'at-risk': {
      const atRisk = need(d.atRisk)
      return {
        section,
        title,
        headers: ['days_left', 'lines', 'open_at_risk'],
        rows: [
          ...atRisk.buckets.map((b) => [b.key, String(b.lines), b.openAmount]),
          ['TOTAL', String(atRisk.totals.lines), atRisk.totals.openAmount],
        ],
      }
    }
  }
}

/** A report a section reads that its caller did not load: a bug. */
function need<T>(report: T | undefined): T {
  if (report === undefined) throw new Error('finance table: a report it reads was not loaded')
  return report
}

/** The reports each section reads. */
const NEEDS: Readonly<Record<FinanceSection, readonly (keyof FinanceReports)[]>> = {
  'denial-rate': ['byMonth'],
  'denied-recovered': ['byMonth', 'cashByMonth'],
  'carc-family': ['byQueue'],
  payer: ['byPayer'],
  drug: ['byDrug'],
  'at-risk': ['atRisk'],
}

/**
 * One section's table (a CSV download), running only the reports it reads: the same table as
 * {@link financeTable} of the whole dashboard.
 */
export async function loadFinanceTable(
  db: Kysely<Database>,
  range: ReportRange,
  asOf: IsoDate,
  section: FinanceSection,
): Promise<FinanceTable> {
  const parts: Partial<FinanceReports> = {}
  for (const part of NEEDS[section])
    switch (part) {
      case 'byMonth':
        parts.byMonth = await recoveredReport(db, range, 'month')
        break
      case 'cashByMonth':
        parts.cashByMonth = await cashReport(db, range, 'month')
        break
      case 'byQueue':
        parts.byQueue = await recoveredReport(db, range, 'queue')
        break
      case 'byPayer':
        parts.byPayer = await recoveredReport(db, range, 'payer')
        break
      case 'byDrug':
        parts.byDrug = await recoveredReport(db, range, 'drug')
        break
      case 'atRisk':
        parts.atRisk = await atRiskByDeadline(db, range, asOf)
        break
    }
  return financeTable(parts, section)
}
