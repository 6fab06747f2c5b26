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
}

const STILL_OPEN = new Set(['open', 'assigned'])

function carcKey(carcs: readonly string[]): string {
  return [...carcs].sort().join(',')
}

/**
 * True when a denial is already being worked: an earlier item of the claim, still open or
 * assigned, has the same level, procedure code, queue and CARCs (in any order). A resubmission
 * denied again for the same reasons keeps its original item and deadline instead of opening a
 * second one; a worked item (corrected, appealed, written off) does not hold back a new denial.
 */
export function isAlreadyOpen(earlier: readonly EarlierItem[], item: ItemIdentity): boolean {
  if (earlier.length === 0) return false
  const carcs = carcKey(item.carcs)
  return earlier.some(
    (p) =>
      STILL_OPEN.has(p.status) &&
      p.level === item.level &&
      p.procedureCode === item.procedureCode &&
      p.queue === item.queue &&
      carcKey(p.carcs) === carcs,
  )
}
