import type { IsoDate } from '../../../parsers/dates.js'
import { claimView } from '../claim-view.js'
import { finding, unitsPosition } from '../finding-helpers.js'
import type { TrackedAuthorization } from '../scrub-context.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * The tracked authorization a drug line falls under (by its REF*G1, else by payer + member + drug)
 * must cover the DOS (start ≤ DOS ≤ end), the drug, and the units and cycles billed, counted
 * cumulatively with the claims already scrubbed (the ledger, across runs; a re-scrub of the same
 * claim is not counted twice). Denials otherwise: CARC 198 (exceeded), 284/296 (not for this
 * service), 302 (expired). Source: X12 CARC code list.
 */
export const authOutOfScopeRule: ScrubRule = {
  id: 'auth-out-of-scope',
  description: 'tracked authorization does not cover the DOS, the drug, or the cumulative units/cycles',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    const payerId = claim.payer.id ?? ''
    const memberId = claim.subscriber.memberId
    const auths = context.authorizations(payerId, memberId)
    if (auths.length === 0) return findings
    // Units and dates this claim bills under each authorization + drug, to add to the ledger's.
    const groups = new Map<
      string,
      {
        auth: TrackedAuthorization
        code: string
        units: number
        dates: Set<IsoDate>
        first: (typeof lines)[number]
      }
    >()
    const lines = claimView(claim, context).lines
    for (const view of lines) {
      if (!view.isDrug) continue
      const reference = view.line.priorAuthorization ?? claim.priorAuthorization
      const candidates =
        reference === undefined ? auths : auths.filter((auth) => auth.authNumber === reference)
      if (candidates.length === 0) continue // auth-missing reports an unknown number
      const forDrug = candidates.filter((auth) => auth.hcpcs === undefined || auth.hcpcs === view.code)
      if (forDrug.length === 0) {
        // A claim-level REF*G1 names one drug's authorization; drugs that need none are not out of scope.
        const needsAuth =
          context.reference.drugAuthorization(claim.payer.id, view.code) === 'required' ||
          auths.some((auth) => auth.hcpcs === undefined || auth.hcpcs === view.code)
        if (reference !== undefined && needsAuth)
          findings.push(
            finding(
              this,
              claim,
              view.line,
              `authorization ${reference} does not cover ${view.code}`,
              view.line.position,
              {
                suggestion:
                  'obtain an authorization for this drug, or bill the authorized drug (CARC 284/296)',
              },
            ),
          )
        continue
      }
      const inSpan = forDrug.find(
        (auth) =>
          (auth.startDate === undefined || auth.startDate <= view.dos) &&
          (auth.endDate === undefined || view.dos <= auth.endDate),
      )
      if (inSpan === undefined) {
        const spans = forDrug.map(
          (auth) => `${auth.authNumber} ${auth.startDate ?? '…'}..${auth.endDate ?? '…'}`,
        )
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `DOS ${view.dos} is outside the authorization span (${spans.join('; ')}) for ${view.code}`,
            view.line.position,
            {
              suggestion:
                'request a reauthorization or a retro-authorization before submitting (CARC 302/197)',
            },
          ),
        )
        continue
      }
      const key = `${inSpan.authNumber}|${view.code}`
      const group = groups.get(key)
      if (group === undefined)
        groups.set(key, {
          auth: inSpan,
          code: view.code,
          units: view.line.units,
          dates: new Set([view.dos]),
          first: view,
        })
      else {
        group.units += view.line.units
        group.dates.add(view.dos)
      }
    }
    for (const { auth, code, units, dates, first } of groups.values()) {
      if (auth.unitsAuthorized === undefined && auth.cyclesAuthorized === undefined) continue
      const prior = context.ledger.usage(payerId, memberId, code, auth.startDate, auth.endDate, claim.claimId)
      const totalUnits = prior.units + units
      if (auth.unitsAuthorized !== undefined && totalUnits > auth.unitsAuthorized)
        findings.push(
          finding(
            this,
            claim,
            first.line,
            `${code} units ${totalUnits} (${prior.units} already billed + ${units} on this claim) exceed the ${auth.unitsAuthorized} authorized under ${auth.authNumber}`,
            unitsPosition(claim, first.line),
            {
              suggestion: 'request an extension of the authorization or correct the units (CARC 198)',
            },
          ),
        )
      if (auth.cyclesAuthorized !== undefined) {
        const allDates = new Set([...prior.dates, ...dates])
        if (allDates.size > auth.cyclesAuthorized)
          findings.push(
            finding(
              this,
              claim,
              first.line,
              `${code} is on ${allDates.size} dates of service under ${auth.authNumber}; ${auth.cyclesAuthorized} cycles are authorized`,
              first.line.position,
              {
                suggestion: 'request additional cycles before submitting (CARC 198)',
              },
            ),
          )
      }
    }
    return findings
  },
}
