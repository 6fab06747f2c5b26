import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { addDays, type IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import { daysLeft } from '../../transforms/denials/deadline-calculator.js'
import type { StatusChange } from '../../transforms/denials/rework-status.js'
import { nextStatus } from '../../transforms/denials/rework-status.js'
import { recordAudit } from '../db/audit.js'
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
}

/** Filters of the worklist. */
export interface ListFilter {
  queue?: string | undefined
  status?: string | undefined
  /** Items due within N days of `asOf` (past-due included). */
  dueWithin?: number | undefined
  /** The day `daysLeft` counts from (default today, UTC). */
  asOf?: IsoDate | undefined
}

/** Statuses still on the worklist (no filter given). */
const WORKING = ['open', 'assigned']

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
  }
}

/** The worklist: deadline first (no deadline last), then the larger amount, then id. */
export async function listReworkItems(
  db: Kysely<Database>,
  filter: ListFilter = {},
): Promise<ReworkItemView[]> {
  const asOf = filter.asOf ?? today()
  let query = db.selectFrom('rework_item').selectAll()
  if (filter.queue !== undefined) query = query.where('queue', '=', filter.queue)
  query =
    filter.status !== undefined
      ? query.where('status', '=', filter.status)
      : query.where('status', 'in', WORKING)
  if (filter.dueWithin !== undefined) {
    query = query.where('deadline', 'is not', null).where('deadline', '<=', addDays(asOf, filter.dueWithin))
  }
  const rows = await query
    .orderBy(sql`deadline asc nulls last`)
    .orderBy('amount', 'desc')
    .orderBy('id')
    .execute()
  return rows.map((row) => toView(row, asOf))
}

/** One item, or DB_NOT_FOUND. */
export async function getReworkItem(
  db: Kysely<Database>,
  id: number,
  asOf: IsoDate = today(),
): Promise<ReworkItemView> {
  const row = await db.selectFrom('rework_item').selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${id}`)
  return toView(row, asOf)
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
  remit: {
    status: string
    charge: string
    paid: string
    patientResponsibility: string
    payerClaimNumber: string | null
    remitDate: string | null
    matchStatus: string
    isReversal: boolean
  }
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
  const remit = await db
    .selectFrom('remit_claim')
    .selectAll()
    .where('id', '=', Number(row.remit_claim_id))
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
    .where('rl.remit_claim_id', '=', Number(row.remit_claim_id))
    .orderBy('rl.line_seq')
    .execute()
  const seqByLine = new Map(lineRows.map((l) => [String(l.id), l.line_seq]))
  const adjustmentRows = await db
    .selectFrom('remit_adjustment')
    .selectAll()
    .where('remit_claim_id', '=', Number(row.remit_claim_id))
    .orderBy('id')
    .execute()
  const history = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('entity', '=', 'rework_item')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
  return {
    item,
    remit: {
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
