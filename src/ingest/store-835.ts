import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type {
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
} from '../../parsers/remittance835/remittance835.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { PayerProfile } from '../../transforms/denials/denial-types.js'
import { statusesAllowing } from '../../transforms/denials/rework-status.js'
import type {
  PriorReworkItem,
  Recovery,
  RemitBatchResult,
} from '../../transforms/remits/build-remit-batch.js'
import {
  buildRemitBatch,
  numberReworkItems,
  pickSubmittedClaims,
  remitPayerIdOf,
} from '../../transforms/remits/build-remit-batch.js'
import { netClaimPayments } from '../../transforms/remits/claim-payment-netting.js'
import type { SubmittedLine } from '../../transforms/remits/match-remit-line.js'
import type { SubmittedCandidate } from '../../transforms/remits/pick-submitted-claim.js'
import type {
  OpeningItem,
  RecoverableLine,
  StoredPayment,
} from '../../transforms/remits/recovery-allocation.js'
import { allocateStoredPayments } from '../../transforms/remits/recovery-allocation.js'
import { remitClaimKey } from '../../transforms/remits/remit-claim-key.js'
import type {
  RemitAdjustmentRow,
  RemitClaimRow,
  RemitLineRow,
  ReworkItemLineRow,
  ReworkItemRow,
} from '../../transforms/remits/remit-rows.js'
import type { BulkPart } from '../db/bulk-insert.js'
import {
  arrayLiteral,
  bulkLiterals,
  bulkPart,
  bulkTable,
  insertLiteralsTogether,
  reserveIdPairs,
  reserveIds,
} from '../db/bulk-insert.js'
import type { CopyPart } from '../db/copy-from-stdin.js'
import { copyPart, copyRows } from '../db/copy-from-stdin.js'
import type { Database } from '../db/database.js'
import type { LookupColumn } from '../db/planner-statistics.js'
import { analyzeWhereUnplanned } from '../db/planner-statistics.js'

/**
 * Statuses a later payment can recover: open or resolved, not yet paid. An item paid in part
 * (`partially_recovered`) is not paid again by a later file: the cash report dates an item's
 * recovery by its one `recovered_date`, so a second payment in another month would be reported
 * in the wrong month.
 */
const RECOVERABLE = statusesAllowing('recover').filter((status) => status !== 'partially_recovered')

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
      payer_id: remitPayerIdOf(header),
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
  /**
   * Write the rows with COPY … FROM STDIN (PostgreSQL, src/db/copy-from-stdin.ts) instead of one
   * INSERT … SELECT FROM unnest statement per batch (PGlite, and PostgreSQL when false).
   */
  copy?: boolean
  /** Claims of this file looked up since the planner statistics were last checked ({@link REFRESH_EVERY}). */
  claimsSinceStatistics?: number
}

/** The tables and columns an 835 batch looks up by (`= any($1)`): they need planner statistics. */
const LOOKUPS: readonly LookupColumn[] = [
  { table: 'submitted_claim', column: 'claim_id' },
  { table: 'submitted_line', column: 'submitted_claim_id' },
  { table: 'rework_item', column: 'claim_id' },
  { table: 'rework_item_line', column: 'rework_item_id' },
]

/** The tables and columns {@link recoverFromStoredPayments} reads by. */
const RECOVERY_LOOKUPS: readonly LookupColumn[] = [
  ...['id', 'remit_claim_id', 'claim_id', 'payer_id', 'status', 'file_id', 'remit_date'].map((column) => ({
    table: 'rework_item' as const,
    column,
  })),
  { table: 'rework_item_line', column: 'rework_item_id' },
  ...['id', 'claim_id', 'payer_id', 'remittance_id', 'file_id', 'paid', 'remit_date'].map((column) => ({
    table: 'remit_claim' as const,
    column,
  })),
  { table: 'remittance', column: 'id' },
  { table: 'remittance', column: 'file_id' },
  { table: 'recovery_allocation', column: 'remit_claim_id' },
]

/**
 * Claims of a file between two checks of the lookup tables' statistics: the tables it reads may
 * grow while it runs (on PGlite its own rework items are read by its next batches).
 */
const REFRESH_EVERY = 20_000

const CLAIM_TABLE = bulkTable<'remit_claim', RemitClaimRow>('remit_claim', [
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
])

const LINE_TABLE = bulkTable<'remit_line', RemitLineRow>('remit_line', [
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
])

