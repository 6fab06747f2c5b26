import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { INGEST_SEMI_SPACE_MB } from '../../src/cli/main.js'
import type { DatabaseHandle, DatabaseOptions } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import type { IngestFileResult } from '../../src/ingest/ingest-files.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import type { CopyBaselineResult, CopyConnection } from './copy-baseline.js'
import {
  backendCpu,
  backendCpuSpent,
  currentXid,
  dumpIngestedRows,
  pgliteCopyConnection,
  postgresCopyConnection,
  runCopyBaseline,
} from './copy-baseline.js'
import { generate835, generate837P, writeX12File } from './generate-x12.js'

type Engine = 'pglite' | 'postgres'

/** One engine's result of {@link runIngestBench}. */
export interface IngestBenchResult {
  engine: Engine
  /** Claims in the generated file (BENCH_CLAIMS) and CLPs stored. */
  claims: number
  /** CLPs matched to a submitted claim. */
  matched: number
  items: number
  seconds: number
  /** CPU time (user + system) of the child process over the timed ingest: the client's share. */
  cpuSeconds?: number
  /** CPU time of the PostgreSQL backends over the timed ingest (the server's share), when readable. */
  serverCpuSeconds?: number
  claimsPerSecond: number
  /** Peak RSS of the child process that ran only this engine's ingest. */
  peakRssMb: number
}

/** CPU seconds (user + system) of this process since `since` (a `process.cpuUsage()`). */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return Math.round((used.user + used.system) / 1e4) / 100
}

function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/**
 * The child's side: opens one engine, ingests `file` in one transaction and prints an
 * {@link IngestBenchResult} as the last line of stdout. Run by `ingest-child.js`, so the process
 * holds one engine only (PGlite's WASM heap would otherwise inflate PostgreSQL's peak RSS).
 *
 * With `dumpDir` (the raw-COPY baseline, test/bench/copy-baseline.ts): the files before the last
 * (an 835's 837) are ingested first and not timed; the last file is timed alone, and the rows it
 * wrote, with those it found, are dumped into `dumpDir` once its time and peak RSS are taken.
 */
