import type { Compilable, Kysely } from 'kysely'
import { sql } from 'kysely'
import type {
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
} from '../../parsers/remittance835/remittance835.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { PayerProfile } from '../../transforms/denials/denial-types.js'
import type { PriorReworkItem, RemitBatchResult } from '../../transforms/remits/build-remit-batch.js'
import {
  buildRemitBatch,
  numberReworkItems,
  pickSubmittedClaims,
  remitPayerIdOf,
} from '../../transforms/remits/build-remit-batch.js'
import type { DeniedLine } from '../../transforms/remits/group-claim-items.js'
import { groupClaimItems } from '../../transforms/remits/group-claim-items.js'
import type { SubmittedLine } from '../../transforms/remits/match-remit-line.js'
import { HOLDS_BACK, heldBackLines } from '../../transforms/remits/open-item-suppression.js'
import type { SubmittedCandidate } from '../../transforms/remits/pick-submitted-claim.js'
import { settleClaimRecovery } from '../../transforms/remits/recovery-allocation.js'
import { remitClaimKey } from '../../transforms/remits/remit-claim-key.js'
import type {
  RemitAdjustmentRow,
  RemitClaimRow,
  RemitLineRow,
  ReworkItemLineRow,
  ReworkItemRow,
} from '../../transforms/remits/remit-rows.js'
import type {
  RecoveredEvent,
  StoredRecoveryItem,
  StoredRecoveryLine,
} from '../../transforms/remits/settle-recovery.js'
import {
  linesToHoldBack,
  planSettlement,
  RECOVERY_STATUSES,
  rejectionSetKey,
  remitSetKey,
} from '../../transforms/remits/settle-recovery.js'
import type { BulkPart } from '../db/bulk-insert.js'
import {
  arrayLiteral,
  bulkLiterals,
  bulkPart,
  bulkTable,
  insertLiteralsTogether,
  reserveIdBlock,
  reserveIdPairs,
  reserveIds,
} from '../db/bulk-insert.js'
import type { CopyPart } from '../db/copy-from-stdin.js'
import { copyPart, copyRowsTogether } from '../db/copy-from-stdin.js'
import type { Database } from '../db/database.js'
import type { LookupColumn } from '../db/planner-statistics.js'
import { analyzeWhereUnplanned } from '../db/planner-statistics.js'

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
  /**
   * The file's transaction: this file's earlier stored sets' items are read there (the batches'
   * `db` may be another connection, which cannot see them). The batches' `db` when absent.
   */
  trx?: Kysely<Database>
  /**
   * CLP01s the transaction set of the batch being prepared has drafted items for so far: they join
   * `fileClaims` when the set is stored, and are dropped when it is rolled back. Each set has its own
   * (FileIngest sets it before each batch): a set's end runs behind its writes, while the next
   * set's batches are already prepared.
   */
  setClaims: Set<string>
  /**
   * CLP01s with items of this file's earlier stored sets, and those sets' remittances: a batch
   * with one of these CLP01s reads those items in the file's transaction, for suppression to
   * compare besides other files' items, so that a set suppresses the same way whichever file
   * stores it. Only the CLP01s are kept, not the items: memory stays near flat with the file.
   */
  fileClaims: Set<string>
  fileRemittances: number[]
  /**
   * Write the rows with COPY … FROM STDIN (PostgreSQL, src/db/copy-from-stdin.ts) instead of one
   * INSERT … SELECT FROM unnest statement per batch (PGlite, and PostgreSQL when false).
   */
  copy?: boolean
  /**
   * Read the batch look-ups' rows (submitted claims and lines) as one JSON value each (PGlite:
   * see selectRows).
   */
  jsonLookups?: boolean
  /**
   * No other connection writes while this file is stored (PGlite: one connection, one file at a
   * time); `othersHoldBack` then caches whether another file's items can hold back a denial, and
   * ids are reserved a block per statement ({@link reserveIdBlock}).
   */
  soleWriter?: boolean
  othersHoldBack?: boolean
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

