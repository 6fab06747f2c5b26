import { claimView } from '../claim-view.js'
import { ctpPosition, finding, pointAt } from '../finding-helpers.js'
import type { Finding, ScrubRule } from '../scrub-rule.js'
import { NDC_UNITS } from '../tables/drug-codes.js'

/**
 * Converts a hyphenated 10-digit NDC (4-4-2, 5-3-2, 5-4-1) or a hyphenated 5-4-2 to the 11-digit
 * 5-4-2 form without hyphens, padding the short group with a leading zero (the HIPAA 11-digit
 * format of 005010X222A1 loop 2410 LIN03; Medicare Claims Processing Manual, IOM 100-04, ch. 17). A bare
 * 10-digit NDC is ambiguous (which group is short?) and gives `undefined`.
 *
 * @example
 * ```ts
 * normalizeNdc('0409-4888-02') // '00409488802'
 * ```
 */
export function normalizeNdc(text: string): string | undefined {
  const match = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(text.trim())
  if (match === null) return undefined
  const [, labeler = '', product = '', pkg = ''] = match
  if (labeler.length + product.length + pkg.length < 10) return undefined
  return labeler.padStart(5, '0') + product.padStart(4, '0') + pkg.padStart(2, '0')
}

/**
 * Loop 2410: LIN02 is N4, LIN03 is an 11-digit NDC (5-4-2, no hyphens), CTP04 > 0 and CTP05-1 is
 * F2, GR, ME, ML or UN (005010X222A1/X223A2 loop 2410).
 */
export const ndcFormatRule: ScrubRule = {
  id: 'ndc-format',
  description: 'NDC is 11 digits with a positive quantity and a valid unit',
  severity: 'error',
  check(claim, context) {
    const findings: Finding[] = []
    for (const view of claimView(claim, context).lines) {
      const drug = view.line.drug
      if (drug === undefined) continue
      const lin = drug.position
      if (drug.qualifier !== 'N4')
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `LIN02 is "${drug.qualifier}" but must be N4 (NDC 5-4-2)`,
            pointAt(lin, 2),
          ),
        )
      if (!/^\d{11}$/.test(drug.ndc)) {
        const padded = normalizeNdc(drug.ndc)
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `LIN03 NDC has ${drug.ndc.replace(/\D/g, '').length} digits in "${drug.ndc.replace(/\d/g, '9')}" form; 11 digits (5-4-2, no hyphens) are required`,
            pointAt(lin, 3),
            padded === undefined
              ? { suggestion: 'enter the NDC from the package as 5-4-2 with leading zeros' }
              : {
                  suggestion: `send ${padded}`,
                  fix: {
                    kind: 'pad-ndc',
                    line: view.line.lineNumber,
                    fromNdc: drug.ndc,
                    toNdc: padded,
                    source:
                      '005010X222A1 loop 2410 LIN03: 11-digit NDC (5-4-2); the short group of a 10-digit FDA NDC gets a leading zero',
                  },
                },
          ),
        )
      }
      if (drug.quantity === undefined || !(drug.quantity > 0))
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `CTP04 quantity is "${drug.quantityText}" but must be a number greater than 0`,
            ctpPosition(claim, view.line, 4),
            { suggestion: 'send the NDC quantity administered' },
          ),
        )
      if (!NDC_UNITS.has(drug.unit)) {
        const position = ctpPosition(claim, view.line, 5)
        findings.push(
          finding(
            this,
            claim,
            view.line,
            `CTP05-1 unit is "${drug.unit}" but must be one of F2, GR, ME, ML, UN`,
            position.segmentId === 'CTP' ? pointAt(position, 5, 1) : position,
          ),
        )
      }
    }
    return findings
  },
}
