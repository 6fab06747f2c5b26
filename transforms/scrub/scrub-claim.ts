import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { SCRUB_RULES } from './rules/index.js'
import type { ScrubContext } from './scrub-context.js'
import type { Finding, ScrubRule } from './scrub-rule.js'

/** The outcome of scrubbing one claim. */
export interface ClaimScrubResult {
  claim: Claim837
  findings: Finding[]
  /** True when no finding is an error: the claim may be submitted. */
  accepted: boolean
}

/**
 * Runs every rule on a claim. Rules are pure; one throwing is a bug, so it propagates.
 *
 * @example
 * ```ts
 * const { accepted, findings } = scrubClaim(claim, context)
 * ```
 */
export function scrubClaim(
  claim: Claim837,
  context: ScrubContext,
  rules: readonly ScrubRule[] = SCRUB_RULES,
): ClaimScrubResult {
  const findings: Finding[] = []
  for (const rule of rules) {
    const found = rule.check(claim, context)
    for (const item of found) findings.push(item)
  }
  let accepted = true
  for (const item of findings)
    if (item.severity === 'error') {
      accepted = false
      break
    }
  return { claim, findings, accepted }
}
