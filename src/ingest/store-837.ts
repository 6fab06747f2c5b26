import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { StoredClaim837Writer } from '../../parsers/claim837/claim837-stored-form.js'
import { CopyBuffer, copyField, copyTextArray } from '../db/copy-buffer.js'
import type { CopyPart } from '../db/copy-from-stdin.js'
import type { Database } from '../db/database.js'

/** The submitted_claim columns a batch writes, in the order of its COPY rows. */
const CLAIM_COLUMNS = [
  'id',
  'file_id',
  'claim_id',
  'kind',
  'payer_id',
  'payer_name',
  'billing_provider_id',
  'member_id',
  'filing_indicator',
  'service_from',
  'service_to',
  'total_charge',
  'frequency_code',
  'facility_code',
  'type_of_bill',
  'prior_authorization',
  'payer_claim_control',
  'diagnoses',
  'interchange_control',
  'transaction_control',
  'prefix_no',
  'claim_x12',
] as const satisfies readonly (keyof Database['submitted_claim'])[]

/** The submitted_claim_prefix columns a batch writes, in the order of its COPY rows. */
const PREFIX_COLUMNS = [
  'file_id',
  'prefix_no',
  'claim_envelope',
  'prefix_x12',
] as const satisfies readonly (keyof Database['submitted_claim_prefix'])[]

/** The submitted_line columns a batch writes, in the order of its COPY rows. */
const LINE_COLUMNS = [
  'submitted_claim_id',
  'line_number',
  'revenue_code',
  'procedure_code',
  'modifiers',
  'charge',
  'unit_basis',
  'units',
  'place_of_service',
  'service_from',
  'service_to',
  'line_control',
  'prior_authorization',
  'ndc',
  'ndc_quantity',
  'ndc_unit',
] as const satisfies readonly (keyof Database['submitted_line'])[]

/** The sequence submitted_claim ids are drawn from (reserved before a batch's rows are made). */
export const SUBMITTED_CLAIM_ID_SEQUENCE = 'submitted_claim_id_seq'

/** The claim's earliest line date when the claim carries no claim-level dates. */
function claimDates(claim: Claim837): { from: string | undefined; to: string | undefined } {
  let from = claim.serviceFrom
  let to = claim.serviceTo ?? claim.serviceFrom
  for (const line of claim.lines) {
    if (line.serviceFrom !== undefined && (from === undefined || line.serviceFrom < from))
      from = line.serviceFrom
    const lineTo = line.serviceTo ?? line.serviceFrom
    if (lineTo !== undefined && (to === undefined || lineTo > to)) to = lineTo
  }
  return { from, to }
}

/**
 * The stored form of a file's claims as its batches write it: one {@link StoredClaim837Writer} for
 * the file (a set's claims share their header's text) and the file's prefix numbers
 * (`submitted_claim_prefix.prefix_no`, migration 0021), counted over the whole file so that no two
 * batches of a file use the same one (a batch whose set is dropped leaves a gap).
 */
export class StoredForm837 {
  readonly writer = new StoredClaim837Writer()
  #nextPrefix = 1

  /** A prefix number not used before in this file. */
  nextPrefixNo(): number {
    return this.#nextPrefix++
  }
}

/**
 * Submitted claims staged for one batch's COPY ({@link claimBatchCopies837}), held as the rows'
 * COPY text in off-heap buffers (src/db/copy-buffer.ts). Each claim becomes its rows when it is
 * added, with the next of the ids reserved for the batch, so neither the parsed Claim837 (hundreds
 * of objects with its source segments) nor its rows' strings outlive the claim: the garbage
 * collector's young generation takes them, and nothing of a batch is promoted while it waits for
 * its statement.
 */
export class SubmittedClaimBatch {
  readonly fileId: number
  readonly claims = new CopyBuffer()
  readonly lines = new CopyBuffer()
  /** The batch's `submitted_claim_prefix` rows: each text its claims share, once. */
  readonly prefixes = new CopyBuffer()
  readonly #ids: readonly number[]
  readonly #fileField: string
  /** The file's stored-form writer and prefix numbers. */
  readonly #storedForm: StoredForm837
  /** The last claim's prefix and envelope, and the COPY field of the prefix row they were written as. */
  #prefix: string | undefined
  #envelope = ''
  #prefixField = ''

  /** `ids`: submitted_claim ids reserved for this batch, one per claim it may hold. */
  constructor(fileId: number, ids: readonly number[], storedForm: StoredForm837 = new StoredForm837()) {
    this.fileId = fileId
    this.#ids = ids
    this.#fileField = String(fileId)
    this.#storedForm = storedForm
  }

