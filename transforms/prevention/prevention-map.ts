import { normalizeCarc } from '../denials/carc-table.js'
import { fieldOf, parseCsvTable } from '../denials/csv-records.js'
import { DenialError } from '../denials/denial-error.js'

/** One row of `fixtures/prevention/denial-rules.csv`: denials of this kind → the scrub rules that catch them. */
export interface PreventionMapRow {
  /** A CARC (`4`, `B15`) or `*` for any. */
  carc: string
  /** A RARC the denial must carry, or `undefined` for any. */
  rarc: string | undefined
  /** HCPCS/CPT codes the denied line must have; empty for any. */
  hcpcs: readonly string[]
  /** Scrub rule ids, in the order they are tried. */
  rules: readonly string[]
  /** The public source of the link. */
  source: string
  line: number
}

/** The denial facts the map reads. */
export interface DenialKind {
  /** `GROUP-CARC` strings, e.g. `CO-97`. */
  carcs: readonly string[]
  rarcs: readonly string[]
  /** The denied line's code; `undefined` for a claim-level denial. */
  procedureCode: string | undefined
}

/**
 * Parses the prevention map (columns `carc, rarc, hcpcs, rules, source`). A rule id that is not in
 * `knownRules`, or a row without rules, throws `DENIAL_CSV_ROW` with its line, so a typo cannot
 * silently make a denial look unpreventable.
 */
export function parsePreventionMap(text: string, knownRules: readonly string[]): PreventionMapRow[] {
  const name = 'denial-rules.csv'
  const table = parseCsvTable(text, ['carc', 'rarc', 'hcpcs', 'rules', 'source'], name)
  return table.records.map((record) => {
    const words = (column: string): string[] =>
      fieldOf(table, record, column)
        .split(/\s+/)
        .filter((w) => w !== '')
    const rules = words('rules')
    if (rules.length === 0)
      throw new DenialError('DENIAL_CSV_ROW', `${name} line ${record.line}: no rules`, {
        line: record.line,
        column: 'rules',
      })
    const unknown = rules.find((r) => !knownRules.includes(r))
    if (unknown !== undefined)
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `${name} line ${record.line}: "${unknown}" is not a scrub rule (${knownRules.join(', ')})`,
        { line: record.line, column: 'rules' },
      )
    const carc = fieldOf(table, record, 'carc')
    const rarc = fieldOf(table, record, 'rarc').toUpperCase()
    return {
      carc: carc === '*' || carc === '' ? '*' : normalizeCarc(carc),
      rarc: rarc === '' ? undefined : rarc,
      hcpcs: words('hcpcs').map((c) => c.toUpperCase()),
      rules,
      source: fieldOf(table, record, 'source'),
      line: record.line,
    }
  })
}

/**
 * The scrub rules that could have caught a denial: those of every matching row, in row order,
 * without repeats.
 *
 * @example
 * ```ts
 * candidateRules(map, { carcs: ['CO-97'], rarcs: [], procedureCode: '96417' })
 * // ['admin-sequence', 'admin-initial-unique', 'admin-addon-without-primary', 'admin-hierarchy']
 * ```
 */
export function candidateRules(map: readonly PreventionMapRow[], denial: DenialKind): string[] {
  const carcs = new Set(denial.carcs.map((c) => normalizeCarc(c.slice(c.indexOf('-') + 1))))
  const rarcs = new Set(denial.rarcs.map((r) => r.trim().toUpperCase()))
  const code = denial.procedureCode?.toUpperCase()
  const out: string[] = []
  for (const row of map) {
    if (row.carc !== '*' && !carcs.has(row.carc)) continue
    if (row.rarc !== undefined && !rarcs.has(row.rarc)) continue
    if (row.hcpcs.length > 0 && (code === undefined || !row.hcpcs.includes(code))) continue
    for (const rule of row.rules) if (!out.includes(rule)) out.push(rule)
  }
  return out
}
