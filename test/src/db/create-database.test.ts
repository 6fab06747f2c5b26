import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { migrateToLatest } from '../../../src/db/create-database.js'
import { migrations } from '../../../src/db/migrations/index.js'
import { describeEachDatabase } from '../../support/databases.js'

describeEachDatabase('openDatabase', (ctx) => {
  it('applies every migration once and answers queries', async () => {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(ctx.handle.db)
    expect(rows[0]?.one).toBe(1)
    // A second run has nothing left to apply.
    expect(await migrateToLatest(ctx.handle.db, undefined)).toEqual([])
  })

  it('records every migration by name (on PGlite: the test template was made by all of them)', async () => {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      ctx.handle.db,
    )
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort())
  })
})