  /** Claims added so far. */
  get length(): number {
    return this.claims.rows
  }

  /** Claims the batch may hold: as many as ids were reserved for it. */
  get capacity(): number {
    return this.#ids.length
  }

  /**
   * The reserved ids no claim took (the batch ended with its transaction set): still unused, so the
   * file's next batch takes them instead of reserving a batch of ids for each one-claim set.
   */
  unusedIds(): readonly number[] {
    return this.#ids.slice(this.claims.rows)
  }

  /** Adds one claim and its lines (throws when the batch is full). */
  add(claim: Claim837): void {
    const id = this.#ids[this.claims.rows]
    if (id === undefined) throw new Error(`an 837 batch holds ${this.#ids.length} claims`)
    const idField = String(id)
    const { from, to } = claimDates(claim)
    const stored = this.#storedForm.writer.writeParts(claim)
    if (stored.prefix !== this.#prefix || stored.envelope !== this.#envelope) {
      // The same strings for the claims of a set under one billing provider (StoredClaim837Writer):
      // one prefix row, written in this batch with its claims (a dropped set takes both with it).
      const prefixNo = this.#storedForm.nextPrefixNo()
      this.#prefix = stored.prefix
      this.#envelope = stored.envelope
      this.#prefixField = String(prefixNo)
      const prefixes = this.prefixes
      prefixes.plain(this.#fileField)
      prefixes.plain(this.#prefixField)
      prefixes.plain(copyField(stored.envelope))
      prefixes.plain(copyField(stored.prefix))
      prefixes.endRow()
    }
    // Columns in CLAIM_COLUMNS' order; the values are those the unnest insert stored before.
    const claims = this.claims
    claims.plain(idField)
    claims.plain(this.#fileField)
    claims.text(claim.claimId)
    claims.text(claim.kind)
    claims.text(claim.payer.id)
    claims.text(claim.payer.organizationName)
    claims.text(claim.billingProvider.id)
    claims.text(claim.subscriber.memberId)
    claims.text(claim.subscriber.claimFilingIndicator)
    claims.text(from)
    claims.text(to)
    claims.number(claim.totalCharge)
    claims.text(claim.frequencyCode)
    claims.text(claim.facilityCode)
    claims.text(claim.typeOfBill)
    claims.text(claim.priorAuthorization)
    claims.text(claim.payerClaimControlNumber)
    claims.plain(copyTextArray(claim.diagnoses.map((d) => d.code)))
    claims.text(claim.envelope.interchangeControl)
    claims.text(claim.envelope.transactionControl)
    claims.plain(this.#prefixField)
    // The compact stored form (migrations 0012, 0021): the claim's own segments as text after its
    // prefix (long: escaped and encoded natively).
    claims.plain(copyField(stored.own))
    claims.endRow()
    const lines = this.lines
    for (const line of claim.lines) {
      // Columns in LINE_COLUMNS' order.
      lines.plain(idField)
      lines.number(line.lineNumber)
      lines.text(line.revenueCode)
      lines.text(line.procedureCode)
      lines.text(line.modifiers.join(':'))
      lines.number(line.charge)
      lines.text(line.unitBasis)
      lines.number(line.units)
      lines.text(line.placeOfService ?? claim.facilityCode)
      lines.text(line.serviceFrom ?? from)
      lines.text(line.serviceTo ?? line.serviceFrom ?? to)
      lines.text(line.lineControlNumber)
      lines.text(line.priorAuthorization ?? claim.priorAuthorization)
      lines.text(line.drug?.ndc)
      lines.number(line.drug?.quantity)
      lines.text(line.drug?.unit)
      lines.endRow()
    }
  }
}

/**
 * The three COPYs that store a batch of submitted claims, their prefixes and their lines (prefixes,
 * then claims, then lines: each reference check reads the rows before it), ready to run on the
 * file's transaction; none for an empty batch.
 */
export function claimBatchCopies837(batch: SubmittedClaimBatch): CopyPart[] {
  if (batch.length === 0) return []
  const parts: CopyPart[] = [
    { table: 'submitted_claim_prefix', columns: PREFIX_COLUMNS, text: batch.prefixes.chunks() },
    { table: 'submitted_claim', columns: CLAIM_COLUMNS, text: batch.claims.chunks() },
  ]
  if (batch.lines.rows > 0)
    parts.push({ table: 'submitted_line', columns: LINE_COLUMNS, text: batch.lines.chunks() })
  return parts
}
