import type { CashReport, CashTotals, DenialsReport, DenialsTotals } from './reports.js'

/**
 * A cell of RFC 4180 CSV: quoted when it holds a quote, comma or line break. A text cell that
 * a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first; OWASP "CSV
 * Injection") gets a leading `'`, so a payer id or drug key from a remit cannot run in Excel;
 * amounts and counts are passed as numbers-as-text through {@link csvNumber} and keep their sign.
 */
export function csvCell(value: string | number | boolean): string {
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?%?$/.test(text))
    text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Header row + rows as CSV text, CRLF-free (one `\n` a row, a final newline). */
export function toCsv(
  headers: readonly string[],
  rows: readonly (readonly (string | number | boolean)[])[],
): string {
  return `${[headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`
}

/** Columns of `report recovered` (denials view). */
export const DENIALS_HEADERS = [
  'key',
  'items',
  'denied',
  'recovered',
  'open_at_risk',
  'closed_unpaid',
  'denied_claims',
  'adjudicated_claims',
  'denial_rate',
]

export const denialsCells = (t: DenialsTotals): string[] => [
  String(t.items),
  t.deniedAmount,
  t.recoveredAmount,
  t.openAmount,
  t.closedAmount,
  String(t.deniedClaims),
  String(t.adjudicatedClaims),
  `${(t.denialRate * 100).toFixed(2)}%`,
]

/** Columns of `report recovered --view cash`. */
export const CASH_HEADERS = ['key', 'items', 'claims', 'recovered', 'of_denied']

export const cashCells = (t: CashTotals): string[] => [
  String(t.items),
  String(t.claims),
  t.recoveredAmount,
  t.deniedAmount,
]

/** The rows of a denials-view report, its TOTAL last (what `--csv` prints). */
export const denialsRows = (report: DenialsReport): string[][] => [
  ...report.groups.map((g) => [g.key, ...denialsCells(g)]),
  ['TOTAL', ...denialsCells(report.totals)],
]

/** The rows of a cash-view report, its TOTAL last. */
export const cashRows = (report: CashReport): string[][] => [
  ...report.groups.map((g) => [g.key, ...cashCells(g)]),
  ['TOTAL', ...cashCells(report.totals)],
]
