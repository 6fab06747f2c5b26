import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from './database.js'
import { DbError } from './db-error.js'

/** ISA13 is N0 9/9 (X12 005010 ISA segment): the largest number the counter may hand out. */
export const MAX_CONTROL_NUMBER = 999_999_999

/** The interchange sender and receiver (ISA06, ISA08) a counter belongs to. */
export interface ControlNumberPair {
  senderId: string
  receiverId: string
}

/**
 * Reserves `count` consecutive control numbers for `pair` and returns the first. One statement
 * (an upsert that raises the pair's `last_value` and returns it) takes the block, so concurrent
 * callers, in one process or many, on PostgreSQL or PGlite, never get the same number, and a
 * number is never handed out again. Inside a transaction that rolls back, the block is released
 * with it (nothing was written with it). Throws `DB_CONTROL_NUMBER_EXHAUSTED` past 999,999,999.
 *
 * @example
 * ```ts
 * const first = await reserveControlNumbers(db, { senderId: 'CLINIC', receiverId: 'CH' }, 3) // first, first + 1, first + 2
 * ```
 */
export async function reserveControlNumbers(
  db: Kysely<Database>,
  pair: ControlNumberPair,
  count: number,
): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_CONTROL_NUMBER)
    throw new RangeError(`Expected \`count\` to be an integer from 1 to ${MAX_CONTROL_NUMBER}, got ${count}`)
  const senderId = pair.senderId.trim()
  const receiverId = pair.receiverId.trim()
  let row: { last_value: string | number }
  try {
    row = await db
      .insertInto('control_number')
      .values({ sender_id: senderId, receiver_id: receiverId, last_value: count })
      .onConflict((oc) =>
        oc.columns(['sender_id', 'receiver_id']).doUpdateSet({
          last_value: sql<number>`control_number.last_value + ${count}`,
          updated_at: sql<Date>`now()`,
        }),
      )
      .returning('last_value')
      .executeTakeFirstOrThrow()
  } catch (cause) {
    // 23514: the table's check (last_value <= 999999999) refused the block.
    if (typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === '23514')
      throw new DbError(
        'DB_CONTROL_NUMBER_EXHAUSTED',
        `The control numbers of sender ${senderId} / receiver ${receiverId} would pass ${MAX_CONTROL_NUMBER} (ISA13 has 9 digits); use another sender or receiver id`,
        { cause },
      )
    throw cause
  }
  return Number(row.last_value) - count + 1
}

/** How many groups (GS) and transaction sets (ST) an interchange about to be written holds. */
export interface EnvelopeShape {
  groups: number
  transactions: number
}

/** The control numbers of one outbound interchange. */
export interface EnvelopeControlNumbers {
  /** ISA13 / IEA02. */
  interchangeControl: number
  /** GS06 / GE02 of the first group; the next groups take the next numbers. */
  firstGroupControl: number
  /** ST02 / SE02 of the first set; the next sets take the next numbers. */
  firstTransactionControl: number
}

/**
 * Reserves the ISA13, GS06s and ST02s of one outbound interchange (an 837, or a 999/TA1) from the
 * pair's counter, in one block: ISA13 first, then one number per group, then one per set. Every
 * number is unique for the pair and higher than any handed out before, so no two interchanges,
 * groups or sets we send share a control number.
 */
export async function reserveEnvelopeControlNumbers(
  db: Kysely<Database>,
  pair: ControlNumberPair,
  shape: EnvelopeShape,
): Promise<EnvelopeControlNumbers> {
  const first = await reserveControlNumbers(db, pair, 1 + shape.groups + shape.transactions)
  return {
    interchangeControl: first,
    firstGroupControl: first + 1,
    firstTransactionControl: first + 1 + shape.groups,
  }
}
