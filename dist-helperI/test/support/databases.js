import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '../../src/db/create-database.js';
/** The engines a database suite runs on: PGlite always, PostgreSQL too when DATABASE_URL is set. */
export const engines = [
    { name: 'pglite', url: undefined },
    ...(process.env.DATABASE_URL ? [{ name: 'postgres', url: process.env.DATABASE_URL }] : []),
];
/**
 * Runs `body` once per engine against a fresh, migrated database: an in-memory PGlite, and a
 * PostgreSQL schema of its own (dropped afterwards). No mocks.
 *
 * @example
 * ```ts
 * describeEachDatabase('payer repository', (ctx) => {
 *   it('stores a payer', async () => { await ctx.handle.db.insertInto(...) })
 * })
 * ```
 */
export function describeEachDatabase(title, body) {
    for (const engine of engines) {
        describe(`${title} [${engine.name}]`, () => {
            let current;
            const ctx = {
                get handle() {
                    if (current === undefined)
                        throw new Error('the test database is not open (use it inside it/beforeAll)');
                    return current;
                },
            };
            const schema = `t_${randomBytes(6).toString('hex')}`;
            beforeAll(async () => {
                current = await openDatabase({ databaseUrl: engine.url, schema: engine.url ? schema : undefined });
            });
            afterAll(async () => {
                await current?.close();
                if (engine.url)
                    await dropSchema(engine.url, schema);
            });
            body(ctx);
        });
    }
}
/** Opens a fresh database on one engine; the caller closes it with `cleanup()`. */
export async function openTestDatabase(url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const handle = await openDatabase({ databaseUrl: url, schema: url ? schema : undefined });
    return {
        handle,
        async cleanup() {
            await handle.close();
            if (url)
                await dropSchema(url, schema);
        },
    };
}
async function dropSchema(url, schema) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
    finally {
        await client.end();
    }
}
//# sourceMappingURL=databases.js.map