/** The tables and columns {@link settleRecovery} reads by. */
const RECOVERY_LOOKUPS: readonly LookupColumn[] = [
  ...['id', 'claim_id', 'payer_id', 'remit_claim_id', 'remit_date'].map((column) => ({
    table: 'rework_item' as const,
    column,
  })),
  { table: 'rework_item_line', column: 'rework_item_id' },
  ...['id', 'claim_id', 'payer_id', 'remittance_id', 'paid', 'remit_date'].map((column) => ({
    table: 'remit_claim' as const,
    column,
  })),
  { table: 'remittance', column: 'id' },
  { table: 'remittance', column: 'file_id' },
  { table: 'recovery_allocation', column: 'rework_item_id' },
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

/**
 * The rows of `query` (its `columns`, in that order), read as one JSON value when `asJson`
 * (`json_agg` of one `json_build_array` per row, in `order`): on PGlite each row of a result is
 * decoded in JavaScript, which took about 4x the query itself for a batch's 1,700 submitted lines
 * (16.8 ms against 3.7 ms with JSON.parse); an array per row instead of an object per row (a
 * batch's 3,500 lines 8-14 ms against 6.3-6.8 ms) names no column per row. On PostgreSQL the rows
 * are cheaper than the server building JSON. The values come as JSON gives them (bigint as a number).
 */
async function selectRows<Row>(
  db: Kysely<Database>,
  query: Compilable<Row> & { execute(): Promise<Row[]> },
  columns: readonly (keyof Row & string)[],
  asJson: boolean,
  order?: keyof Row & string,
): Promise<Row[]> {
  if (!asJson) return query.execute()
  const ordered = order === undefined ? sql`` : sql` order by q.${sql.ref(order)}`
  const values = sql.join(columns.map((column) => sql`q.${sql.ref(column)}`))
  const { rows } = await sql<{
    rows: string | null
  }>`select json_agg(json_build_array(${values})${ordered})::text as rows
    from (${query}) as q`.execute(db)
  const arrays = JSON.parse(rows[0]?.rows ?? '[]') as unknown[][]
  return arrays.map((array) => {
    const row: Record<string, unknown> = {}
    for (let c = 0; c < columns.length; c++) row[columns[c] as string] = array[c]
    return row as Row
  })
}

/** The submitted claims whose CLM01 is one of `claimIds`, by CLM01 (one statement). */
export async function loadCandidates(
  db: Kysely<Database>,
  claimIds: readonly string[],
  asJson = false,
): Promise<Map<string, SubmittedCandidate[]>> {
  const candidates = new Map<string, SubmittedCandidate[]>()
  if (claimIds.length === 0) return candidates
  // One array parameter instead of one parameter per id: the statement text and its plan stay the
  // same whatever the batch size.
  const columns = [
    'id',
    'claim_id',
    'payer_id',
    'service_from',
    'service_to',
    'filing_indicator',
    'kind',
  ] as const
  const query = db
    .selectFrom('submitted_claim')
    .select(columns)
    .where(sql<boolean>`claim_id = any(${arrayLiteral(claimIds, 'text')}::text[])`)
  const rows = await selectRows(db, query, columns, asJson)
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
  asJson = false,
): Promise<Map<number, SubmittedLine[]>> {
  const linesByClaim = new Map<number, SubmittedLine[]>()
  if (ids.length === 0) return linesByClaim
  const columns = [
    'id',
    'submitted_claim_id',
    'procedure_code',
    'modifiers',
    'charge',
    'service_from',
    'line_control',
  ] as const
  const query = db
    .selectFrom('submitted_line')
    .select(columns)
    .where(sql<boolean>`submitted_claim_id = any(${arrayLiteral(ids, 'int8')}::int8[])`)
    .orderBy('id')
  const rows = await selectRows(db, query, columns, asJson, 'id')
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
  await commitRemitClaims(db, prepared)
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
}

/** The part inserting `rows` into `table`, or nothing when there are none. */
function partOf<Row>(table: Parameters<typeof bulkLiterals<Row>>[0], rows: readonly Row[]): BulkPart[] {
  return rows.length === 0 ? [] : [bulkPart(table, bulkLiterals(table, rows))]
}

/**
 * Reads what a batch of CLPs needs (candidate claims and lines, earlier rework items, reserved
 * ids) through `db`, turns it into rows ({@link buildRemitBatch}, pure) and their array literals.
 * `db` may be another connection than the file's transaction: it reads only other files'
 * committed rows and sequences; this file's earlier sets' items are read in `state.trx`.
 */
export async function prepareRemitClaims(
  db: Kysely<Database>,
  state: RemitFileState,
  remittanceId: number,
  claims: readonly RemittanceClaim835[],
): Promise<PreparedRemitBatch> {
  if (claims.length === 0)
    return {
      result: { claims: 0, matched: 0, unmatched: 0, reversals: 0, items: 0 },
      parts: [],
      copies: [],
    }
  const since = state.claimsSinceStatistics
  if (since === undefined || since >= REFRESH_EVERY) {
    await analyzeWhereUnplanned(db, LOOKUPS)
    state.claimsSinceStatistics = 0
  }
  state.claimsSinceStatistics = (state.claimsSinceStatistics ?? 0) + claims.length
  const claimIds = [...new Set(claims.map((c) => c.claimId))]
  const lineCount = claims.reduce((n, c) => n + c.lines.length, 0)
  // Independent of each other: at once, on as many of the pool's connections (one round trip
  // instead of three while this process is busy with the batches around it).
  const [candidates, priorItems, [claimRefs, lineRefs]] = await Promise.all([
    loadCandidates(db, claimIds, state.jsonLookups === true),
    loadPriorItems(db, state, claimIds),
    state.soleWriter === true
      ? Promise.all([
          reserveIdBlock(db, 'remit_claim_id_seq', claims.length),
          reserveIdBlock(db, 'remit_line_id_seq', lineCount),
        ])
      : reserveIdPairs(
          db,
          { sequence: 'remit_claim_id_seq', count: claims.length },
          { sequence: 'remit_line_id_seq', count: lineCount },
        ),
  ])
  const matches = pickSubmittedClaims(claims, candidates)
  const matchedIds = [...new Set(matches.flatMap((m) => (m === undefined ? [] : [m.id])))]
  const submittedLines = await loadSubmittedLines(db, matchedIds, state.jsonLookups === true)
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
  })
  // What later sets of this file compare (suppression), once this set is stored.
  for (const draft of batch.items) state.setClaims.add(draft.item.claim_id)
  const itemIds = await (state.soleWriter === true ? reserveIdBlock : reserveIds)(
    db,
    'rework_item_id_seq',
    batch.items.length,
  )
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
  }
}

