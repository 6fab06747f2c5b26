import type { Cents } from '../../parsers/money.js'
import { netClaimPayments } from './claim-payment-netting.js'
import type { StoredDeniedLine } from './open-item-suppression.js'
import { heldBackLines } from './open-item-suppression.js'
import type { SettleItem, SettlePayment } from './recovery-allocation.js'
import { settleClaimRecovery } from './recovery-allocation.js'
import { remitClaimKey } from './remit-claim-key.js'

/** Statuses that a recovery set (as opposed to a biller's step). */
export const RECOVERY_STATUSES: readonly string[] = ['recovered', 'partially_recovered']

/** The stored envelope and header of an 835 transaction set, as {@link remitSetKey} reads them. */
export interface StoredRemitSet {
  /** `transaction_set.content_sha256` of the set (null when the database has no record of it). */
  contentSha256: string | null
  /** N1*PR payer id (loop 1000A). */
  payerId: string | null
  /** TRN02 "Check or EFT Trace Number". */
  traceNumber: string | null
  /** BPR02 "Total Actual Provider Payment Amount", cents. */
  totalPaid: Cents
  /** BPR16, else DTM*405. */
  paymentDate: string | null
  interchangeControl: string
  transactionControl: string
}

/**
 * The content identity of an 835 transaction set, which orders same-day remits in recovery and
 * tells a payment's own set from the others: the SHA-256 of its content as `transaction_set`
 * records it (sender, ST01 and the segments between ST and SE). Every set ingest stores gets that
 * record in the same transaction; a remittance without one was stored before the database kept
 * them. Its key is then made of its header's content (X12 005010X221A1 loop 1000A N1*PR, TRN02
 * "Check or EFT Trace Number", BPR02, BPR16, ISA13 and ST02): never of a database id, which
 * depends on the order files were stored in. Such keys sort after the hexadecimal digests, as
 * they did.
 */
export function remitSetKey(set: StoredRemitSet): string {
  if (set.contentSha256 !== null) return set.contentSha256
  return [
    'remittance',
    set.payerId ?? '',
    set.traceNumber ?? '',
    String(set.totalPaid),
    set.paymentDate ?? '',
    set.interchangeControl,
    set.transactionControl,
  ].join('\u001f')
}

/**
 * The content identity of the 277CA transaction set that opened a rejection item (X12 005010X214
 * Health Care Claim Acknowledgment): `~277CA` and the set's SHA-256 (`transaction_set`), so that
 * same-day rejection items of two 277CAs are ordered by content, not by the order they were
 * stored in, and after the 835 denials of that day (hexadecimal digests sort before `~`), as they
 * were. Ingest records the set in the item's transaction; without that record (none is known) the
 * key is `~277CA` alone.
 */
export function rejectionSetKey(contentSha256: string | null): string {
  return contentSha256 === null ? '~277CA' : `~277CA ${contentSha256}`
}

/** A stored line of a denial item (an 835 denial has one or more; a 277CA rejection none). */
export interface StoredRecoveryLine {
  id: number
  amount: Cents
  recoveredAmount: Cents
  level: string
  procedureCode: string | null
  carcs: readonly string[]
}

/** A stored denial item of a claim, as {@link planSettlement} reads it. */
export interface StoredRecoveryItem {
  id: number
  claimId: string
  payerId: string | null
  amount: Cents
  recoveredAmount: Cents
  recoveredDate: string | null
  /** Its stored status (a recovery's, or a biller's step). */
  status: string
  queue: string
  /** The date of the remit (or 277CA notice) that opened it. */
  remitDate: string | null
  /** The CLP that denied it; null for a 277CA rejection item. */
  remitClaimId: number | null
  /** Its transaction set's content identity ({@link remitSetKey}, {@link rejectionSetKey}). */
  setKey: string
  /** Its lines, oldest first. */
  lines: readonly StoredRecoveryLine[]
}

/** A `recovered` audit event of an item, with the status the item had before it. */
export interface RecoveredEvent {
  itemId: number
  beforeStatus: string | null
}

