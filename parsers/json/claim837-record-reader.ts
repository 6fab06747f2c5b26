import type { ErrorObject, ValidateFunction } from 'ajv'
import { Ajv } from 'ajv'
import claim837Schema from '../../schemas/claim-837.schema.json' with { type: 'json' }
import header837Schema from '../../schemas/header-837.schema.json' with { type: 'json' }
import type { Claim837, Party837, Person837, ServiceLine837 } from '../claim837/claim837.js'
import { claim837SourceOf } from '../claim837/claim837-source.js'
import type { IsoDate } from '../dates.js'
import { isValidIsoDate } from '../dates.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { X12Position } from '../x12/segment.js'
import type { JsonErrorCode, JsonRecordIssue } from './json-record-error.js'
import type { ClaimRecord837, HeaderRecord837 } from './parse-records.js'

/** Options of {@link Claim837RecordReader}. */
export interface Claim837RecordReaderOptions {
  /** BHT04 of the claims built (the creation date of the 837). */
  date: IsoDate
}

/** What one JSON record gives: a claim, a rejected record, or nothing more (a header). */
export type Claim837RecordResult =
  | { type: 'claim'; claim: Claim837 }
  | { type: 'rejected'; issue: JsonRecordIssue }
  | { type: 'header' }

/**
 * The characters the 837 writer uses as delimiters by default, and control characters: a value
 * holding one cannot be written into an element (X12.6 character sets have no control characters).
 */
function isForbidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // * : ^ ~ and C0 controls / DEL.
    if (code < 0x20 || code === 0x7f || code === 0x2a || code === 0x3a || code === 0x5e || code === 0x7e)
      return true
  }
  return false
}

/** The implementation guide a claim's kind is written with (GS08 / ST03). */
const GUIDE = { '837P': '005010X222A1', '837I': '005010X223A2' } as const

/** A position for claims that did not come from X12 (nothing to point at). */
const NO_POSITION: X12Position = { offset: 0, segment: 0, stSegment: 0, segmentId: 'CLM' }

let validators: { header: ValidateFunction; claim: ValidateFunction } | undefined

/** The two validators, compiled once per process from the schemas `parse` writes by. */
function compiled(): { header: ValidateFunction; claim: ValidateFunction } {
  if (validators !== undefined) return validators
  const ajv = new Ajv({ allErrors: false, strict: true })
  ajv.addFormat('date', { type: 'string', validate: isValidIsoDate })
  validators = { header: ajv.compile(header837Schema), claim: ajv.compile(claim837Schema) }
  return validators
}

/**
 * Reads `parse`'s 837 records back (the documented JSON shape, `schemas/header-837.schema.json`
 * and `schemas/claim-837.schema.json`) into typed {@link Claim837}s ready for the 837 writer, one
 * record at a time: a header record is remembered by its `id`, each claim record is checked
 * against its schema, joined to its header and given the segments it is written from. A bad record
 * is returned as a coded issue with its record index and JSON path; the others go on.
 *
 * @example
 * ```ts
 * const reader = new Claim837RecordReader({ date: '2026-03-01' })
 * records.forEach((value, index) => { const result = reader.read(value, index); … })
 * ```
 */
export class Claim837RecordReader {
  readonly #date: IsoDate
  /** Header records by id; `undefined` marks a header that was rejected. */
  readonly #headers = new Map<number, HeaderRecord837 | undefined>()

  constructor(options: Claim837RecordReaderOptions) {
    this.#date = options.date
  }

