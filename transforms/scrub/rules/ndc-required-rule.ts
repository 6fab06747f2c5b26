import { claimView } from '../claim-view.js'
import { finding, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * A drug line without loop 2410 (LIN*N4) when the payer requires NDCs: Medicaid for
 * physician-administered drugs including hospital outpatient (Deficit Reduction Act of 2005 §6002),
 * by the payer profile (`requires_ndc`, class default medicaid; `payers import`), or by SBR09 = MC
 * when the payer has no profile.
 */
export const ndcRequiredRule: ScrubRule = {
  id: 'ndc-required',
  description: 'drug line without an NDC when the payer requires one',
  severity: 'error',
  check(claim, context) {
    const view = claimView(claim, context)
    if (!view.requiresNdc) return []
    const findings: Finding[] = []
    for (const line of view.lines) {
      if (!line.isDrug || line.line.drug !== undefined) continue
      findings.push(
        finding(
          this,
          claim,
          line.line,
          `${line.code} has no NDC (loop 2410 LIN*N4) and this payer requires NDCs on drug lines`,
          procedurePosition(claim, line.line),
          { suggestion: 'add LIN**N4*<11-digit NDC>~CTP****<quantity>*<unit>~ under the line' },
        ),
      )
    }
    return findings
  },
}
