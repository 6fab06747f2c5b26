import { claimView } from '../claim-view.js'
import { finding } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * A drug that requires prior authorization must carry REF*G1 (loop 2300, or 2400 when lines fall
 * under different authorizations; 005010X222A1) naming a tracked authorization. A drug requires
 * one when a tracked authorization exists for the payer, member and drug, or when the payer's
 * profile says so: traditional Medicare needs none for Part B drugs (its prior authorization
 * programs cover 42 CFR 414.234 DMEPOS items and 42 CFR 419.83 hospital outpatient services),
 * the other classes follow the editable fixtures/scrub/auth-required-drugs.csv. A payer without a
 * profile gets one warning per claim: its authorization is not checked. An authorization number
 * equal to the referral number (REF*9F) is rejected. Denials otherwise: CARC 197 (precertification
 * absent), RARC M62 (X12 CARC/RARC lists).
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
    let unprofiled = false
    for (const view of claimView(claim, context).lines) {
      if (!view.isDrug) continue
      const forDrug = auths.filter((auth) => auth.hcpcs === undefined || auth.hcpcs === view.code)
      const policy = context.reference.drugAuthorization(claim.payer.id, view.code)
      if (forDrug.length === 0 && policy !== 'required') {
        if (policy === 'no_profile' && !unprofiled) {
          unprofiled = true
          findings.push(
            finding(
              this,
              claim,
              undefined,
              `no profile for payer ${payerId || '(none)'}: authorization not checked`,
              claim.position,
              {
                severity: 'warning',
                suggestion: 'add the payer to the payer profiles (onco-edi payers import) with its class',
              },
            ),
          )
        }
        continue
      }
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
