import type { Claim837, ServiceLine837 } from '../../parsers/claim837/claim837.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { Segment, X12Position } from '../../parsers/x12/segment.js'
import { positionOf } from '../../parsers/x12/segment.js'
import type { BillingUnit, HcpcsRecord } from '../codes/code-records.js'
import type { ScrubContext } from './scrub-context.js'
import type { Finding, SafeFix, ScrubRule, ScrubSeverity } from './scrub-rule.js'

/** Extra fields of a finding. */
export interface FindingExtras {
  suggestion?: string | undefined
  fix?: SafeFix | undefined
  severity?: ScrubSeverity
}

/** Builds a finding for a rule; `line` undefined means claim level. */
export function finding(
  rule: ScrubRule,
  claim: Claim837,
  line: ServiceLine837 | undefined,
  message: string,
  position: X12Position,
  extras: FindingExtras = {},
): Finding {
  const result: Finding = {
    claimId: claim.claimId,
    line: line?.lineNumber,
    rule: rule.id,
    severity: extras.severity ?? rule.severity,
    message,
    position,
  }
  if (extras.suggestion !== undefined) result.suggestion = extras.suggestion
  if (extras.fix !== undefined) result.fix = extras.fix
  return result
}

/**
 * The position of the procedure code of a line: SV1-01-2 (837P) or SV2-02-2 (837I), or a modifier
 * (component 3..6) of the same composite.
 */
export function procedurePosition(claim: Claim837, line: ServiceLine837, component = 2): X12Position {
  return pointAt(line.position, claim.kind === '837P' ? 1 : 2, component)
}

/** The units element of a line: SV1-04 (837P) or SV2-05 (837I). */
export function unitsPosition(claim: Claim837, line: ServiceLine837): X12Position {
  return pointAt(line.position, claim.kind === '837P' ? 4 : 5)
}

/**
 * A segment position narrowed to an element (and component). Built field by field: object spread
 * was the hottest line of the scrub bench.
 */
export function pointAt(position: X12Position, element: number, component?: number): X12Position {
  const point: X12Position = {
    offset: position.offset,
    segment: position.segment,
    stSegment: position.stSegment,
    segmentId: position.segmentId,
    element,
  }
  if (component !== undefined) point.component = component
  return point
}

/** The CTP segment that follows a line's LIN (loop 2410), when the claim's source holds it. */
export function ctpSegmentOf(claim: Claim837, line: ServiceLine837): Segment | undefined {
  const drug = line.drug
  if (drug === undefined) return undefined
  const body = claim.source.body
  for (let i = 0; i < body.length; i++) {
    const segment = body[i]
    if (segment === undefined || segment.offset !== drug.position.offset) continue
    const next = body[i + 1]
    return next !== undefined && next.id === 'CTP' ? next : undefined
  }
  return undefined
}

/** The position of CTP element `n` of a line's drug, else the LIN position. */
export function ctpPosition(claim: Claim837, line: ServiceLine837, n: number): X12Position {
  const ctp = ctpSegmentOf(claim, line)
  if (ctp !== undefined) return positionOf(ctp, n)
  return line.drug?.position ?? line.position
}

/** True when the record's dates make the code valid on `dos`: ADD_DT ≤ DOS ≤ TERM_DT (CMS HCPCS record layout: ADD DT, TERM DT). */
export function isValidOn(record: HcpcsRecord, dos: IsoDate): boolean {
  if (record.addDate !== undefined && dos < record.addDate) return false
  if (record.terminationDate !== undefined && dos > record.terminationDate) return false
  return true
}

/** Mass units in milligrams; other units only convert to themselves. */
const MASS_IN_MG: Record<string, number> = { mg: 1, mcg: 0.001, microgram: 0.001, g: 1000, gm: 1000 }

/**
 * Units of the new code for the same dose: `units × from / to`, rounded up to a whole unit
 * (CMS ASP NDC-HCPCS crosswalk billing unit: units = dose ÷ billing unit, rounded up; payer rules vary). `undefined` when the
 * units cannot be compared (mg vs ml).
 *
 * @example
 * ```ts
 * recomputeUnits(1, { amount: 30, unit: 'mg' }, { amount: 1, unit: 'mg' }) // 30 (J9265 → J9267)
 * ```
 */
export function recomputeUnits(units: number, from: BillingUnit, to: BillingUnit): number | undefined {
  let ratio: number
  if (from.unit === to.unit) ratio = from.amount / to.amount
  else {
    const a = MASS_IN_MG[from.unit]
    const b = MASS_IN_MG[to.unit]
    if (a === undefined || b === undefined) return undefined
    ratio = (from.amount * a) / (to.amount * b)
  }
  // Round the product to 6 decimals first so that 3 × 0.1-style float noise does not round up.
  const exact = Math.round(units * ratio * 1e6) / 1e6
  return Math.ceil(exact)
}

/** A terminated code's 1:1 successor and where it came from. */
export interface Successor {
  code: string
  source: string
}

/**
 * A terminated code's successor: the importers' inferred successor, else XREF1 when the HCPCS file
 * names exactly one, else fixtures/scrub/code-successors.csv.
 */
export function successorOf(
  code: string,
  record: HcpcsRecord | undefined,
  context: ScrubContext,
): Successor | undefined {
  // The importers infer successors (XREF1 or the same drug added the next day); prefer theirs.
  if (record?.successor !== undefined)
    return {
      code: record.successor.code,
      source: `HCPCS ${record.successor.basis} successor of ${code} (${record.sourceQuarter} file)`,
    }
  const xref = record?.xrefs.length === 1 ? record.xrefs[0] : undefined
  if (record !== undefined && xref !== undefined)
    return { code: xref, source: `HCPCS XREF1 of ${code} (${record.sourceQuarter} file)` }
  const row = context.reference.successor(code)
  return row === undefined ? undefined : { code: row.successor, source: `code-successors.csv: ${row.source}` }
}