const ADJUSTMENT_TABLE = bulkTable<'remit_adjustment', RemitAdjustmentRow>('remit_adjustment', [
  { name: 'remit_claim_id', type: 'int8' },
  { name: 'remit_line_id', type: 'int8' },
  { name: 'group_code', type: 'text' },
  { name: 'carc', type: 'text' },
  { name: 'amount', type: 'int8' },
  { name: 'quantity', type: 'float8' },
])

const ITEM_TABLE = bulkTable<'rework_item', ReworkItemRow>('rework_item', [
  { name: 'id', type: 'int8' },
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
])

const ITEM_LINE_TABLE = bulkTable<'rework_item_line', ReworkItemLineRow>('rework_item_line', [
  { name: 'rework_item_id', type: 'int8' },
  { name: 'remit_line_id', type: 'int8' },
  { name: 'submitted_line_id', type: 'int8' },
  { name: 'level', type: 'text' },
  { name: 'procedure_code', type: 'text' },
  { name: 'modifiers', type: 'text' },
  { name: 'units', type: 'float8' },
  { name: 'service_date', type: 'text' },
  { name: 'carcs', type: 'text', array: true },
  { name: 'rarcs', type: 'text', array: true },
  { name: 'amount', type: 'int8' },
  { name: 'action', type: 'text' },
  { name: 'deadline', type: 'text' },
  { name: 'deadline_basis', type: 'text' },
  { name: 'low_confidence', type: 'bool' },
  { name: 'appealable', type: 'bool' },
  { name: 'flags', type: 'text', array: true },
  { name: 'guidance', type: 'text' },
])

/** Appends `value` to the list under `key`, starting the list when it is the first. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
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

/**
 * A batch read, matched and classified, with its rows ready to write: one array literal per
 * column ({@link bulkLiterals}), built before the previous batch's write has finished.
 */
export interface PreparedRemitBatch {
  result: RemitBatchResult
  /** The bulk insert of the batch's rows, one part per table that has rows. */
  parts: BulkPart[]
  /** Or the same rows as COPY text, one part per table that has rows, parents first (`state.copy`). */
  copies: CopyPart[]
  recoveries: Recovery[]
}

/** The part inserting `rows` into `table`, or nothing when there are none. */
function partOf<Row>(table: Parameters<typeof bulkLiterals<Row>>[0], rows: readonly Row[]): BulkPart[] {
  return rows.length === 0 ? [] : [bulkPart(table, bulkLiterals(table, rows))]
}

/**
 * Reads what a batch of CLPs needs (candidate claims and lines, earlier rework items, reserved
 * ids) through `db`, turns it into rows ({@link buildRemitBatch}, pure) and their array literals.
 * `db` may be another connection than the file's transaction: it reads only other files'
 * committed rows and sequences, and this file's recoveries are tracked in `state.recoveredItems`.
 */
export async function prepareRemitClaims(
  db: Kysely<Database>,
  state: RemitFileState,
  remittanceId: number,
  claims: readonly RemittanceClaim835[],
): Promise<PreparedRemitBatch> {
  if (claims.length === 0)
    return {
      result: {
        claims: 0,
        matched: 0,
        unmatched: 0,
        reversals: 0,
        items: 0,
        recovered: 0,
        recoveredAmount: 0,
      },
      parts: [],
      copies: [],
      recoveries: [],
    }
  const since = state.claimsSinceStatistics
  if (since === undefined || since >= REFRESH_EVERY) {
    await analyzeWhereUnplanned(db, LOOKUPS)
    state.claimsSinceStatistics = 0
  }
  state.claimsSinceStatistics = (state.claimsSinceStatistics ?? 0) + claims.length
  const claimIds = [...new Set(claims.map((c) => c.claimId))]
  const matches = pickSubmittedClaims(claims, await loadCandidates(db, claimIds))
  const matchedIds = [...new Set(matches.flatMap((m) => (m === undefined ? [] : [m.id])))]
  const submittedLines = await loadSubmittedLines(db, matchedIds)
  const priorItems = await loadPriorItems(db, state, claimIds)
  const lineCount = claims.reduce((n, c) => n + c.lines.length, 0)
  const [claimRefs, lineRefs] = await reserveIdPairs(
    db,
    { sequence: 'remit_claim_id_seq', count: claims.length },
    { sequence: 'remit_line_id_seq', count: lineCount },
  )
  const batch = buildRemitBatch({
    fileId: state.fileId,
    remittanceId,
    engine: state.engine,
    profiles: state.profiles,
    claims,
    matches,
    submittedLines,
    priorItems,
    claimIds: claimRefs,
    lineIds: lineRefs,
    carriedReversals: state.pendingReversals,
  })
  state.pendingReversals = batch.carriedReversals
  for (const recovery of batch.recoveries) {
    state.recoveredItems.set(recovery.itemId, recovery.recoveredAmount)
  }
  const itemIds = await reserveIds(db, 'rework_item_id_seq', batch.items.length)
  const { itemRows, lineRows } = numberReworkItems(batch.items, itemIds)
  if (state.copy === true)
    return {
      result: batch.result,
      parts: [],
      copies: [
        copyPart(CLAIM_TABLE, batch.claimRows),
        copyPart(LINE_TABLE, batch.lineRows),
        copyPart(ADJUSTMENT_TABLE, batch.adjustmentRows),
        copyPart(ITEM_TABLE, itemRows),
        copyPart(ITEM_LINE_TABLE, lineRows),
      ].filter((part) => part.text !== ''),
      recoveries: batch.recoveries,
    }
  return {
    result: batch.result,
    parts: [
      ...partOf(CLAIM_TABLE, batch.claimRows),
      ...partOf(LINE_TABLE, batch.lineRows),
      ...partOf(ADJUSTMENT_TABLE, batch.adjustmentRows),
      ...partOf(ITEM_TABLE, itemRows),
      ...partOf(ITEM_LINE_TABLE, lineRows),
    ],
    copies: [],
    recoveries: batch.recoveries,
  }
}