/**
 * The rework items that hold back a repeated denial ({@link HOLDS_BACK}) for the CLP01s
 * `claimIds`, with their lines, by claim key: other files' (committed) and this file's earlier
 * sets' (read in `state.trx`, for the CLP01s in `state.fileClaims`).
 */
async function loadPriorItems(
  db: Kysely<Database>,
  state: RemitFileState,
  claimIds: readonly string[],
): Promise<Map<string, PriorReworkItem[]>> {
  // One array parameter instead of one parameter per id: the statement text and its plan stay the
  // same whatever the batch size.
  const query = db
    .selectFrom('rework_item as ri')
    .innerJoin('rework_item_line as ril', 'ril.rework_item_id', 'ri.id')
    .select([
      'ri.id',
      'ri.claim_id',
      'ri.payer_id',
      'ri.status',
      'ri.queue',
      'ri.remit_date',
      'ril.level',
      'ril.procedure_code',
      'ril.carcs',
    ])
    .where(sql<boolean>`ri.claim_id = any(${arrayLiteral(claimIds, 'text')}::text[])`)
    .where('ri.file_id', '<>', state.fileId)
    .where('ri.status', 'in', [...HOLDS_BACK])
    .orderBy('ri.id')
    .orderBy('ril.id')
  const rows = (await mayHoldBack(db, state)) ? await query.execute() : []
  const byKey = new Map<string, PriorReworkItem[]>()
  let item: (PriorReworkItem & { id: number; lines: PriorReworkItem['lines'][number][] }) | undefined
  for (const row of rows) {
    const id = Number(row.id)
    if (item?.id !== id) {
      item = { id, status: row.status, queue: row.queue, remitDate: row.remit_date, lines: [] }
      pushTo(byKey, remitClaimKey(row.claim_id, row.payer_id), item)
    }
    item.lines.push({ level: row.level, procedureCode: row.procedure_code, carcs: row.carcs })
  }
  const own = claimIds.filter((claimId) => state.fileClaims.has(claimId))
  if (own.length > 0 && state.fileRemittances.length > 0) {
    // This file's earlier stored sets' items (open: nothing has changed them yet), oldest first.
    const ownRows = await (state.trx ?? db)
      .selectFrom('rework_item as ri')
      .innerJoin('remit_claim as rc', 'rc.id', 'ri.remit_claim_id')
      .innerJoin('rework_item_line as ril', 'ril.rework_item_id', 'ri.id')
      .select([
        'ri.id',
        'ri.claim_id',
        'ri.payer_id',
        'ri.queue',
        'ri.remit_date',
        'ril.level',
        'ril.procedure_code',
        'ril.carcs',
      ])
      .where(sql<boolean>`ri.claim_id = any(${arrayLiteral(own, 'text')}::text[])`)
      .where(sql<boolean>`rc.remittance_id = any(${arrayLiteral(state.fileRemittances, 'int8')}::int8[])`)
      .orderBy('ri.id')
      .orderBy('ril.id')
      .execute()
    let ownItem: (PriorReworkItem & { id: number; lines: PriorReworkItem['lines'][number][] }) | undefined
    for (const row of ownRows) {
      const id = Number(row.id)
      if (ownItem?.id !== id) {
        ownItem = { id, status: 'open', queue: row.queue, remitDate: row.remit_date, lines: [] }
        pushTo(byKey, remitClaimKey(row.claim_id, row.payer_id), ownItem)
      }
      ownItem.lines.push({ level: row.level, procedureCode: row.procedure_code, carcs: row.carcs })
    }
  }
  return byKey
}

/**
 * Whether another file's rework item may hold back a denial of this file. With `soleWriter` the
 * answer at the file's first batch holds for the whole file (nothing but this transaction writes,
 * and it writes only this file's items before the settlement), so a database with none skips the
 * look-up of every batch: on PGlite 0.8 s for a 100k-claim 835.
 */
async function mayHoldBack(db: Kysely<Database>, state: RemitFileState): Promise<boolean> {
  if (state.soleWriter !== true) return true
  state.othersHoldBack ??=
    (await db
      .selectFrom('rework_item')
      .select('id')
      .where('file_id', '<>', state.fileId)
      .where('status', 'in', [...HOLDS_BACK])
      .limit(1)
      .executeTakeFirst()) !== undefined
  return state.othersHoldBack
}

