import { assembleClaim837 } from '../../parsers/claim837/assemble-claim837.js'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import type { Segment } from '../../parsers/x12/segment.js'
import { CorrectionError } from './correction-error.js'
import type { LineEdit, LineEditField } from './line-edit.js'
import { normalizeLineEdit } from './line-edit.js'

/**
 * One change made to a corrected claim, as the audit event and the preview show it. Codes,
 * modifiers, units and NDCs only: never PHI.
 */
export interface ClaimChange {
  /** LX01 of the service line. */
  line: number
  field: LineEditField
  /** `''` when the field was empty (no modifiers, no drug). */
  before: string
  after: string
  /** `set` for a biller's edit, else the scrub rule whose suggested fix made it. */
  by: string
}

/** A claim after {@link editClaimLines}: segments and model rebuilt together. */
export interface EditedClaim {
  claim: Claim837
  changes: ClaimChange[]
}

/** Segments of loop 2400 after which loop 2410 (LIN) starts: 2420 NM1, 2430 SVD/CAS, 2440 LQ/FRM. */
const AFTER_2410 = new Set(['NM1', 'N3', 'N4', 'PRV', 'SVD', 'CAS', 'LQ', 'FRM'])

/**
 * Applies `LINE.FIELD=VALUE` edits to a claim's service lines: SV101/SV202 code and modifiers,
 * SV104/SV205 units, and loop 2410 (LIN03 NDC, CTP04 quantity, CTP05-1 unit), adding the loop
 * when a line without a drug gets an NDC with its quantity and unit, and removing it for an empty
 * NDC (005010X222A1 / X223A2 loops 2400 and 2410). The segments are edited, then the claim is
 * assembled again from them, so the model and the segments the writer emits agree. The input is
 * not changed. Throws `CORRECTION_BAD_EDIT` for a line the claim does not have, a field set twice,
 * a drug field on a line without a drug, or a result the 837 assembler refuses.
 *
 * @example
 * ```ts
 * const { claim: edited, changes } = editClaimLines(claim, [parseLineEdit('2.modifiers=JZ')])
 * ```
 */
export function editClaimLines(claim: Claim837, edits: readonly LineEdit[]): EditedClaim {
  if (edits.length === 0) return { claim, changes: [] }
  const seen = new Set<string>()
  const byLine = new Map<number, LineEdit[]>()
  for (const raw of edits) {
    const edit = normalizeLineEdit(raw)
    const key = `${edit.line}.${edit.field}`
    if (seen.has(key)) throw new CorrectionError('CORRECTION_BAD_EDIT', `${key} is set more than once`)
    seen.add(key)
    const list = byLine.get(edit.line) ?? []
    list.push(edit)
    byLine.set(edit.line, list)
  }
  let body: Segment[] = claim.source.body.map((s) => ({ ...s, elements: [...s.elements] }))
  const changes: ClaimChange[] = []
  for (const [line, lineEdits] of byLine) {
    body = editLine(body, line, lineEdits, claim, changes)
  }
  if (changes.length === 0) return { claim, changes }
  const { claim: rebuilt, issues } = assembleClaim837(claim.envelope, [
    ...claim.source.header,
    ...claim.source.hierarchy,
    ...body,
  ])
  const error = issues.find((i) => i.severity === 'error')
  if (rebuilt === undefined || error !== undefined)
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `The edited claim ${claim.claimId} is not a valid 837: ${error?.code ?? 'X12_MISSING_SEGMENT'} ${error?.message ?? 'no CLM'}`,
    )
  return { claim: rebuilt, changes }
}

