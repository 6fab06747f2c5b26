import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import { Migrator } from 'kysely/migration'
import type { Config } from '../config.js'
import type { Database } from './database.js'
import { DbError } from './db-error.js'
import type { HomeLockOptions } from './home-lock.js'
import { acquireHomeLock } from './home-lock.js'
import { migrations } from './migrations/index.js'

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
}

/** The lock file of a PGlite home. */
export function homeLockFile(home: string): string {
  return join(home, 'onco-edi.lock')
}

/** The database handle plus which engine it is, for the few places (COPY, reports) that care. */
export interface DatabaseHandle {
  db: Kysely<Database>
  engine: 'postgres' | 'pglite'
  close(): Promise<void>
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
  if (options.databaseUrl !== undefined) {
    // pg and PGlite are loaded when a database is opened: commands that need none start faster.
    const { default: pg } = await import('pg')
    const schema = options.schema
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    })
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
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    engine = 'postgres'
  } else {
    const dataDir = options.dataDir
    if (dataDir !== undefined && options.lock !== undefined) unlock = await acquireHomeLock(options.lock)
    try {
      const { PGlite } = await import('@electric-sql/pglite')
      if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true })
      const pglite = dataDir === undefined ? new PGlite() : new PGlite(dataDir)
      db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
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
      unlock()
    }
  }
  const handle: DatabaseHandle = { db, engine, close }
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