/** Writes a prepared batch in the file's transaction. */
export async function commitRemitClaims(db: Kysely<Database>, prepared: PreparedRemitBatch): Promise<void> {
  // One statement for the four tables: the server runs the whole batch without waiting for this
  // process, which is busy parsing the next batch meanwhile.
  await insertLiteralsTogether(db, prepared.parts)
  // Parents before children: each COPY's foreign keys are checked when it ends.
  await copyRowsTogether(db, prepared.copies)
}

/** Which claims {@link settleRecovery} works out again. */
export type SettleScope =
  /** The claims whose CLP01 one of this 835 file's remit claims carries (through its remittances: rework_item.file_id has no index). */
  | { fileId: number }
  /** These CLP01s ({@link settleAllRecovery} pages every claim through this). */
  | { claimIds: readonly string[] }

/** Claims settled per round by {@link settleAllRecovery}: memory stays flat on a large database. */
const SETTLE_PAGE = 5_000

/**
 * {@link settleRecovery} over every claim with a dated rework item, a page of CLP01s at a time
 * (`onco-edi rematch`: a database stored by an older version, whose recovery depended on the
 * order files came in, ends as ingest would leave it now).
 */
export async function settleAllRecovery(db: Kysely<Database>, user: string): Promise<SettleResult> {
  const total: SettleResult = { changed: 0, recovered: 0, recoveredAmount: 0, heldBack: 0 }
  let after: string | undefined
  for (;;) {
    const page = await sql<{ claim_id: string }>`select distinct claim_id from rework_item
      where remit_date is not null ${after === undefined ? sql`` : sql`and claim_id > ${after}`}
      order by claim_id limit ${SETTLE_PAGE}`.execute(db)
    const claimIds = page.rows.map((r) => r.claim_id)
    if (claimIds.length > 0) {
      const settled = await settleRecovery(db, { claimIds }, user)
      total.changed += settled.changed
      total.recovered += settled.recovered
      total.recoveredAmount += settled.recoveredAmount
      total.heldBack += settled.heldBack
    }
    if (claimIds.length < SETTLE_PAGE) return total
    after = claimIds.at(-1)
  }
}

/** What {@link settleRecovery} changed. */
export interface SettleResult {
  /** Items whose recovery changed (newly paid, paid another amount or by another payment, or no longer paid). */
  changed: number
  /** Items paid now that were not paid before. */
  recovered: number
  /** Cents recovered now less cents recovered before, over the claims settled. */
  recoveredAmount: number
  /** Items removed because an older denial of the same line and reasons keeps its item. */
  heldBack: number
}

/**
 * Works out again what every stored payment of the claims in `scope` recovers of their denial
 * items ({@link settleClaimRecovery}, pure) and writes what changed: items' recovered amounts,
 * statuses and dates, their lines' recovered amounts, the `recovery_allocation` rows, and one audit
 * event per changed item (`recovered`, naming the remit claim and cents; `recovery_withdrawn` when
 * a payment it had now goes to an older denial). The result depends on the stored remits' content
 * and dates only, never on the order they were stored in, so ingest runs it after each 835 and
 * 277CA (in the file's transaction, and again after the commit for what another process committed
 * meanwhile) and `onco-edi rematch` over every claim.
 *
 * The claims' remit claims are locked (`for update`, in id order) before anything is read, so two
 * processes settling one claim take turns and the second sees the first's result; then their
 * rework items, so a biller's step on one of them comes before the settlement or after its commit.
 *
 * An item a biller resolved after a payment reached it (written off or billed to the patient for
 * the rest of a partial payment) keeps that payment; its cents are not given to another item.
 */
