import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DatabaseOptions } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { generate835, writeX12File } from './generate-x12.js'

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
  const handle = await openDatabase(options)
  try {
    const started = process.hrtime.bigint()
    const [result] = await ingestFiles([file], { handle })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    if (result === undefined || result.status !== 'ingested')
      throw new Error(`bench ingest failed: ${result?.message ?? 'no result'}`)
    const row: IngestBenchResult = {
      engine,
      claims: result.claims,
      items: result.items,
      seconds: Math.round(seconds * 100) / 100,
      claimsPerSecond: Math.round(result.claims / seconds),
      peakRssMb: peakRssMb(),
    }
    process.stdout.write(`${JSON.stringify(row)}\n`)
  } finally {
    await handle.close()
    await cleanup?.()
  }
}

/** Spawns `ingest-child.js ENGINE FILE DATADIR` and returns what it measured. */
function measure(engine: Engine, file: string, dataDir: string): Promise<IngestBenchResult> {
  const script = fileURLToPath(new URL('./ingest-child.js', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, engine, file, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`ingest bench (${engine}) exited with ${code}`))
        return
      }
      const line = out.trim().split('\n').at(-1) ?? ''
      resolve(JSON.parse(line) as IngestBenchResult)
    })
  })
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
