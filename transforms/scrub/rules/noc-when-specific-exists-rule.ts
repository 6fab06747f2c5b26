import { claimView } from '../claim-view.js'
import { finding, isValidOn, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { NOC_DRUG_CODES } from '../tables/drug-codes.js'

/**
 * J9999, J3490, J3590 or C9399 (not otherwise classified) when the line's NDC maps to a specific
 * code valid on the DOS in the ASP NDC-HCPCS crosswalk: payers deny as CARC 189 (X12 CARC list, 2026-05).
 */
export const nocWhenSpecificExistsRule: ScrubRule = {
  id: 'noc-when-specific-exists',
  description: 'unclassified drug code billed when the NDC maps to a specific code',
  severity: 'warning',
  check(claim, context) {
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      if (!NOC_DRUG_CODES.has(view.code) || view.line.drug === undefined) continue
      const quarter = context.codes.crosswalkQuarterFor(view.dos)
      if (quarter === undefined) continue
      const specific: string[] = []
      for (const row of context.codes.crosswalkByNdc(view.line.drug.ndc, quarter)) {
        if (NOC_DRUG_CODES.has(row.hcpcs) || specific.includes(row.hcpcs)) continue
        const record = context.codes.hcpcs(row.hcpcs)
        if (record !== undefined && !isValidOn(record, view.dos)) continue
        specific.push(row.hcpcs)
      }
      if (specific.length === 0) continue
      findings.push(
        finding(
          this,
          claim,
          view.line,
          `${view.code} is unclassified but the NDC maps to ${specific.join(', ')} in the ${quarter} crosswalk`,
          procedurePosition(claim, view.line),
          { suggestion: `bill ${specific.join(' or ')} with units for its billing unit` },
        ),
      )
    }
    return findings
  },
}