export async function settleRecovery(
  db: Kysely<Database>,
  scope: SettleScope,
  user: string,
): Promise<SettleResult> {
  const result: SettleResult = { changed: 0, recovered: 0, recoveredAmount: 0, heldBack: 0 }
  // In the file's transaction the tables hold its own uncommitted rows, which the statistics
  // refreshed per batch on the reader's connection did not see: planned as one-row tables, the
  // reads below ran as nested loops over every item and line (67 s for 10k items).
  // (Analyzed even when nothing is read below: the file's later reads and the next 835's are
  // planned from these statistics.)
  await analyzeWhereUnplanned(db, RECOVERY_LOOKUPS)
  if ('fileId' in scope && !(await mayRecoverAcross(db, scope.fileId))) return result
  // Claims with a denial item and a positive payment from another transaction set: nothing else
  // can change (claim_id is indexed on rework_item and remit_claim).
  const inScope =
    'fileId' in scope
      ? sql<boolean>`ri.claim_id in (select rc.claim_id from remit_claim rc
            where rc.remittance_id in (select r.id from remittance r where r.file_id = ${scope.fileId}))`
      : sql<boolean>`ri.claim_id = any(${arrayLiteral([...scope.claimIds], 'text')}::text[])`
  // (remit_claim's primary key joins each item's transaction set; a 277CA item has none.)
  const claimRows = await sql<{ claim_id: string }>`select distinct ri.claim_id from rework_item ri
    left join remit_claim mine on mine.id = ri.remit_claim_id
    where ${inScope} and ri.remit_date is not null
      and (exists (select 1 from remit_claim p where p.claim_id = ri.claim_id
          and p.payer_id is not distinct from ri.payer_id and p.paid > 0 and p.remit_date >= ri.remit_date
          and p.remittance_id is distinct from mine.remittance_id)
        or exists (select 1 from rework_item o join remit_claim oc on oc.id = o.remit_claim_id
          where o.claim_id = ri.claim_id and o.payer_id is not distinct from ri.payer_id
            and oc.remittance_id is distinct from mine.remittance_id))
    order by ri.claim_id`.execute(db)
  const claimIds = claimRows.rows.map((r) => r.claim_id)
  if (claimIds.length === 0) return result
  const claimIdArray = sql`${arrayLiteral(claimIds, 'text')}::text[]`

  const lockRemits = () =>
    db
      .selectFrom('remit_claim')
      .select(['id', 'remittance_id', 'claim_id', 'payer_id', 'status', 'paid', 'remit_date'])
      .where(sql<boolean>`claim_id = any(${claimIdArray})`)
      .orderBy('id')
      .forUpdate()
      .execute()
  // Locked, then read again. A statement that waited for another transaction's locks (an 835
  // settling the same claims, until its commit) returns the rows it locked as of the snapshot it
  // started with (PostgreSQL READ COMMITTED): without the remit claims that transaction inserted,
  // whose items and allocations the statements below do see. `onco-edi rematch` read so took an
  // 835's payment back from the item it recovered (test/src/ingest/rematch-during-ingest.test.ts).
  // The second statement starts once the locks are ours and sees every commit before it.
  await lockRemits()
  const remits = await lockRemits()
  // The claims' items as well, before their first read: a biller's step (src/rework: assign,
  // resolve, reopen) locks its item, so it comes wholly before this settlement or after its commit.
  // Unlocked, one committed between the two reads of the items (when repeated denials are held
  // back, below) was read half: what to hold back was judged on the item as it was, the payments
  // settled on it as the biller left it, and a payment could end recovering nothing
  // (test/src/ingest/held-back-biller-race.test.ts); after the last read, the settlement's write
  // put back the status the biller had changed.
  // FOR NO KEY UPDATE: it excludes the step's FOR UPDATE, not a reference to the item (FOR KEY
  // SHARE): a 277CA's claim_acknowledgment names an open rejection item in the 277CA's transaction
  // before its settlement locks remit claims, so FOR UPDATE here waited for that transaction while
  // holding the remit claims it then waited for, a deadlock (40P01;
  // test/src/ingest/settlement-item-key-share.test.ts).
  await db
    .selectFrom('rework_item')
    .select('id')
    .where(sql<boolean>`claim_id = any(${claimIdArray})`)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute()
  // Each transaction set's content identity: the 835's (transaction_set, by the remittance's
  // envelope) and the 277CA's that opened a rejection item (through its claim_acknowledgment).
  const remittanceIds = [...new Set(remits.map((r) => Number(r.remittance_id)))]
  // A file may carry two sets with the same ISA13 and ST02 (a reused interchange number is stored
  // with a warning): its remittances and its 835 transaction_set rows of those controls are then
  // paired in file order (both are numbered as the file is read), not all given the first key.
  const sameSet = sql`ts.file_id = r.file_id and ts.interchange_control = r.interchange_control
    and ts.transaction_control = r.transaction_control and ts.transaction_type = '835'`
  const readSetKeys = async (ids: readonly number[]): Promise<Map<number, string>> => {
    const keys = new Map<number, string>()
    if (ids.length === 0) return keys
    const keyRows = await sql<{
      id: string | number
      content_sha256: string | null
      payer_id: string | null
      trace_number: string | null
      total_paid: string | number
      payment_date: string | null
      interchange_control: string
      transaction_control: string
    }>`select r.id, r.payer_id, r.trace_number, r.total_paid, r.payment_date, r.interchange_control,
        r.transaction_control,
        case when (select count(*) from transaction_set ts where ${sameSet}) <= 1
          then (select min(ts.content_sha256) from transaction_set ts where ${sameSet})
          else (select ts.content_sha256 from transaction_set ts where ${sameSet} order by ts.id
            offset (select count(*) - 1 from remittance o where o.file_id = r.file_id
              and o.interchange_control = r.interchange_control
              and o.transaction_control = r.transaction_control and o.id <= r.id) limit 1) end as content_sha256
      from remittance r where r.id = any(${arrayLiteral([...ids], 'int8')}::int8[])`.execute(db)
    for (const row of keyRows.rows)
      keys.set(
        Number(row.id),
        remitSetKey({
          contentSha256: row.content_sha256,
          payerId: row.payer_id,
          traceNumber: row.trace_number,
          totalPaid: Number(row.total_paid),
          paymentDate: row.payment_date,
          interchangeControl: row.interchange_control,
          transactionControl: row.transaction_control,
        }),
      )
    return keys
  }
  const setKeys = await readSetKeys(remittanceIds)
  const readItems = async (): Promise<StoredRecoveryItem[]> => {
    const rows = await db
      .selectFrom('rework_item as ri')
      .leftJoin('remit_claim as rc', 'rc.id', 'ri.remit_claim_id')
      .leftJoin('rework_item_line as ril', 'ril.rework_item_id', 'ri.id')
      .select([
        'ri.id',
        'ri.claim_id',
        'ri.payer_id',
        'ri.amount',
        'ri.recovered_amount',
        'ri.recovered_date',
        'ri.status',
        'ri.queue',
        'ri.remit_date',
        'ri.remit_claim_id',
        'rc.remittance_id',
        'ril.id as line_id',
        'ril.amount as line_amount',
        'ril.recovered_amount as line_recovered_amount',
        'ril.level',
        'ril.procedure_code',
        'ril.carcs',
      ])
      .select(
        // The 277CA set that opened it; sets of one file with the same ISA13 and ST02 are paired
        // with their acknowledgment rows in file order, as remittances are above.
        sql<string | null>`case when ri.remit_claim_id is null then (select (select ts.content_sha256
            from transaction_set ts where ts.file_id = a.file_id and ts.interchange_control = a.interchange_control
              and ts.transaction_control = a.transaction_control and ts.transaction_type = '277'
            order by ts.id offset (select count(*) - 1 from acknowledgment o where o.file_id = a.file_id
              and o.kind = '277CA' and o.interchange_control = a.interchange_control
              and o.transaction_control = a.transaction_control and o.id <= a.id) limit 1)
          from claim_acknowledgment ca join acknowledgment a on a.id = ca.acknowledgment_id
          where ca.claim_id = ri.claim_id and ca.rework_item_id = ri.id and a.file_id = ri.file_id
            and a.kind = '277CA' order by a.id limit 1) end`.as('rejection_sha256'),
      )
      .where(sql<boolean>`ri.claim_id = any(${claimIdArray})`)
      .orderBy('ri.id')
      .orderBy('ril.id')
      .execute()
    const missing = rows.flatMap((r) =>
      r.remittance_id === null || setKeys.has(Number(r.remittance_id)) ? [] : [Number(r.remittance_id)],
    )
    for (const [id, key] of await readSetKeys([...new Set(missing)])) setKeys.set(id, key)
    const items: StoredRecoveryItem[] = []
    let item: (StoredRecoveryItem & { lines: StoredRecoveryLine[] }) | undefined
    for (const row of rows) {
      const id = Number(row.id)
      if (item?.id !== id) {
        item = {
          id,
          claimId: row.claim_id,
          payerId: row.payer_id,
          amount: Number(row.amount),
          recoveredAmount: Number(row.recovered_amount),
          recoveredDate: row.recovered_date,
          status: row.status,
          queue: row.queue,
          remitDate: row.remit_date,
          remitClaimId: row.remit_claim_id === null ? null : Number(row.remit_claim_id),
          setKey:
            row.remittance_id === null
              ? rejectionSetKey(row.rejection_sha256)
              : (setKeys.get(Number(row.remittance_id)) ?? ''),
          lines: [],
        }
        items.push(item)
      }
      // A 277CA rejection item has no lines.
      if (row.line_id === null || row.level === null || row.carcs === null) continue
      item.lines.push({
        id: Number(row.line_id),
        amount: Number(row.line_amount),
        recoveredAmount: Number(row.line_recovered_amount),
        level: row.level,
        procedureCode: row.procedure_code,
        carcs: row.carcs,
      })
    }
    return items
  }
  let items = await readItems()
  if (items.length === 0) return result
  const itemIdArray = sql`${arrayLiteral(
    items.map((i) => i.id),
    'int8',
  )}::int8[]`
  const allocationRows = await sql<{
    remit_claim_id: string | number
    rework_item_id: string | number
    amount: string | number
  }>`select remit_claim_id, rework_item_id, amount from recovery_allocation
    where rework_item_id = any(${itemIdArray}) order by id`.execute(db)
  // The `recovered` events of items a recovery set, in the order they were recorded
  // (statusesBeforeRecovery finds each one's status before it was paid).
  const recoveredIds = items.filter((i) => RECOVERY_STATUSES.includes(i.status)).map((i) => String(i.id))
  const events: RecoveredEvent[] = []
  if (recoveredIds.length > 0) {
    const eventRows = await sql<{
      entity_id: string
      before_status: string | null
    }>`select entity_id, before_status
      from audit_event where entity = 'rework_item' and action = 'recovered'
        and entity_id = any(${arrayLiteral(recoveredIds, 'text')}::text[])
      order by id`.execute(db)
    for (const event of eventRows.rows)
      events.push({ itemId: Number(event.entity_id), beforeStatus: event.before_status })
  }

  // Repeated denials: of the same line and reasons, the oldest denial keeps its item.
  const heldBack = linesToHoldBack(items, events)
  if (heldBack.size > 0) {
    result.heldBack += await holdBackLines(db, user, heldBack, items)
    // Amounts and lines as they are now.
    items = await readItems()
  }

  const plan = planSettlement(
    items,
    events,
    remits.map((r) => ({
      remitClaimId: Number(r.id),
      remittanceId: Number(r.remittance_id),
      setKey: setKeys.get(Number(r.remittance_id)) ?? '',
      claimId: r.claim_id,
      payerId: r.payer_id,
      status: r.status,
      paid: Number(r.paid),
      remitDate: r.remit_date,
    })),
    allocationRows.rows.map((row) => ({
      remitClaimId: Number(row.remit_claim_id),
      itemId: Number(row.rework_item_id),
      amount: Number(row.amount),
    })),
  )
  result.changed += plan.changes.length
  result.recovered += plan.recovered
  result.recoveredAmount += plan.recoveredAmount
  if (plan.changes.length === 0) return result
  await writeSettlement(db, user, plan.changes, plan.lines)
  return result
}

