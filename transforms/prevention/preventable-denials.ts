import type { Cents } from '../../parsers/money.js'

/** Where a denied dollar stands against the scrubber. */
export type PreventionOutcome = 'flagged_sent_anyway' | 'would_have_flagged' | 'not_preventable'

/** The outcomes in report order. */
export const PREVENTION_OUTCOMES: readonly PreventionOutcome[] = [
  'flagged_sent_anyway',
  'would_have_flagged',
  'not_preventable',
]

/** One denied line (or claim) to attribute. */
export interface PreventionDenial {
  claimId: string
  /** LX01 of the denied 837 line; `undefined` for a claim-level or unmatched denial. */
  lineNumber: number | undefined
  amount: Cents
}

/** A rule hit on a claim: stored by the scrub run, or found by running the rule now. */
export interface RuleHit {
  rule: string
  /** LX01, or `undefined` for a claim-level finding. */
  line: number | undefined
}

/** What is known about the claim's scrub: whether it was scrubbed, and its rule hits. */
export interface ScrubEvidence {
  scrubbed: boolean
  hits: readonly RuleHit[]
}

/** The verdict for one denial. */
export interface DenialAttribution {
  outcome: PreventionOutcome
  /** The rule it is counted under; `undefined` when not preventable. */
  rule: string | undefined
}

/**
 * Attributes a denial to the first candidate rule with a hit on the denied line, or on the claim
 * as a whole (a claim-level hit, or a claim-level denial with any hit of the rule). When the claim
 * was scrubbed the hit is a stored finding: the claim was flagged and sent anyway. When it was not,
 * the hit comes from running the rule on the submitted claim: scrub would have flagged it. No hit,
 * or no candidate rule: not preventable by a rule.
 */
export function attributeDenial(
  denial: PreventionDenial,
  candidates: readonly string[],
  evidence: ScrubEvidence,
): DenialAttribution {
  for (const rule of candidates) {
    const hit = evidence.hits.some(
      (h) =>
        h.rule === rule &&
        (h.line === undefined || denial.lineNumber === undefined || h.line === denial.lineNumber),
    )
    if (hit) return { outcome: evidence.scrubbed ? 'flagged_sent_anyway' : 'would_have_flagged', rule }
  }
  return { outcome: 'not_preventable', rule: undefined }
}

/** One row of the preventable report: denied dollars of one rule and outcome. */
export interface PreventableRow {
  /** `undefined` for the not-preventable row. */
  rule: string | undefined
  outcome: PreventionOutcome
  denials: number
  claims: number
  amount: Cents
}

/** Rows and totals; the rows' amounts sum to `total`. */
export interface PreventableSummary {
  rows: PreventableRow[]
  totals: Record<PreventionOutcome, Cents> & { total: Cents; denials: number }
}

/**
 * Sums attributed denials per rule and outcome. Rows are ordered by outcome (flagged, would have
 * flagged, not preventable), then by amount (largest first), then by rule id.
 */
export function summarizePreventable(
  attributed: readonly { denial: PreventionDenial; attribution: DenialAttribution }[],
): PreventableSummary {
  const rows = new Map<string, PreventableRow & { claimIds: Set<string> }>()
  const totals = { flagged_sent_anyway: 0, would_have_flagged: 0, not_preventable: 0, total: 0, denials: 0 }
  for (const { denial, attribution } of attributed) {
    const key = `${attribution.outcome}|${attribution.rule ?? ''}`
    let row = rows.get(key)
    if (row === undefined) {
      row = {
        rule: attribution.rule,
        outcome: attribution.outcome,
        denials: 0,
        claims: 0,
        amount: 0,
        claimIds: new Set(),
      }
      rows.set(key, row)
    }
    row.denials++
    row.amount += denial.amount
    row.claimIds.add(denial.claimId)
    totals[attribution.outcome] += denial.amount
    totals.total += denial.amount
    totals.denials++
  }
  const ordered = [...rows.values()].sort(
    (a, b) =>
      PREVENTION_OUTCOMES.indexOf(a.outcome) - PREVENTION_OUTCOMES.indexOf(b.outcome) ||
      b.amount - a.amount ||
      (a.rule ?? '').localeCompare(b.rule ?? ''),
  )
  return {
    rows: ordered.map(({ claimIds, ...row }) => ({ ...row, claims: claimIds.size })),
    totals,
  }
}
