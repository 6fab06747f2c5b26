import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { addDays, type IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import { daysLeft } from '../../transforms/denials/deadline-calculator.js'
import type { StatusChange } from '../../transforms/denials/rework-status.js'
import { nextStatus } from '../../transforms/denials/rework-status.js'
import { recordAudit } from '../db/audit.js'
import { arrayLiteral } from '../db/bulk-insert.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import type { ReworkItemTable } from '../db/schema/core-tables.js'
import { today } from '../today.js'

export type { ReworkStatus } from '../../transforms/denials/rework-status.js'
export { REWORK_STATUSES } from '../../transforms/denials/rework-status.js'

/** `queue resolve --action` values and the status change each one is. */
export const RESOLUTIONS = {
  corrected: 'correct',
  appealed: 'appeal',
  written_off: 'write_off',
  patient_billed: 'bill_patient',
} as const satisfies Record<string, StatusChange>
export type Resolution = keyof typeof RESOLUTIONS

/** One item as the worklist shows it (and `queue list --json` prints it). */
export interface ReworkItemView {
  id: number
  claimId: string
  payerClaimNumber: string | null
  payerId: string | null
  level: string
  procedureCode: string | null
  serviceDate: string | null
  remitDate: string | null
  queue: string
  carcs: string[]
  rarcs: string[]
  action: string
  /** Denied amount at risk, `"123.45"`. */
  amount: string
  amountCents: number
  deadline: string | null
  deadlineBasis: string
  daysLeft: number | null
  status: string
  assignee: string | null
  flags: string[]
  guidance: string
  matched: boolean
  recoveredAmount: string
  recoveredDate: string | null
  /** The other items of the same remit claim (its denials in other queues). */
  linkedItemIds: number[]
  /** The denied lines inside the item (the claim-level CAS as a line of level `claim`). */
  lines: ReworkLineView[]
}

/** One denied line of an item. */
export interface ReworkLineView {
  level: string
  procedureCode: string | null
  modifiers: string[]
  /** From the submitted (837) line, when matched. */
  ndc: string | null
  units: number | null
  serviceDate: string | null
  /** `GROUP-CARC`. */
  carcs: string[]
  rarcs: string[]
  amount: string
  deadline: string | null
  recoveredAmount: string
}

/** Where a page of the worklist ends: the last item's deadline (none sorts last), amount and id. */
export interface WorklistCursor {
  deadline: IsoDate | null
  amountCents: number
  id: number
}

/** Filters of the worklist. */
export interface ListFilter {
  queue?: string | undefined
  status?: string | undefined
  payerId?: string | undefined
  assignee?: string | undefined
  /** `CO-197`, or `197` for any group. */
  carc?: string | undefined
  /** At most this many items (a page); `next` then says where the next page starts. */
  limit?: number | undefined
  /** Items after this one in worklist order (keyset paging). */
  after?: WorklistCursor | undefined
  /** Items due within N days of `asOf` (past-due included). */
  dueWithin?: number | undefined
  /** The day `daysLeft` counts from (default today, UTC). */
  asOf?: IsoDate | undefined
}

/** Statuses still on the worklist (no filter given). */
const WORKING = ['open', 'assigned']

/** The text form of a cursor (`queue list --after`): `DEADLINE|AMOUNT_CENTS|ID`, `-` for no deadline. */
export function formatWorklistCursor(cursor: WorklistCursor): string {
  return `${cursor.deadline ?? '-'}|${cursor.amountCents}|${cursor.id}`
}

/** Reads {@link formatWorklistCursor}'s text; `undefined` when it is not one. */
export function parseWorklistCursor(text: string): WorklistCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}|-)\|(-?\d{1,15})\|(\d{1,15})$/.exec(text)
  if (match === null) return undefined
  const [, deadline = '-', amount = '0', id = '0'] = match
  return { deadline: deadline === '-' ? null : deadline, amountCents: Number(amount), id: Number(id) }
}

/** The deadline as the worklist sorts it: an item without one after every dated item. */
const NO_DEADLINE = '9999-12-31'
const WORKLIST_DEADLINE = sql<string>`coalesce(deadline, '9999-12-31')`
const WORKLIST_AMOUNT = sql<number>`(-amount)`

