import { claimView } from '../claim-view.js'
import { finding, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { FACILITY_PLACES_OF_SERVICE, isFacilityAdminCode } from '../tables/drug-codes.js'

/**
 * In a facility setting (POS 19/21/22/23) the physician does not report drug administration
 * (96360–96379, 96401–96425, 96521–96523) or the drugs: the hospital bills them on its 837I
 * (CPT, quoted by Regence policy 109 and Noridian A52953). Payers recoup with
 * RARC M97.
 */
export const posFacilityAdminRule: ScrubRule = {
  id: 'pos-facility-admin',
  description: '837P at a facility place of service with administration or J/Q drug codes',
  severity: 'error',
  check(claim, context) {
    if (claim.kind !== '837P') return []
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      const pos = view.line.placeOfService ?? claim.facilityCode
      if (!FACILITY_PLACES_OF_SERVICE.has(pos)) continue
      const admin = isFacilityAdminCode(view.code)
      if (!admin && !/^[JQ]\d{4}$/.test(view.code)) continue
      findings.push(
        finding(
          this,
          claim,
          view.line,
          `${view.code} (${admin ? 'drug administration' : 'drug'}) on a professional claim at facility place of service ${pos}`,
          procedurePosition(claim, view.line),
          {
            suggestion:
              'the hospital bills the administration and drugs on its 837I; the physician bills E/M only (modifier 25 when it applies)',
          },
        ),
      )
    }
    return findings
  },
}
