import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { DbError } from './db-error.js';
import { migrations } from './migrations/index.js';
/** Options from the process configuration: PostgreSQL when DATABASE_URL is set, else PGlite in ONCO_EDI_HOME. */
export function databaseOptionsFromConfig(config) {
    if (config.databaseUrl !== undefined)
        return { databaseUrl: config.databaseUrl };
    return { dataDir: join(config.home, 'pgdata') };
}
/**
 * Opens the database (kysely's PostgresDialect over pg.Pool, or its PGliteDialect) and applies
 * pending migrations. Nothing else in the code knows which engine it got.
 */
export async function openDatabase(options) {
    let db;
    let engine;
    if (options.databaseUrl !== undefined) {
        const schema = options.schema;
        const pool = new pg.Pool({
            connectionString: options.databaseUrl,
            max: options.poolSize ?? 10,
            ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
        });
        if (schema !== undefined) {
            if (!/^[a-z_][a-z0-9_]*$/.test(schema))
                throw new DbError('DB_UNAVAILABLE', `Invalid schema name "${schema}"`);
            try {
                await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
            }
            catch (cause) {
                await pool.end();
                throw new DbError('DB_UNAVAILABLE', `Cannot reach PostgreSQL: ${describe(cause)}`, { cause });
            }
        }
        db = new Kysely({ dialect: new PostgresDialect({ pool }) });
        engine = 'postgres';
    }
    else {
        const dataDir = options.dataDir;
        if (dataDir !== undefined)
            mkdirSync(dataDir, { recursive: true });
        const pglite = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
        db = new Kysely({ dialect: new PGliteDialect({ pglite }) });
        engine = 'pglite';
    }
    const handle = { db, engine, close: () => db.destroy() };
    if (options.migrate !== false) {
        try {
            await migrateToLatest(db, options.schema);
        }
        catch (cause) {
            await db.destroy();
            if (cause instanceof DbError)
                throw cause;
            throw new DbError('DB_MIGRATION_FAILED', `Migrations failed: ${describe(cause)}`, { cause });
        }
    }
    return handle;
}
/** Applies every pending migration; throws DB_MIGRATION_FAILED with the failing migration's name. */
export async function migrateToLatest(db, schema) {
    const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error !== undefined) {
        const name = failed?.migrationName ?? 'unknown';
        throw new DbError('DB_MIGRATION_FAILED', `Migration ${name} failed: ${describe(error)}`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
function describe(error) {
    if (error instanceof AggregateError)
        return error.errors.map(describe).join('; ');
    return error instanceof Error ? error.message : String(error);
}
//# sourceMappingURL=create-database.js.map