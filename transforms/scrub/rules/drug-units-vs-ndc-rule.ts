import { claimView } from '../claim-view.js'
import { finding, unitsPosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * HCPCS units must fit the containers opened: units ≤ NDC quantity × BILLUNITS when CTP05 is UN
 * (each unit one vial/syringe). With ML/GR/ME/F2 the quantity is an amount, so the limit is
 * quantity × BILLUNITS ÷ PKG SIZE and the finding is a warning, because how the package size is
 * expressed varies by NDC (CMS ASP NDC-HCPCS crosswalk BILLUNITS).
 */
export const drugUnitsVsNdcRule: ScrubRule = {
  id: 'drug-units-vs-ndc',
  description: 'HCPCS units exceed what the NDC quantity can supply',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      const drug = view.line.drug
      if (drug === undefined || drug.quantity === undefined || !(drug.quantity > 0)) continue
      const quarter = context.codes.crosswalkQuarterFor(view.dos)
      if (quarter === undefined) continue
      const row = context.codes.crosswalkByNdc(drug.ndc, quarter).find((r) => r.hcpcs === view.code)
      if (row?.billUnits === undefined || !(row.billUnits > 0)) continue
      let limit: number
      let ambiguous: boolean
      if (drug.unit === 'UN') {
        limit = drug.quantity * row.billUnits
        ambiguous = false
      } else {
        if (row.packageSize === undefined || !(row.packageSize > 0)) continue
        limit = (drug.quantity * row.billUnits) / row.packageSize
        ambiguous = true
      }
      // Compare with a small tolerance: BILLUNITS are published with decimals.
      if (view.line.units <= Math.ceil(Math.round(limit * 1e6) / 1e6)) continue
      findings.push(
        finding(
          this,
          claim,
          view.line,
          `${view.code} × ${view.line.units} units exceeds the ${formatLimit(limit)} units the NDC quantity ${drug.quantityText} ${drug.unit} supplies (BILLUNITS ${row.billUnits}, ${quarter} crosswalk)`,
          unitsPosition(claim, view.line),
          {
            severity: ambiguous ? 'warning' : 'error',
            suggestion: 'check the dose, the billing unit and the NDC quantity (units = dose ÷ billing unit)',
          },
        ),
      )
    }
    return findings
  },
}

function formatLimit(limit: number): string {
  return Number.isInteger(limit) ? String(limit) : limit.toFixed(2)
}