/** A stored CLP of a claim (remit_claim), as {@link planSettlement} reads it. */
export interface StoredPayment {
  remitClaimId: number
  /** Its transaction set: CLPs of one set are netted together ({@link netClaimPayments}). */
  remittanceId: number
  setKey: string
  claimId: string
  payerId: string | null
  /** CLP02. */
  status: string
  /** CLP04, cents. */
  paid: Cents
  remitDate: string | null
}

/** A stored `recovery_allocation` row: cents of a CLP given to an item. */
export interface StoredAllocation {
  remitClaimId: number
  itemId: number
  amount: Cents
}

/**
 * True when a biller resolved the item after a payment reached it (wrote off or billed to the
 * patient the rest of a partial payment, or reopened it): its status is the biller's while it
 * keeps recovered cents. Such an item keeps that payment and is not settled again; its cents are
 * not given to another item, and its lines are never held back.
 */
export function keptByBiller(item: Pick<StoredRecoveryItem, 'status' | 'recoveredAmount'>): boolean {
  return !RECOVERY_STATUSES.includes(item.status) && item.recoveredAmount > 0
}

/**
 * The status each item had before any payment reached it, for the items a recovery set: the
 * status before the last `recovered` event that moved it from an unpaid status (`events` in the
 * order they were recorded; audit events are append-only), else `open`. Other items keep theirs.
 */
export function statusesBeforeRecovery(
  items: readonly Pick<StoredRecoveryItem, 'id' | 'status'>[],
  events: readonly RecoveredEvent[],
): Map<number, string> {
  const before = new Map<number, string>()
  for (const event of events)
    if (event.beforeStatus !== null && !RECOVERY_STATUSES.includes(event.beforeStatus))
      before.set(event.itemId, event.beforeStatus)
  const out = new Map<number, string>()
  for (const item of items)
    out.set(item.id, RECOVERY_STATUSES.includes(item.status) ? (before.get(item.id) ?? 'open') : item.status)
  return out
}

/** Its CLP's position within its set: the remit claim (ids follow the file within a set), else the item. */
function positionOf(item: StoredRecoveryItem): number {
  return item.remitClaimId ?? item.id
}

/**
 * The denied lines of `items` (one or more claims) that an older denial of the same line and
 * reasons holds back ({@link heldBackLines}, per claim and payer), judged on each item's status
 * before recovery.
 */
export function linesToHoldBack(
  items: readonly StoredRecoveryItem[],
  events: readonly RecoveredEvent[],
): Set<number> {
  const status = statusesBeforeRecovery(items, events)
  const byKey = new Map<string, StoredDeniedLine[]>()
  for (const item of items)
    for (const line of item.lines)
      pushTo(byKey, remitClaimKey(item.claimId, item.payerId), {
        lineId: line.id,
        itemId: item.id,
        status: status.get(item.id) ?? item.status,
        kept: keptByBiller(item),
        remitDate: item.remitDate,
        setKey: item.setKey,
        position: positionOf(item),
        level: line.level,
        procedureCode: line.procedureCode,
        queue: item.queue,
        carcs: line.carcs,
      })
  const held = new Set<number>()
  for (const lines of byKey.values()) for (const id of heldBackLines(lines)) held.add(id)
  return held
}

/** An item whose recovery changes. */
export interface SettlementChange {
  itemId: number
  before: string
  after: string
  recovered: Cents
  date: string | null
  allocations: { remitClaimId: number; amount: Cents }[]
  /** Nothing pays it any more (`recovery_withdrawn`). */
  withdrawn: boolean
}

/** What {@link planSettlement} changes, and its counts. */
export interface SettlementPlan {
  changes: SettlementChange[]
  lines: { lineId: number; recovered: Cents }[]
  /** Items newly paid. */
  recovered: number
  /** Cents recovered now less cents recovered before. */
  recoveredAmount: Cents
}

/**
 * Works out again what every stored payment of the claims recovers of their denial items
 * ({@link settleClaimRecovery} per claim and payer) and returns what differs from what is stored:
 *
 * - an item a biller resolved after a payment reached it ({@link keptByBiller}) keeps its
 *   allocations, and the payments it holds are reduced by those cents;
 * - the others are settled from their status before recovery ({@link statusesBeforeRecovery});
 * - payments are each set's CLP04 netted per claim (X12 005010X221A1 CLP02 22 reversals with
 *   their corrections, split parts summed: {@link netClaimPayments}).
 *
 * An item is changed when its status, cents, date (when paid), allocations or a line's cents
 * differ from what is stored.
 */