/** Edits one line's segments (a copy of `body` comes back); records each change that differs. */
function editLine(
  body: Segment[],
  line: number,
  edits: readonly LineEdit[],
  claim: Claim837,
  changes: ClaimChange[],
): Segment[] {
  const start = body.findIndex((s) => s.id === 'LX' && Number(s.elements[1]) === line)
  if (start < 0)
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `Claim ${claim.claimId} has no service line ${line} (lines ${claim.lines.map((l) => l.lineNumber).join(', ') || 'none'})`,
    )
  let end = body.findIndex((s, i) => i > start && s.id === 'LX')
  if (end < 0) end = body.length
  const svAt = body.findIndex((s, i) => i > start && i < end && (s.id === 'SV1' || s.id === 'SV2'))
  const sv = body[svAt]
  if (sv === undefined)
    throw new CorrectionError(
      'CORRECTION_BAD_EDIT',
      `Service line ${line} of claim ${claim.claimId} has no SV1/SV2`,
    )
  const record = (field: LineEditField, before: string, after: string): void => {
    if (before !== after) changes.push({ line, field, before, after, by: 'set' })
  }
  const composite = sv.id === 'SV1' ? 1 : 2
  const unitsElement = sv.id === 'SV1' ? 4 : 5
  const parts = (sv.elements[composite] ?? '').split(sv.delimiters.component)
  const value = (field: LineEditField): string | undefined => edits.find((e) => e.field === field)?.value
  const code = value('code')
  if (code !== undefined) {
    record('code', parts[1] ?? '', code)
    parts[1] = code
  }
  const modifiers = value('modifiers')
  if (modifiers !== undefined) {
    const next = modifiers === '' ? [] : modifiers.split(':')
    record(
      'modifiers',
      parts
        .slice(2, 6)
        .filter((m) => m !== '')
        .join(':'),
      next.join(':'),
    )
    parts.splice(2, parts.length - 2, ...next)
  }
  while (parts.length > 2 && parts[parts.length - 1] === '') parts.pop()
  sv.elements[composite] = parts.join(sv.delimiters.component)
  const units = value('units')
  if (units !== undefined) {
    record('units', sv.elements[unitsElement] ?? '', units)
    while (sv.elements.length <= unitsElement) sv.elements.push('')
    sv.elements[unitsElement] = units
  }

  const ndc = value('ndc')
  const quantity = value('ndcQuantity')
  const unit = value('ndcUnit')
  if (ndc === undefined && quantity === undefined && unit === undefined) return body
  const linAt = body.findIndex((s, i) => i > svAt && i < end && s.id === 'LIN')
  if (ndc === '') {
    if (linAt < 0) return body
    if (quantity !== undefined || unit !== undefined)
      throw new CorrectionError(
        'CORRECTION_BAD_EDIT',
        `${line}.ndc is empty (the drug is removed) but ${line}.ndcQuantity or ${line}.ndcUnit is set`,
      )
    // Loop 2410 is LIN, CTP and its REF (XZ prescription, VY link sequence).
    let after = linAt + 1
    while (after < end && (body[after]?.id === 'CTP' || body[after]?.id === 'REF')) after++
    const ctp = body.slice(linAt, after).find((s) => s.id === 'CTP')
    record('ndc', body[linAt]?.elements[3] ?? '', '')
    if (ctp !== undefined) {
      record('ndcQuantity', ctp.elements[4] ?? '', '')
      record('ndcUnit', (ctp.elements[5] ?? '').split(ctp.delimiters.component)[0] ?? '', '')
    }
    return [...body.slice(0, linAt), ...body.slice(after)]
  }
  if (linAt < 0) {
    if (ndc === undefined || quantity === undefined || unit === undefined)
      throw new CorrectionError(
        'CORRECTION_BAD_EDIT',
        `Service line ${line} has no drug (loop 2410): set ${line}.ndc, ${line}.ndcQuantity and ${line}.ndcUnit together`,
      )
    let at = svAt + 1
    while (at < end && !AFTER_2410.has(body[at]?.id ?? '')) at++
    // New segments borrow the SV segment's position: they have none in any file yet.
    const lin: Segment = { ...sv, id: 'LIN', elements: ['LIN', '', 'N4', ndc] }
    const ctp: Segment = { ...sv, id: 'CTP', elements: ['CTP', '', '', '', quantity, unit] }
    record('ndc', '', ndc)
    record('ndcQuantity', '', quantity)
    record('ndcUnit', '', unit)
    return [...body.slice(0, at), lin, ctp, ...body.slice(at)]
  }
  const lin = body[linAt]
  if (lin !== undefined && ndc !== undefined) {
    record('ndc', lin.elements[3] ?? '', ndc)
    if ((lin.elements[2] ?? '') !== 'N4') lin.elements[2] = 'N4'
    lin.elements[3] = ndc
  }
  if (quantity !== undefined || unit !== undefined) {
    const ctpAt = body.findIndex((s, i) => i > linAt && i < end && s.id === 'CTP')
    let ctp = body[ctpAt]
    if (ctp === undefined) {
      if (quantity === undefined || unit === undefined)
        throw new CorrectionError(
          'CORRECTION_BAD_EDIT',
          `Service line ${line} has an NDC but no CTP: set ${line}.ndcQuantity and ${line}.ndcUnit together`,
        )
      ctp = { ...sv, id: 'CTP', elements: ['CTP', '', '', '', '', ''] }
      body = [...body.slice(0, linAt + 1), ctp, ...body.slice(linAt + 1)]
    }
    while (ctp.elements.length < 6) ctp.elements.push('')
    if (quantity !== undefined) {
      record('ndcQuantity', ctp.elements[4] ?? '', quantity)
      ctp.elements[4] = quantity
    }
    if (unit !== undefined) {
      const unitParts = (ctp.elements[5] ?? '').split(ctp.delimiters.component)
      record('ndcUnit', unitParts[0] ?? '', unit)
      unitParts[0] = unit
      ctp.elements[5] = unitParts.join(ctp.delimiters.component)
    }
  }
  return body
}
