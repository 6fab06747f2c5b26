import { claimView } from '../claim-view.js'
import { finding, isValidOn, procedurePosition, successorOf } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { C_DRUG_CODE_PATTERN } from '../tables/drug-codes.js'

/**
 * C9xxx drug codes are hospital outpatient (OPPS pass-through) codes: a professional claim (837P)
 * must use the J/Q code (CMS OPPS; C-codes are for hospital outpatient claims only).
 */
export const cCodeOnProfessionalRule: ScrubRule = {
  id: 'c-code-on-professional',
  description: 'C9xxx OPPS drug code on a professional (837P) claim',
  severity: 'error',
  check(claim, context) {
    if (claim.kind !== '837P') return []
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      if (!C_DRUG_CODE_PATTERN.test(view.code)) continue
      const record = context.codes.hcpcs(view.code)
      const successor = successorOf(view.code, record, context)
      const next = successor === undefined ? undefined : context.codes.hcpcs(successor.code)
      const usable = successor !== undefined && (next === undefined || isValidOn(next, view.dos))
      findings.push(
        finding(
          this,
          claim,
          view.line,
          `${view.code} is a hospital outpatient (OPPS) code and cannot be billed on an 837P`,
          procedurePosition(claim, view.line),
          {
            suggestion: usable
              ? `bill ${successor?.code} (the J/Q code for the drug) on the professional claim`
              : 'bill the J/Q code for the drug, or J3490/J9999 with the NDC when none exists',
          },
        ),
      )
    }
    return findings
  },
}
