import type { Adjustment835, RemittanceClaim835, ServiceLine835 } from '../remittance835/remittance835.js'
import type { JsonBytes } from './json-bytes.js'

/**
 * Writes the `{"type":"claim","header":N,...}` record of an 835 claim, without positions, into
 * `out`: the same text as the fast-json-stringify serializer compiled from
 * `schemas/claim-835.schema.json` (same field order, undefined fields left out, strings escaped as
 * `JSON.stringify` escapes them), written by hand as UTF-8 bytes, then a newline (NDJSON).
 *
 * Returns false, with nothing written, when a value is not of the type the schema names (a number
 * that is not an integer where the schema wants one, a `null`, a non-string in a string field): the
 * caller then uses the compiled serializer, which knows how to coerce it. The reader never makes
 * such claims; that path keeps the output identical for any object passed in.
 */
export function writeClaim835Record(out: JsonBytes, headerId: number, claim: RemittanceClaim835): boolean {
  const start = out.length
  try {
    writeClaim(out, headerId, claim)
    return true
  } catch (error) {
    if (error !== NOT_PLAIN) throw error
    out.truncate(start)
    return false
  }
}

/** Thrown (never out of this module) when a value needs the compiled serializer's coercions. */
const NOT_PLAIN = new Error('not a plain value')

function string(out: JsonBytes, value: unknown): void {
  if (typeof value !== 'string') throw NOT_PLAIN
  out.string(value)
}

/** `,"name":"value"` when `value` is defined (the compiled serializer leaves undefined fields out). */
function optionalString(out: JsonBytes, key: string, value: unknown): void {
  if (value === undefined) return
  out.ascii(key)
  string(out, value)
}

function integer(out: JsonBytes, key: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isInteger(value)) throw NOT_PLAIN
  out.ascii(key)
  out.number(value)
}

function finite(out: JsonBytes, key: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value)) throw NOT_PLAIN
  out.ascii(key)
  out.number(value)
}

function strings(out: JsonBytes, key: string, values: unknown): void {
  if (values === undefined) return
  if (!Array.isArray(values)) throw NOT_PLAIN
  out.ascii(key)
  out.ascii('[')
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out.ascii(',')
    string(out, values[i])
  }
  out.ascii(']')
}

function object(value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw NOT_PLAIN
}

/**
 * The field keys below carry the comma before them; the comma of an object's first field becomes
 * its `{` (see `closeObject`).
 */
function writeClaim(out: JsonBytes, headerId: number, c: RemittanceClaim835): void {
  object(c)
  out.ascii('{"type":"claim","header":')
  out.number(headerId)
  optionalString(out, ',"claimId":', c.claimId)
  optionalString(out, ',"status":', c.status)
  integer(out, ',"charge":', c.charge)
  integer(out, ',"paid":', c.paid)
  integer(out, ',"patientResponsibility":', c.patientResponsibility)
  optionalString(out, ',"filingIndicator":', c.filingIndicator)
  optionalString(out, ',"payerClaimNumber":', c.payerClaimNumber)
  optionalString(out, ',"facilityCode":', c.facilityCode)
  optionalString(out, ',"frequencyCode":', c.frequencyCode)
  const patient = c.patient
  if (patient !== undefined) {
    object(patient)
    out.ascii(',"patient":')
    const at = out.length
    optionalString(out, ',"lastName":', patient.lastName)
    optionalString(out, ',"firstName":', patient.firstName)
    optionalString(out, ',"memberId":', patient.memberId)
    closeObject(out, at)
  }
  optionalString(out, ',"insuredMemberId":', c.insuredMemberId)
  optionalString(out, ',"renderingProviderId":', c.renderingProviderId)
  optionalString(out, ',"statementFrom":', c.statementFrom)
  optionalString(out, ',"statementTo":', c.statementTo)
  optionalString(out, ',"receivedDate":', c.receivedDate)
  const references = c.references
  if (references !== undefined) {
    object(references)
    out.ascii(',"references":')
    const at = out.length
    for (const key of Object.keys(references)) {
      const value = references[key]
      if (value === undefined) continue
      out.ascii(',')
      out.string(key)
      out.ascii(':')
      string(out, value)
    }
    closeObject(out, at)
  }
  strings(out, ',"remarkCodes":', c.remarkCodes)
  adjustments(out, c.adjustments)
  const lines = c.lines
  if (lines !== undefined) {
    if (!Array.isArray(lines)) throw NOT_PLAIN
    out.ascii(',"lines":[')
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) out.ascii(',')
      line(out, lines[i])
    }
    out.ascii(']')
  }
  out.ascii('}\n')
}

/**
 * Closes an object whose fields were written from `at`, each after a comma: the first comma
 * becomes `{` (or `{}` is written when there are none).
 */
function closeObject(out: JsonBytes, at: number): void {
  if (out.length === at) out.ascii('{}')
  else {
    out.setByte(at, 0x7b)
    out.ascii('}')
  }
}

function adjustments(out: JsonBytes, list: Adjustment835[] | undefined): void {
  if (list === undefined) return
  if (!Array.isArray(list)) throw NOT_PLAIN
  out.ascii(',"adjustments":[')
  for (let i = 0; i < list.length; i++) {
    const a = list[i]
    object(a)
    if (i > 0) out.ascii(',')
    const at = out.length
    optionalString(out, ',"group":', a?.group)
    optionalString(out, ',"carc":', a?.carc)
    integer(out, ',"amount":', a?.amount)
    finite(out, ',"quantity":', a?.quantity)
    closeObject(out, at)
  }
  out.ascii(']')
}

function line(out: JsonBytes, l: ServiceLine835 | undefined): void {
  object(l)
  if (l === undefined) return
  const at = out.length
  optionalString(out, ',"productQualifier":', l.productQualifier)
  optionalString(out, ',"procedureCode":', l.procedureCode)
  strings(out, ',"modifiers":', l.modifiers)
  integer(out, ',"charge":', l.charge)
  integer(out, ',"paid":', l.paid)
  optionalString(out, ',"revenueCode":', l.revenueCode)
  finite(out, ',"units":', l.units)
  optionalString(out, ',"originalProcedureCode":', l.originalProcedureCode)
  optionalString(out, ',"serviceFrom":', l.serviceFrom)
  optionalString(out, ',"serviceTo":', l.serviceTo)
  optionalString(out, ',"lineControlNumber":', l.lineControlNumber)
  adjustments(out, l.adjustments)
  strings(out, ',"rarcs":', l.rarcs)
  integer(out, ',"allowed":', l.allowed)
  closeObject(out, at)
}