/**
 * Whether {@link settleRecovery}'s claims read for a file can find anything, decided without it:
 * that read probes two indexes per item of the file (a 100k-claim 835 on a fresh database: 50k
 * items, 0.2-0.45 s of the server's CPU, finding nothing). A claim is only
 * settled when one of its items and a payment or another item come from different transaction
 * sets, or the item is a 277CA's (no remit claim). An item's claim is its remit claim's CLP01
 * (never changed), so with no remit claim of another file, no 277CA item and no CLP01 in two of
 * this file's remittances, nothing qualifies. The first test stops at the first remit claim of
 * another file (a database with others), the second reads the items only on a database that holds
 * this file's remit claims alone.
 */
async function mayRecoverAcross(db: Kysely<Database>, fileId: number): Promise<boolean> {
  const checks = [
    sql<{ found: boolean }>`select exists (select 1 from remit_claim where file_id <> ${fileId}) as found`,
    sql<{ found: boolean }>`select exists (select 1 from rework_item where remit_claim_id is null) as found`,
    sql<{ found: boolean }>`select exists (select 1 from remit_claim where file_id = ${fileId}
      group by claim_id having min(remittance_id) <> max(remittance_id)) as found`,
  ]
  for (const check of checks) if ((await check.execute(db)).rows[0]?.found !== false) return true
  return false
}

