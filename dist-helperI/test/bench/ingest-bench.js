import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/create-database.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generate835, writeX12File } from './generate-x12.js';
function peakRssMb() {
    // resourceUsage().maxRSS is in kilobytes.
    return Math.round(process.resourceUsage().maxRSS / 1024);
}
/**
 * Ingests a generated 835 of `count` claims (test/bench/generate-x12.ts) into PGlite (a data
 * directory) and, when DATABASE_URL is set, into PostgreSQL (a fresh schema): one transaction,
 * batches of 500 claims written with `INSERT … SELECT FROM unnest(arrays)`. Prints claims/s and
 * peak RSS. Target on PostgreSQL: ≥ 17k claims/s (1M claims in ≤ 60 s).
 */
export async function runIngestBench(count = 100_000, options = {}) {
    const wanted = options.engines ?? ['pglite', 'postgres'];
    const work = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
    const file = join(work, 'bench.835');
    const bytes = await writeX12File(file, generate835(count));
    console.log(`ingest bench: generated 835 with ${count} claims (${(bytes / 1e6).toFixed(1)} MB)`);
    const targets = [];
    if (wanted.includes('pglite'))
        targets.push({ engine: 'pglite', options: { dataDir: join(work, 'pgdata') } });
    const url = process.env.DATABASE_URL;
    if (url && wanted.includes('postgres')) {
        const schema = `bench_${randomBytes(5).toString('hex')}`;
        targets.push({
            engine: 'postgres',
            options: { databaseUrl: url, schema },
            cleanup: async () => {
                const { default: pg } = await import('pg');
                const client = new pg.Client({ connectionString: url });
                await client.connect();
                await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
                await client.end();
            },
        });
    }
    const results = [];
    try {
        for (const target of targets) {
            const handle = await openDatabase(target.options);
            try {
                const started = process.hrtime.bigint();
                const [result] = await ingestFiles([file], { handle });
                const seconds = Number(process.hrtime.bigint() - started) / 1e9;
                if (result === undefined || result.status !== 'ingested')
                    throw new Error(`bench ingest failed: ${result?.message ?? 'no result'}`);
                const row = {
                    engine: target.engine,
                    claims: result.claims,
                    seconds: Math.round(seconds * 100) / 100,
                    claimsPerSecond: Math.round(result.claims / seconds),
                    peakRssMb: peakRssMb(),
                };
                results.push(row);
                console.log(`ingest ${row.engine.padEnd(8)} ${row.claims} claims in ${row.seconds.toFixed(2)} s: ${row.claimsPerSecond} claims/s, ` +
                    `${result.items} rework items, peak RSS ${row.peakRssMb} MB${row.engine === 'postgres' ? ' (target ≥ 17000 claims/s)' : ''}`);
            }
            finally {
                await handle.close();
                await target.cleanup?.();
            }
        }
    }
    finally {
        rmSync(work, { recursive: true, force: true });
    }
    return results;
}
//# sourceMappingURL=ingest-bench.js.map