import type { Ack999 } from '../../parsers/acknowledgment/ack999.js'
import { isRejectedCode } from '../../parsers/acknowledgment/ack999.js'

/** What a received 999 says of one 837 set we sent. */
export interface SetOutcome999 {
  transactionControl: string
  outcome: 'accepted' | 'rejected'
  /** IK501 (or AK901 for a rejected group), then the IK5/AK9 error codes. */
  codes: string[]
}

/** What a received 999 says of the 837 group it answers (AK1). */
export interface GroupOutcome999 {
  /** AK102: the GS06 of our 837 group. */
  groupControl: string
  /** The sets it lists (AK2), each with its IK5 outcome. */
  sets: SetOutcome999[]
  /** The outcome of the group's sets it does not list: rejected when AK901 rejects the group. */
  unlisted: SetOutcome999['outcome']
  unlistedCodes: string[]
}

/**
 * Reads the outcome of each set of a 999 (005010X231A1): AK901 `R` (or `M`, `W`, `X`) rejects
 * every set of the group whatever its IK5; otherwise IK501 `A`/`E` accepts a set and `R`
 * rejects it, and sets the 999 does not list share the group's acceptance.
 */
export function ack999Outcomes(ack: Ack999): GroupOutcome999 {
  const groupRejected = isRejectedCode(ack.status)
  const groupCodes = [ack.status, ...ack.errors]
  return {
    groupControl: ack.groupControl,
    sets: ack.sets.map((set) => {
      const rejected = groupRejected || isRejectedCode(set.status) || set.status === ''
      return {
        transactionControl: set.transactionControl,
        outcome: rejected ? 'rejected' : 'accepted',
        codes: groupRejected && !isRejectedCode(set.status) ? groupCodes : [set.status, ...set.errors],
      }
    }),
    unlisted: groupRejected ? 'rejected' : 'accepted',
    unlistedCodes: groupCodes,
  }
}

/** ST02 as numbers compare: `2` and `0002` are one control number (X12 ST02 is AN, often zero-padded). */
export function sameTransactionControl(a: string, b: string): boolean {
  const x = a.trim()
  const y = b.trim()
  if (x === y) return true
  return /^\d+$/.test(x) && /^\d+$/.test(y) && Number(x) === Number(y)
}
