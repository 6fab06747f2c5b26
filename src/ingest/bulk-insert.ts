import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/database.js'

/** A column of a bulk insert: its name, its PostgreSQL element type, and `array` for text lists. */
export interface BulkColumn {
  name: string
  type: 'text' | 'int8' | 'int4' | 'float8' | 'bool' | 'jsonb'
  /** Text list passed joined with `,` and split back with string_to_array (unnest flattens 2-D arrays). */
  array?: boolean
}

/**
 * Inserts many rows in one statement: `INSERT … SELECT … FROM unnest($1::t[], $2::t[], …)`. One
 * parameter per column whatever the row count, which is much faster than multi-row VALUES on
 * PostgreSQL and works the same on PGlite.
 */
export async function bulkInsert(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return
  const params = columns.map((column, i) =>
    sql`${rows.map((row) => row[i] ?? null)}::${sql.raw(column.type)}[]`,
  )
  const aliases = columns.map((_, i) => `c${i}`)
  const select = columns.map((column, i) =>
    column.array === true ? `string_to_array(c${i}, ',')` : `c${i}`,
  )
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
    select ${sql.raw(select.join(', '))}
    from unnest(${sql.join(params)}) as t(${sql.raw(aliases.join(', '))})`.execute(db)
}

/** Reserves `count` ids from a bigserial's sequence so that child rows can reference them. */
export async function reserveIds(db: Kysely<Database>, sequence: string, count: number): Promise<number[]> {
  if (count === 0) return []
  const { rows } = await sql<{ id: string | number }>`select nextval(${sequence}) as id
    from generate_series(1, ${count}::int4)`.execute(db)
  return rows.map((row) => Number(row.id))
}
