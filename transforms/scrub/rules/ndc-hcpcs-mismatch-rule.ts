import { claimView } from '../claim-view.js'
import { finding, pointAt } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { NOC_DRUG_CODES } from '../tables/drug-codes.js'

/**
 * The NDC must map to the billed HCPCS in the ASP NDC-HCPCS crosswalk of the DOS's quarter (or the
 * nearest earlier imported one); otherwise RARC M119. A biosimilar's NDC billed on the reference
 * product's J-code is the typical case (CMS ASP NDC-HCPCS crosswalk; RARC M119). NOC codes are left to
 * `noc-when-specific-exists`.
 */
export const ndcHcpcsMismatchRule: ScrubRule = {
  id: 'ndc-hcpcs-mismatch',
  description: 'NDC not in the crosswalk for the billed HCPCS in the DOS quarter',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      const drug = view.line.drug
      if (drug === undefined || !view.isDrug || NOC_DRUG_CODES.has(view.code)) continue
      if (!/^\d{11}$/.test(drug.ndc)) continue // ndc-format reports it
      const quarter = context.codes.crosswalkQuarterFor(view.dos)
      if (quarter === undefined) continue
      const rows = context.codes.crosswalkByNdc(drug.ndc, quarter)
      if (rows.some((row) => row.hcpcs === view.code)) continue
      const position = pointAt(drug.position, 3)
      if (rows.length === 0) {
        // Absent from the crosswalk altogether: possibly a new NDC the quarter does not list yet.
        if (context.codes.crosswalkByHcpcs(view.code, quarter).length === 0) continue
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `the NDC is not in the ${quarter} crosswalk (used for DOS ${view.dos}) for ${view.code} or any other code`,
            position,
            { severity: 'warning', suggestion: 'check the NDC on the package against the crosswalk' },
          ),
        )
        continue
      }
      const mapped = [...new Set(rows.map((row) => row.hcpcs))]
      findings.push(
        finding(
          this,
          claim,
          view.line,
          `the NDC maps to ${mapped.join(', ')}, not ${view.code}, in the ${quarter} crosswalk (used for DOS ${view.dos})`,
          position,
          { suggestion: `bill ${mapped.join(' or ')} for this NDC, or correct the NDC` },
        ),
      )
    }
    return findings
  },
}
