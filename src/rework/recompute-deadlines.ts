import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { rejectionDeadline } from '../../transforms/acknowledgments/front-end-rejection.js'
import { ACTION_CLOCKS } from '../../transforms/denials/deadline-calculator.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type {
  DenialClassification,
  PayerProfile,
  ReworkAction,
  ReworkQueue,
} from '../../transforms/denials/denial-types.js'
import { REWORK_QUEUES } from '../../transforms/denials/denial-types.js'
import { arrayLiteral } from '../db/bulk-insert.js'
import type { Database } from '../db/database.js'

/** The items to recompute (open and assigned ones only): every one, those of some payers, or given ones. */
export type RecomputeScope = 'all' | { payerIds: readonly string[] } | { itemIds: readonly number[] }

/** What {@link recomputeDeadlines} looked at and changed. */
export interface RecomputeResult {
  /** Open and assigned items in the scope. */
  items: number
  /** Items whose deadline, basis, confidence or appealability changed. */
  changed: number
}

/** Statuses whose deadline still matters: the worklist's. */
const WORKING = ['open', 'assigned']

function isReworkAction(value: string): value is ReworkAction {
  return Object.hasOwn(ACTION_CLOCKS, value)
}

function toQueue(value: string): ReworkQueue {
  return REWORK_QUEUES.find((q) => q === value) ?? 'other'
}

/**
 * Computes again the deadlines of the open and assigned rework items in `scope`, line by line, from
 * the payer `profiles` (those now stored) and the deadline table, with the inputs ingest used: the
 * line's action, CARCs and DOS, the remit date, the claim's filing indicator, and the submitted
 * claim's kind and Through date. The item's deadline is its lines' earliest.
 *
 * Why: a payer's timely-filing, corrected-claim and appeal days are numbers a user corrects in the
 * payer table (42 CFR 424.44, 405.942; contract limits) and in fixtures/denials/deadline-rules.csv, and a remit read before
 * its 837 was classified without the submitted claim (institutional or not, its dates). Items opened before either kept the old deadline, and
 * the worklist is ordered by deadline. Items already worked (corrected, appealed, written off,
 * billed to the patient, recovered) keep theirs: it is the one they were worked against.
 *
 * Each changed item gets an audit event (`deadline_recomputed`, with the old and new deadline). The
 * `low_confidence` flag follows the new deadline, and `not_appealable` is added when it becomes
 * unappealable (a CARC rule may have set it, so it is never removed here).
 */