/** X12 CAS01 claim adjustment group codes (005010X221A1 CAS01). */
const CAS_GROUPS = ['CO', 'PR', 'OA', 'PI', 'CR']

function toView(row: Selectable<ReworkItemTable>, asOf: IsoDate): ReworkItemView {
  const amountCents = Number(row.amount)
  const left =
    daysLeft(
      {
        deadline: row.deadline ?? undefined,
        basis: row.deadline_basis,
        lowConfidence: row.low_confidence,
        appealable: row.appealable,
      },
      asOf,
    ) ?? null
  const flags = [...row.flags]
  // Past-due items are flagged, not hidden (a missed deadline is still work to do), and only while someone still has to act.
  const working = row.status === 'open' || row.status === 'assigned'
  if (working && left !== null && left < 0 && !flags.includes('past_deadline')) flags.push('past_deadline')
  return {
    id: Number(row.id),
    claimId: row.claim_id,
    payerClaimNumber: row.payer_claim_number,
    payerId: row.payer_id,
    level: row.level,
    procedureCode: row.procedure_code,
    serviceDate: row.service_date,
    remitDate: row.remit_date,
    queue: row.queue,
    carcs: row.carcs,
    rarcs: row.rarcs,
    action: row.action,
    amount: formatCents(amountCents),
    amountCents,
    deadline: row.deadline,
    deadlineBasis: row.deadline_basis,
    daysLeft: left,
    status: row.status,
    assignee: row.assignee,
    flags,
    guidance: row.guidance,
    matched: row.submitted_claim_id !== null,
    recoveredAmount: formatCents(Number(row.recovered_amount)),
    recoveredDate: row.recovered_date,
    linkedItemIds: [],
    lines: [],
  }
}

/** Fills the lines and linked items of `views` (two statements for the whole page). */
async function withLines(db: Kysely<Database>, views: ReworkItemView[]): Promise<ReworkItemView[]> {
  if (views.length === 0) return views
  const ids = views.map((v) => v.id)
  const byId = new Map(views.map((v) => [v.id, v]))
  const lines = await db
    .selectFrom('rework_item_line as ril')
    .leftJoin('submitted_line as sl', 'sl.id', 'ril.submitted_line_id')
    .select([
      'ril.rework_item_id',
      'ril.level',
      'ril.procedure_code',
      'ril.modifiers',
      'ril.units',
      'ril.service_date',
      'ril.carcs',
      'ril.rarcs',
      'ril.amount',
      'ril.deadline',
      'ril.recovered_amount',
      'sl.ndc',
    ])
    .where(sql<boolean>`ril.rework_item_id = any(${arrayLiteral(ids, 'int8')}::int8[])`)
    .orderBy('ril.rework_item_id')
    .orderBy('ril.id')
    .execute()
  for (const line of lines) {
    byId.get(Number(line.rework_item_id))?.lines.push({
      level: line.level,
      procedureCode: line.procedure_code,
      modifiers: line.modifiers === '' ? [] : line.modifiers.split(':'),
      ndc: line.ndc,
      units: line.units,
      serviceDate: line.service_date,
      carcs: line.carcs,
      rarcs: line.rarcs,
      amount: formatCents(Number(line.amount)),
      deadline: line.deadline,
      recoveredAmount: formatCents(Number(line.recovered_amount)),
    })
  }
  const siblings = await db
    .selectFrom('rework_item as ri')
    .innerJoin('rework_item as other', 'other.remit_claim_id', 'ri.remit_claim_id')
    .select(['ri.id', 'other.id as other_id'])
    .where(sql<boolean>`ri.id = any(${arrayLiteral(ids, 'int8')}::int8[])`)
    .whereRef('other.id', '<>', 'ri.id')
    .orderBy('ri.id')
    .orderBy('other.id')
    .execute()
  for (const sibling of siblings) byId.get(Number(sibling.id))?.linkedItemIds.push(Number(sibling.other_id))
  return views
}

/** A page of the worklist, and where the next one starts (`undefined` on the last page). */
export interface WorklistPage {
  items: ReworkItemView[]
  next: WorklistCursor | undefined
}

/**
 * A page of the worklist: deadline first (no deadline last), then the larger amount, then id;
 * `filter.after` continues after a cursor (keyset paging over the index rework_item_worklist, so
 * a deep page costs what the first one does).
 */
