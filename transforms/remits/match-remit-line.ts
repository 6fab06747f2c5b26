import type { Cents } from '../../parsers/money.js'

/** A submitted (837) line a remit line may answer, as stored. */
export interface SubmittedLine {
  id: number
  /** The id of its submitted claim. */
  claimRef: number
  procedureCode: string | null
  /** `A:B` as stored. */
  modifiers: string
  charge: Cents
  serviceFrom: string | null
  /** REF*6R of the 837 line. */
  lineControl: string | null
}

/** What line matching reads of a remit line (a parsed SVC loop, or a stored remit_line row). */
export interface RemitLineKey {
  procedureCode: string
  /** The modifiers, or the stored `A:B` text. */
  modifiers: readonly string[] | string
  charge: Cents
  serviceFrom: string | undefined
  /** REF*6R echoed by the 835. */
  lineControlNumber: string | undefined
}

function sortedModifiers(modifiers: readonly string[] | string): string {
  const list = typeof modifiers === 'string' ? modifiers.split(':').filter((m) => m !== '') : [...modifiers]
  return list.sort().join(':')
}

/**
 * The submitted line an SVC answers: the one whose line item control number (837 REF*6R) the 835
 * echoes in its REF*6R, else the first with the same code, modifiers (in any order), date of
 * service and charge (X12 005010X221A1 loop 2110, REF*6R). Each submitted line answers once:
 * `used` holds the ids already taken for this claim, and the caller adds the returned one.
 *
 * @param claimDos the DOS used when the SVC has no DTM*472 of its own
 *
 * @example
 * ```ts
 * const used = new Set<number>()
 * const line = matchRemitLine(svc, '2026-01-07', submittedLines, used)
 * if (line !== undefined) used.add(line.id)
 * ```
 */
export function matchRemitLine(
  line: RemitLineKey,
  claimDos: string | undefined,
  lines: readonly SubmittedLine[],
  used: ReadonlySet<number>,
): SubmittedLine | undefined {
  if (line.lineControlNumber !== undefined) {
    const byControl = lines.find((l) => !used.has(l.id) && l.lineControl === line.lineControlNumber)
    if (byControl !== undefined) return byControl
  }
  const dos = line.serviceFrom ?? claimDos
  const modifiers = sortedModifiers(line.modifiers)
  return lines.find(
    (l) =>
      !used.has(l.id) &&
      l.procedureCode === line.procedureCode &&
      sortedModifiers(l.modifiers) === modifiers &&
      l.charge === line.charge &&
      (dos === undefined || l.serviceFrom === null || l.serviceFrom === dos),
  )
}