/**
 * Writes a settlement's changes: the items (status, recovered amount and date), their lines,
 * their `recovery_allocation` rows (replaced) and one audit event per item, a fixed number of
 * statements whatever their number.
 */
async function writeSettlement(
  db: Kysely<Database>,
  user: string,
  changes: readonly {
    itemId: number
    before: string
    after: string
    recovered: number
    date: string | null
    allocations: readonly { remitClaimId: number; amount: number }[]
    withdrawn: boolean
  }[],
  lines: readonly { lineId: number; recovered: number }[],
): Promise<void> {
  const ids = sql`${arrayLiteral(
    changes.map((c) => c.itemId),
    'int8',
  )}::int8[]`
  await sql`update rework_item set status = c.status, recovered_amount = c.recovered,
      recovered_date = c.date, updated_at = now()
    from unnest(${ids}, ${arrayLiteral(
      changes.map((c) => c.after),
      'text',
    )}::text[], ${arrayLiteral(
      changes.map((c) => c.recovered),
      'int8',
    )}::int8[], ${arrayLiteral(
      changes.map((c) => (c.recovered === 0 ? null : c.date)),
      'text',
    )}::text[]) as c(id, status, recovered, date)
    where rework_item.id = c.id`.execute(db)
  if (lines.length > 0)
    await sql`update rework_item_line set recovered_amount = l.recovered
      from unnest(${arrayLiteral(
        lines.map((l) => l.lineId),
        'int8',
      )}::int8[], ${arrayLiteral(
        lines.map((l) => l.recovered),
        'int8',
      )}::int8[]) as l(id, recovered)
      where rework_item_line.id = l.id`.execute(db)
  await sql`delete from recovery_allocation where rework_item_id = any(${ids})`.execute(db)
  const allocations = changes.flatMap((c) => c.allocations.map((a) => ({ itemId: c.itemId, ...a })))
  if (allocations.length > 0)
    await sql`insert into recovery_allocation (remit_claim_id, rework_item_id, amount)
      select a.remit_claim_id, a.item_id, a.amount
      from unnest(${arrayLiteral(
        allocations.map((a) => a.remitClaimId),
        'int8',
      )}::int8[], ${arrayLiteral(
        allocations.map((a) => a.itemId),
        'int8',
      )}::int8[], ${arrayLiteral(
        allocations.map((a) => a.amount),
        'int8',
      )}::int8[]) with ordinality as a(remit_claim_id, item_id, amount, n)
      order by a.n`.execute(db)
  await sql`insert into audit_event (actor, entity, entity_id, action, before_status, after_status, note)
    select ${user}, 'rework_item', e.id::text, e.action, e.before, e.after, e.note
    from unnest(${ids}, ${arrayLiteral(
      changes.map((c) => (c.withdrawn ? 'recovery_withdrawn' : 'recovered')),
      'text',
    )}::text[], ${arrayLiteral(
      changes.map((c) => c.before),
      'text',
    )}::text[], ${arrayLiteral(
      changes.map((c) => c.after),
      'text',
    )}::text[], ${arrayLiteral(
      changes.map((c) =>
        c.withdrawn
          ? 'its payment recovers an older denial of the claim'
          : c.allocations.map((a) => `paid ${a.amount} cents by remit claim ${a.remitClaimId}`).join('; '),
      ),
      'text',
    )}::text[]) with ordinality as e(id, action, before, after, note, n)
    order by e.n`.execute(db)
}

