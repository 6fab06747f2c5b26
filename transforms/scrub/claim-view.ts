import type { Claim837, ServiceLine837 } from '../../parsers/claim837/claim837.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { MueSetting } from '../codes/code-records.js'
import { payerRequirements } from '../denials/payer-profile.js'
import type { ScrubContext } from './scrub-context.js'
import type { AdminCodeRow } from './scrub-reference.js'
import { DRUG_CODE_PATTERN } from './tables/drug-codes.js'

/** A service line with what the rules need, computed once per claim. */
export interface LineView {
  line: ServiceLine837
  /** SV1-01-2 / SV2-02-2, or `''`. */
  code: string
  /** Line DTP*472 from, else the claim's from date, else the run's as-of date. */
  dos: IsoDate
  admin: AdminCodeRow | undefined
  isDrug: boolean
  /** SV1-01-3..6 / SV2-02-3..6 (the line's own array). */
  modifiers: readonly string[]
}

/** A claim indexed once for every rule: lines by DOS, payer traits. */
export interface ClaimView {
  lines: LineView[]
  byDos: Map<IsoDate, LineView[]>
  payerId: string | undefined
  /**
   * JW/JZ required on single-dose drugs: the payer profile (class default: traditional Medicare),
   * else SBR09 MA/MB when the payer has no profile.
   */
  jwJzRequired: boolean
  /** NDC required: the payer profile (class default: Medicaid, DRA 2005 §6002), else SBR09 MC. */
  requiresNdc: boolean
  /** MUE table for the claim kind: practitioner (837P) or outpatient hospital (837I). */
  mueSetting: MueSetting
}

const views = new WeakMap<Claim837, ClaimView>()

/**
 * The claim's view, built on first use and cached for the other rules, so that lines are indexed
 * by DOS once per claim rather than once per rule.
 */
export function claimView(claim: Claim837, context: ScrubContext): ClaimView {
  const cached = views.get(claim)
  if (cached !== undefined) return cached
  const lines: LineView[] = []
  const byDos = new Map<IsoDate, LineView[]>()
  for (const line of claim.lines) {
    const code = line.procedureCode ?? ''
    const view: LineView = {
      line,
      code,
      dos: line.serviceFrom ?? claim.serviceFrom ?? context.asOf,
      admin: code === '' ? undefined : context.reference.adminCode(code),
      isDrug: DRUG_CODE_PATTERN.test(code),
      modifiers: line.modifiers,
    }
    lines.push(view)
    const list = byDos.get(view.dos)
    if (list === undefined) byDos.set(view.dos, [view])
    else list.push(view)
  }
  const payerId = claim.payer.id
  const profile = context.reference.payerProfile(payerId)
  const requirements = profile === undefined ? undefined : payerRequirements(profile)
  const filing = claim.subscriber.claimFilingIndicator
  const view: ClaimView = {
    lines,
    byDos,
    payerId,
    jwJzRequired: requirements?.jwJzRequired ?? (filing === 'MA' || filing === 'MB'),
    requiresNdc: requirements?.requiresNdc ?? filing === 'MC',
    mueSetting: claim.kind === '837P' ? 'practitioner' : 'outpatient_hospital',
  }
  views.set(claim, view)
  return view
}

/** Forgets a claim's cached view (after a fix edits the claim). */
export function forgetClaimView(claim: Claim837): void {
  views.delete(claim)
}
