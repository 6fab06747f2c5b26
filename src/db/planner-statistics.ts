import type { Kysely, RawBuilder } from 'kysely'
import { sql } from 'kysely'
import type { Database } from './database.js'
import { sqlStateOf } from './db-error.js'

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

/**
 * The longest an ANALYZE waits for its table lock: past `deadlock_timeout` (1 s by default), when
 * a waiting backend has an autovacuum that blocks it cancelled (PostgreSQL 15 docs, 25.1.6 "The
 * Autovacuum Daemon": autovacuum "will be canceled" if it blocks another process's lock request).
 */
const ANALYZE_LOCK_TIMEOUT = '2s'

/**
 * ANALYZE of `targets`, waiting at most {@link ANALYZE_LOCK_TIMEOUT} for their locks. ANALYZE
 * takes SHARE UPDATE EXCLUSIVE on each table, which conflicts with itself, and inside a
 * transaction keeps it until that transaction ends (PostgreSQL 15 docs, 13.3.1 "Table-Level
 * Locks"): a worker whose file transaction analyzed rework_item (the recovery's reads) held it
 * until that file committed, and every other worker's ANALYZE of the table (its 835 reader, its
 * own recovery, the batch service's refresh) waited for the whole file. Statistics only help the
 * planner, so on a lock timeout (55P03) the ANALYZE is undone to its savepoint and the caller goes
 * on without it (the worker holding the lock has just refreshed them). Not `SKIP_LOCKED`: that
 * skips a table an autovacuum is analyzing at that moment, and the file transaction's own
 * uncommitted rows, which an autovacuum cannot see, would then go unplanned. The lock timeout is
 * set for the savepoint only and put back after. Outside a transaction it runs in one of its own.
 * On PGlite (one connection, nothing else holds a lock) it never times out. Returns false when it
 * timed out.
 */
async function analyzeBounded(db: Kysely<Database>, targets: RawBuilder<unknown>): Promise<boolean> {
  if (!db.isTransaction) return db.transaction().execute((trx) => analyzeBounded(trx, targets))
  await sql`savepoint planner_statistics`.execute(db)
  try {
    const { rows } = await sql<{ before: string }>`select current_setting('lock_timeout') as before,
      set_config('lock_timeout', ${ANALYZE_LOCK_TIMEOUT}, true)`.execute(db)
    await sql`analyze ${targets}`.execute(db)
    await sql`select set_config('lock_timeout', ${rows[0]?.before ?? '0'}, true)`.execute(db)
    await sql`release savepoint planner_statistics`.execute(db)
    return true
  } catch (error) {
    // Also undoes the lock timeout; another error is the caller's, its transaction as it was.
    await sql`rollback to savepoint planner_statistics`.execute(db)
    await sql`release savepoint planner_statistics`.execute(db)
    if (sqlStateOf(error) === '55P03') return false
    throw error
  }
}

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
  await analyzeBounded(db, sql.join(rows.map((r) => sql.id(r.name))))
}

/** A table and the column its lookups filter on (`= any($1)`), for {@link analyzeWhereUnplanned}. */
export interface LookupColumn {
  table: keyof Database & string
  column: string
}

/**
 * ANALYZE of the `lookups` columns of those `lookups` tables the planner has no statistics for (no `pg_stats` row for the
 * column), or that have more than doubled in pages since their last ANALYZE; returns the tables
 * analyzed. Without statistics, `WHERE col = any($1)` with hundreds of values is estimated to
 * match a third of the table (PostgreSQL's default selectivity, src/backend/utils/adt/selfuncs.c
 * DEFAULT_EQ_SEL per element) and planned as a sequential scan, so every batch of lookups read the
 * whole table: an 835 read right after its 837 was stored, before autovacuum (or on PGlite, which
 * has none) ran, slowed quadratically with the file (34 ms a 500-claim batch at 20k submitted
 * claims against 2 ms with an index scan once analyzed). ANALYZE may run inside a transaction and
 * samples that transaction's own new rows too (PostgreSQL 15 docs, ANALYZE). Tables another
 * transaction is analyzing (or has analyzed and not yet committed) are waited for briefly, then
 * left as they are ({@link analyzeBounded}); they are returned all the same.
 */
export async function analyzeWhereUnplanned(
  db: Kysely<Database>,
  lookups: readonly LookupColumn[],
): Promise<string[]> {
  const tables = lookups.map((l) => l.table)
  const { rows } = await sql<{ name: string; column: string; planned: boolean }>`
    select c.relname as name,
      exists (select 1 from pg_catalog.pg_stats s where s.schemaname = n.nspname
        and s.tablename = c.relname and s.attname = any(${`{${lookups.map((l) => l.column).join(',')}}`}::text[]))
      and pg_catalog.pg_relation_size(c.oid) / current_setting('block_size')::int8 <= 2 * c.relpages + 8 as planned
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r'
      and c.relname = any(${`{${tables.join(',')}}`}::text[])`.execute(db)
  const stale: string[] = []
  for (const table of rows.filter((r) => !r.planned).map((r) => r.name)) {
    // A table with no row this connection can see is left unanalyzed. ANALYZE would record it as
    // empty (reltuples 0), and every plan made afterwards, the file transaction's foreign key checks
    // included, would take it for a one-row table while that transaction fills it: on a fresh
    // database the 835's reader analyzed rework_item before any item was committed, and the check
    // of each rework_item_line row then read the whole rework_item_worklist index, whose last column
    // is id (100k-claim 835: 4.3-5.9 s for 52k rows against 0.8 s). Never analyzed, the planner
    // estimates its rows from its current size (PostgreSQL docs, 14.2 "Statistics Used by the
    // Planner": reltuples -1).
    const { rows: seen } = await sql<{
      has_rows: boolean
    }>`select exists (select from ${sql.id(table)}) as has_rows`.execute(db)
    if (seen[0]?.has_rows === true) stale.push(table)
  }
  // Only the columns looked up by: ANALYZE samples the same rows either way, but computing the
  // statistics of every column (text arrays, guidance text) took most of its time (100k-claim 835:
  // 2.9 s for the five recovery tables, 0.35 s for their lookup columns).
  const columnsOf = (table: string) => [
    ...new Set(lookups.filter((l) => l.table === table).map((l) => l.column)),
  ]
  if (stale.length > 0)
    await analyzeBounded(
      db,
      sql.join(stale.map((t) => sql`${sql.id(t)} (${sql.join(columnsOf(t).map((c) => sql.id(c)))})`)),
    )
  return stale
}
