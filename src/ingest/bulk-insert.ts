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

const NEEDS_ESCAPE = /["\\]/

/** One value as an element of a PostgreSQL array literal. */
function arrayElement(value: unknown, type: BulkColumn['type']): string {
  if (value === null || value === undefined) return 'NULL'
  if (type === 'int8' || type === 'int4' || type === 'float8') return String(value)
  if (type === 'bool') return value === true ? 't' : 'f'
  const text = String(value)
  return NEEDS_ESCAPE.test(text) ? `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : `"${text}"`
}

/**
 * A column of values as one PostgreSQL array literal (`{1,NULL,3}`, `{"a","b\\"c"}`). Building the
 * text here is several times cheaper than the driver's generic array serializer, and it is sent as
 * one text parameter on both pg and PGlite. The elements are joined once rather than appended one
 * by one, so no chain of intermediate strings outlives a garbage collection.
 */
export function arrayLiteral(values: readonly unknown[], type: BulkColumn['type']): string {
  const parts: string[] = new Array(values.length)
  for (let i = 0; i < values.length; i++) parts[i] = arrayElement(values[i], type)
  return `{${parts.join(',')}}`
}

/** Like {@link arrayLiteral} over column `column` of `rows`, without copying the column first. */
function columnLiteral(rows: readonly unknown[][], column: number, type: BulkColumn['type']): string {
  const parts: string[] = new Array(rows.length)
  for (let r = 0; r < rows.length; r++) parts[r] = arrayElement(rows[r]?.[column], type)
  return `{${parts.join(',')}}`
}

/**
 * The parameters of a bulk insert: one array literal per column. Built apart from
 * {@link insertLiterals} so that a caller can build the next batch's text while the previous
 * batch's statement is running on the server.
 */
export function bulkLiterals(columns: readonly BulkColumn[], rows: readonly unknown[][]): string[] {
  return columns.map((column, c) => columnLiteral(rows, c, column.type))
}

/** One table's part of {@link insertLiteralsTogether}. */
export interface BulkPart {
  table: string
  columns: readonly BulkColumn[]
  /** One array literal per column, from {@link bulkLiterals}. */
  literals: readonly string[]
}

function insertPart(part: BulkPart) {
  const params = part.columns.map((column, i) => sql`${part.literals[i] ?? '{}'}::${sql.raw(column.type)}[]`)
  const aliases = part.columns.map((_, i) => `c${i}`)
  const select = part.columns.map((column, i) =>
    column.array === true ? `string_to_array(c${i}, ',')` : `c${i}`,
  )
  return sql`insert into ${sql.table(part.table)} (${sql.join(part.columns.map((c) => sql.ref(c.name)))})
    select ${sql.raw(select.join(', '))}
    from unnest(${sql.join(params)}) as t(${sql.raw(aliases.join(', '))})`
}

/**
 * Inserts the rows that `literals` (from {@link bulkLiterals}) hold, in one statement:
 * `INSERT … SELECT … FROM unnest($1::t[], $2::t[], …)`. One parameter per column whatever the row
 * count, which is much faster than multi-row VALUES on PostgreSQL and works the same on PGlite.
 */
export async function insertLiterals(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn[],
  literals: readonly string[],
): Promise<void> {
  await insertPart({ table, columns, literals }).execute(db)
}

/**
 * Inserts into several tables in ONE statement (`WITH p1 AS (INSERT …), p2 AS (INSERT …) INSERT …`):
 * one round trip per batch, so the server never waits for the client between the tables of a
 * batch. Foreign keys between the parts hold: PostgreSQL checks them when the statement ends
 * (PostgreSQL docs, "Data-Modifying Statements in WITH"; RI triggers fire after the statement).
 */
export async function insertLiteralsTogether(
  db: Kysely<Database>,
  parts: readonly BulkPart[],
): Promise<void> {
  const last = parts.at(-1)
  if (last === undefined) return
  if (parts.length === 1) {
    await insertPart(last).execute(db)
    return
  }
  const ctes = parts.slice(0, -1).map((part, i) => sql`${sql.raw(`p${i}`)} as (${insertPart(part)})`)
  await sql`with ${sql.join(ctes)} ${insertPart(last)}`.execute(db)
}

/** Inserts many rows in one statement ({@link bulkLiterals} then {@link insertLiterals}). */
export async function bulkInsert(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return
  await insertLiterals(db, table, columns, bulkLiterals(columns, rows))
}

/** Reserves `count` ids from a bigserial's sequence so that child rows can reference them. */
export async function reserveIds(db: Kysely<Database>, sequence: string, count: number): Promise<number[]> {
  if (count === 0) return []
  const { rows } = await sql<{ id: string | number }>`select nextval(${sequence}) as id
    from generate_series(1, ${count}::int4)`.execute(db)
  return rows.map((row) => Number(row.id))
}

/** Reserves ids from two sequences in one round trip (claims and their lines). */
export async function reserveIdPairs(
  db: Kysely<Database>,
  first: { sequence: string; count: number },
  second: { sequence: string; count: number },
): Promise<[number[], number[]]> {
  const { rows } = await sql<{ a: string | null; b: string | null }>`select
    (select string_agg(nextval(${first.sequence})::text, ',') from generate_series(1, ${first.count}::int4)) as a,
    (select string_agg(nextval(${second.sequence})::text, ',') from generate_series(1, ${second.count}::int4)) as b`.execute(
    db,
  )
  const split = (text: string | null | undefined): number[] => (text ? text.split(',').map(Number) : [])
  return [split(rows[0]?.a), split(rows[0]?.b)]
}
