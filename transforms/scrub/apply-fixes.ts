import type { Claim837, ServiceLine837 } from '../../parsers/claim837/claim837.js'
import type { X12Position } from '../../parsers/x12/segment.js'
import type { Finding, SafeFix } from './scrub-rule.js'

/** One applied fix, as `fixes.ndjson` records it. */
export interface FixRecord {
  claimId: string
  line: number
  rule: string
  kind: SafeFix['kind']
  before: { code: string; units: number } | { ndc: string }
  after: { code: string; units: number } | { ndc: string }
  /** Where the fix's data came from (HCPCS XREF1, the successor table, the NDC padding rule). */
  source: string
  position: X12Position
}

/** A fixed claim and what was changed. */
export interface FixResult {
  claim: Claim837
  fixes: FixRecord[]
}

/**
 * Applies the safe fixes carried by findings (`scrub --fix`: a 1:1 successor HCPCS with units
 * recomputed, and an NDC padded to 11 digits). Returns a new claim: the model AND its
 * `source.body` segments are edited, so a writer that emits the source segments emits the fix.
 * The input claim is not modified. A fix whose line or segment is missing is skipped.
 *
 * @example
 * ```ts
 * const { claim: fixed, fixes } = applyFixes(claim, scrubClaim(claim, context).findings)
 * ```
 */
export function applyFixes(claim: Claim837, findings: readonly Finding[]): FixResult {
  const fixes: FixRecord[] = []
  let lines = claim.lines
  let body = claim.source.body
  for (const item of findings) {
    const fix = item.fix
    if (fix === undefined) continue
    const index = lines.findIndex((line) => line.lineNumber === fix.line)
    const line = lines[index]
    if (line === undefined) continue
    if (fix.kind === 'replace-hcpcs') {
      if (line.procedureCode !== fix.fromCode) continue
      const segmentAt = body.findIndex(
        (s) => s.offset === line.position.offset && (s.id === 'SV1' || s.id === 'SV2'),
      )
      const segment = body[segmentAt]
      if (segment === undefined) continue
      const composite = segment.id === 'SV1' ? 1 : 2
      const unitsElement = segment.id === 'SV1' ? 4 : 5
      const parts = (segment.elements[composite] ?? '').split(segment.delimiters.component)
      parts[1] = fix.toCode
      const elements = [...segment.elements]
      elements[composite] = parts.join(segment.delimiters.component)
      elements[unitsElement] = String(fix.toUnits)
      body = replaceAt(body, segmentAt, { ...segment, elements })
      const updated: ServiceLine837 = { ...line, procedureCode: fix.toCode, units: fix.toUnits }
      lines = replaceAt(lines, index, updated)
      fixes.push({
        claimId: claim.claimId,
        line: fix.line,
        rule: item.rule,
        kind: fix.kind,
        before: { code: fix.fromCode, units: fix.fromUnits },
        after: { code: fix.toCode, units: fix.toUnits },
        source: fix.source,
        position: item.position,
      })
    } else {
      const drug = line.drug
      if (drug === undefined || drug.ndc !== fix.fromNdc) continue
      const segmentAt = body.findIndex((s) => s.offset === drug.position.offset && s.id === 'LIN')
      const segment = body[segmentAt]
      if (segment === undefined) continue
      const elements = [...segment.elements]
      elements[3] = fix.toNdc
      body = replaceAt(body, segmentAt, { ...segment, elements })
      lines = replaceAt(lines, index, { ...line, drug: { ...drug, ndc: fix.toNdc } })
      fixes.push({
        claimId: claim.claimId,
        line: fix.line,
        rule: item.rule,
        kind: fix.kind,
        before: { ndc: fix.fromNdc },
        after: { ndc: fix.toNdc },
        source: fix.source,
        position: item.position,
      })
    }
  }
  if (fixes.length === 0) return { claim, fixes }
  return { claim: { ...claim, lines, source: { ...claim.source, body } }, fixes }
}

function replaceAt<T>(items: readonly T[], index: number, value: T): T[] {
  const copy = [...items]
  copy[index] = value
  return copy
}
