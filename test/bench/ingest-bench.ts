import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { INGEST_SEMI_SPACE_MB } from '../../src/cli/main.js'
import type { DatabaseOptions } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import { generate835, generate837P, writeX12File } from './generate-x12.js'

type Engine = 'pglite' | 'postgres'

/** One engine's result of {@link runIngestBench}. */
export interface IngestBenchResult {
  engine: Engine
  /** Claims in the generated file (BENCH_CLAIMS) and CLPs stored. */
  claims: number
  items: number
  seconds: number
  claimsPerSecond: number
  /** Peak RSS of the child process that ran only this engine's ingest. */
  peakRssMb: number
}

function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/**
 * The child's side: opens one engine, ingests `file` in one transaction and prints an
 * {@link IngestBenchResult} as the last line of stdout. Run by `ingest-child.js`, so the process
 * holds one engine only (PGlite's WASM heap would otherwise inflate PostgreSQL's peak RSS).
 */
export async function runIngestInChild(engine: Engine, file: string, dataDir: string): Promise<void> {
  const url = process.env.DATABASE_URL
  let options: DatabaseOptions
  let cleanup: (() => Promise<void>) | undefined
  if (engine === 'postgres') {
    if (!url) throw new Error('DATABASE_URL is needed for the postgres engine')
    const schema = `bench_${randomBytes(5).toString('hex')}`
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
  const files = file.split(',')
  const handle = await openDatabase(options)
  try {
    const started = process.hrtime.bigint()
    const results = await ingestFiles(files, { handle })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const bad = results.find((r) => r.status !== 'ingested')
    if (results.length !== files.length || bad !== undefined)
      throw new Error(`bench ingest failed: ${bad?.message ?? 'missing result'}`)
    const claims = results.reduce((n, r) => n + r.claims, 0)
    const row: IngestBenchResult = {
      engine,
      claims,
      items: results.reduce((n, r) => n + r.items, 0),
      seconds: Math.round(seconds * 100) / 100,
      claimsPerSecond: Math.round(claims / seconds),
      peakRssMb: peakRssMb(),
    }
    process.stdout.write(`${JSON.stringify(row)}\n`)
  } finally {
    await handle.close()
    await cleanup?.()
  }
}

/** The child's side of the parse baseline: reads FILE with the X12 reader and prints seconds and peak RSS. */
export async function runParseInChild(file: string): Promise<void> {
  const started = process.hrtime.bigint()
  let claims = 0
  for await (const events of readX12File(file))
    for (const event of events) if (event.type === 'claim837' || event.type === 'claim835') claims++
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  process.stdout.write(
    `${JSON.stringify({ claims, seconds: Math.round(seconds * 100) / 100, peakRssMb: peakRssMb() })}\n`,
  )
}

/** The child's side of the PGlite floor: opens a fresh PGlite data directory, migrates, closes. */
export async function runPgliteFloorInChild(dataDir: string): Promise<void> {
  const handle = await openDatabase({ dataDir })
  await handle.close()
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb() })}\n`)
}

/** Spawns `ingest-child.js ARGS...` and returns the JSON of its last stdout line. */
function runChild<T>(args: string[], nodeFlags: string[] = []): Promise<T> {
  const script = fileURLToPath(new URL('./ingest-child.js', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
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

function measure(engine: Engine, file: string, dataDir: string): Promise<IngestBenchResult> {
  // As `onco-edi ingest` runs: src/cli/main.ts re-runs an ingest with this V8 flag.
  return runChild<IngestBenchResult>(
    [engine, file, dataDir],
    [`--max-semi-space-size=${INGEST_SEMI_SPACE_MB}`],
  )
}

/**
 * Ingests a generated 835 of `count` claims (test/bench/generate-x12.ts) into PGlite (a data
 * directory) and, when DATABASE_URL is set, into PostgreSQL (a fresh schema), each in its own
 * child process so that the peak RSS printed is that engine's alone. Prints claims/s and peak
 * RSS. Target on PostgreSQL: ≥ 17k claims/s (1M claims in ≤ 60 s). BENCH_ENGINES=postgres|pglite
 * runs one engine only.
 */
export async function runIngestBench(
  count = 100_000,
  options: { engines?: Engine[] } = {},
): Promise<IngestBenchResult[]> {
  // BENCH_ENGINES=postgres (or pglite) measures one engine only.
  const fromEnv = process.env.BENCH_ENGINES?.split(',').filter(
    (e): e is Engine => e === 'pglite' || e === 'postgres',
  )
  const wanted =
    options.engines ?? (fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : ['pglite', 'postgres'])
  const engines = wanted.filter((engine) => engine === 'pglite' || process.env.DATABASE_URL)
  const work = mkdtempSync(join(tmpdir(), 'ingest-bench-'))
  const file = join(work, 'bench.835')
  const results: IngestBenchResult[] = []
  try {
    const bytes = await writeX12File(file, generate835(count))
    console.log(`ingest bench: generated 835 with ${count} claims (${(bytes / 1e6).toFixed(1)} MB)`)
    for (const engine of engines) {
      const row = await measure(engine, file, join(work, `pgdata-${engine}`))
      results.push(row)
      console.log(
        `ingest ${row.engine.padEnd(8)} ${row.claims} claims in ${row.seconds.toFixed(2)} s: ${row.claimsPerSecond} claims/s, ` +
          `${row.items} rework items, peak RSS ${row.peakRssMb} MB (own process)` +
          (row.engine === 'postgres' ? ' (target ≥ 17000 claims/s)' : ''),
      )
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
 * (BENCH_ENGINES to choose); PGlite ingests into a data directory created beforehand.
 */
export async function runIngest837Bench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ingest837-bench-'))
  try {
    for (const count of sizesFrom('BENCH_837_SIZES', [20_000, 100_000])) {
      const file = join(work, `claims-${count}.837`)
      const bytes = await writeX12File(file, generate837P(count))
      const parse = await runChild<{ seconds: number; peakRssMb: number }>(['parse', file])
      for (const engine of enginesWanted()) {
        const dataDir = join(work, `pgdata-837-${count}`)
        // PGlite's first open of a new data directory (initdb in its WASM heap) peaks at about 1 GB
        // whatever is stored after it: the data directory is created in a child of its own, so the
        // row measures the ingest into an existing database, as a worker's every file after its first.
        if (engine === 'pglite') await runChild<{ peakRssMb: number }>(['pglite-floor', dataDir])
        const row = await measure(engine, file, dataDir)
        console.log(
          `ingest 837 ${engine.padEnd(8)} ${count} claims (${(bytes / 1e6).toFixed(1)} MB): ${row.seconds.toFixed(2)} s, ` +
            `peak RSS ${row.peakRssMb} MB (target < 350); parse ${parse.seconds.toFixed(2)} s, ingest/parse ${(row.seconds / parse.seconds).toFixed(1)}x (target ≤ 3)`,
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
    const floor = await runChild<{ peakRssMb: number }>(['pglite-floor', join(work, 'pgdata-floor')])
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
