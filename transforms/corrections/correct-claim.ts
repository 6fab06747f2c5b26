import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { applyFixes } from '../scrub/apply-fixes.js'
import { scrubClaim } from '../scrub/scrub-claim.js'
import type { ScrubContext } from '../scrub/scrub-context.js'
import type { Finding } from '../scrub/scrub-rule.js'
import type { ClaimChange } from './edit-claim-lines.js'
import { editClaimLines } from './edit-claim-lines.js'
import type { LineEdit } from './line-edit.js'
import { toReplacementClaim } from './replacement-claim.js'

/** What to change on a corrected claim besides CLM05-3 and REF*F8. */
export interface CorrectionEdits {
  /** Apply the safe fixes the scrub suggests (a 1:1 successor HCPCS with its units, a padded NDC). */
  applyFixes?: boolean | undefined
  /** `LINE.FIELD=VALUE` edits, applied after the fixes. */
  set?: readonly LineEdit[] | undefined
}

/** A corrected claim before it is written: the claim, what changed, and its scrub. */
export interface CorrectionPreview {
  /** The frequency-7 replacement with the edits applied. */
  claim: Claim837
  /** Every change, in order: the scrub's fixes, then the biller's edits. */
  changes: ClaimChange[]
  /** The corrected claim's scrub findings. */
  findings: Finding[]
  /** True when no finding is an error: the corrected claim may be written. */
  accepted: boolean
}

/**
 * Builds the corrected claim of a stored 837 claim without writing anything: the frequency-7
 * replacement (CLM05-3 = 7, REF*F8 = the payer's claim number, CMS IOM 100-04 ch. 1 §70.2.3.1),
 * the scrub's safe fixes when asked, the biller's line edits, and then the scrub run again on the
 * result, so a correction is judged by the same rules as a first submission. Pure: the scrub
 * context (code tables, payer profiles, authorizations) is passed in.
 *
 * @example
 * ```ts
 * const preview = previewCorrection(stored, 'MCR26020003', context, { set: [parseLineEdit('2.modifiers=JZ')] })
 * if (!preview.accepted) console.log(preview.findings)
 * ```
 */
export function previewCorrection(
  stored: Claim837,
  payerClaimNumber: string,
  context: ScrubContext,
  edits: CorrectionEdits = {},
): CorrectionPreview {
  let claim = toReplacementClaim(stored, payerClaimNumber)
  const changes: ClaimChange[] = []
  if (edits.applyFixes === true) {
    const fixed = applyFixes(claim, scrubClaim(claim, context).findings)
    claim = fixed.claim
    for (const fix of fixed.fixes) {
      if ('code' in fix.before && 'code' in fix.after) {
        changes.push({
          line: fix.line,
          field: 'code',
          before: fix.before.code,
          after: fix.after.code,
          by: fix.rule,
        })
        if (fix.before.units !== fix.after.units)
          changes.push({
            line: fix.line,
            field: 'units',
            before: String(fix.before.units),
            after: String(fix.after.units),
            by: fix.rule,
          })
      } else if ('ndc' in fix.before && 'ndc' in fix.after) {
        changes.push({
          line: fix.line,
          field: 'ndc',
          before: fix.before.ndc,
          after: fix.after.ndc,
          by: fix.rule,
        })
      }
    }
  }
  if (edits.set !== undefined && edits.set.length > 0) {
    const edited = editClaimLines(claim, edits.set)
    claim = edited.claim
    changes.push(...edited.changes)
  }
  const { findings, accepted } = scrubClaim(claim, context)
  return { claim, changes, findings, accepted }
}

/** One line per change, for an audit note: `line 2 modifiers "" -> "JZ" (set)`. No PHI. */
export function describeClaimChanges(changes: readonly ClaimChange[]): string {
  return changes.map((c) => `line ${c.line} ${c.field} "${c.before}" -> "${c.after}" (${c.by})`).join('; ')
}
