import { claimView } from '../claim-view.js'
import { finding, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * An add-on code needs an eligible primary on the same claim and DOS, else a denial (CARC B15 or
 * 16). The primaries come from the imported NCCI add-on code file for the DOS; the
 * table (fixtures/scrub/addon-primaries.csv) is a fallback for 96415/96417/96411/96367/96368/
 * 96375/96361/96366 when the file does not list them. Source: CMS NCCI add-on code edits.
 */
export const adminAddonWithoutPrimaryRule: ScrubRule = {
  id: 'admin-addon-without-primary',
  description: 'add-on code without an eligible primary on the same DOS',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    for (const [dos, lines] of claimView(claim, context).byDos) {
      for (const line of lines) {
        if (line.code === '') continue
        const primaries =
          context.codes.addOnPrimaries(line.code, dos) ?? context.reference.addOnFallback(line.code)
        if (primaries === undefined || primaries.length === 0) continue
        if (lines.some((other) => other !== line && primaries.includes(other.code))) continue
        const shown = primaries.length > 6 ? `${primaries.slice(0, 6).join(', ')}…` : primaries.join(', ')
        findings.push(
          finding(
            this,
            claim,
            line.line,
            `add-on ${line.code} has no eligible primary (${shown}) on ${dos}`,
            procedurePosition(claim, line.line),
            {
              suggestion: `bill the primary service it adds to, or recode ${line.code} as the initial service`,
            },
          ),
        )
      }
    }
    return findings
  },
}