export async function recomputeDeadlines(
  db: Kysely<Database>,
  engine: DenialEngine,
  profiles: ReadonlyMap<string, PayerProfile>,
  scope: RecomputeScope,
  actor: string,
): Promise<RecomputeResult> {
  const result: RecomputeResult = { items: 0, changed: 0 }
  let inScope = sql<boolean>`true`
  if (scope !== 'all') {
    if (('payerIds' in scope ? scope.payerIds : scope.itemIds).length === 0) return result
    inScope =
      'payerIds' in scope
        ? sql<boolean>`ri.payer_id = any(${arrayLiteral(scope.payerIds, 'text')}::text[])`
        : sql<boolean>`ri.id = any(${arrayLiteral(scope.itemIds, 'int8')}::int8[])`
  }
  const rows = await db
    .selectFrom('rework_item_line as ril')
    .innerJoin('rework_item as ri', 'ri.id', 'ril.rework_item_id')
    .innerJoin('remit_claim as rc', 'rc.id', 'ri.remit_claim_id')
    .leftJoin('submitted_claim as sc', 'sc.id', 'ri.submitted_claim_id')
    .select([
      'ri.id',
      'ri.payer_id',
      'ri.queue',
      'ri.remit_date',
      'ri.deadline as item_deadline',
      'ri.deadline_basis as item_deadline_basis',
      'ri.low_confidence as item_low_confidence',
      'ri.appealable as item_appealable',
      'ri.flags as item_flags',
      'ril.id as line_id',
      'ril.action',
      'ril.carcs',
      'ril.rarcs',
      'ril.amount',
      'ril.service_date',
      'ril.deadline',
      'ril.deadline_basis',
      'ril.low_confidence',
      'ril.appealable',
      'ril.flags',
      'ril.guidance',
      'rc.filing_indicator as remit_filing_indicator',
      'rc.statement_to',
      'sc.kind',
      'sc.filing_indicator as submitted_filing_indicator',
      'sc.service_to',
    ])
    .where(inScope)
    .where('ri.status', 'in', WORKING)
    .orderBy('ri.id')
    .orderBy('ril.id')
    .execute()

  /** Each line's deadline as it is now, and the item it belongs to. */
  interface LineDeadline {
    lineId: number
    deadline: string | null
    basis: string
    lowConfidence: boolean
    appealable: boolean
    flags: string[]
    changed: boolean
  }
  const byItem = new Map<number, { row: (typeof rows)[number]; lines: LineDeadline[] }>()
  for (const row of rows) {
    const id = Number(row.id)
    let entry = byItem.get(id)
    if (entry === undefined) {
      entry = { row, lines: [] }
      byItem.set(id, entry)
    }
    const keep: LineDeadline = {
      lineId: Number(row.line_id),
      deadline: row.deadline,
      basis: row.deadline_basis,
      lowConfidence: row.low_confidence,
      appealable: row.appealable,
      flags: row.flags,
      changed: false,
    }
    entry.lines.push(keep)
    if (!isReworkAction(row.action)) continue
    const profile = row.payer_id === null ? undefined : profiles.get(row.payer_id)
    const claimType = row.kind === '837I' ? 'institutional' : 'professional'
    const classification: DenialClassification = {
      queue: toQueue(row.queue),
      action: row.action,
      carcs: row.carcs,
      rarcs: row.rarcs,
      amount: Number(row.amount),
      flags: [],
      guidance: row.guidance,
    }
    const deadline = engine.deadline({
      classification,
      payerClass: engine.payerClass(
        profile,
        row.remit_filing_indicator ?? row.submitted_filing_indicator ?? undefined,
      ),
      profile,
      serviceDate: row.service_date ?? undefined,
      throughDate:
        claimType === 'institutional' ? (row.statement_to ?? row.service_to ?? undefined) : undefined,
      remitDate: row.remit_date ?? undefined,
      claimType,
    })
    const next = deadline.deadline ?? null
    if (
      next === row.deadline &&
      deadline.basis === row.deadline_basis &&
      deadline.lowConfidence === row.low_confidence &&
      deadline.appealable === row.appealable
    )
      continue
    const lineFlags = row.flags.filter((f) => f !== 'low_confidence')
    if (deadline.lowConfidence) lineFlags.push('low_confidence')
    if (!deadline.appealable && !lineFlags.includes('not_appealable')) lineFlags.push('not_appealable')
    keep.deadline = next
    keep.basis = deadline.basis
    keep.lowConfidence = deadline.lowConfidence
    keep.appealable = deadline.appealable
    keep.flags = lineFlags
    keep.changed = true
  }
  result.items = byItem.size

  const lineIds: number[] = []
  const lineDeadlines: (string | null)[] = []
  const lineBases: string[] = []
  const lineLow: boolean[] = []
  const lineAppealable: boolean[] = []
  const lineFlags: string[] = []
  const ids: number[] = []
  const deadlines: (string | null)[] = []
  const bases: string[] = []
  const lowConfidence: boolean[] = []
  const appealable: boolean[] = []
  const flags: string[] = []
  const notes: string[] = []
  for (const [id, { row, lines }] of byItem) {
    for (const line of lines) {
      if (!line.changed) continue
      lineIds.push(line.lineId)
      lineDeadlines.push(line.deadline)
      lineBases.push(line.basis)
      lineLow.push(line.lowConfidence)
      lineAppealable.push(line.appealable)
      lineFlags.push(line.flags.join(','))
    }
    // The item's clock is its earliest line's (a line without a deadline never wins).
    let first = lines[0]
    for (const line of lines)
      if (line.deadline !== null && (first?.deadline == null || line.deadline < first.deadline)) first = line
    if (first === undefined) continue
    if (
      first.deadline === row.item_deadline &&
      first.basis === row.item_deadline_basis &&
      first.lowConfidence === row.item_low_confidence &&
      first.appealable === row.item_appealable
    )
      continue
    const itemFlags = row.item_flags.filter((f) => f !== 'low_confidence')
    if (first.lowConfidence) itemFlags.push('low_confidence')
    if (!first.appealable && !itemFlags.includes('not_appealable')) itemFlags.push('not_appealable')
    ids.push(id)
    deadlines.push(first.deadline)
    bases.push(first.basis)
    lowConfidence.push(first.lowConfidence)
    appealable.push(first.appealable)
    // One text per item for the unnest below: the flags joined, split again in SQL.
    flags.push(itemFlags.join(','))
    notes.push(`deadline ${row.item_deadline ?? 'none'} -> ${first.deadline ?? 'none'}: ${first.basis}`)
  }
  // Front-end rejections (queue `rejection`, from a 277CA) have no remit and no lines: their only
  // clock is timely filing from the date of service (transforms/acknowledgments/front-end-rejection.ts).
  const rejections = await db
    .selectFrom('rework_item as ri')
    .leftJoin('submitted_claim as sc', 'sc.id', 'ri.submitted_claim_id')
    .select([
      'ri.id',
      'ri.payer_id',
      'ri.service_date',
      'ri.remit_date',
      'ri.deadline',
      'ri.deadline_basis',
      'ri.low_confidence',
      'ri.appealable',
      'ri.flags',
      'ri.amount',
      'ri.guidance',
      'sc.kind',
      'sc.filing_indicator',
      'sc.service_to',
    ])
    .where(inScope)
    .where('ri.status', 'in', WORKING)
    .where('ri.queue', '=', 'rejection')
    .where('ri.remit_claim_id', 'is', null)
    .orderBy('ri.id')
    .execute()
  result.items += rejections.length
  for (const row of rejections) {
    const profile = row.payer_id === null ? undefined : profiles.get(row.payer_id)
    const deadline = rejectionDeadline(engine, {
      amount: Number(row.amount),
      guidance: row.guidance,
      profile,
      filingIndicator: row.filing_indicator ?? undefined,
      kind: row.kind ?? undefined,
      serviceDate: row.service_date ?? undefined,
      serviceTo: row.service_to ?? undefined,
      noticeDate: row.remit_date ?? undefined,
    })
    const next = deadline.deadline ?? null
    if (
      next === row.deadline &&
      deadline.basis === row.deadline_basis &&
      deadline.lowConfidence === row.low_confidence
    )
      continue
    const itemFlags = row.flags.filter((f) => f !== 'low_confidence')
    if (deadline.lowConfidence) itemFlags.push('low_confidence')
    ids.push(Number(row.id))
    deadlines.push(next)
    bases.push(deadline.basis)
    lowConfidence.push(deadline.lowConfidence)
    // A rejection has no determination to appeal: it stays unappealable.
    appealable.push(row.appealable)
    flags.push(itemFlags.join(','))
    notes.push(`deadline ${row.deadline ?? 'none'} -> ${next ?? 'none'}: ${deadline.basis}`)
  }
  if (lineIds.length > 0) {
    const lineChanges = sql`unnest(
        ${arrayLiteral(lineIds, 'int8')}::int8[],
        ${arrayLiteral(lineDeadlines, 'text')}::text[],
        ${arrayLiteral(lineBases, 'text')}::text[],
        ${arrayLiteral(lineLow, 'bool')}::bool[],
        ${arrayLiteral(lineAppealable, 'bool')}::bool[],
        ${arrayLiteral(lineFlags, 'text')}::text[]
      ) as change(id, deadline, basis, low_confidence, appealable, flags)`
    await sql`update rework_item_line set
        deadline = change.deadline,
        deadline_basis = change.basis,
        low_confidence = change.low_confidence,
        appealable = change.appealable,
        flags = case when change.flags = '' then '{}'::text[] else string_to_array(change.flags, ',') end
      from ${lineChanges} where rework_item_line.id = change.id`.execute(db)
  }
  if (ids.length === 0) return result

  const changes = sql`unnest(
      ${arrayLiteral(ids, 'int8')}::int8[],
      ${arrayLiteral(deadlines, 'text')}::text[],
      ${arrayLiteral(bases, 'text')}::text[],
      ${arrayLiteral(lowConfidence, 'bool')}::bool[],
      ${arrayLiteral(appealable, 'bool')}::bool[],
      ${arrayLiteral(flags, 'text')}::text[],
      ${arrayLiteral(notes, 'text')}::text[]
    ) as change(id, deadline, basis, low_confidence, appealable, flags, note)`
  await sql`update rework_item set
      deadline = change.deadline,
      deadline_basis = change.basis,
      low_confidence = change.low_confidence,
      appealable = change.appealable,
      flags = case when change.flags = '' then '{}'::text[] else string_to_array(change.flags, ',') end,
      updated_at = now()
    from ${changes} where rework_item.id = change.id`.execute(db)
  await sql`insert into audit_event (actor, entity, entity_id, action, note)
    select ${actor}, 'rework_item', change.id::text, 'deadline_recomputed', change.note
    from ${changes} order by change.id`.execute(db)
  result.changed = ids.length
  return result
}
