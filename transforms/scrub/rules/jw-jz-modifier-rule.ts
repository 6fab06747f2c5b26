import { claimView } from '../claim-view.js'
import { finding, procedurePosition } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { NOC_DRUG_CODES } from '../tables/drug-codes.js'

/** JZ is required from this DOS on (CMS JW/JZ policy; claims without it returned from 2023-10-01). */
const JZ_REQUIRED_FROM = '2023-07-01'

/**
 * Medicare Part B drugs from single-dose containers, DOS ≥ 2023-07-01: the discarded amount goes on
 * its own line with JW; when nothing was discarded the line carries JZ. So a drug line on a DOS
 * with no JW line for the same drug needs JZ, and a JW line needs an administered line of the same
 * drug. Multi-dose containers take neither (fixtures/scrub/multi-dose-drugs.csv). Applies to
 * payers whose profile requires JW/JZ (class default: traditional Medicare), or by SBR09 MA/MB
 * when the payer has no profile. Sources: Medicare Claims Processing Manual (IOM 100-04) ch. 17
 * §40 (discarded drugs and biologicals); CMS JW and JZ modifier policy FAQs (2023); Noridian
 * article A53024.
 */
export const jwJzModifierRule: ScrubRule = {
  id: 'jw-jz-modifier',
  description: 'Medicare single-dose drug without JW/JZ, or JW without an administered line',
  severity: 'error',
  check(claim, context) {
    const view = claimView(claim, context)
    if (!view.jwJzRequired) return []
    const findings: Finding[] = []
    for (const [dos, lines] of view.byDos) {
      if (dos < JZ_REQUIRED_FROM) continue
      for (const line of lines) {
        if (!line.isDrug || NOC_DRUG_CODES.has(line.code) || context.reference.isMultiDose(line.code))
          continue
        const jw = line.modifiers.includes('JW')
        const jz = line.modifiers.includes('JZ')
        const position = procedurePosition(claim, line.line, 3)
        if (jw && jz) {
          findings.push(
            finding(this, claim, line.line, `${line.code} carries both JW and JZ`, position, {
              suggestion: 'JW on the discarded amount only, JZ only when nothing was discarded',
            }),
          )
          continue
        }
        let administered = false
        let discarded = false
        for (const other of lines) {
          if (other === line || other.code !== line.code) continue
          if (other.modifiers.includes('JW')) discarded = true
          else administered = true
        }
        if (jw) {
          if (!administered)
            findings.push(
              finding(
                this,
                claim,
                line.line,
                `${line.code}-JW (discarded amount) has no administered line of the same drug on ${dos}`,
                position,
                {
                  suggestion: `add the administered amount of ${line.code} on its own line`,
                },
              ),
            )
          continue
        }
        if (jz) continue
        // An administered line without a modifier is right only when a JW line reports the discard.
        if (discarded) continue
        findings.push(
          finding(
            this,
            claim,
            line.line,
            `${line.code} (single-dose container, Medicare, DOS ${dos}) has neither JW nor JZ`,
            position,
            {
              suggestion: 'add JZ when nothing was discarded, or a separate JW line for the discarded amount',
            },
          ),
        )
      }
    }
    return findings
  },
}