  /** Reads the record at `index`. */
  read(value: unknown, index: number): Claim837RecordResult {
    const reject = (code: JsonErrorCode, message: string, path = '$'): Claim837RecordResult => ({
      type: 'rejected',
      issue: { code, message, position: { record: index, path } },
    })
    if (!isObject(value)) return reject('JSON_BAD_RECORD', `Expected a record object, found ${kindOf(value)}`)
    const { header, claim } = compiled()
    if (value.type === 'header') {
      const id = value.id
      if (value.transactionType === '835') {
        if (typeof id === 'number') this.#headers.set(id, undefined)
        return reject('JSON_BAD_RECORD', 'Expected an 837 header, found an 835 header', '$.transactionType')
      }
      if (!header(value)) {
        if (typeof id === 'number') this.#headers.set(id, undefined)
        return reject('JSON_BAD_RECORD', ...describeAjvError(header.errors))
      }
      const bad = forbiddenValue(value, '$')
      if (bad !== undefined) {
        if (typeof id === 'number') this.#headers.set(id, undefined)
        return reject('JSON_BAD_VALUE', `Expected no control character or * : ^ ~ in a value, found one`, bad)
      }
      const record = value as unknown as HeaderRecord837
      if (this.#headers.has(record.id))
        return reject('JSON_BAD_RECORD', `Expected a new header id, found ${record.id} again`, '$.id')
      this.#headers.set(record.id, record)
      return { type: 'header' }
    }
    if (value.type !== 'claim')
      return reject('JSON_BAD_RECORD', 'Expected "type" to be "header" or "claim"', '$.type')
    // A claim of a rejected header (e.g. an 835's) is reported as such, before its own fields.
    if (
      typeof value.header === 'number' &&
      this.#headers.has(value.header) &&
      this.#headers.get(value.header) === undefined
    )
      return reject(
        'JSON_UNKNOWN_HEADER',
        `Header ${value.header} was rejected: its claims cannot be written`,
        '$.header',
      )
    if (!claim(value)) return reject('JSON_BAD_RECORD', ...describeAjvError(claim.errors))
    const bad = forbiddenValue(value, '$')
    if (bad !== undefined)
      return reject('JSON_BAD_VALUE', 'Expected no control character or * : ^ ~ in a value, found one', bad)
    const record = value as unknown as ClaimRecord837
    const missing = missingValue(record)
    if (missing !== undefined)
      return reject('JSON_BAD_RECORD', `Expected a value at ${missing}: the 837 requires it`, missing)
    const headerRecord = this.#headers.get(record.header)
    if (headerRecord === undefined)
      return reject(
        'JSON_UNKNOWN_HEADER',
        this.#headers.has(record.header)
          ? `Header ${record.header} was rejected: its claims cannot be written`
          : `Expected a header record with id ${record.header} before the claim`,
        '$.header',
      )
    return { type: 'claim', claim: this.#claimOf(record, headerRecord) }
  }

  #claimOf(record: ClaimRecord837, header: HeaderRecord837): Claim837 {
    const institutional = record.kind === '837I'
    const envelope = envelopeOf(header, record.kind)
    const lines: ServiceLine837[] = record.lines.map((line) => {
      const out: ServiceLine837 = {
        lineNumber: line.lineNumber,
        revenueCode: line.revenueCode,
        productQualifier: line.productQualifier,
        procedureCode: line.procedureCode,
        modifiers: line.modifiers ?? [],
        charge: line.charge,
        unitBasis: line.unitBasis ?? 'UN',
        units: line.units,
        placeOfService: line.placeOfService,
        serviceFrom: line.serviceFrom,
        serviceTo: line.serviceTo ?? line.serviceFrom,
        lineControlNumber: line.lineControlNumber,
        priorAuthorization: line.priorAuthorization,
        notes: line.notes ?? [],
        drug:
          line.drug === undefined
            ? undefined
            : {
                ...line.drug,
                quantityText:
                  line.drug.quantityText ??
                  (line.drug.quantity === undefined ? '' : String(line.drug.quantity)),
                unit: line.drug.unit ?? '',
                position: NO_POSITION,
              },
        position: NO_POSITION,
      }
      if (line.diagnosisPointers !== undefined && line.diagnosisPointers.length > 0)
        out.diagnosisPointers = line.diagnosisPointers
      return out
    })
    const facilityCode = record.facilityCode
    const frequencyCode = record.frequencyCode
    const claim: Omit<Claim837, 'source'> = {
      kind: record.kind,
      envelope,
      batchReference: header.batchReference,
      billingProvider: party(record.billingProvider),
      payer: party(record.payer),
      subscriber: {
        memberId: record.subscriber.memberId,
        payerResponsibility: record.subscriber.payerResponsibility,
        relationship: record.subscriber.relationship ?? '',
        groupNumber: record.subscriber.groupNumber,
        claimFilingIndicator: record.subscriber.claimFilingIndicator,
        person: person(record.subscriber.person),
      },
      patient:
        record.patient === undefined
          ? undefined
          : { relationship: record.patient.relationship, person: person(record.patient.person) },
      claimId: record.claimId,
      totalCharge: record.totalCharge,
      facilityCode,
      facilityQualifier: record.facilityQualifier ?? (institutional ? 'A' : 'B'),
      frequencyCode,
      // Type of bill = 0 + CLM05-1 + CLM05-3 (NUBC form locator 4), as the 837 reader derives it.
      typeOfBill: institutional ? `0${facilityCode}${frequencyCode}` : undefined,
      serviceFrom: record.serviceFrom,
      serviceTo: record.serviceTo ?? record.serviceFrom,
      priorAuthorization: record.priorAuthorization,
      referralNumber: record.referralNumber,
      payerClaimControlNumber: record.payerClaimControlNumber,
      diagnoses: record.diagnoses ?? [],
      renderingProvider: record.renderingProvider === undefined ? undefined : party(record.renderingProvider),
      attendingProvider: record.attendingProvider === undefined ? undefined : party(record.attendingProvider),
      lines,
      position: NO_POSITION,
    }
    const parties = {
      ...(header.submitter === undefined ? {} : { submitter: header.submitter }),
      ...(header.receiver === undefined ? {} : { receiver: header.receiver }),
    }
    return { ...claim, source: claim837SourceOf(claim, parties, this.#date) }
  }
}

/**
 * The first value the schema lets be empty (a `parse` of a quarantined set can hold one) that an
 * 837 requires: CLM01, CLM05-1, CLM05-3, the member id (2010BA NM109) and at least one line.
 */
function missingValue(record: ClaimRecord837): string | undefined {
  if (record.claimId === '') return '$.claimId'
  if (record.facilityCode === '') return '$.facilityCode'
  if (record.frequencyCode === '') return '$.frequencyCode'
  if (record.subscriber.memberId === '') return '$.subscriber.memberId'
  if (record.lines.length === 0) return '$.lines'
  return undefined
}

/** The envelope a built claim carries: its header's, with the guide of the claim's kind. */
function envelopeOf(header: HeaderRecord837, kind: '837P' | '837I'): EnvelopeContext {
  const guide = GUIDE[kind]
  const given = header.envelope
  return {
    senderId: given?.senderId ?? header.submitter?.id ?? '',
    receiverId: given?.receiverId ?? header.receiver?.id ?? '',
    interchangeControl: given?.interchangeControl ?? '',
    usageIndicator: given?.usageIndicator ?? 'P',
    interchangeDate: given?.interchangeDate ?? '',
    groupControl: given?.groupControl ?? '',
    version: guide,
    transactionType: '837',
    transactionControl: given?.transactionControl ?? '',
    implementation: given?.implementation?.slice(0, 10) === guide.slice(0, 10) ? given.implementation : guide,
    position: NO_POSITION,
  }
}

function party(p: Partial<Party837> & { entity: string }): Party837 {
  return { entity: p.entity, organizationName: p.organizationName, idQualifier: p.idQualifier, id: p.id }
}

function person(p: Partial<Person837> | undefined): Person837 {
  return { lastName: p?.lastName, firstName: p?.firstName, birthDate: p?.birthDate, gender: p?.gender }
}

/** The message and JSON path of ajv's first error; values are not echoed (they can be PHI). */
function describeAjvError(errors: ErrorObject[] | null | undefined): [string, string] {
  const error = errors?.[0]
  if (error === undefined) return ['Expected the record to match its schema', '$']
  let path = pathOf(error.instancePath)
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required' && typeof params.missingProperty === 'string')
    return [`Expected the required property "${params.missingProperty}"`, `${path}.${params.missingProperty}`]
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    path = `${path}.${params.additionalProperty}`
    return ['Expected no property of this name (not in the schema)', path]
  }
  return [`Expected the value to satisfy ${error.keyword}: ${error.message ?? 'schema'}`, path]
}

/** `/lines/0/charge` → `$.lines[0].charge`. */
function pathOf(instancePath: string): string {
  let path = '$'
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~')
    path += /^\d+$/.test(key) ? `[${key}]` : `.${key}`
  }
  return path
}

/** The JSON path of the first string holding a delimiter or control character, if any. */
function forbiddenValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isForbidden(value) ? path : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenValue(value[i], `${path}[${i}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'position') continue
      const found = forbiddenValue(item, `${path}.${key}`)
      if (found !== undefined) return found
    }
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
}