export async function listReworkPage(db: Kysely<Database>, filter: ListFilter = {}): Promise<WorklistPage> {
  const asOf = filter.asOf ?? today()
  let query = db.selectFrom('rework_item').selectAll()
  if (filter.queue !== undefined) query = query.where('queue', '=', filter.queue)
  query =
    filter.status !== undefined
      ? query.where('status', '=', filter.status)
      : query.where('status', 'in', WORKING)
  if (filter.payerId !== undefined) query = query.where('payer_id', '=', filter.payerId)
  if (filter.assignee !== undefined) query = query.where('assignee', '=', filter.assignee)
  if (filter.carc !== undefined) {
    const carc = filter.carc.trim().toUpperCase()
    const wanted = carc.includes('-') ? [carc] : CAS_GROUPS.map((group) => `${group}-${carc}`)
    query = query.where(sql<boolean>`carcs && ${arrayLiteral(wanted, 'text')}::text[]`)
  }
  if (filter.dueWithin !== undefined) {
    query = query.where('deadline', 'is not', null).where('deadline', '<=', addDays(asOf, filter.dueWithin))
  }
  const after = filter.after
  if (after !== undefined)
    query = query.where(
      sql<boolean>`(${WORKLIST_DEADLINE}, ${WORKLIST_AMOUNT}, id) > (${after.deadline ?? NO_DEADLINE}, ${-after.amountCents}::int8, ${after.id}::int8)`,
    )
  query = query.orderBy(WORKLIST_DEADLINE).orderBy(WORKLIST_AMOUNT).orderBy('id')
  // One more than the page: tells whether a next page exists without a count.
  if (filter.limit !== undefined) query = query.limit(filter.limit + 1)
  const rows = await query.execute()
  const more = filter.limit !== undefined && rows.length > filter.limit
  const page = more ? rows.slice(0, filter.limit) : rows
  const items = await withLines(
    db,
    page.map((row) => toView(row, asOf)),
  )
  const last = items.at(-1)
  return {
    items,
    next:
      more && last !== undefined
        ? { deadline: last.deadline, amountCents: last.amountCents, id: last.id }
        : undefined,
  }
}

/** The whole worklist (no page): deadline first (no deadline last), then the larger amount, then id. */
export async function listReworkItems(
  db: Kysely<Database>,
  filter: ListFilter = {},
): Promise<ReworkItemView[]> {
  return (await listReworkPage(db, filter)).items
}

/** One item, or DB_NOT_FOUND. */
export async function getReworkItem(
  db: Kysely<Database>,
  id: number,
  asOf: IsoDate = today(),
): Promise<ReworkItemView> {
  const row = await db.selectFrom('rework_item').selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${id}`)
  const [view] = await withLines(db, [toView(row, asOf)])
  if (view === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${id}`)
  return view
}

/** An adjustment as `queue show` prints it. */
export interface AdjustmentView {
  lineSeq: number | null
  group: string
  carc: string
  amount: string
}

/** A remitted line with the submitted line it matched (NDC, auth). */
export interface LineView {
  lineSeq: number
  procedureCode: string
  modifiers: string[]
  charge: string
  paid: string
  serviceFrom: string | null
  rarcs: string[]
  submittedLineNumber: number | null
  lineControl: string | null
  ndc: string | null
  ndcQuantity: number | null
  ndcUnit: string | null
  units: number | null
  priorAuthorization: string | null
}

/** A scrub finding stored by `onco-edi scrub` (table scrub_finding, migration 0003). */
export interface ScrubFindingView {
  lineNumber: number | null
  rule: string
  severity: string
  message: string
  suggestion: string | null
}

/** Everything `queue show` prints for one item. */
export interface ReworkItemDetail {
  item: ReworkItemView
  /** The remitted claim behind the item; undefined for a front-end rejection (queue `rejection`, from a 277CA). */
  remit:
    | {
        status: string
        charge: string
        paid: string
        patientResponsibility: string
        payerClaimNumber: string | null
        remitDate: string | null
        matchStatus: string
        isReversal: boolean
      }
    | undefined
  claim:
    | {
        kind: string
        payerId: string | null
        frequencyCode: string
        serviceFrom: string | null
        serviceTo: string | null
        totalCharge: string
        priorAuthorization: string | null
        typeOfBill: string | null
      }
    | undefined
  lines: LineView[]
  adjustments: AdjustmentView[]
  scrubFindings: ScrubFindingView[]
  history: {
    at: string
    actor: string
    action: string
    beforeStatus: string | null
    afterStatus: string | null
    note: string | null
  }[]
}