export async function runIngestInChild(
  engine: Engine,
  file: string,
  dataDir: string,
  dumpDir?: string,
): Promise<void> {
  const url = process.env.DATABASE_URL
  let options: DatabaseOptions
  let cleanup: (() => Promise<void>) | undefined
  let schema = ''
  if (engine === 'postgres') {
    if (!url) throw new Error('DATABASE_URL is needed for the postgres engine')
    schema = childSchema()
    options = { databaseUrl: url, schema }
    cleanup = async () => {
      const { default: pg } = await import('pg')
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  } else {
    options = { dataDir }
  }
  // FILE may be several files joined with `,` (an 837 and its 835): ingested in one run.
  const all = file.split(',')
  const handle = await openDatabase(options)
  let conn: CopyConnection | undefined
  try {
    // On PostgreSQL the connection also reads the server's CPU (its backends' /proc), dump or not.
    if (dumpDir !== undefined || engine === 'postgres') conn = await copyConnection(handle, url, schema)
    let files = all
    if (dumpDir !== undefined && all.length > 1) {
      await ingestChecked(handle, all.slice(0, -1))
      files = all.slice(-1)
    }
    const xid = conn === undefined || dumpDir === undefined ? 0 : await currentXid(conn)
    const appName = process.env.PGAPPNAME ?? ''
    const serverBefore = conn === undefined ? new Map<number, number>() : await backendCpu(conn, appName)
    const cpuBefore = process.cpuUsage()
    const started = process.hrtime.bigint()
    const results = await ingestChecked(handle, files)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const cpu = process.cpuUsage(cpuBefore)
    const serverAfter = conn === undefined ? new Map<number, number>() : await backendCpu(conn, appName)
    const claims = results.reduce((n, r) => n + r.claims, 0)
    const row: IngestBenchResult = {
      engine,
      claims,
      matched: results.reduce((n, r) => n + r.matched, 0),
      items: results.reduce((n, r) => n + r.items, 0),
      seconds: Math.round(seconds * 100) / 100,
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
      ...(serverAfter.size > 0 ? { serverCpuSeconds: backendCpuSpent(serverBefore, serverAfter) } : {}),
      claimsPerSecond: Math.round(claims / seconds),
      peakRssMb: peakRssMb(),
    }
    if (conn !== undefined && dumpDir !== undefined) {
      const manifest = await dumpIngestedRows(conn, xid, dumpDir)
      const written = manifest.tables.filter((t) => t.rows > 0).map((t) => `${t.table} ${t.rows}`)
      process.stderr.write(`  rows written: ${written.join(', ')}\n`)
    }
    process.stdout.write(`${JSON.stringify(row)}\n`)
  } finally {
    await conn?.close()
    await handle.close()
    await cleanup?.()
  }
}

/** Ingests `files` with {@link ingestFiles}, failing unless every one was ingested. */
async function ingestChecked(handle: DatabaseHandle, files: string[]): Promise<IngestFileResult[]> {
  const results = await ingestFiles(files, { handle })
  const bad = results.find((r) => r.status !== 'ingested')
  if (results.length !== files.length || bad !== undefined)
    throw new Error(`bench ingest failed: ${bad?.message ?? 'missing result'}`)
  return results
}

/** A COPY connection to the database of `handle` (see test/bench/copy-baseline.ts). */
async function copyConnection(
  handle: DatabaseHandle,
  url: string | undefined,
  schema: string,
): Promise<CopyConnection> {
  const access = handle.queueAccess
  if (access?.engine === 'pglite') return pgliteCopyConnection(access.pglite)
  if (url === undefined) throw new Error('DATABASE_URL is needed for the postgres engine')
  return postgresCopyConnection(url, schema)
}

/**
 * The child's side of the raw-COPY baseline: a fresh database of `engine` (a new schema, or a new
 * PGlite data directory `dataDir`), loaded with the dump of `dumpDir`; prints a
 * {@link CopyBaselineResult}.
 */
export async function runCopyBaselineInChild(
  engine: Engine,
  dumpDir: string,
  dataDir: string,
): Promise<void> {
  const url = process.env.DATABASE_URL
  const schema = childSchema()
  const handle = await openDatabase(engine === 'postgres' ? { databaseUrl: url, schema } : { dataDir })
  let conn: CopyConnection | undefined
  try {
    conn = await copyConnection(handle, url, schema)
    const result: CopyBaselineResult = {
      ...(await runCopyBaseline(conn, dumpDir, process.env.PGAPPNAME ?? '')),
      peakRssMb: peakRssMb(),
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await conn?.close()
    await handle.close()
    if (engine === 'postgres' && url !== undefined) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  }
}

/** The child's side of the parse baseline: reads FILE with the X12 reader and prints seconds and peak RSS. */
export async function runParseInChild(file: string): Promise<void> {
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  let claims = 0
  for await (const events of readX12File(file))
    for (const event of events) if (event.type === 'claim837' || event.type === 'claim835') claims++
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpuSeconds = cpuSince(cpu)
  process.stdout.write(
    `${JSON.stringify({ claims, seconds: Math.round(seconds * 100) / 100, cpuSeconds, peakRssMb: peakRssMb() })}\n`,
  )
}

/**
 * The child's side of the migration before a measure, and of the PGlite floor: opens the database
 * of `engine` (PostgreSQL: the schema BENCH_SCHEMA, left in place for the next child; PGlite: the
 * data directory `dataDir`), which creates and migrates it, closes it and prints its peak RSS.
 */
export async function runMigrateInChild(engine: Engine, dataDir: string): Promise<void> {
  const handle = await openDatabase(
    engine === 'postgres' ? { databaseUrl: process.env.DATABASE_URL, schema: childSchema() } : { dataDir },
  )
  await handle.close()
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`)
}

/** The schema a child's PostgreSQL database lives in: named by its parent ({@link runChild}). */
function childSchema(): string {
  return process.env.BENCH_SCHEMA ?? `bench_${randomBytes(5).toString('hex')}`
}

/** Drops a bench schema and pg-boss's beside it on DATABASE_URL's server, if there. */
async function dropBenchSchema(schema: string): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
  } finally {
    await client.end()
  }
}

/**
 * Spawns `ingest-child.js ARGS...` and returns the JSON of its last stdout line; with `before`,
 * `ingest-child.js BEFORE...` runs to its end first, in a process of its own on the same schema.
 * The child's PostgreSQL schema is named here (BENCH_SCHEMA) and dropped here once the child has
 * exited, however it ended: a child that died (killed, out of memory, failed before its own
 * `finally`) left its schema on the shared server.
 */
async function runChild<T>(args: string[], nodeFlags: string[] = [], before?: string[]): Promise<T> {
  const schema = `bench_${randomBytes(5).toString('hex')}`
  try {
    // A child of its own first (`migrate`), on the same schema or data directory, when given.
    if (before !== undefined) await runChildProcess<unknown>(before, [], schema)
    return await runChildProcess<T>(args, nodeFlags, schema)
  } finally {
    await dropBenchSchema(schema)
  }
}

function runChildProcess<T>(args: string[], nodeFlags: string[], schema: string): Promise<T> {
  const script = fileURLToPath(new URL('./ingest-child.js', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // Names the child's PostgreSQL connections, so that their backends' CPU can be read.
      env: {
        ...process.env,
        PGAPPNAME: `onco-edi-bench-${randomBytes(4).toString('hex')}`,
        BENCH_SCHEMA: schema,
      },
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`ingest bench child (${args[0]}) exited with ${code}`))
        return
      }
      const line = out.trim().split('\n').at(-1) ?? ''
      resolve(JSON.parse(line) as T)
    })
  })
}

/**
 * The semi-space (MB) the ingest children run with: {@link INGEST_SEMI_SPACE_MB}, as `onco-edi
 * ingest` runs, unless BENCH_SEMI_SPACE_MB names another (to compare values; 0 runs them with
 * Node's default).
 */
export function benchSemiSpaceFlags(): string[] {
  const value = process.env.BENCH_SEMI_SPACE_MB
  const mb = value === undefined || value.trim() === '' ? INGEST_SEMI_SPACE_MB : Number(value)
  if (!Number.isInteger(mb) || mb < 0)
    throw new Error(`BENCH_SEMI_SPACE_MB must be a whole number, got ${value}`)
  return mb === 0 ? [] : [`--max-semi-space-size=${mb}`]
}

/**
 * One ingest child, timed, into a database that an earlier process created and migrated, as a
 * user's `onco-edi ingest` finds it: the `migrate` child first (same PostgreSQL schema, same PGlite
 * data directory), then the measured one. Migrating in the measured process changes what V8 does
 * in the ingest after it: a 100k 837 on PostgreSQL with `--max-semi-space-size=4` promoted 9-11 MB
 * after a migration in the same process and about 1 GB without one (`--trace-gc-nvp`, 2026-12-05).
 */
function measure(
  engine: Engine,
  file: string,
  dataDir: string,
  dumpDir?: string,
): Promise<IngestBenchResult> {
  // As `onco-edi ingest` runs: src/cli/main.ts re-runs an ingest with this V8 flag.
  return runChild<IngestBenchResult>(
    dumpDir === undefined ? [engine, file, dataDir] : [engine, file, dataDir, dumpDir],
    benchSemiSpaceFlags(),
    ['migrate', engine, dataDir],
  )
}

/** The shapes of 835 the ingest bench generates: alone (nothing to match), or after its 837. */
export type IngestShape = 'alone' | 'matched'

/**
 * Ingests a generated 835 of `count` claims (test/bench/generate-x12.ts) into PGlite (a data
 * directory) and, when DATABASE_URL is set, into PostgreSQL (a schema), each created and migrated by
 * a process before the measured one (see measure), each in its own
 * child process so that the peak RSS printed is that engine's alone, in each shape
 * (BENCH_INGEST_SHAPES, default `alone,matched`): `alone` stores the 835 with no 837 (every claim
 * unmatched), `matched` ingests the generator's 837 of the same claims first (not timed) and then
 * the 835 (timed). Each is put against the raw-COPY baseline (test/bench/copy-baseline.ts): COPY
 * of exactly the rows that ingest wrote into a fresh database, in another child. Prints claims/s,
 * COPY rows/s, their ratio (target ingest ≤ 1.5× COPY time) and peak RSS. BENCH_ENGINES=postgres|pglite
 * runs one engine only.
 */
export async function runIngestBench(
  count = 100_000,
  options: { engines?: Engine[]; shapes?: IngestShape[] } = {},
): Promise<IngestBenchResult[]> {
  // BENCH_ENGINES=postgres (or pglite) measures one engine only.
  const fromEnv = process.env.BENCH_ENGINES?.split(',').filter(
    (e): e is Engine => e === 'pglite' || e === 'postgres',
  )
  const wanted =
    options.engines ?? (fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : ['pglite', 'postgres'])
  const engines = wanted.filter((engine) => engine === 'pglite' || process.env.DATABASE_URL)
  const shapesFromEnv = process.env.BENCH_INGEST_SHAPES?.split(',').filter(
    (s): s is IngestShape => s === 'alone' || s === 'matched',
  )
  const shapes =
    options.shapes ??
    (shapesFromEnv !== undefined && shapesFromEnv.length > 0 ? shapesFromEnv : ['alone', 'matched'])
  const work = mkdtempSync(join(tmpdir(), 'ingest-bench-'))
  const file = join(work, 'bench.835')
  const claimsFile = join(work, 'bench.837')
  const results: IngestBenchResult[] = []
  try {
    const bytes = await writeX12File(file, generate835(count))
    console.log(`ingest bench: generated 835 with ${count} claims (${(bytes / 1e6).toFixed(1)} MB)`)
    if (shapes.includes('matched')) await writeX12File(claimsFile, generate837P(count))
    for (const shape of shapes) {
      for (const engine of engines) {
        const dumpDir = mkdtempSync(join(work, 'dump-'))
        const files = shape === 'matched' ? `${claimsFile},${file}` : file
        const row = await measure(engine, files, join(work, `pgdata-${engine}-${shape}`), dumpDir)
        const copy = await runChild<CopyBaselineResult>([
          'copy-baseline',
          engine,
          dumpDir,
          join(work, `pgdata-copy-${engine}-${shape}`),
        ])
        rmSync(dumpDir, { recursive: true, force: true })
        results.push(row)
        console.log(
          `ingest 835 ${shape.padEnd(7)} ${row.engine.padEnd(8)} ${row.claims} claims in ${row.seconds.toFixed(2)} s ` +
            `(client CPU ${row.cpuSeconds ?? '?'} s` +
            (row.serverCpuSeconds === undefined ? '' : `, server CPU ${row.serverCpuSeconds} s`) +
            `): ${row.claimsPerSecond} claims/s, ` +
            `${row.matched} matched, ${row.items} rework items, peak RSS ${row.peakRssMb} MB (own process)` +
            (row.engine === 'postgres' ? ' (target ≥ 17000 claims/s)' : ''),
        )
        console.log(
          `  raw COPY of the same ${copy.rows} rows (${copy.tables} tables, one transaction): ${copy.seconds.toFixed(2)} s, ` +
            `${Math.round(copy.rows / copy.seconds)} rows/s (${Math.round(row.claims / copy.seconds)} claims/s, client CPU ${copy.cpuSeconds} s` +
            (copy.serverCpuSeconds === undefined ? '' : `, server CPU ${copy.serverCpuSeconds} s`) +
            `), peak RSS ${copy.peakRssMb} MB; ` +
            `ingest/COPY ${(row.seconds / copy.seconds).toFixed(2)}x (target ≤ 1.5, aim 1.2)`,
        )
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return results
}

/** Sizes from an environment variable (`20000,100000`), else the defaults. */
function sizesFrom(name: string, defaults: number[]): number[] {
  const value = process.env[name]
  if (value === undefined || value.trim() === '') return defaults
  return value
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
}

function enginesWanted(): Engine[] {
  const fromEnv = process.env.BENCH_ENGINES?.split(',').filter(
    (e): e is Engine => e === 'pglite' || e === 'postgres',
  )
  const wanted: Engine[] = fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : ['postgres']
  return wanted.filter((engine) => engine === 'pglite' || process.env.DATABASE_URL)
}

/**
 * 837 ingest at each size (BENCH_837_SIZES, default 20k and 100k claims): time and peak RSS of the
 * ingest (own process) next to the parse of the same file (own process). Targets: peak RSS under
 * 350 MB and flat across sizes, ingest within 3x of parse time. PostgreSQL by default
 * (BENCH_ENGINES to choose); either ingests into a database another process created and migrated.
 *
 * What each side times, in a process of its own (neither counts node's start-up, module loading or,
 * for the ingest, opening and migrating the database):
 * - ingest: `ingestFiles` of the one file, as `onco-edi ingest` runs it after opening the
 *   database: the denial rules loaded, the file's SHA-256 and interchanges (one read) and kind,
 *   the transaction (file row, payer profiles, reading, set hashes, rows and their
 *   COPYs, the re-match of earlier remits, the file row's totals and audit event, the commit) and
 *   the re-match after the commit; V8 flags as `onco-edi ingest` (`--max-semi-space-size`, see
 *   benchSemiSpaceFlags);
 * - parse: the X12 reader over the file (`readX12File`, every event made, nothing written), V8
 *   flags as `onco-edi parse` (Node's defaults).
 */
export async function runIngest837Bench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ingest837-bench-'))
  try {
    for (const count of sizesFrom('BENCH_837_SIZES', [20_000, 100_000])) {
      const file = join(work, `claims-${count}.837`)
      const bytes = await writeX12File(file, generate837P(count))
      const parse = await runChild<{ seconds: number; cpuSeconds: number; peakRssMb: number }>([
        'parse',
        file,
      ])
      for (const engine of enginesWanted()) {
        // The database is created and migrated in a child of its own (measure): the row is the
        // ingest into an existing database, as a user's, and a worker's every file after its first.
        const row = await measure(engine, file, join(work, `pgdata-837-${count}-${engine}`))
        console.log(
          `ingest 837 ${engine.padEnd(8)} ${count} claims (${(bytes / 1e6).toFixed(1)} MB): ${row.seconds.toFixed(2)} s, ` +
            `peak RSS ${row.peakRssMb} MB (target < 350); parse ${parse.seconds.toFixed(2)} s, ingest/parse ${(row.seconds / parse.seconds).toFixed(1)}x (target ≤ 3); ` +
            `CPU ingest ${row.cpuSeconds?.toFixed(2)} s (node${engine === 'pglite' ? ', PGlite included' : row.serverCpuSeconds === undefined ? ' only' : `; server ${row.serverCpuSeconds.toFixed(2)} s`}), parse ${parse.cpuSeconds.toFixed(2)} s; ` +
            `load average ${loadavg()[0]?.toFixed(1)}`,
        )
      }
      rmSync(file, { force: true })
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * An 837 and its 835 (the same claims) ingested in one run at each size (BENCH_PAIR_SIZES,
 * default 30k and 300k claims): peak RSS (target under 350 MB on PostgreSQL, whatever the size) and
 * time. Then PGlite's floor (open + migrate an empty data directory) and the demo's peak on PGlite
 * (target under 500 MB).
 */
export async function runIngestPairBench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ingest-pair-bench-'))
  try {
    for (const count of sizesFrom('BENCH_PAIR_SIZES', [30_000, 300_000])) {
      const claims = join(work, `pair-${count}.837`)
      const remit = join(work, `pair-${count}.835`)
      const bytes =
        (await writeX12File(claims, generate837P(count))) + (await writeX12File(remit, generate835(count)))
      for (const engine of enginesWanted()) {
        const row = await measure(engine, `${claims},${remit}`, join(work, `pgdata-pair-${count}`))
        console.log(
          `ingest 837+835 ${engine.padEnd(8)} ${count} claims each (${(bytes / 1e6).toFixed(1)} MB): ${row.seconds.toFixed(2)} s, ` +
            `peak RSS ${row.peakRssMb} MB (own process; target < 350 on PostgreSQL)`,
        )
      }
      rmSync(claims, { force: true })
      rmSync(remit, { force: true })
    }
    const floor = await runChild<{ peakRssMb: number }>(['migrate', 'pglite', join(work, 'pgdata-floor')])
    console.log(`PGlite floor (open + migrate an empty database): peak RSS ${floor.peakRssMb} MB`)
    const demo = await runChild<{ peakRssMb: number }>(['demo', join(work, 'demo-home')])
    console.log(`demo on PGlite: peak RSS ${demo.peakRssMb} MB (target < 500)`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The child's side of the demo measure: runs `onco-edi demo` on PGlite in `home`, quietly. */
export async function runDemoInChild(home: string): Promise<void> {
  const { main } = await import('../../src/cli/main.js')
  const { silentLogger } = await import('../../src/logger.js')
  const { Writable } = await import('node:stream')
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done()
    },
  })
  const code = await main(['demo'], {
    stdout: sink,
    stderr: sink,
    config: { databaseUrl: undefined, home, user: 'bench', logLevel: 'silent' },
    cwd: process.cwd(),
    logger: silentLogger(),
  })
  if (code === 2) throw new Error('demo failed')
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`)
}
