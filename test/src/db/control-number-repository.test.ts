import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  reserveControlNumbers,
  reserveEnvelopeControlNumbers,
} from '../../../src/db/control-number-repository.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { DbError } from '../../../src/db/db-error.js'
import { describeEachDatabase, engines } from '../../support/databases.js'

const pair = { senderId: 'CLINIC01', receiverId: 'CLEARHOUSE' }

describeEachDatabase('control-number repository', (ctx) => {
  it('hands out consecutive blocks per sender/receiver pair, starting at 1', async () => {
    const db = ctx.handle.db
    expect(await reserveControlNumbers(db, pair, 1)).toBe(1)
    expect(await reserveControlNumbers(db, pair, 5)).toBe(2)
    expect(await reserveControlNumbers(db, pair, 1)).toBe(7)
    // Another pair has its own counter; ids are compared trimmed (ISA06 is space-padded).
    expect(await reserveControlNumbers(db, { senderId: 'CLINIC01', receiverId: 'OTHER' }, 2)).toBe(1)
    expect(await reserveControlNumbers(db, { senderId: 'CLINIC01 ', receiverId: ' CLEARHOUSE' }, 1)).toBe(8)
  })

  it('gives ISA13, then one number per group, then one per set, from one block', async () => {
    const db = ctx.handle.db
    const p = { senderId: 'ENV', receiverId: 'SHAPE' }
    expect(await reserveEnvelopeControlNumbers(db, p, { groups: 2, transactions: 3 })).toEqual({
      interchangeControl: 1,
      firstGroupControl: 2,
      firstTransactionControl: 4,
    })
    // A TA1 has no group and no set: one number.
    expect(await reserveEnvelopeControlNumbers(db, p, { groups: 0, transactions: 0 })).toEqual({
      interchangeControl: 7,
      firstGroupControl: 8,
      firstTransactionControl: 8,
    })
  })

  it('never hands out a number twice under parallel reservations', async () => {
    const db = ctx.handle.db
    const p = { senderId: 'PAR', receiverId: 'ALLEL' }
    const sizes = Array.from({ length: 60 }, (_, i) => 1 + (i % 4))
    const firsts = await Promise.all(sizes.map((n) => reserveControlNumbers(db, p, n)))
    const numbers = firsts.flatMap((first, i) => Array.from({ length: sizes[i] ?? 0 }, (_, k) => first + k))
    const total = sizes.reduce((a, b) => a + b, 0)
    expect(new Set(numbers).size).toBe(total)
    expect(Math.min(...numbers)).toBe(1)
    expect(Math.max(...numbers)).toBe(total)
  })

  it('refuses to pass 999999999 with DB_CONTROL_NUMBER_EXHAUSTED and keeps the counter', async () => {
    const db = ctx.handle.db
    const p = { senderId: 'FULL', receiverId: 'UP' }
    await reserveControlNumbers(db, p, 1)
    await db
      .updateTable('control_number')
      .set({ last_value: 999_999_997 })
      .where('sender_id', '=', 'FULL')
      .execute()
    const error = await reserveControlNumbers(db, p, 3).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DbError)
    expect(error).toMatchObject({ code: 'DB_CONTROL_NUMBER_EXHAUSTED' })
    expect(await reserveControlNumbers(db, p, 2)).toBe(999_999_998)
    await expect(reserveControlNumbers(db, p, 0)).rejects.toThrow(RangeError)
  })
})

// Two connections pools on one PostgreSQL schema: as two onco-edi processes would reserve.
const postgres = engines.find((e) => e.name === 'postgres')
if (postgres === undefined)
  describe('control numbers across two PostgreSQL pools', () => {
    it('cannot run: DATABASE_URL is not set (PGlite ran the parallel test above)', () => {
      console.log('control numbers across two PostgreSQL pools: not run, DATABASE_URL is not set')
      expect(postgres).toBeUndefined()
    })
  })
else
  describe('control numbers across two PostgreSQL pools', () => {
    const schema = `t_${randomBytes(6).toString('hex')}`
    let a: DatabaseHandle | undefined
    let b: DatabaseHandle | undefined
    beforeAll(async () => {
      a = await openDatabase({ databaseUrl: postgres.url, schema, poolSize: 8 })
      b = await openDatabase({ databaseUrl: postgres.url, schema, poolSize: 8, migrate: false })
    })
    afterAll(async () => {
      await a?.close()
      await b?.close()
      const { default: pg } = await import('pg')
      const client = new pg.Client({ connectionString: postgres.url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    })

    it('gives every reservation its own block, also for a pair that does not exist yet', async () => {
      if (a === undefined || b === undefined) throw new Error('databases not open')
      const handles = [a.db, b.db]
      const first = a.db
      const p = { senderId: 'RACE', receiverId: 'NEWPAIR' }
      // The first statements race to insert the pair's row: the upsert must serialize them.
      const firsts = await Promise.all(
        Array.from({ length: 200 }, (_, i) => reserveControlNumbers(handles[i % 2] ?? first, p, 2)),
      )
      const numbers = firsts.flatMap((first) => [first, first + 1])
      expect(new Set(numbers).size).toBe(400)
      expect(Math.max(...numbers)).toBe(400)
    })
  })
