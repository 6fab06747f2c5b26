import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import type {
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
} from '../../parsers/remittance835/remittance835.js'
import type { DenialClassification, PayerProfile } from '../../transforms/denials/denial-types.js'
import type { Database } from '../db/database.js'
import type { BulkColumn, BulkPart } from './bulk-insert.js'
import { arrayLiteral, bulkLiterals, insertLiteralsTogether, reserveIdPairs } from './bulk-insert.js'
import type { DenialEngine } from './denial-engine.js'

/** CLP02 = 22: reversal of a previous payment (X12 005010X221A1 CLP02). */
const REVERSAL = '22'

/** Statuses a later payment can recover (open or resolved, not yet recovered). */
const RECOVERABLE = ['open', 'assigned', 'corrected', 'appealed', 'written_off', 'patient_billed']

/** The date a remit was issued: BPR16, else DTM*405 (DOMAIN.md §7). */
export function remitDateOf(header: RemittanceHeader835): IsoDate | undefined {
  return header.paymentDate ?? header.productionDate
}

/**
 * Stores the header of one 835 transaction set; returns the remittance id. `id`, when given, was
 * reserved from remittance_id_seq beforehand (so that batches can be prepared before the header
 * row is written).
 */
export async function storeRemittanceHeader(
  db: Kysely<Database>,
  fileId: number,
  header: RemittanceHeader835,
  id?: number,
): Promise<number> {
  const row = await db
    .insertInto('remittance')
    .values({
      ...(id === undefined ? {} : { id }),
      file_id: fileId,
      interchange_control: header.envelope.interchangeControl,
      transaction_control: header.envelope.transactionControl,
      payer_id: header.payer.id ?? header.traceOriginator ?? null,
      payer_name: header.payer.name ?? null,
      payee_id: header.payee.id ?? null,
      payee_name: header.payee.name ?? null,
      handling_code: header.handlingCode,
      total_paid: header.totalPaid,
      credit_debit: header.creditDebit,
      payment_method: header.paymentMethod,
      payment_date: header.paymentDate ?? null,
      trace_number: header.traceNumber ?? null,
      production_date: header.productionDate ?? null,
      plb_total: 0,
      claim_count: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Records the PLB total and claim count once the transaction set has ended. */
export async function finishRemittance(
  db: Kysely<Database>,
  remittanceId: number,
  adjustments: readonly ProviderAdjustment835[],
  claimCount: number,
): Promise<void> {
  const plbTotal = adjustments.reduce((sum, a) => sum + a.amount, 0)
  await db
    .updateTable('remittance')
    .set({ plb_total: plbTotal, claim_count: claimCount })
    .where('id', '=', remittanceId)
    .execute()
}

/** State that lives for one 835 file: payer profiles and reversals waiting for their correction. */
export interface RemitFileState {
  fileId: number
  user: string
  engine: DenialEngine
  profiles: Map<string, PayerProfile>
  /** Σ CLP04 of reversals (negative) per claim key, netted against the next CLP of that claim. */
  pendingReversals: Map<string, number>
  /**
   * Items this file has recovered so far. Batches may be read on another connection than the
   * file's transaction (which cannot see the uncommitted updates), so reads are corrected here.
   */
  recoveredItems: Map<number, number>
}

/** What one batch did, for the file summary. */
export interface RemitBatchResult {
  claims: number
  matched: number
  unmatched: number
  reversals: number
  items: number
  recovered: number
  recoveredAmount: number
}

/** A submitted (837) claim a remit claim may answer. */
export interface SubmittedCandidate {
  id: number
  claimId: string
  payerId: string | null
  serviceFrom: string | null
  serviceTo: string | null
  filingIndicator: string | null
  kind: string
}

/** A submitted (837) line a remit line may answer. */
export interface SubmittedLine {
  id: number
  claimRef: number
  procedureCode: string | null
  modifiers: string
  charge: number
  serviceFrom: string | null
  lineControl: string | null
}

interface PriorItem {
  id: number
  claimId: string
  payerId: string | null
  amount: number
  recoveredAmount: number
  status: string
  level: string
  procedureCode: string | null
  queue: string
  carcs: string[]
}

const CLAIM_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'int8' },
  { name: 'remittance_id', type: 'int8' },
  { name: 'file_id', type: 'int8' },
  { name: 'claim_id', type: 'text' },
  { name: 'payer_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'charge', type: 'int8' },
  { name: 'paid', type: 'int8' },
  { name: 'patient_responsibility', type: 'int8' },
  { name: 'filing_indicator', type: 'text' },
  { name: 'payer_claim_number', type: 'text' },
  { name: 'facility_code', type: 'text' },
  { name: 'frequency_code', type: 'text' },
  { name: 'statement_from', type: 'text' },
  { name: 'statement_to', type: 'text' },
  { name: 'remit_date', type: 'text' },
  { name: 'remark_codes', type: 'text' },
  { name: 'submitted_claim_id', type: 'int8' },
  { name: 'match_status', type: 'text' },
  { name: 'is_reversal', type: 'bool' },
]

const LINE_COLUMNS: BulkColumn[] = [
  { name: 'id', type: 'int8' },
  { name: 'remit_claim_id', type: 'int8' },
  { name: 'line_seq', type: 'int4' },
  { name: 'procedure_code', type: 'text' },
  { name: 'modifiers', type: 'text' },
  { name: 'charge', type: 'int8' },
  { name: 'paid', type: 'int8' },
  { name: 'units', type: 'float8' },
  { name: 'service_from', type: 'text' },
  { name: 'service_to', type: 'text' },
  { name: 'line_control', type: 'text' },
  { name: 'rarcs', type: 'text' },
  { name: 'allowed', type: 'int8' },
  { name: 'submitted_line_id', type: 'int8' },
]

const ADJUSTMENT_COLUMNS: BulkColumn[] = [
  { name: 'remit_claim_id', type: 'int8' },
  { name: 'remit_line_id', type: 'int8' },
  { name: 'group_code', type: 'text' },
  { name: 'carc', type: 'text' },
  { name: 'amount', type: 'int8' },
  { name: 'quantity', type: 'float8' },
]

const ITEM_COLUMNS: BulkColumn[] = [
  { name: 'file_id', type: 'int8' },
  { name: 'remit_claim_id', type: 'int8' },
  { name: 'remit_line_id', type: 'int8' },
  { name: 'submitted_claim_id', type: 'int8' },
  { name: 'submitted_line_id', type: 'int8' },
  { name: 'level', type: 'text' },
  { name: 'claim_id', type: 'text' },
  { name: 'payer_id', type: 'text' },
  { name: 'payer_claim_number', type: 'text' },
  { name: 'procedure_code', type: 'text' },
  { name: 'service_date', type: 'text' },
  { name: 'remit_date', type: 'text' },
  { name: 'queue', type: 'text' },
  { name: 'action', type: 'text' },
  { name: 'carcs', type: 'text', array: true },
  { name: 'rarcs', type: 'text', array: true },
  { name: 'amount', type: 'int8' },
  { name: 'deadline', type: 'text' },
  { name: 'deadline_basis', type: 'text' },
  { name: 'low_confidence', type: 'bool' },
  { name: 'appealable', type: 'bool' },
  { name: 'flags', type: 'text', array: true },
  { name: 'guidance', type: 'text' },
]

/** Appends `value` to the list under `key`, starting the list when it is the first. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/** The key a claim is known by across remits: CLP01 and the payer. */
function claimKey(claimId: string, payerId: string | null | undefined): string {
  return `${payerId ?? ''}\u0000${claimId}`
}

function sortedModifiers(modifiers: readonly string[] | string): string {
  const list = typeof modifiers === 'string' ? modifiers.split(':').filter((m) => m !== '') : [...modifiers]
  return list.sort().join(':')
}

/**
 * Picks the submitted claim a CLP answers: CLP01 = CLM01, narrowed by payer and then by DOS when
 * CLM01 repeats (DOMAIN.md §7). The latest submission wins among equals (a replacement claim
 * keeps CLM01). `dos` is the CLP's statement date, else its first line date.
 */
export function pickCandidate(
  candidates: readonly SubmittedCandidate[],
  payerId: string | null | undefined,
  dos: string | undefined,
): SubmittedCandidate | undefined {
  let pool = [...candidates]
  if (pool.length > 1 && payerId) {
    const samePayer = pool.filter((c) => c.payerId === payerId)
    if (samePayer.length > 0) pool = samePayer
  }
  if (pool.length > 1 && dos !== undefined) {
    const sameDos = pool.filter(
      (c) => c.serviceFrom !== null && c.serviceFrom <= dos && dos <= (c.serviceTo ?? c.serviceFrom),
    )
    if (sameDos.length > 0) pool = sameDos
  }
  return pool.reduce<SubmittedCandidate | undefined>(
    (best, c) => (best === undefined || c.id > best.id ? c : best),
    undefined,
  )
}

/** What line matching reads of a remit line (a parsed SVC loop, or a stored remit_line row). */
export interface RemitLineKey {
  procedureCode: string
  /** The modifiers, or the stored `A:B` text. */
  modifiers: readonly string[] | string
  charge: number
  serviceFrom: string | undefined
  lineControlNumber: string | undefined
}

/** Lines by REF*6R, else code + modifiers + DOS + charge; each submitted line is used once. */
export function matchLine(
  line: RemitLineKey,
  claimDos: string | undefined,
  lines: readonly SubmittedLine[],
  used: Set<number>,
): SubmittedLine | undefined {
  if (line.lineControlNumber !== undefined) {
    const byControl = lines.find((l) => !used.has(l.id) && l.lineControl === line.lineControlNumber)
    if (byControl !== undefined) return byControl
  }
  const dos = line.serviceFrom ?? claimDos
  const modifiers = sortedModifiers(line.modifiers)
  return lines.find(
    (l) =>
      !used.has(l.id) &&
      l.procedureCode === line.procedureCode &&
      sortedModifiers(l.modifiers) === modifiers &&
      l.charge === line.charge &&
      (dos === undefined || l.serviceFrom === null || l.serviceFrom === dos),
  )
}

/** The submitted claims whose CLM01 is one of `claimIds`, by CLM01 (one statement). */
export async function loadCandidates(
  db: Kysely<Database>,
  claimIds: readonly string[],
): Promise<Map<string, SubmittedCandidate[]>> {
  const candidates = new Map<string, SubmittedCandidate[]>()
  if (claimIds.length === 0) return candidates
  // One array parameter instead of one parameter per id: the statement text and its plan stay the
  // same whatever the batch size.
  const rows = await db
    .selectFrom('submitted_claim')
    .select(['id', 'claim_id', 'payer_id', 'service_from', 'service_to', 'filing_indicator', 'kind'])
    .where(sql<boolean>`claim_id = any(${arrayLiteral(claimIds, 'text')}::text[])`)
    .execute()
  for (const row of rows) {
    pushTo(candidates, row.claim_id, {
      id: Number(row.id),
      claimId: row.claim_id,
      payerId: row.payer_id,
      serviceFrom: row.service_from,
      serviceTo: row.service_to,
      filingIndicator: row.filing_indicator,
      kind: row.kind,
    })
  }
  return candidates
}

/** The lines of the submitted claims `ids`, in line order, by submitted claim id (one statement). */
export async function loadSubmittedLines(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, SubmittedLine[]>> {
  const linesByClaim = new Map<number, SubmittedLine[]>()
  if (ids.length === 0) return linesByClaim
  const rows = await db
    .selectFrom('submitted_line')
    .select([
      'id',
      'submitted_claim_id',
      'procedure_code',
      'modifiers',
      'charge',
      'service_from',
      'line_control',
    ])
    .where(sql<boolean>`submitted_claim_id = any(${arrayLiteral(ids, 'int8')}::int8[])`)
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const claimRef = Number(row.submitted_claim_id)
    pushTo(linesByClaim, claimRef, {
      id: Number(row.id),
      claimRef,
      procedureCode: row.procedure_code,
      modifiers: row.modifiers,
      charge: Number(row.charge),
      serviceFrom: row.service_from,
      lineControl: row.line_control,
    })
  }
  return linesByClaim
}

/**
 * Stores one batch of CLPs of a transaction set: matching, classification, rework items and
 * recovered revenue, in a handful of statements. Runs inside the file's transaction.
 */
export async function storeRemitClaims(
  db: Kysely<Database>,
  state: RemitFileState,
  remittanceId: number,
  claims: readonly RemittanceClaim835[],
): Promise<RemitBatchResult> {
  const prepared = await prepareRemitClaims(db, state, remittanceId, claims)
  await commitRemitClaims(db, state, prepared)
  return prepared.result
}

interface Recovery {
  itemId: number
  beforeStatus: string
  /** The item's recovered amount after this payment (cumulative). */
  recoveredAmount: number
  amount: number
  date: string | null
  remitClaimId: number
}

/**
 * A batch read, matched and classified, with its rows ready to write: one array literal per
 * column ({@link bulkLiterals}), built before the previous batch's write has finished.
 */
export interface PreparedRemitBatch {
  result: RemitBatchResult
  claimRows: number
  claims: string[]
  lineRows: number
  lines: string[]
  adjustmentRows: number
  adjustments: string[]
  itemRows: number
  items: string[]
  recoveries: Recovery[]
}

/**
 * Reads what a batch of CLPs needs (candidate claims and lines, earlier rework items, reserved
 * ids) through `reader`, then matches, classifies and builds the rows in memory. `reader` may be
 * another connection than the file's transaction: it reads only other files' committed rows and
 * sequences, and this file's recoveries are tracked in `state.recoveredItems`.
 */
export async function prepareRemitClaims(
  db: Kysely<Database>,
  state: RemitFileState,
  remittanceId: number,
  claims: readonly RemittanceClaim835[],
): Promise<PreparedRemitBatch> {
  const result: RemitBatchResult = {
    claims: claims.length,
    matched: 0,
    unmatched: 0,
    reversals: 0,
    items: 0,
    recovered: 0,
    recoveredAmount: 0,
  }
  if (claims.length === 0)
    return {
      result,
      claimRows: 0,
      claims: [],
      lineRows: 0,
      lines: [],
      adjustmentRows: 0,
      adjustments: [],
      itemRows: 0,
      items: [],
      recoveries: [],
    }
  const claimIds = [...new Set(claims.map((c) => c.claimId))]
  // One array parameter instead of one parameter per id: the statement text and its plan stay the
  // same whatever the batch size.
  const claimIdArray = sql<boolean>`claim_id = any(${arrayLiteral(claimIds, 'text')}::text[])`

  const candidates = await loadCandidates(db, claimIds)
  const matches = claims.map((claim) =>
    pickCandidate(
      candidates.get(claim.claimId) ?? [],
      claim.header.payer.id,
      claim.statementFrom ?? claim.lines.find((l) => l.serviceFrom !== undefined)?.serviceFrom,
    ),
  )
  const matchedIds = [...new Set(matches.flatMap((m) => (m === undefined ? [] : [m.id])))]
  const linesByClaim = await loadSubmittedLines(db, matchedIds)

  const priorRows = await db
    .selectFrom('rework_item')
    .select([
      'id',
      'claim_id',
      'payer_id',
      'amount',
      'recovered_amount',
      'status',
      'level',
      'procedure_code',
      'queue',
      'carcs',
    ])
    .where(claimIdArray)
    .where('file_id', '<>', state.fileId)
    .where('status', 'in', RECOVERABLE)
    .orderBy('id')
    .execute()
  const priorByKey = new Map<string, PriorItem[]>()
  for (const row of priorRows) {
    const id = Number(row.id)
    const recoveredHere = state.recoveredItems.get(id)
    if (recoveredHere !== undefined) continue
    const key = claimKey(row.claim_id, row.payer_id)
    pushTo(priorByKey, key, {
      id,
      claimId: row.claim_id,
      payerId: row.payer_id,
      amount: Number(row.amount),
      recoveredAmount: Number(row.recovered_amount),
      status: row.status,
      level: row.level,
      procedureCode: row.procedure_code,
      queue: row.queue,
      carcs: row.carcs,
    })
  }

  const lineCount = claims.reduce((n, c) => n + c.lines.length, 0)
  const [claimRefs, lineRefs] = await reserveIdPairs(
    db,
    { sequence: 'remit_claim_id_seq', count: claims.length },
    { sequence: 'remit_line_id_seq', count: lineCount },
  )
  const claimRows: unknown[][] = []
  const lineRows: unknown[][] = []
  const adjustmentRows: unknown[][] = []
  const itemRows: unknown[][] = []
  const recoveries: Recovery[] = []
  let lineIndex = 0

  claims.forEach((claim, i) => {
    const remitClaimId = claimRefs[i] ?? 0
    const payerId = claim.header.payer.id ?? claim.header.traceOriginator ?? null
    const remitDate = remitDateOf(claim.header) ?? null
    const submitted = matches[i]
    const isReversal = claim.status === REVERSAL
    if (submitted === undefined) result.unmatched++
    else result.matched++
    claimRows.push([
      remitClaimId,
      remittanceId,
      state.fileId,
      claim.claimId,
      payerId,
      claim.status,
      claim.charge,
      claim.paid,
      claim.patientResponsibility,
      claim.filingIndicator ?? null,
      claim.payerClaimNumber ?? null,
      claim.facilityCode ?? null,
      claim.frequencyCode ?? null,
      claim.statementFrom ?? null,
      claim.statementTo ?? null,
      remitDate,
      claim.remarkCodes.join(','),
      submitted?.id ?? null,
      submitted === undefined ? 'unmatched' : 'matched',
      isReversal,
    ])
    for (const adjustment of claim.adjustments) {
      adjustmentRows.push([
        remitClaimId,
        null,
        adjustment.group,
        adjustment.carc,
        adjustment.amount,
        adjustment.quantity ?? null,
      ])
    }

    const key = claimKey(claim.claimId, payerId)
    const profile = payerId === null ? undefined : state.profiles.get(payerId)
    const payerClass = state.engine.payerClass(
      profile,
      claim.filingIndicator ?? submitted?.filingIndicator ?? undefined,
    )
    const claimDos =
      claim.statementFrom ??
      submitted?.serviceFrom ??
      claim.lines.find((l) => l.serviceFrom)?.serviceFrom ??
      undefined
    const claimType = submitted?.kind === '837I' ? 'institutional' : 'professional'
    // The Through date only counts for institutional claims (Part A: 12 months from Through).
    const throughDate =
      claimType === 'institutional' ? (claim.statementTo ?? submitted?.serviceTo ?? undefined) : undefined
    const prior = priorByKey.get(key) ?? []

    const addItem = (
      classification: DenialClassification,
      level: 'claim' | 'line',
      remitLineId: number | null,
      submittedLineId: number | null,
      procedureCode: string | null,
      serviceDate: string | undefined,
    ): void => {
      // A denial already open for the same line and reasons is not opened twice (a resubmission
      // denied again keeps its original item and deadline).
      const carcsText = [...classification.carcs].sort().join(',')
      const duplicate = prior.some(
        (p) =>
          (p.status === 'open' || p.status === 'assigned') &&
          p.level === level &&
          p.procedureCode === procedureCode &&
          p.queue === classification.queue &&
          [...p.carcs].sort().join(',') === carcsText,
      )
      if (duplicate) return
      const deadline = state.engine.deadline({
        classification,
        payerClass,
        profile,
        serviceDate,
        throughDate,
        remitDate: remitDate ?? undefined,
        claimType,
      })
      const flags = [...classification.flags]
      if (!deadline.appealable && !flags.includes('not_appealable')) flags.push('not_appealable')
      const rowFlags: string[] = [...flags]
      if (submitted === undefined) rowFlags.push('unmatched')
      if (deadline.lowConfidence) rowFlags.push('low_confidence')
      itemRows.push([
        state.fileId,
        remitClaimId,
        remitLineId,
        submitted?.id ?? null,
        submittedLineId,
        level,
        claim.claimId,
        payerId,
        claim.payerClaimNumber ?? null,
        procedureCode,
        serviceDate ?? null,
        remitDate,
        classification.queue,
        classification.action,
        classification.carcs.join(','),
        classification.rarcs.join(','),
        classification.amount,
        deadline.deadline ?? null,
        deadline.basis,
        deadline.lowConfidence,
        deadline.appealable,
        rowFlags.join(','),
        classification.guidance,
      ])
      result.items++
    }

    if (!isReversal) {
      const claimLevel = state.engine.classify(
        claim.adjustments.map((a) => ({ group: a.group, carc: a.carc, amount: a.amount })),
        claim.remarkCodes,
        remitDate ?? undefined,
      )
      if (claimLevel !== undefined)
        addItem(
          claimLevel,
          'claim',
          null,
          null,
          claim.lines.length === 1 ? (claim.lines[0]?.procedureCode ?? null) : null,
          claimDos,
        )
    }

    const used = new Set<number>()
    const submittedLines = submitted === undefined ? [] : (linesByClaim.get(submitted.id) ?? [])
    for (const [seq, line] of claim.lines.entries()) {
      const remitLineId = lineRefs[lineIndex++] ?? 0
      const matchedLine = matchLine(line, claimDos, submittedLines, used)
      if (matchedLine !== undefined) used.add(matchedLine.id)
      lineRows.push([
        remitLineId,
        remitClaimId,
        seq + 1,
        line.procedureCode,
        line.modifiers.join(':'),
        line.charge,
        line.paid,
        line.units,
        line.serviceFrom ?? null,
        line.serviceTo ?? null,
        line.lineControlNumber ?? null,
        line.rarcs.join(','),
        line.allowed ?? null,
        matchedLine?.id ?? null,
      ])
      for (const adjustment of line.adjustments) {
        adjustmentRows.push([
          remitClaimId,
          remitLineId,
          adjustment.group,
          adjustment.carc,
          adjustment.amount,
          adjustment.quantity ?? null,
        ])
      }
      if (isReversal) continue
      const lineDos = line.serviceFrom ?? matchedLine?.serviceFrom ?? claimDos
      const lineLevel = state.engine.classify(
        line.adjustments.map((a) => ({ group: a.group, carc: a.carc, amount: a.amount })),
        line.rarcs,
        remitDate ?? undefined,
      )
      if (lineLevel !== undefined)
        addItem(
          lineLevel,
          'line',
          remitLineId,
          matchedLine?.id ?? null,
          line.procedureCode,
          lineDos ?? undefined,
        )
    }

    if (isReversal) {
      // DOMAIN.md §7: a reversal is netted against the corrected CLP that follows; it never opens
      // an item itself.
      result.reversals++
      state.pendingReversals.set(key, (state.pendingReversals.get(key) ?? 0) + claim.paid)
      return
    }
    // Recovered revenue: what this remit pays beyond what the reversal took back goes to the
    // earlier items of the claim, oldest first.
    const delta = claim.paid + (state.pendingReversals.get(key) ?? 0)
    state.pendingReversals.delete(key)
    let remaining = delta
    for (const item of prior) {
      if (remaining <= 0) break
      const open = item.amount - item.recoveredAmount
      if (open <= 0) continue
      const take = Math.min(open, remaining)
      remaining -= take
      item.recoveredAmount += take
      recoveries.push({
        itemId: item.id,
        beforeStatus: item.status,
        recoveredAmount: item.recoveredAmount,
        amount: take,
        date: remitDate,
        remitClaimId,
      })
      item.status = 'recovered'
      state.recoveredItems.set(item.id, item.recoveredAmount)
      result.recovered++
      result.recoveredAmount += take
    }
  })
  return {
    result,
    claimRows: claimRows.length,
    claims: bulkLiterals(CLAIM_COLUMNS, claimRows),
    lineRows: lineRows.length,
    lines: bulkLiterals(LINE_COLUMNS, lineRows),
    adjustmentRows: adjustmentRows.length,
    adjustments: bulkLiterals(ADJUSTMENT_COLUMNS, adjustmentRows),
    itemRows: itemRows.length,
    items: bulkLiterals(ITEM_COLUMNS, itemRows),
    recoveries,
  }
}

/** Writes a prepared batch in the file's transaction: the rows, then the recovered items with their audit events. */
export async function commitRemitClaims(
  db: Kysely<Database>,
  state: RemitFileState,
  prepared: PreparedRemitBatch,
): Promise<void> {
  const { recoveries } = prepared
  // One statement for the four tables: the server runs the whole batch without waiting for this
  // process, which is busy parsing the next batch meanwhile.
  const parts: BulkPart[] = []
  if (prepared.claimRows > 0)
    parts.push({ table: 'remit_claim', columns: CLAIM_COLUMNS, literals: prepared.claims })
  if (prepared.lineRows > 0)
    parts.push({ table: 'remit_line', columns: LINE_COLUMNS, literals: prepared.lines })
  if (prepared.adjustmentRows > 0)
    parts.push({ table: 'remit_adjustment', columns: ADJUSTMENT_COLUMNS, literals: prepared.adjustments })
  if (prepared.itemRows > 0)
    parts.push({ table: 'rework_item', columns: ITEM_COLUMNS, literals: prepared.items })
  await insertLiteralsTogether(db, parts)

  for (const recovery of recoveries) {
    await db
      .updateTable('rework_item')
      .set({
        status: 'recovered',
        recovered_amount: recovery.recoveredAmount,
        recovered_date: recovery.date,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', recovery.itemId)
      .execute()
    await db
      .insertInto('audit_event')
      .values({
        actor: state.user,
        entity: 'rework_item',
        entity_id: String(recovery.itemId),
        action: 'recovered',
        before_status: recovery.beforeStatus,
        after_status: 'recovered',
        note: `paid ${recovery.amount} cents by remit claim ${recovery.remitClaimId}`,
      })
      .execute()
  }
}
