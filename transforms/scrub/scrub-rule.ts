import type { Claim837 } from '../../parsers/claim837/claim837.js'
import type { X12Position } from '../../parsers/x12/segment.js'
import type { ScrubContext } from './scrub-context.js'

/** `error` blocks submission; `warning` is reported but the claim is still accepted. */
export type ScrubSeverity = 'error' | 'warning'

/**
 * A fix a machine can apply without judgement. Only two kinds exist (`scrub --fix`):
 * a 1:1 successor HCPCS with units recomputed for its billing unit, and an NDC padded to 11 digits.
 */
export type SafeFix =
  | {
      kind: 'replace-hcpcs'
      line: number
      fromCode: string
      toCode: string
      fromUnits: number
      toUnits: number
      /** Where the successor came from: `HCPCS XREF1 (2026-01)` or the successor table row. */
      source: string
    }
  | { kind: 'pad-ndc'; line: number; fromNdc: string; toNdc: string; source: string }

/** One rule hit on one claim. The message never carries PHI (no names, member ids, birth dates). */
export interface Finding {
  /** CLM01. */
  claimId: string
  /** LX01 of the service line, or `undefined` for a claim-level finding. */
  line: number | undefined
  /** The rule id, e.g. `jcode-valid-on-dos`. */
  rule: string
  severity: ScrubSeverity
  message: string
  position: X12Position
  /** What the biller should do, when the rule knows. */
  suggestion?: string
  /** A safe, deterministic fix `--fix` may apply. */
  fix?: SafeFix
}

/** A pre-submission check. One per file in `transforms/scrub/rules/`, each citing its source. */
export interface ScrubRule {
  /** Stable id, used in findings, summaries and the database. */
  id: string
  description: string
  /** The rule's usual severity; a finding may be softer (e.g. an ambiguous unit is a warning). */
  severity: ScrubSeverity
  check(claim: Claim837, context: ScrubContext): Finding[]
}
