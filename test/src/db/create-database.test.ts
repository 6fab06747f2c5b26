import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { migrateToLatest } from '../../../src/db/create-database.js'
import { describeEachDatabase } from '../../support/databases.js'

describeEachDatabase('openDatabase', (ctx) => {
  it('applies every migration once and answers queries', async () => {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(ctx.handle.db)
    expect(rows[0]?.one).toBe(1)
    // A second run has nothing left to apply.
    expect(await migrateToLatest(ctx.handle.db, undefined)).toEqual([])
  })
})
