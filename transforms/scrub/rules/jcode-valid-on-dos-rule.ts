import { claimView } from '../claim-view.js'
import { finding, isValidOn, procedurePosition, recomputeUnits, successorOf } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'

/**
 * Every HCPCS Level II code on a line must be valid on the line's DOS: ADD_DT ≤ DOS ≤ TERM_DT
 * (CMS HCPCS file fields; no grace period since 2005; CARC 181 / RARC M84). When the code is
 * terminated and has a 1:1 successor (XREF1, else fixtures/scrub/code-successors.csv), the
 * successor is suggested with units recomputed for its billing unit; the NDC quantity is unchanged
 * (CMS HCPCS quarterly update; no grace period for discontinued codes).
 */
export const jcodeValidOnDosRule: ScrubRule = {
  id: 'jcode-valid-on-dos',
  description: 'HCPCS code valid on the date of service (ADD_DT ≤ DOS ≤ TERM_DT)',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      const code = view.code
      // Level II codes are a letter and four digits; CPT (numeric) codes are not in the HCPCS file.
      if (!/^[A-V]\d{4}$/.test(code)) continue
      const record = context.codes.hcpcs(code)
      const position = procedurePosition(claim, view.line)
      if (record === undefined) {
        if (view.isDrug)
          findings.push(
            finding(this, claim, view.line, `${code} is not in the imported HCPCS table`, position, {
              severity: 'warning',
              suggestion: 'import the current CMS HCPCS file (onco-edi codes import) or check the code',
            }),
          )
        continue
      }
      if (isValidOn(record, view.dos)) continue
      if (record.addDate !== undefined && view.dos < record.addDate) {
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `${code} is not valid until ${record.addDate} (DOS ${view.dos})`,
            position,
            {
              suggestion: 'bill the code that was valid on the DOS',
            },
          ),
        )
        continue
      }
      const successor = successorOf(code, record, context)
      const message = `${code} was terminated on ${record.terminationDate ?? '?'} and is not valid on DOS ${view.dos}`
      if (successor === undefined) {
        findings.push(
          finding(this, claim, view.line, message, position, {
            suggestion: 'recode to the code valid on the DOS',
          }),
        )
        continue
      }
      const next = context.codes.hcpcs(successor.code)
      const nextValid = next === undefined || isValidOn(next, view.dos)
      const toUnits =
        record.billingUnit !== undefined && next?.billingUnit !== undefined
          ? recomputeUnits(view.line.units, record.billingUnit, next.billingUnit)
          : undefined
      const unitText =
        toUnits === undefined
          ? 'recompute the units for its billing unit'
          : `units ${view.line.units} → ${toUnits} (${formatUnit(record.billingUnit)} → ${formatUnit(next?.billingUnit)}); NDC quantity unchanged`
      findings.push(
        finding(this, claim, view.line, message, position, {
          suggestion: `use ${successor.code}: ${unitText}`,
          fix:
            toUnits !== undefined && nextValid
              ? {
                  kind: 'replace-hcpcs',
                  line: view.line.lineNumber,
                  fromCode: code,
                  toCode: successor.code,
                  fromUnits: view.line.units,
                  toUnits,
                  source: successor.source,
                }
              : undefined,
        }),
      )
    }
    return findings
  },
}

function formatUnit(unit: { amount: number; unit: string } | undefined): string {
  return unit === undefined ? '?' : `${unit.amount} ${unit.unit}`
}
