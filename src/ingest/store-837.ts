import type { CompiledQuery, Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { toStoredClaim837 } from '../../parsers/claim837/claim837-stored-form.js'
import { bulkChildTable, bulkTable, parentsWithChildrenQuery } from '../db/bulk-insert.js'
import type { Database } from '../db/database.js'

/** A submitted_claim row as stored from one CLM loop. */
interface SubmittedClaimRow {
  file_id: number
  claim_id: string
  kind: string
  payer_id: string | null
  payer_name: string | null
  billing_provider_id: string | null
  member_id: string
  filing_indicator: string | null
  service_from: string | null
  service_to: string | null
  total_charge: number
  frequency_code: string
  facility_code: string
  type_of_bill: string | null
  prior_authorization: string | null
  payer_claim_control: string | null
  diagnoses: string[]
  interchange_control: string
  transaction_control: string
  claim_envelope: string
  claim_x12: string
}

/** A submitted_line row as stored from one service line loop (2400). */
interface SubmittedLineRow {
  line_number: number
  revenue_code: string | null
  procedure_code: string | null
  modifiers: string
  charge: number
  unit_basis: string
  units: number
  place_of_service: string
  service_from: string | null
  service_to: string | null
  line_control: string | null
  prior_authorization: string | null
  ndc: string | null
  ndc_quantity: number | null
  ndc_unit: string | null
}

const CLAIM_TABLE = bulkTable<'submitted_claim', SubmittedClaimRow>('submitted_claim', [
  { name: 'file_id', type: 'int8' },
  { name: 'claim_id', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'payer_id', type: 'text' },
  { name: 'payer_name', type: 'text' },
  { name: 'billing_provider_id', type: 'text' },
  { name: 'member_id', type: 'text' },
  { name: 'filing_indicator', type: 'text' },
  { name: 'service_from', type: 'text' },
  { name: 'service_to', type: 'text' },
  { name: 'total_charge', type: 'int8' },
  { name: 'frequency_code', type: 'text' },
  { name: 'facility_code', type: 'text' },
  { name: 'type_of_bill', type: 'text' },
  { name: 'prior_authorization', type: 'text' },
  { name: 'payer_claim_control', type: 'text' },
  { name: 'diagnoses', type: 'text', array: true },
  { name: 'interchange_control', type: 'text' },
  { name: 'transaction_control', type: 'text' },
  { name: 'claim_envelope', type: 'text' },
  { name: 'claim_x12', type: 'text' },
])

const LINE_TABLE = bulkChildTable<'submitted_line', 'submitted_claim_id', SubmittedLineRow>(
  'submitted_line',
  'submitted_claim_id',
  [
    { name: 'line_number', type: 'int4' },
    { name: 'revenue_code', type: 'text' },
    { name: 'procedure_code', type: 'text' },
    { name: 'modifiers', type: 'text' },
    { name: 'charge', type: 'int8' },
    { name: 'unit_basis', type: 'text' },
    { name: 'units', type: 'float8' },
    { name: 'place_of_service', type: 'text' },
    { name: 'service_from', type: 'text' },
    { name: 'service_to', type: 'text' },
    { name: 'line_control', type: 'text' },
    { name: 'prior_authorization', type: 'text' },
    { name: 'ndc', type: 'text' },
    { name: 'ndc_quantity', type: 'float8' },
    { name: 'ndc_unit', type: 'text' },
  ],
)

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
 * Submitted claims staged for one insert ({@link storeClaimBatch837}), held as their table rows.
 * Each claim becomes its rows (a few objects and its stored text) when it is added, so the parsed
 * Claim837, hundreds of objects with its source segments, is garbage as soon as the reader is done
 * with it instead of living until the batch's insert.
 */
export class SubmittedClaimBatch {
  readonly fileId: number
  readonly claims: SubmittedClaimRow[] = []
  readonly lines: SubmittedLineRow[] = []
  /** For each line, the 0-based index of its claim in {@link claims}. */
  readonly lineClaim: number[] = []

  constructor(fileId: number) {
    this.fileId = fileId
  }

  /** Claims added so far. */
  get length(): number {
    return this.claims.length
  }

  /** Adds one claim and its lines. */
  add(claim: Claim837): void {
    const { from, to } = claimDates(claim)
    const stored = toStoredClaim837(claim)
    const index = this.claims.length
    this.claims.push({
      file_id: this.fileId,
      claim_id: claim.claimId,
      kind: claim.kind,
      payer_id: claim.payer.id ?? null,
      payer_name: claim.payer.organizationName ?? null,
      billing_provider_id: claim.billingProvider.id ?? null,
      member_id: claim.subscriber.memberId,
      filing_indicator: claim.subscriber.claimFilingIndicator ?? null,
      service_from: from ?? null,
      service_to: to ?? null,
      total_charge: claim.totalCharge,
      frequency_code: claim.frequencyCode,
      facility_code: claim.facilityCode,
      type_of_bill: claim.typeOfBill ?? null,
      prior_authorization: claim.priorAuthorization ?? null,
      payer_claim_control: claim.payerClaimControlNumber ?? null,
      diagnoses: claim.diagnoses.map((d) => d.code),
      interchange_control: claim.envelope.interchangeControl,
      transaction_control: claim.envelope.transactionControl,
      // The compact stored form (migration 0012): the claim's own segments as text.
      claim_envelope: stored.envelope,
      claim_x12: stored.x12,
    })
    for (const line of claim.lines) {
      this.lineClaim.push(index)
      this.lines.push({
        line_number: line.lineNumber,
        revenue_code: line.revenueCode ?? null,
        procedure_code: line.procedureCode ?? null,
        modifiers: line.modifiers.join(':'),
        charge: line.charge,
        unit_basis: line.unitBasis,
        units: line.units,
        place_of_service: line.placeOfService ?? claim.facilityCode,
        service_from: line.serviceFrom ?? from ?? null,
        service_to: line.serviceTo ?? line.serviceFrom ?? to ?? null,
        line_control: line.lineControlNumber ?? null,
        prior_authorization: line.priorAuthorization ?? claim.priorAuthorization ?? null,
        ndc: line.drug?.ndc ?? null,
        ndc_quantity: line.drug?.quantity ?? null,
        ndc_unit: line.drug?.unit ?? null,
      })
    }
  }
}

/**
 * The statement that stores a batch of submitted claims and their lines (one round trip: the
 * server draws the claim ids from submitted_claim_id_seq and gives them to the lines), built but
 * not run; `undefined` for an empty batch. The ingest builds batch N+1's statement while batch N's
 * runs on the server, then runs it on the file's transaction after N's ({@link storeClaimBatch837}
 * does both at once).
 */
export function claimBatchQuery837(
  db: Kysely<Database>,
  batch: SubmittedClaimBatch,
): CompiledQuery | undefined {
  return parentsWithChildrenQuery(
    db,
    'submitted_claim_id_seq',
    { table: CLAIM_TABLE, rows: batch.claims, idColumn: 'id' },
    {
      table: LINE_TABLE,
      rows: batch.lines,
      parentColumn: 'submitted_claim_id',
      parentIndex: batch.lineClaim,
    },
  )
}

/** Stores a batch of submitted claims and their lines in one statement ({@link claimBatchQuery837}). */
export async function storeClaimBatch837(db: Kysely<Database>, batch: SubmittedClaimBatch): Promise<void> {
  const query = claimBatchQuery837(db, batch)
  if (query !== undefined) await db.executeQuery(query)
}

/** Stores claims in one statement ({@link SubmittedClaimBatch} then {@link storeClaimBatch837}). */
export async function storeClaims837(
  db: Kysely<Database>,
  fileId: number,
  claims: readonly Claim837[],
): Promise<void> {
  const batch = new SubmittedClaimBatch(fileId)
  for (const claim of claims) batch.add(claim)
  await storeClaimBatch837(db, batch)
}
