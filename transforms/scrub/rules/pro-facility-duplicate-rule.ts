import { claimView } from '../claim-view.js'
import { finding, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { isFacilityAdminCode } from '../tables/drug-codes.js'

/** Hospital outpatient types of bill 013x (with or without the leading zero). */
const OUTPATIENT_TOB = /^0?13/

/**
 * The same member + DOS + drug or administration code on both a hospital outpatient 837I (TOB
 * 013x) and an 837P is duplicate billing, caught by payers after the fact with RARC M97 and
 * recoupment (RARC M97; Noridian A52953). Checked within the batch and against claims already scrubbed (the
 * ledger). The 837P is the claim to correct (error); an 837I meeting an 837P already sent gets a
 * warning, since the facility bills these services.
 */
export const proFacilityDuplicateRule: ScrubRule = {
  id: 'pro-facility-duplicate',
  description: 'same member, DOS and drug/administration code on an 837I (013x) and an 837P',
  severity: 'error',
  check(claim, context) {
    if (claim.kind === '837I' && !OUTPATIENT_TOB.test(claim.typeOfBill ?? '')) return []
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      if (!view.isDrug && !isFacilityAdminCode(view.code)) continue
      const others = context.ledger.sameService(claim.subscriber.memberId, view.dos, view.code, claim.claimId)
      const other =
        claim.kind === '837P'
          ? others.find((line) => line.kind === '837I' && OUTPATIENT_TOB.test(line.facility))
          : others.find((line) => line.kind === '837P')
      if (other === undefined) continue
      const message =
        claim.kind === '837P'
          ? `${view.code} on ${view.dos} is also billed by the hospital on 837I claim ${other.claimId} (TOB ${other.facility})`
          : `${view.code} on ${view.dos} was also billed on 837P claim ${other.claimId} (POS ${other.facility})`
      findings.push(
        finding(this, claim, view.line, message, procedurePosition(claim, view.line), {
          severity: claim.kind === '837P' ? 'error' : 'warning',
          suggestion:
            claim.kind === '837P'
              ? 'remove the drug/administration lines from the professional claim (E/M only at the facility)'
              : `correct or void 837P claim ${other.claimId}: the facility bills this service`,
        }),
      )
    }
    return findings
  },
}
