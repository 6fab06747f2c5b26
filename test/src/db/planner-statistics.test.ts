import { sql } from 'kysely'
import { expect, it } from 'vitest'
import {
  analyzeOwnTables,
  analyzeWhereUnplanned,
  noteClaimsWritten,
} from '../../../src/db/planner-statistics.js'
import { describeEachDatabase } from '../../support/databases.js'

describeEachDatabase('planner statistics', (ctx) => {
  const statsOf = async (table: string): Promise<number> => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_catalog.pg_stats
      where schemaname = current_schema() and tablename = ${table}`.execute(ctx.handle.db)
    return rows[0]?.n ?? -1
  }

  it('are refreshed after every so many claims written, for the tables of its own schema', async () => {
    await sql`create table planner_probe (id int primary key, claim_id text)`.execute(ctx.handle.db)
    await sql`insert into planner_probe select g, 'C' || g from generate_series(1, 2000) g`.execute(
      ctx.handle.db,
    )
    expect(await statsOf('planner_probe')).toBe(0)
    // Below the threshold: nothing analyzed yet.
    expect(await noteClaimsWritten(ctx.handle.db, 600, 1000)).toBe(false)
    expect(await statsOf('planner_probe')).toBe(0)
    // At it: the schema's tables get statistics, and the count starts again.
    expect(await noteClaimsWritten(ctx.handle.db, 600, 1000)).toBe(true)
    expect(await statsOf('planner_probe')).toBeGreaterThan(0)
    expect(await noteClaimsWritten(ctx.handle.db, 600, 1000)).toBe(false)
  })

  it('of looked-up columns are computed for those columns only (the others cost most of the ANALYZE)', async () => {
    await sql`create table lookup_probe (id int primary key, claim_id text, guidance text, flags text[])`.execute(
      ctx.handle.db,
    )
    await sql`insert into lookup_probe select g, 'C' || g, repeat('x', 200), array['a', 'b'] from generate_series(1, 2000) g`.execute(
      ctx.handle.db,
    )
    const lookups = [{ table: 'lookup_probe', column: 'claim_id' }] as unknown as Parameters<
      typeof analyzeWhereUnplanned
    >[1]
    expect(await analyzeWhereUnplanned(ctx.handle.db, lookups)).toEqual(['lookup_probe'])
    const { rows } = await sql<{ attname: string }>`
      select attname from pg_catalog.pg_stats
      where schemaname = current_schema() and tablename = 'lookup_probe'`.execute(ctx.handle.db)
    expect(rows.map((r) => r.attname)).toEqual(['claim_id'])
    // Planned now: not analyzed again.
    expect(await analyzeWhereUnplanned(ctx.handle.db, lookups)).toEqual([])
  })

  it('are not taken of a looked-up table with no row to see: the planner keeps estimating it from its size', async () => {
    // Recorded as empty, a table another transaction is filling was planned as a one-row table
    // (the 835's foreign key checks then read a whole index per row).
    await sql`create table unseen_probe (id int primary key, claim_id text)`.execute(ctx.handle.db)
    const lookups = [{ table: 'unseen_probe', column: 'claim_id' }] as unknown as Parameters<
      typeof analyzeWhereUnplanned
    >[1]
    const reltuples = async (): Promise<number> => {
      const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_catalog.pg_class
        where oid = 'unseen_probe'::regclass`.execute(ctx.handle.db)
      return Number(rows[0]?.n)
    }
    expect(await analyzeWhereUnplanned(ctx.handle.db, lookups)).toEqual([])
    expect(await reltuples()).toBe(-1)
    await sql`insert into unseen_probe values (1, 'C1')`.execute(ctx.handle.db)
    expect(await analyzeWhereUnplanned(ctx.handle.db, lookups)).toEqual(['unseen_probe'])
    expect(await reltuples()).toBe(1)
  })

  it('analyze only the current schema and do not fail on an empty one', async () => {
    await expect(analyzeOwnTables(ctx.handle.db)).resolves.toBeUndefined()
  })
})