/**
 * Removes denied lines that an older denial holds back ({@link heldBackLines}): an item left
 * without lines is deleted (its lines and recovery rows go with it), the others keep their other
 * lines and take their amount, reasons and deadline from them ({@link groupClaimItems}). Each
 * gets an audit event (`held_back`).
 */
async function holdBackLines(
  db: Kysely<Database>,
  user: string,
  heldBack: ReadonlySet<number>,
  items: readonly StoredRecoveryItem[],
): Promise<number> {
  const remaining = new Map<number, number>()
  const touched = new Set<number>()
  for (const item of items) {
    // An item without lines (a 277CA rejection item) counts as one remaining row, as its row did.
    if (item.lines.length === 0) remaining.set(item.id, 1)
    for (const line of item.lines)
      if (heldBack.has(line.id)) touched.add(item.id)
      else remaining.set(item.id, (remaining.get(item.id) ?? 0) + 1)
  }
  const deleted = new Set([...touched].filter((id) => !remaining.has(id)))
  const kept = [...touched].filter((id) => remaining.has(id))
  await sql`delete from rework_item_line where id = any(${arrayLiteral([...heldBack], 'int8')}::int8[])`.execute(
    db,
  )
  if (deleted.size > 0)
    await sql`delete from rework_item where id = any(${arrayLiteral([...deleted], 'int8')}::int8[])`.execute(
      db,
    )
  if (kept.length > 0) {
    const lines = await db
      .selectFrom('rework_item_line')
      .selectAll()
      .where(sql<boolean>`rework_item_id = any(${arrayLiteral(kept, 'int8')}::int8[])`)
      .orderBy('id')
      .execute()
    const byItem = new Map<number, DeniedLine[]>()
    for (const line of lines)
      pushTo(byItem, Number(line.rework_item_id), {
        level: line.level === 'claim' ? 'claim' : 'line',
        remitLineId: line.remit_line_id === null ? null : Number(line.remit_line_id),
        submittedLineId: line.submitted_line_id === null ? null : Number(line.submitted_line_id),
        procedureCode: line.procedure_code,
        modifiers: line.modifiers,
        units: line.units === null ? null : Number(line.units),
        serviceDate: line.service_date,
        queue: 'held',
        action: line.action,
        carcs: line.carcs,
        rarcs: line.rarcs,
        amount: Number(line.amount),
        deadline: line.deadline,
        deadlineBasis: line.deadline_basis,
        lowConfidence: line.low_confidence,
        appealable: line.appealable,
        flags: line.flags,
        guidance: line.guidance,
      })
    for (const [id, itemLines] of byItem) {
      const [grouped] = groupClaimItems(itemLines)
      if (grouped === undefined) continue
      await db
        .updateTable('rework_item')
        .set({
          amount: grouped.amount,
          carcs: grouped.carcs,
          rarcs: grouped.rarcs,
          deadline: grouped.deadline,
          deadline_basis: grouped.deadlineBasis,
          low_confidence: grouped.lowConfidence,
          appealable: grouped.appealable,
          action: grouped.action,
          guidance: grouped.guidance,
          service_date: grouped.serviceDate,
          procedure_code: grouped.procedureCode,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .execute()
    }
  }
  await sql`insert into audit_event (actor, entity, entity_id, action, note)
    select ${user}, 'rework_item', t.id::text, 'held_back', t.note
    from unnest(${arrayLiteral([...touched], 'int8')}::int8[], ${arrayLiteral(
      [...touched].map((id) =>
        deleted.has(id)
          ? 'removed: an older denial of the same line and reasons keeps its item'
          : 'lines removed: an older denial of the same line and reasons keeps them',
      ),
      'text',
    )}::text[]) with ordinality as t(id, note, n) order by t.n`.execute(db)
  return deleted.size
}
