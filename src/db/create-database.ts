import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import { Migrator } from 'kysely/migration'
import type { Config } from '../config.js'
import { installCopyFromStdin, pgliteWithCopyFromStdin } from './copy-from-stdin.js'
import type { Database } from './database.js'
import { DbError } from './db-error.js'
import type { HomeLockOptions } from './home-lock.js'
import { acquireHomeLock } from './home-lock.js'
import { migrations } from './migrations/index.js'
import { loadPgliteSeed } from './pglite-seed.js'
import { PostgresDialectListingTables } from './table-list-introspector.js'

export interface DatabaseOptions {
  /** PostgreSQL connection string. When absent, PGlite is used. */
  databaseUrl?: string | undefined
  /** PGlite data directory; `undefined` with no `databaseUrl` means in memory. */
  dataDir?: string | undefined
  /** PostgreSQL schema to use (created when missing); tests use one per suite. */
  schema?: string | undefined
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean
  /**
   * PGlite with a data directory only: the exclusive lock on its home, taken before the database
   * is opened and released after it is closed (src/db/home-lock.ts). PostgreSQL needs none.
   */
  lock?: HomeLockOptions | undefined
  /**
   * PGlite only: a data directory dump (PGlite's `dumpDataDir`) that a *new* database starts from,
   * instead of the bundled seed (src/db/pglite-seed.ts). Ignored when the data directory already
   * holds a database. The tests pass a migrated template.
   */
  pgliteDump?: Blob | undefined
  /**
   * PostgreSQL only: called when the server closes an idle pooled connection (default: a process
   * warning). The pool has already discarded the connection.
   */
  onIdleClientError?: ((error: Error) => void) | undefined
}

function warnIdleClientError(error: Error): void {
  process.emitWarning(
    `PostgreSQL closed an idle connection; the next query opens a new one (${error.message})`,
  )
}

/**
 * PGlite's buffer pool (PostgreSQL's `shared_buffers`, 128 MB by default) lives in its WebAssembly
 * memory, which grows as pages are first used and never shrinks, so a large write filled it. The
 * 837 ingest bench (existing database; 2026-12-04, load average 5-11): 20k claims peaked at
 * 380-389 MB RSS with 128 MB, 280-304 MB with 32 or 16 MB; 100k claims at 364 MB with 128 MB,
 * 275-349 MB with 32 MB, 307-311 MB with 16 MB; CPU within the runs' noise (100k: 14.5 s, 14.4-15.6 s,
 * 13.1-13.4 s). A page not in the pool is read back from PGlite's file system.
 */
const PGLITE_SHARED_BUFFERS = '16MB'

/** The lock file of a PGlite home. */
export function homeLockFile(home: string): string {
  return join(home, 'onco-edi.lock')
}

/** The database handle plus which engine it is, for the few places (COPY, reports) that care. */
export interface DatabaseHandle {
  db: Kysely<Database>
  engine: 'postgres' | 'pglite'
  close(): Promise<void>
  /**
   * How the job queue (pg-boss, src/batch/job-queue.ts) reaches the same database: PostgreSQL's
   * connection string and schema (pg-boss keeps a small pool of its own), or the one PGlite
   * instance (the home lock allows one process, so the queue shares this handle).
   */
  queueAccess?:
    | { engine: 'postgres'; url: string; schema: string | undefined }
    | { engine: 'pglite'; pglite: PGlite }
}

/** Options from the process configuration: PostgreSQL when DATABASE_URL is set, else PGlite in ONCO_EDI_HOME. */
export function databaseOptionsFromConfig(config: Config): DatabaseOptions {
  if (config.databaseUrl !== undefined) return { databaseUrl: config.databaseUrl }
  return {
    dataDir: join(config.home, 'pgdata'),
    lock: {
      file: homeLockFile(config.home),
      command: config.commandLine ?? 'onco-edi',
      waitSeconds: config.lockWaitSeconds ?? 0,
    },
  }
}

