import type { ClaimStatus277 } from '../../parsers/acknowledgment/claim-status277.js'
import { parseCsvTable } from '../denials/csv-records.js'
import { DenialError } from '../denials/denial-error.js'

/** What a 277CA status category means for the claim. */
export type AckOutcome = 'accepted' | 'rejected' | 'pending'

const OUTCOMES: readonly AckOutcome[] = ['accepted', 'rejected', 'pending']

/** One row of `fixtures/acknowledgments/claim-status-categories.csv`. */
export interface StatusCategoryRule {
  category: string
  outcome: AckOutcome
  meaning: string
}

/** The category table, by STC01-1 code. */
export type StatusCategoryTable = ReadonlyMap<string, StatusCategoryRule>

/**
 * Parses the user-editable table of 277CA status categories (X12 external code source 507). A bad
 * row throws `DENIAL_CSV_ROW` with its line: a category silently dropped would leave rejected
 * claims unworked.
 */
export function parseStatusCategories(csvText: string): StatusCategoryTable {
  const table = parseCsvTable(csvText, ['category', 'outcome', 'meaning'], 'claim-status-categories.csv')
  const at = (name: string): number => table.header.indexOf(name)
  const rules = new Map<string, StatusCategoryRule>()
  for (const record of table.records) {
    const category = (record.fields[at('category')] ?? '').trim().toUpperCase()
    const outcome = (record.fields[at('outcome')] ?? '').trim().toLowerCase()
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(category))
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `claim-status-categories.csv line ${record.line}: expected a category code such as A7`,
        {
          line: record.line,
          column: 'category',
        },
      )
    const known = OUTCOMES.find((o) => o === outcome)
    if (known === undefined)
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `claim-status-categories.csv line ${record.line}: expected outcome ${OUTCOMES.join('/')}, got "${outcome}"`,
        { line: record.line, column: 'outcome' },
      )
    rules.set(category, { category, outcome: known, meaning: (record.fields[at('meaning')] ?? '').trim() })
  }
  return rules
}

/** What a 277CA says of one claim. */
export interface Claim277Outcome {
  outcome: AckOutcome
  /** The category that decided it (STC01-1 of the claim-level status). */
  category: string
  /** Every claim-level status code as `category:code[:entity]`, e.g. `A7:562:85`. */
  codes: string[]
  meaning: string
}

/**
 * The outcome of a claim in a 277CA: its claim-level statuses (loop 2200D STC; not the line
 * statuses) by the category table. A rejection in any STC wins over an acceptance; an unknown
 * category is `pending` (someone must look).
 */
export function claim277Outcome(claim: ClaimStatus277, categories: StatusCategoryTable): Claim277Outcome {
  const codes = claim.statuses.flatMap((status) =>
    status.codes.map((c) =>
      [c.category, c.code, c.entity ?? ''].filter((part, i) => i < 2 || part !== '').join(':'),
    ),
  )
  let decided: { rule: StatusCategoryRule | undefined; category: string } | undefined
  const rank = (outcome: AckOutcome | undefined): number =>
    outcome === 'rejected' ? 3 : outcome === 'pending' ? 1 : outcome === 'accepted' ? 2 : 0
  for (const status of claim.statuses) {
    for (const code of status.codes) {
      const rule = categories.get(code.category.toUpperCase())
      const current = decided?.rule?.outcome
      if (decided === undefined || rank(rule?.outcome ?? 'pending') > rank(current ?? 'pending'))
        decided = { rule, category: code.category }
    }
  }
  return {
    outcome: decided?.rule?.outcome ?? 'pending',
    category: decided?.category ?? '',
    codes,
    meaning: decided?.rule?.meaning ?? 'no status category the table knows',
  }
}
