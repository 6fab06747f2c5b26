import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from './database.js'

/**
 * PostgreSQL plans each query from table statistics that autovacuum refreshes in the background
 * (PostgreSQL 15 documentation, 25.1.3 "Updating Planner Statistics"). PGlite runs no autovacuum,
 * and on a server a table that grew inside a few long transactions can still have none. Without
 * them the planner guesses, and `DELETE FROM scrub_finding WHERE claim_id IN (...)` scanned the
 * whole table for every 500 claims: a batch service slowed file after file (4 s a file at first,
 * 18 s at 650k claims). A long-running process therefore refreshes the statistics of its own
 * tables itself after every `every` claims it wrote.
 */
const written = new WeakMap<object, number>()

/** Counts claims written through `db`; at `every` (default 20,000) it analyzes the tables of its schema. */
export async function noteClaimsWritten(
  db: Kysely<Database>,
  claims: number,
  every = 20_000,
): Promise<boolean> {
  // A file with no claims still wrote its rows (results, acknowledgments).
  const total = (written.get(db) ?? 0) + Math.max(claims, 1)
  if (total < every) {
    written.set(db, total)
    return false
  }
  written.set(db, 0)
  await analyzeOwnTables(db)
  return true
}

/** ANALYZE of the tables in the current schema (not other schemas that share the server). */
export async function analyzeOwnTables(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_catalog.pg_tables where schemaname = current_schema()`.execute(db)
  if (rows.length === 0) return
  await sql`analyze ${sql.join(rows.map((r) => sql.id(r.name)))}`.execute(db)
}
