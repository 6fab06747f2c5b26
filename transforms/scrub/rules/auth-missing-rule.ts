import { claimView } from '../claim-view.js'
import { finding } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * A drug that requires prior authorization (a tracked authorization exists for the payer, member
 * and drug, or the payer profile / fixtures/scrub/auth-required-drugs.csv says so) must carry
 * REF*G1 (2300, or 2400 when lines fall under different authorizations) naming a tracked
 * authorization. An authorization number equal to the referral number (REF*9F) is rejected
 * (Stedi edits). Denials otherwise: CARC 197 (absent), RARC M62. Sources: 005010X222A1 REF*G1
 * (prior authorization, loops 2300 and 2400); X12 CARC and RARC code lists.
 */
export const authMissingRule: ScrubRule = {
  id: 'auth-missing',
  description: 'drug requiring authorization without REF*G1 or without a tracked authorization',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    const payerId = claim.payer.id ?? ''
    const auths = context.authorizations(payerId, claim.subscriber.memberId)
    if (claim.priorAuthorization !== undefined && claim.priorAuthorization === claim.referralNumber)
      findings.push(
        finding(
          this,
          claim,
          undefined,
          'REF*G1 (prior authorization) equals REF*9F (referral number)',
          claim.position,
          {
            suggestion: 'send the payer-issued authorization number in REF*G1 and the referral in REF*9F',
          },
        ),
      )
    for (const view of claimView(claim, context).lines) {
      if (!view.isDrug) continue
      const forDrug = auths.filter((auth) => auth.hcpcs === undefined || auth.hcpcs === view.code)
      if (forDrug.length === 0 && !context.reference.authRequired(payerId, view.code)) continue
      const reference = view.line.priorAuthorization ?? claim.priorAuthorization
      const covering = forDrug.find(
        (auth) =>
          (auth.startDate === undefined || auth.startDate <= view.dos) &&
          (auth.endDate === undefined || view.dos <= auth.endDate),
      )
      if (reference === undefined) {
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `${view.code} requires prior authorization but the claim and line have no REF*G1`,
            view.line.position,
            {
              suggestion:
                covering !== undefined
                  ? `add REF*G1*${covering.authNumber} (tracked authorization covering ${view.dos})`
                  : 'obtain the authorization, import it (onco-edi auths import) and add REF*G1',
            },
          ),
        )
        continue
      }
      if (forDrug.length === 0) {
        // A tracked number for another drug is auth-out-of-scope's finding.
        if (auths.some((auth) => auth.authNumber === reference)) continue
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `${view.code} requires prior authorization but no tracked authorization exists for this member, payer and drug`,
            view.line.position,
            {
              suggestion: 'import the authorization (onco-edi auths import) or obtain one before submitting',
            },
          ),
        )
        continue
      }
      if (!auths.some((auth) => auth.authNumber === reference))
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `REF*G1 "${reference}" is not a tracked authorization for this member and payer`,
            view.line.position,
            {
              suggestion:
                `use the tracked authorization ${(covering ?? forDrug[0])?.authNumber ?? ''}`.trim(),
            },
          ),
        )
    }
    return findings
  },
}