/**
 * Opens the database (kysely's PostgresDialect over pg.Pool, or its PGliteDialect) and applies
 * pending migrations. Nothing else in the code knows which engine it got.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  let db: Kysely<Database>
  let engine: DatabaseHandle['engine']
  let unlock = (): void => {}
  let queueAccess: DatabaseHandle['queueAccess']
  let instance: WeakRef<object> | undefined
  if (options.databaseUrl !== undefined) {
    // pg and PGlite are loaded when a database is opened: commands that need none start faster.
    const { default: pg } = await import('pg')
    const schema = options.schema
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    })
    // COPY … FROM STDIN on the transaction's own connection (src/db/copy-from-stdin.ts).
    pool.on('connect', installCopyFromStdin)
    // An idle connection the server closes (a restart, `pg_terminate_backend`, `DROP DATABASE …
    // WITH (FORCE)`) is an 'error' event on the pool: pg-pool has already dropped that client and
    // the next query opens a new one. Without a listener Node throws it as an uncaught exception
    // and a worker or `serve` dies (node-postgres docs, "Pool": "the pool will emit an error on
    // behalf of any idle clients"). Say so once on stderr; the message names no data.
    pool.on('error', options.onIdleClientError ?? warnIdleClientError)
    if (schema !== undefined) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema))
        throw new DbError('DB_UNAVAILABLE', `Invalid schema name "${schema}"`)
      try {
        await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      } catch (cause) {
        await pool.end()
        throw new DbError('DB_UNAVAILABLE', `Cannot reach PostgreSQL: ${describe(cause)}`, { cause })
      }
    }
    // The migrator lists tables with TableListIntrospector: another schema's DDL cannot fail it.
    db = new Kysely<Database>({ dialect: new PostgresDialectListingTables({ pool }) })
    engine = 'postgres'
    queueAccess = { engine, url: options.databaseUrl, schema }
  } else {
    const dataDir = options.dataDir
    if (dataDir !== undefined && options.lock !== undefined) unlock = await acquireHomeLock(options.lock)
    try {
      keepPgliteOnBaselineCode()
      await collectClosedPglites()
      const { PGlite } = await import('@electric-sql/pglite')
      if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true })
      // A new database starts from a dump of an initialised data directory rather than running
      // initdb, which would hold a second PGlite instance in memory next to this one.
      const isNew = dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'))
      const loadDataDir = isNew ? (options.pgliteDump ?? loadPgliteSeed()) : undefined
      const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`]
      const pgliteOptions = loadDataDir === undefined ? { startParams } : { loadDataDir, startParams }
      const pglite = dataDir === undefined ? new PGlite(pgliteOptions) : new PGlite(dataDir, pgliteOptions)
      db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: pgliteWithCopyFromStdin(pglite) }) })
      queueAccess = { engine: 'pglite', pglite }
      instance = new WeakRef(pglite)
    } catch (cause) {
      unlock()
      throw new DbError('DB_UNAVAILABLE', `Cannot open the embedded database: ${describe(cause)}`, { cause })
    }
    engine = 'pglite'
  }
  const close = async (): Promise<void> => {
    try {
      await db.destroy()
    } finally {
      if (instance !== undefined) closedPglites.push(instance)
      unlock()
    }
  }
  const handle: DatabaseHandle = { db, engine, close, queueAccess }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db, options.schema)
    } catch (cause) {
      await close()
      if (cause instanceof DbError) throw cause
      throw new DbError('DB_MIGRATION_FAILED', `Migrations failed: ${describe(cause)}`, { cause })
    }
  }
  return handle
}

let baselineOnly = false

/**
 * PGlite is Postgres compiled to a 9 MB WebAssembly module. V8 compiles it with its baseline
 * compiler (Liftoff), then recompiles the functions that run hot with its optimizing compiler
 * (TurboFan) in background threads. On PGlite that tier-up roughly doubles the peak RSS (measured
 * with /usr/bin/time -v: reopening a database 646 MB with it, 257 MB without; the demo on a new
 * home 1.0 GB against 0.46 GB; a 10k-claim 837+835 ingest 1.0 GB against 0.51 GB) for about 10-15%
 * less CPU time on that ingest. The embedded database is for small installations (README "Scaling
 * out"), so memory wins. These flags are process-wide and must be set before the module is
 * compiled; only PGlite uses WebAssembly here, and PostgreSQL is unaffected.
 */
function keepPgliteOnBaselineCode(): void {
  if (baselineOnly) return
  baselineOnly = true
  setFlagsFromString('--no-wasm-tier-up')
  setFlagsFromString('--no-wasm-dynamic-tiering')
}

const closedPglites: WeakRef<object>[] = []
let collectGarbage: (() => void) | undefined

/**
 * A closed PGlite instance keeps its WebAssembly memory (150-450 MB) until V8 collects it, and V8
 * may not before the next instance in the same process has taken as much again: the demo, which
 * runs a dozen commands in one process, peaked at 0.6 GB with two heaps alive. So before opening
 * another PGlite, collect until the closed ones are gone (a few rounds of ~10 ms; an instance still
 * referenced somewhere is given up on after 10 rounds). A process that opens one database, as
 * every other command does, never gets here.
 */
async function collectClosedPglites(): Promise<void> {
  if (closedPglites.length === 0) return
  if (collectGarbage === undefined) {
    // V8's gc() without starting node with --expose-gc: exposed for new contexts from here on.
    setFlagsFromString('--expose-gc')
    collectGarbage = runInNewContext('gc') as () => void
  }
  for (let round = 0; round < 10 && closedPglites.some((ref) => ref.deref() !== undefined); round++) {
    await sleep(10)
    collectGarbage()
  }
  closedPglites.length = 0
}

/** Applies every pending migration; throws DB_MIGRATION_FAILED with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    // Migration numbers are reserved per piece of work and may land out of order (0012 before
    // 0009): a database that has a later one still gets the earlier ones, each independent.
    allowUnorderedMigrations: true,
  })
  // Its table listing is TableListIntrospector's on PostgreSQL: another client's DDL cannot fail it.
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined) {
    const name = failed?.migrationName ?? 'unknown'
    throw new DbError('DB_MIGRATION_FAILED', `Migration ${name} failed: ${describe(error)}`, { cause: error })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ')
  return error instanceof Error ? error.message : String(error)
}