/**
 * The recoverable rework items of other files for the CLP01s `claimIds`, with their lines, by
 * claim key, oldest first; items this file has already recovered are left out.
 */
async function loadPriorItems(
  db: Kysely<Database>,
  state: RemitFileState,
  claimIds: readonly string[],
): Promise<Map<string, PriorReworkItem[]>> {
  // One array parameter instead of one parameter per id: the statement text and its plan stay the
  // same whatever the batch size.
  const rows = await db
    .selectFrom('rework_item as ri')
    .innerJoin('rework_item_line as ril', 'ril.rework_item_id', 'ri.id')
    .select([
      'ri.id',
      'ri.claim_id',
      'ri.payer_id',
      'ri.amount',
      'ri.recovered_amount',
      'ri.status',
      'ri.queue',
      'ril.id as line_id',
      'ril.amount as line_amount',
      'ril.recovered_amount as line_recovered_amount',
      'ril.level',
      'ril.procedure_code',
      'ril.carcs',
    ])
    .where(sql<boolean>`ri.claim_id = any(${arrayLiteral(claimIds, 'text')}::text[])`)
    .where('ri.file_id', '<>', state.fileId)
    .where('ri.status', 'in', RECOVERABLE)
    .orderBy('ri.id')
    .orderBy('ril.id')
    .execute()
  const byKey = new Map<string, PriorReworkItem[]>()
  let item: (PriorReworkItem & { lines: PriorReworkItem['lines'][number][] }) | undefined
  for (const row of rows) {
    const id = Number(row.id)
    if (state.recoveredItems.has(id)) continue
    if (item?.id !== id) {
      item = {
        id,
        amount: Number(row.amount),
        recoveredAmount: Number(row.recovered_amount),
        status: row.status,
        queue: row.queue,
        lines: [],
      }
      pushTo(byKey, remitClaimKey(row.claim_id, row.payer_id), item)
    }
    item.lines.push({
      id: Number(row.line_id),
      amount: Number(row.line_amount),
      recoveredAmount: Number(row.line_recovered_amount),
      level: row.level,
      procedureCode: row.procedure_code,
      carcs: row.carcs,
    })
  }
  return byKey
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
  await insertLiteralsTogether(db, prepared.parts)
  // Parents before children: each COPY's foreign keys are checked when it ends.
  for (const part of prepared.copies) await copyRows(db, part)

  await writeRecoveries(db, state.user, recoveries)
}

/**
 * Writes recoveries: each item's recovered amount, status and date, its lines' recovered amounts,
 * one `recovery_allocation` row per item (the remit claim that paid it and the cents) and one
 * `recovered` audit event per item naming them in its note (one statement per table whatever
 * their number; the allocation and the audit event share one).
 */
