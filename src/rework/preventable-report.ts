import { readFile } from 'node:fs/promises'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import type {
  PreventionDenial,
  PreventionOutcome,
  RuleHit,
  ScrubEvidence,
} from '../../transforms/prevention/preventable-denials.js'
import { attributeDenial, summarizePreventable } from '../../transforms/prevention/preventable-denials.js'
import { candidateRules, parsePreventionMap } from '../../transforms/prevention/prevention-map.js'
import { SCRUB_RULES } from '../../transforms/scrub/rules/index.js'
import { scrubClaim } from '../../transforms/scrub/scrub-claim.js'
import type { Database } from '../db/database.js'
import { fixturesDir } from '../project-root.js'
import { loadScrubContextFromDatabase } from '../scrub/load-scrub-context.js'
import { loadItemLines } from './rework-item-lines.js'
import { loadSubmittedClaims } from './submitted-claim-reader.js'

/** Claim ids per query: well under PostgreSQL's bind parameter limit. */
const BATCH = 500

/** A denial of the report period with what the prevention map reads. */
export interface DenialFacts extends PreventionDenial {
  itemId: number
  procedureCode: string | undefined
  carcs: readonly string[]
  rarcs: readonly string[]
  /** The matched 837 claim row, when the remit matched one. */
  submittedClaimId: number | undefined
}

/**
 * The denials remitted in the range (remit date, as `report recovered` counts them): one per
 * denied line of a rework item (or its claim-level adjustments), with the LX01 of the matched 837
 * line.
 */
export async function loadDenialFacts(
  db: Kysely<Database>,
  range: { from?: IsoDate | undefined; to?: IsoDate | undefined },
): Promise<DenialFacts[]> {
  const parts = [sql`true`]
  if (range.from !== undefined) parts.push(sql`ri.remit_date collate "C" >= ${range.from}`)
  if (range.to !== undefined) parts.push(sql`ri.remit_date collate "C" <= ${range.to}`)
  const lines = await loadItemLines(db, sql.join(parts, sql` and `))
  return lines.map((l) => ({
    itemId: l.itemId,
    claimId: l.claimId,
    lineNumber: l.lineNumber,
    procedureCode: l.procedureCode,
    carcs: l.carcs,
    rarcs: l.rarcs,
    amount: l.amount,
    submittedClaimId: l.submittedClaimId,
  }))
}

/** One report row as printed. */
export interface PreventableReportRow {
  rule: string | null
  outcome: PreventionOutcome
  denials: number
  claims: number
  amount: string
  amountCents: number
}

/** `report preventable`: denied dollars per scrub rule and outcome; the rows sum to the total. */
export interface PreventableReport {
  from: string | null
  to: string | null
  rows: PreventableReportRow[]
  totals: {
    denials: number
    flaggedSentAnyway: string
    wouldHaveFlagged: string
    notPreventable: string
    total: string
    totalCents: number
  }
  /** Per denial (rework item), the outcome and rule. */
  denials: {
    itemId: number
    claimId: string
    outcome: PreventionOutcome
    rule: string | null
    amount: string
  }[]
}

/** Options of {@link preventableReport}. */
export interface PreventableReportOptions {
  from?: IsoDate | undefined
  to?: IsoDate | undefined
  /** The "today" of rules run on claims that were not scrubbed (for dates missing on a claim). */
  asOf?: IsoDate
  /** The prevention map (default fixtures/prevention/denial-rules.csv). */
  mapPath?: string
  /** Scrub reference tables (default fixtures/scrub). */
  scrubTablesDir?: string
}

/**
 * Links each denial of the period to the scrub rule that would have caught it (the prevention
 * map), and says whether scrub flagged the claim and it was sent anyway (a stored finding of the
 * rule on the line or claim), whether scrub would have flagged it (the claim was never scrubbed:
 * the rule is run now on the stored 837 claim), or whether no rule catches it.
 */