export function planSettlement(
  items: readonly StoredRecoveryItem[],
  events: readonly RecoveredEvent[],
  payments: readonly StoredPayment[],
  allocations: readonly StoredAllocation[],
): SettlementPlan {
  const plan: SettlementPlan = { changes: [], lines: [], recovered: 0, recoveredAmount: 0 }
  const status = statusesBeforeRecovery(items, events)
  const byId = new Map(items.map((item) => [item.id, item]))
  const kept = new Set(items.filter(keptByBiller).map((item) => item.id))
  const itemsByKey = new Map<string, SettleItem[]>()
  for (const item of items) {
    if (kept.has(item.id)) continue
    pushTo(itemsByKey, remitClaimKey(item.claimId, item.payerId), {
      id: item.id,
      amount: item.amount,
      recoveredAmount: 0,
      status: status.get(item.id) ?? item.status,
      remitDate: item.remitDate,
      setKey: item.setKey,
      position: positionOf(item),
      queue: item.queue,
      lines: item.lines.map((line) => ({ id: line.id, amount: line.amount, recoveredAmount: 0 })),
    })
  }
  const keptCents = new Map<number, Cents>()
  const allocationsOf = new Map<number, { remitClaimId: number; amount: Cents }[]>()
  for (const row of allocations) {
    if (kept.has(row.itemId))
      keptCents.set(row.remitClaimId, (keptCents.get(row.remitClaimId) ?? 0) + row.amount)
    else pushTo(allocationsOf, row.itemId, { remitClaimId: row.remitClaimId, amount: row.amount })
  }

  const bySet = new Map<number, StoredPayment[]>()
  for (const payment of payments) pushTo(bySet, payment.remittanceId, payment)
  const paymentsByKey = new Map<string, SettlePayment[]>()
  for (const set of bySet.values()) {
    const netted = netClaimPayments(
      set.map((p) => ({ claimId: p.claimId, payerId: p.payerId, status: p.status, paid: p.paid })),
      new Map(),
    )
    for (const payment of netted.payments) {
      const clp = set[payment.index]
      if (clp === undefined) continue
      pushTo(paymentsByKey, payment.key, {
        remitClaimId: clp.remitClaimId,
        remitDate: clp.remitDate,
        setKey: clp.setKey,
        position: clp.remitClaimId,
        paid: payment.paid - (keptCents.get(clp.remitClaimId) ?? 0),
      })
    }
  }

  for (const [key, settleItems] of itemsByKey) {
    for (const settled of settleClaimRecovery(settleItems, paymentsByKey.get(key) ?? [])) {
      const was = byId.get(settled.itemId)
      if (was === undefined) continue
      const wasLines = new Map(was.lines.map((line) => [line.id, line.recoveredAmount]))
      const oldAllocations = allocationsOf.get(settled.itemId) ?? []
      const same =
        was.status === settled.status &&
        was.recoveredAmount === settled.recoveredAmount &&
        (settled.recoveredAmount === 0 || was.recoveredDate === settled.recoveredDate) &&
        JSON.stringify(oldAllocations) === JSON.stringify(settled.allocations) &&
        settled.lines.every((l) => (wasLines.get(l.lineId) ?? 0) === l.recoveredAmount)
      if (same) continue
      plan.changes.push({
        itemId: settled.itemId,
        before: was.status,
        after: settled.status,
        recovered: settled.recoveredAmount,
        date: settled.recoveredDate,
        allocations: settled.allocations,
        withdrawn: settled.allocations.length === 0,
      })
      for (const line of settled.lines)
        if ((wasLines.get(line.lineId) ?? 0) !== line.recoveredAmount)
          plan.lines.push({ lineId: line.lineId, recovered: line.recoveredAmount })
      if (was.recoveredAmount === 0 && settled.recoveredAmount > 0) plan.recovered++
      plan.recoveredAmount += settled.recoveredAmount - was.recoveredAmount
    }
  }
  return plan
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