async function writeRecoveries(
  db: Kysely<Database>,
  user: string,
  recoveries: readonly Recovery[],
): Promise<void> {
  if (recoveries.length === 0) return
  // One statement per table whatever the number of recoveries.
  const items = sql`unnest(
      ${arrayLiteral(
        recoveries.map((r) => r.itemId),
        'int8',
      )}::int8[],
      ${arrayLiteral(
        recoveries.map((r) => r.recoveredAmount),
        'int8',
      )}::int8[],
      ${arrayLiteral(
        recoveries.map((r) => r.afterStatus),
        'text',
      )}::text[],
      ${arrayLiteral(
        recoveries.map((r) => r.date),
        'text',
      )}::text[],
      ${arrayLiteral(
        recoveries.map((r) => r.beforeStatus),
        'text',
      )}::text[],
      ${arrayLiteral(
        recoveries.map((r) => `paid ${r.amount} cents by remit claim ${r.remitClaimId}`),
        'text',
      )}::text[]
    ) with ordinality as r(id, recovered, status, date, before, note, n)`
  await sql`update rework_item set status = r.status, recovered_amount = r.recovered,
      recovered_date = r.date, updated_at = now()
    from ${items} where rework_item.id = r.id`.execute(db)
  const lines = recoveries.flatMap((r) => r.lines)
  if (lines.length > 0)
    await sql`update rework_item_line set recovered_amount = l.recovered
      from unnest(${arrayLiteral(
        lines.map((l) => l.lineId),
        'int8',
      )}::int8[], ${arrayLiteral(
        lines.map((l) => l.recoveredAmount),
        'int8',
      )}::int8[]) as l(id, recovered)
      where rework_item_line.id = l.id`.execute(db)
  // The allocation row and the audit event in one statement: what a stored payment has left
  // (recoverFromStoredPayments) is read from recovery_allocation, never from the note.
  await sql`with allocation as (
      insert into recovery_allocation (remit_claim_id, rework_item_id, amount)
      select a.remit_claim_id, a.item_id, a.amount
      from unnest(${arrayLiteral(
        recoveries.map((r) => r.remitClaimId),
        'int8',
      )}::int8[], ${arrayLiteral(
        recoveries.map((r) => r.itemId),
        'int8',
      )}::int8[], ${arrayLiteral(
        recoveries.map((r) => r.amount),
        'int8',
      )}::int8[]) with ordinality as a(remit_claim_id, item_id, amount, n)
      order by a.n
    )
    insert into audit_event (actor, entity, entity_id, action, before_status, after_status, note)
    select ${user}, 'rework_item', r.id::text, 'recovered', r.before, r.status, r.note
    from ${items} order by r.n`.execute(db)
}

/**
 * Recovers denial items from payments of their claims that other files stored before them, dated
 * on or after the denial ({@link allocateStoredPayments}): the result does not depend on whether
 * the denying or the paying 835 was stored first.
 *
 * - `items` (in the file's transaction, once its sets are stored): the items this file opened.
 * - `claims` (after the file's commit, in `rematchAfterCommit`): the recoverable items of every
 *   file for the claims this file's CLPs answer, so that an 835 and another 835 of the same claim
 *   committed at the same moment by two processes end as if one had been stored first
 *   (READ COMMITTED: the later of the two sees the other).
 *
 * Three reads (items, remit claims, allocations) looked up through the file's remittances and the
 * remit_claim_remittance, rework_item_remit_claim, remit_claim_match and
 * recovery_allocation_remit_claim indexes, and three writes only when something is recovered.
 * What a stored payment has left is its net CLP04 (reversals netted within its transaction set,
 * {@link netClaimPayments}) less the cents its `recovery_allocation` rows gave other items. Its remit claims are locked
 * (`for update`) so that two files opening denials of one claim at once do not both take the same
 * cents.
 */