export async function preventableReport(
  db: Kysely<Database>,
  options: PreventableReportOptions = {},
): Promise<PreventableReport> {
  const map = parsePreventionMap(
    await readFile(options.mapPath ?? fixturesDir('prevention', 'denial-rules.csv'), 'utf8'),
    SCRUB_RULES.map((r) => r.id),
  )
  const denials = await loadDenialFacts(db, options)
  const candidates = denials.map((d) => candidateRules(map, d))
  const claimIds = [
    ...new Set(denials.filter((_, i) => (candidates[i] ?? []).length > 0).map((d) => d.claimId)),
  ]
  const evidence = await storedEvidence(db, claimIds)
  await runRulesOnUnscrubbed(db, denials, candidates, evidence, options)
  const attributed = denials.map((denial, i) => ({
    denial,
    attribution: attributeDenial(
      denial,
      candidates[i] ?? [],
      evidence.get(denial.claimId) ?? { scrubbed: false, hits: [] },
    ),
  }))
  const summary = summarizePreventable(attributed)
  return {
    from: options.from ?? null,
    to: options.to ?? null,
    rows: summary.rows.map((r) => ({
      rule: r.rule ?? null,
      outcome: r.outcome,
      denials: r.denials,
      claims: r.claims,
      amount: formatCents(r.amount),
      amountCents: r.amount,
    })),
    totals: {
      denials: summary.totals.denials,
      flaggedSentAnyway: formatCents(summary.totals.flagged_sent_anyway),
      wouldHaveFlagged: formatCents(summary.totals.would_have_flagged),
      notPreventable: formatCents(summary.totals.not_preventable),
      total: formatCents(summary.totals.total),
      totalCents: summary.totals.total,
    },
    denials: attributed.map(({ denial, attribution }) => ({
      itemId: denial.itemId,
      claimId: denial.claimId,
      lineNumber: denial.lineNumber ?? null,
      procedureCode: denial.procedureCode ?? null,
      outcome: attribution.outcome,
      rule: attribution.rule ?? null,
      amount: formatCents(denial.amount),
    })),
  }
}

/**
 * What scrub stored for the claims: a claim was scrubbed when it has findings (table
 * scrub_finding, the latest scrub of each claim) or accepted ledger lines (scrubbed_claim_line).
 */
async function storedEvidence(
  db: Kysely<Database>,
  claimIds: readonly string[],
): Promise<Map<string, ScrubEvidence>> {
  const hits = new Map<string, RuleHit[]>()
  const scrubbed = new Set<string>()
  for (let i = 0; i < claimIds.length; i += BATCH) {
    const slice = claimIds.slice(i, i + BATCH)
    const findings = await db
      .selectFrom('scrub_finding')
      .select(['claim_id', 'line_number', 'rule'])
      .where('claim_id', 'in', slice)
      .execute()
    for (const f of findings) {
      scrubbed.add(f.claim_id)
      const list = hits.get(f.claim_id) ?? []
      list.push({ rule: f.rule, line: f.line_number ?? undefined })
      hits.set(f.claim_id, list)
    }
    const ledger = await db
      .selectFrom('scrubbed_claim_line')
      .select('claim_id')
      .distinct()
      .where('claim_id', 'in', slice)
      .execute()
    for (const row of ledger) scrubbed.add(row.claim_id)
  }
  const out = new Map<string, ScrubEvidence>()
  for (const id of scrubbed) out.set(id, { scrubbed: true, hits: hits.get(id) ?? [] })
  return out
}

/** Runs the candidate rules on the stored 837 of each claim that was never scrubbed. */
async function runRulesOnUnscrubbed(
  db: Kysely<Database>,
  denials: readonly DenialFacts[],
  candidates: readonly (readonly string[])[],
  evidence: Map<string, ScrubEvidence>,
  options: PreventableReportOptions,
): Promise<void> {
  const rulesByClaim = new Map<number, Set<string>>()
  for (const [i, d] of denials.entries()) {
    const rules = candidates[i] ?? []
    if (rules.length === 0 || d.submittedClaimId === undefined || evidence.has(d.claimId)) continue
    const set = rulesByClaim.get(d.submittedClaimId) ?? new Set<string>()
    for (const r of rules) set.add(r)
    rulesByClaim.set(d.submittedClaimId, set)
  }
  if (rulesByClaim.size === 0) return
  const context = await loadScrubContextFromDatabase(db, options)
  const ids = [...rulesByClaim.keys()]
  for (let i = 0; i < ids.length; i += BATCH) {
    const claims = await loadSubmittedClaims(db, ids.slice(i, i + BATCH))
    for (const [id, claim] of claims) {
      const wanted = rulesByClaim.get(id) ?? new Set<string>()
      const rules = SCRUB_RULES.filter((r) => wanted.has(r.id))
      const { findings } = scrubClaim(claim, context, rules)
      const previous = evidence.get(claim.claimId)?.hits ?? []
      evidence.set(claim.claimId, {
        scrubbed: false,
        hits: [...previous, ...findings.map((f) => ({ rule: f.rule, line: f.line }))],
      })
    }
  }
}

/** Report rows sorted for print, with the not-preventable row labelled. */
export function preventableRuleLabel(rule: string | null): string {
  return rule ?? '(not preventable by a rule)'
}