/** The item with its remit, the matched claim lines (NDCs, auth), adjustments, scrub findings and history. */
export async function getReworkItemDetail(
  db: Kysely<Database>,
  id: number,
  asOf: IsoDate = today(),
): Promise<ReworkItemDetail> {
  const item = await getReworkItem(db, id, asOf)
  const row = await db
    .selectFrom('rework_item')
    .select(['remit_claim_id', 'submitted_claim_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  // A front-end rejection (277CA, queue `rejection`) has no remit: no remitted lines or adjustments.
  const remitClaimId = row.remit_claim_id === null ? -1 : Number(row.remit_claim_id)
  const remit =
    row.remit_claim_id === null
      ? undefined
      : await db
          .selectFrom('remit_claim')
          .selectAll()
          .where('id', '=', remitClaimId)
          .executeTakeFirstOrThrow()
  const claim =
    row.submitted_claim_id === null
      ? undefined
      : await db
          .selectFrom('submitted_claim')
          .select([
            'kind',
            'payer_id',
            'frequency_code',
            'service_from',
            'service_to',
            'total_charge',
            'prior_authorization',
            'type_of_bill',
          ])
          .where('id', '=', Number(row.submitted_claim_id))
          .executeTakeFirst()
  const lineRows = await db
    .selectFrom('remit_line as rl')
    .leftJoin('submitted_line as sl', 'sl.id', 'rl.submitted_line_id')
    .select([
      'rl.id',
      'rl.line_seq',
      'rl.procedure_code',
      'rl.modifiers',
      'rl.charge',
      'rl.paid',
      'rl.service_from',
      'rl.rarcs',
      'sl.line_number',
      'sl.line_control',
      'sl.ndc',
      'sl.ndc_quantity',
      'sl.ndc_unit',
      'sl.units',
      'sl.prior_authorization',
    ])
    .where('rl.remit_claim_id', '=', remitClaimId)
    .orderBy('rl.line_seq')
    .execute()
  const seqByLine = new Map(lineRows.map((l) => [String(l.id), l.line_seq]))
  const adjustmentRows = await db
    .selectFrom('remit_adjustment')
    .selectAll()
    .where('remit_claim_id', '=', remitClaimId)
    .orderBy('id')
    .execute()
  // The item's events, and those of the line items merged into it (migration 0006).
  const merged = await db
    .selectFrom('rework_item_merge')
    .select('merged_id')
    .where('rework_item_id', '=', id)
    .execute()
  const history = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity', '=', 'rework_item')
    .where('entity_id', 'in', [String(id), ...merged.map((m) => String(m.merged_id))])
    .orderBy('id')
    .execute()
  return {
    item,
    remit:
      remit === undefined
        ? undefined
        : {
            status: remit.status,
            charge: formatCents(Number(remit.charge)),
            paid: formatCents(Number(remit.paid)),
            patientResponsibility: formatCents(Number(remit.patient_responsibility)),
            payerClaimNumber: remit.payer_claim_number,
            remitDate: remit.remit_date,
            matchStatus: remit.match_status,
            isReversal: remit.is_reversal,
          },
    claim:
      claim === undefined
        ? undefined
        : {
            kind: claim.kind,
            payerId: claim.payer_id,
            frequencyCode: claim.frequency_code,
            serviceFrom: claim.service_from,
            serviceTo: claim.service_to,
            totalCharge: formatCents(Number(claim.total_charge)),
            priorAuthorization: claim.prior_authorization,
            typeOfBill: claim.type_of_bill,
          },
    lines: lineRows.map((l) => ({
      lineSeq: l.line_seq,
      procedureCode: l.procedure_code,
      modifiers: l.modifiers === '' ? [] : l.modifiers.split(':'),
      charge: formatCents(Number(l.charge)),
      paid: formatCents(Number(l.paid)),
      serviceFrom: l.service_from,
      rarcs: l.rarcs === '' ? [] : l.rarcs.split(','),
      submittedLineNumber: l.line_number,
      lineControl: l.line_control,
      ndc: l.ndc,
      ndcQuantity: l.ndc_quantity,
      ndcUnit: l.ndc_unit,
      units: l.units,
      priorAuthorization: l.prior_authorization,
    })),
    adjustments: adjustmentRows.map((a) => ({
      lineSeq: a.remit_line_id === null ? null : (seqByLine.get(String(a.remit_line_id)) ?? null),
      group: a.group_code,
      carc: a.carc,
      amount: formatCents(Number(a.amount)),
    })),
    scrubFindings: await scrubFindingsOf(db, item.claimId),
    history: history.map((h) => ({
      at: new Date(h.at).toISOString(),
      actor: h.actor,
      action: h.action,
      beforeStatus: h.before_status,
      afterStatus: h.after_status,
      note: h.note,
    })),
  }
}

/** Scrub findings of a claim, when the scrub tables exist (migration 0003) and it was scrubbed. */
async function scrubFindingsOf(db: Kysely<Database>, claimId: string): Promise<ScrubFindingView[]> {
  const { rows: exists } = await sql<{
    present: boolean
  }>`select to_regclass('scrub_finding') is not null as present`.execute(db)
  if (exists[0]?.present !== true) return []
  const { rows } = await sql<{
    line_number: number | null
    rule: string
    severity: string
    message: string
    suggestion: string | null
  }>`select line_number, rule, severity, message, suggestion from scrub_finding
      where claim_id = ${claimId} order by line_number nulls first, rule`.execute(db)
  return rows.map((r) => ({
    lineNumber: r.line_number,
    rule: r.rule,
    severity: r.severity,
    message: r.message,
    suggestion: r.suggestion,
  }))
}

/**
 * Moves an item along the transition table of transforms/denials/rework-status.ts, with an audit
 * event, in one transaction (the row is locked, so two users cannot both move it from the same
 * status). A move the table does not allow throws DB_INVALID_TRANSITION.
 */
async function changeStatus(
  db: Kysely<Database>,
  id: number,
  user: string,
  action: string,
  change: StatusChange,
  details: { assignee?: string | null; note?: string | undefined } = {},
): Promise<ReworkItemView> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('rework_item')
      .select(['status', 'assignee'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (before === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${id}`)
    const move = nextStatus(before.status, change)
    if (!move.ok) throw new DbError('DB_INVALID_TRANSITION', `Rework item ${id}: ${move.reason}`)
    await trx
      .updateTable('rework_item')
      .set({
        status: move.to,
        ...(details.assignee === undefined ? {} : { assignee: details.assignee }),
        ...(details.note === undefined ? {} : { note: details.note }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actor: user,
      entity: 'rework_item',
      entityId: id,
      action,
      beforeStatus: before.status,
      afterStatus: move.to,
      note: typeof details.assignee === 'string' ? `assigned to ${details.assignee}` : (details.note ?? null),
    })
  })
  return getReworkItem(db, id)
}

/** Assigns an item to a biller (status `assigned`), with an audit event. */
export function assignReworkItem(
  db: Kysely<Database>,
  id: number,
  to: string,
  user: string,
): Promise<ReworkItemView> {
  return changeStatus(db, id, user, 'assign', 'assign', { assignee: to })
}

/** Records what was done with an item (corrected, appealed, written off, billed to the patient). */
export function resolveReworkItem(
  db: Kysely<Database>,
  id: number,
  resolution: Resolution,
  user: string,
  note?: string,
): Promise<ReworkItemView> {
  return changeStatus(db, id, user, `resolve:${resolution}`, RESOLUTIONS[resolution], { note })
}

/**
 * Puts a resolved item (corrected, appealed, written off, billed to the patient) back on the
 * worklist as `open`, unassigned, with an audit event carrying the reason. The only way back to
 * work: a written-off item is reopened before it is appealed.
 */
export async function reopenReworkItem(
  db: Kysely<Database>,
  id: number,
  user: string,
  note: string,
): Promise<ReworkItemView> {
  if (note.trim() === '')
    throw new DbError('DB_INVALID_TRANSITION', `Rework item ${id}: a reopen needs a note saying why`)
  return changeStatus(db, id, user, 'reopen', 'reopen', { assignee: null, note })
}