export async function recoverFromStoredPayments(
  db: Kysely<Database>,
  fileId: number,
  user: string,
  scope: 'items' | 'claims' = 'items',
): Promise<{ recovered: number; recoveredAmount: number }> {
  const none = { recovered: 0, recoveredAmount: 0 }
  // In the file's transaction the tables hold its own uncommitted rows, which the statistics
  // refreshed per batch on the reader's connection did not see: planned as one-row tables, the
  // item read below ran as nested loops over every item and line (67 s for 10k items).
  await analyzeWhereUnplanned(db, RECOVERY_LOOKUPS)
  const itemRows = await db
    .selectFrom('rework_item as ri')
    .innerJoin('rework_item_line as ril', 'ril.rework_item_id', 'ri.id')
    .select([
      'ri.id',
      'ri.file_id',
      'ri.claim_id',
      'ri.payer_id',
      'ri.amount',
      'ri.recovered_amount',
      'ri.status',
      'ri.remit_date',
      'ril.id as line_id',
      'ril.amount as line_amount',
      'ril.recovered_amount as line_recovered_amount',
    ])
    .where('ri.status', 'in', RECOVERABLE)
    .where(({ exists, selectFrom }) =>
      // From the file's remittances (one row per transaction set) down the remit_claim_remittance
      // and rework_item_remit_claim indexes: neither table has an index on file_id.
      scope === 'items'
        ? sql<boolean>`ri.remit_claim_id in (select rc.id from remit_claim rc
            where rc.remittance_id in (select r.id from remittance r where r.file_id = ${fileId}))`
        : exists(
            selectFrom('remit_claim as mine')
              .select('mine.id')
              .whereRef('mine.claim_id', '=', 'ri.claim_id')
              .where(sql<boolean>`mine.payer_id is not distinct from ri.payer_id`)
              .where(
                sql<boolean>`mine.remittance_id in (select r.id from remittance r where r.file_id = ${fileId})`,
              ),
          ),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('remit_claim as rc')
          .select('rc.id')
          .whereRef('rc.claim_id', '=', 'ri.claim_id')
          .where(sql<boolean>`rc.payer_id is not distinct from ri.payer_id`)
          .whereRef('rc.file_id', '<>', 'ri.file_id')
          .where('rc.paid', '>', 0)
          .whereRef('rc.remit_date', '>=', 'ri.remit_date'),
      ),
    )
    .orderBy('ri.id')
    .orderBy('ril.id')
    .execute()
  if (itemRows.length === 0) return none

  const itemsByKey = new Map<string, (OpeningItem & { lines: RecoverableLine[] })[]>()
  let item: (OpeningItem & { lines: RecoverableLine[] }) | undefined
  for (const row of itemRows) {
    const id = Number(row.id)
    if (item?.id !== id) {
      item = {
        id,
        amount: Number(row.amount),
        recoveredAmount: Number(row.recovered_amount),
        status: row.status,
        remitDate: row.remit_date,
        fileId: Number(row.file_id),
        lines: [],
      }
      pushTo(itemsByKey, remitClaimKey(row.claim_id, row.payer_id), item)
    }
    item.lines.push({
      id: Number(row.line_id),
      amount: Number(row.line_amount),
      recoveredAmount: Number(row.line_recovered_amount),
    })
  }
  const claimIds = [...new Set(itemRows.map((r) => r.claim_id))]
  const claimIdArray = sql`${arrayLiteral(claimIds, 'text')}::text[]`

  // Every CLP of those claims, reversals included (they are netted); a file's own are left out
  // per item by allocateStoredPayments.
  const remits = await db
    .selectFrom('remit_claim')
    .select(['id', 'remittance_id', 'file_id', 'claim_id', 'payer_id', 'status', 'paid', 'remit_date'])
    .where(sql<boolean>`claim_id = any(${claimIdArray})`)
    .orderBy('id')
    .forUpdate()
    .execute()
  // The cents each of those payments has already given to items (recovery_allocation_remit_claim).
  const allocated = new Map<number, number>()
  if (remits.length > 0) {
    const sums = await db
      .selectFrom('recovery_allocation')
      .select(['remit_claim_id', sql<string | number>`sum(amount)`.as('amount')])
      .where(
        sql<boolean>`remit_claim_id = any(${arrayLiteral(
          remits.map((r) => Number(r.id)),
          'int8',
        )}::int8[])`,
      )
      .groupBy('remit_claim_id')
      .execute()
    for (const row of sums) allocated.set(Number(row.remit_claim_id), Number(row.amount))
  }

  const bySet = new Map<number, typeof remits>()
  for (const remit of remits) pushTo(bySet, Number(remit.remittance_id), remit)
  const paymentsByKey = new Map<string, StoredPayment[]>()
  for (const set of bySet.values()) {
    const netted = netClaimPayments(
      set.map((r) => ({ claimId: r.claim_id, payerId: r.payer_id, status: r.status, paid: Number(r.paid) })),
      new Map(),
    )
    for (const payment of netted.payments) {
      const remit = set[payment.index]
      if (remit === undefined) continue
      const remitClaimId = Number(remit.id)
      pushTo(paymentsByKey, payment.key, {
        remitClaimId,
        remitDate: remit.remit_date,
        unallocated: payment.paid - (allocated.get(remitClaimId) ?? 0),
        fileId: Number(remit.file_id),
      })
    }
  }

  const recoveries: Recovery[] = []
  for (const [key, items] of itemsByKey) {
    for (const recovery of allocateStoredPayments(items, paymentsByKey.get(key) ?? [])) {
      recoveries.push(recovery)
    }
  }
  await writeRecoveries(db, user, recoveries)
  return {
    recovered: recoveries.length,
    recoveredAmount: recoveries.reduce((sum, r) => sum + r.amount, 0),
  }
}
