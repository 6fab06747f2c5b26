/** A row an import rejected (or kept with a warning), as the per-row report prints it. */
export interface RowReport {
  line: number
  column?: number | undefined
  code: string
  reason: string
}

/**
 * One line of an import's per-row report, like a compiler's: `FILE:LINE:COLUMN: CODE: reason`
 * (`FILE:LINE: …` when no one column is at fault), with `warning` before the code of a kept row.
 * Reasons name columns, never a member id or a name.
 */
export function formatRowReport(file: string, row: RowReport, warning = false): string {
  const where = row.column === undefined ? `${file}:${row.line}` : `${file}:${row.line}:${row.column}`
  return `${where}: ${warning ? 'warning ' : ''}${row.code}: ${row.reason}\n`
}

/** Writes the warnings, then the rejects, of one imported file to `out` (stderr). */
export function writeRowReport(
  out: NodeJS.WritableStream,
  file: string,
  rejects: readonly RowReport[],
  warnings: readonly RowReport[] = [],
): void {
  for (const warning of warnings) out.write(formatRowReport(file, warning, true))
  for (const reject of rejects) out.write(formatRowReport(file, reject))
}
