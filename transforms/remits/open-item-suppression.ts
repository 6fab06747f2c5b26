/** What suppression compares of a rework item (an earlier one, or one about to be opened). */
export interface ItemIdentity {
  level: string
  procedureCode: string | null
  queue: string
  carcs: readonly string[]
}

/** An earlier rework item of the same claim, with its status. */
export interface EarlierItem extends ItemIdentity {
  status: string
  /**
   * The date of the remit that denied it (BPR16, else DTM*405). When given, only an item denied
   * on an earlier date holds back a new denial at once; one of the same date (or a later one,
   * stored first) is left to {@link heldBackLines}, which knows both transaction sets.
   */
  remitDate?: string | null
}

/**
 * Statuses of an earlier item that hold back the same denial: open or assigned (still being
 * worked), or paid in full or in part by a later remit. A payment does not release it: what is
 * recovered is worked out again whenever a remit of the claim is stored, so whether a payment
 * had been stored yet would otherwise decide whether a repeated denial opens a second item.
 */
export const HOLDS_BACK: ReadonlySet<string> = new Set([
  'open',
  'assigned',
  'partially_recovered',
  'recovered',
])

/** Code-unit order (the same on every machine and locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function carcKey(carcs: readonly string[]): string {
  return [...carcs].sort().join(',')
}

/**
 * True when a denial is already being worked: an earlier item of the claim (of another
 * transaction set) that holds it back ({@link HOLDS_BACK}) has the same level, procedure code,
 * queue and CARCs (in any order). A resubmission denied again for the same reasons (X12
 * 005010X221A1 CLP02, CAS group and reason codes repeated on the same SVC01 procedure) keeps its
 * original item and deadline instead of opening a second one; an item a biller resolved
 * (corrected, appealed, written off, billed to the patient) does not hold back a new denial.
 */
export function isAlreadyOpen(
  earlier: readonly EarlierItem[],
  item: ItemIdentity & { remitDate?: string | null },
): boolean {
  if (earlier.length === 0) return false
  const carcs = carcKey(item.carcs)
  return earlier.some(
    (p) =>
      HOLDS_BACK.has(p.status) &&
      (p.remitDate === undefined ||
        (p.remitDate !== null && item.remitDate != null && p.remitDate < item.remitDate)) &&
      p.level === item.level &&
      p.procedureCode === item.procedureCode &&
      p.queue === item.queue &&
      carcKey(p.carcs) === carcs,
  )
}

/** A stored denied line of a claim, as {@link heldBackLines} reads it. */
export interface StoredDeniedLine extends ItemIdentity {
  lineId: number
  itemId: number
  /** Its item's status without recovery (recovery is worked out again, `settleClaimRecovery`). */
  status: string
  /** The date of the remit that denied it (BPR16, else DTM*405). */
  remitDate: string | null
  /** The content identity of the transaction set that denied it. */
  setKey: string
  /** Its CLP's position within that set. */
  position: number
  /** A biller took the item on after a payment (reopened it, say): it is never removed. */
  kept?: boolean
}

/**
 * The stored denied lines of one claim that an earlier denial of another transaction set holds
 * back ({@link isAlreadyOpen}'s rule, applied to every stored denial at once), so that which
 * denial keeps the item does not depend on the order the remits were stored in: of the same
 * line and reasons, the oldest denial keeps its item (oldest by remit date, X12 005010X221A1
 * BPR16 else DTM*405; one date by the set's content identity and the CLP's position) and the
 * later ones of other sets are held back while it is open, assigned or paid.
 *
 * Only lines of `open` items are returned (they may be removed); a line of an item a biller has
 * taken up stays whatever comes before it. A line of an item a biller resolved neither holds
 * back nor is held back.
 */
export function heldBackLines(lines: readonly StoredDeniedLine[]): Set<number> {
  const ordered = [...lines].sort(
    (a, b) =>
      compareText(a.remitDate ?? '', b.remitDate ?? '') ||
      compareText(a.setKey, b.setKey) ||
      a.position - b.position ||
      compareText(a.queue, b.queue) ||
      a.itemId - b.itemId ||
      a.lineId - b.lineId,
  )
  const holders = new Map<string, string>()
  const held = new Set<number>()
  for (const line of ordered) {
    if (!HOLDS_BACK.has(line.status)) continue
    const identity = `${line.level}\u0000${line.procedureCode ?? ''}\u0000${line.queue}\u0000${carcKey(line.carcs)}`
    const holder = holders.get(identity)
    if (holder !== undefined && holder !== line.setKey && line.status === 'open' && line.kept !== true) {
      held.add(line.lineId)
      continue
    }
    holders.set(identity, line.setKey)
  }
  return held
}
