import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { copyFile, readFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runBatchService } from '../../src/batch/batch-service.js'
import { loadBatchSetup } from '../../src/batch/batch-setup.js'
import { enqueueFiles, startJobQueue, startWorker } from '../../src/batch/job-queue.js'
import { importCodeFile } from '../../src/codes/code-table-repository.js'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { openDatabase } from '../../src/db/create-database.js'
import { silentLogger } from '../../src/logger.js'
import { fixturesDir } from '../../src/project-root.js'
import { generate837P, writeX12File } from './generate-x12.js'
import { benchSemiSpaceFlags } from './ingest-bench.js'

const AS_OF = '2026-03-01'

/**
 * What a child prints: its claims, when it started and finished working (epoch ms), its peak RSS
 * and its CPU time (user + system, seconds; on a shared machine the fairer measure of cost).
 */
export interface BatchBenchChildResult {
  claims: number
  files: number
  startedAt: number
  finishedAt: number
  peakRssMb: number
  cpuSeconds: number
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return Math.round((user + system) / 1e5) / 10
}

function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

async function seedCodes(handle: DatabaseHandle): Promise<void> {
  for (const file of readdirSync(fixturesDir('codes')).filter((n) => !n.endsWith('.md')))
    await importCodeFile(handle.db, fixturesDir('codes', file))
}

/**
 * The child's side (batch-child.js):
 * - `batch DATADIR INBOX OUTBOX`: `batch --once` on PGlite;
 * - `worker URL SCHEMA OUTBOX`: a worker on PostgreSQL until no job is left.
 * Prints one {@link BatchBenchChildResult} line.
 */
export async function runBatchBenchChild(args: string[]): Promise<void> {
  const [mode, a, b, c] = args
  if (mode === 'batch' && a !== undefined && b !== undefined && c !== undefined) {
    const handle = await openDatabase({ dataDir: a })
    try {
      const setup = await loadBatchSetup(handle, { user: 'bench', asOf: AS_OF })
      const startedAt = Date.now()
      const counts = await runBatchService({
        handle,
        setup,
        inbox: b,
        outbox: c,
        concurrency: 1,
        once: true,
        logger: silentLogger(),
      })
      const row: BatchBenchChildResult = {
        claims: counts.claims,
        files: counts.done,
        startedAt,
        finishedAt: Date.now(),
        peakRssMb: peakRssMb(),
        cpuSeconds: cpuSeconds(),
      }
      process.stdout.write(`${JSON.stringify(row)}\n`)
    } finally {
      await handle.close()
    }
    return
  }
  if (mode === 'worker' && a !== undefined && b !== undefined && c !== undefined) {
    const handle = await openDatabase({ databaseUrl: a, schema: b })
    const queue = await startJobQueue(handle)
    try {
      const setup = await loadBatchSetup(handle, { user: 'bench', asOf: AS_OF })
      let claims = 0
      let files = 0
      let startedAt = 0
      let finishedAt = Date.now()
      await startWorker({
        handle,
        boss: queue.boss,
        setup,
        outbox: c,
        concurrency: 2,
        logger: silentLogger(),
        onJobStart: () => {
          if (startedAt === 0) startedAt = Date.now()
        },
        onResult: (result) => {
          claims += result.counts.claims
          files++
          finishedAt = Date.now()
        },
      })
      while ((await queue.pending()) > 0) await new Promise((r) => setTimeout(r, 200))
      const row: BatchBenchChildResult = {
        claims,
        files,
        startedAt,
        finishedAt,
        peakRssMb: peakRssMb(),
        cpuSeconds: cpuSeconds(),
      }
      process.stdout.write(`${JSON.stringify(row)}\n`)
    } finally {
      await queue.stop()
      await handle.close()
    }
    return
  }
  throw new Error('usage: batch-child.js batch DATADIR INBOX OUTBOX | worker URL SCHEMA OUTBOX')
}

function runChild(args: string[]): Promise<BatchBenchChildResult> {
  const script = fileURLToPath(new URL('./batch-child.js', import.meta.url))
  return new Promise((resolve, reject) => {
    // As `onco-edi batch` and `worker` run (src/cli/main.ts re-runs them with INGEST_SEMI_SPACE_MB;
    // BENCH_SEMI_SPACE_MB to compare another value). The database was migrated by this process.
    const child = spawn(process.execPath, [...benchSemiSpaceFlags(), script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`batch bench child (${args[0]}) exited with ${code}`))
        return
      }
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as BatchBenchChildResult)
    })
  })
}

async function writeInputs(dir: string, files: number, claims: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const paths: string[] = []
  for (let i = 0; i < files; i++) {
    const path = join(dir, `bench-${String(i).padStart(4, '0')}.837`)
    // Distinct claim ids per file, as real submitters' files have: scrub keys its stored lines
    // on the claim id, so shared ids would make concurrent files wait on each other's rows.
    await writeX12File(
      path,
      generate837P(claims, { seed: i + 1, firstControl: i + 1, firstClaim: i * claims + 1 }),
    )
    paths.push(path)
  }
  return paths
}

const rate = (claims: number, ms: number): number => Math.round(claims / Math.max(ms / 1000, 0.001))
const cpuPer1k = (seconds: number, claims: number): string =>
  ((seconds * 1000) / Math.max(claims, 1)).toFixed(2)
const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')

/**
 * `npm run bench batch`: BENCH_BATCH_FILES generated 837P files of BENCH_BATCH_CLAIMS claims each
 * (default 200 × 5,000 = 1M claims) through `batch --once` on PGlite, then enqueued and run by
 * 1 and by 2 workers on PostgreSQL (DATABASE_URL; each worker its own process with concurrency 2):
 * claims/s, peak RSS per process, and the scaling ratio (2 workers' claims/s over 1 worker's).
 * The code tables are imported first, as on a clearinghouse; the files' scrub is stored.
 */
export async function runBatchBench(): Promise<void> {
  const files = Number(process.env.BENCH_BATCH_FILES ?? 200)
  const claims = Number(process.env.BENCH_BATCH_CLAIMS ?? 5000)
  const root = mkdtempSync(join(tmpdir(), 'batch-bench-'))
  try {
    const inputs = await writeInputs(join(root, 'src'), files, claims)
    process.stdout.write(`batch: ${files} files × ${claims} claims (837P)\n`)
    if (process.env.BENCH_ENGINES === undefined || process.env.BENCH_ENGINES.includes('pglite')) {
      const dataDir = join(root, 'pgdata')
      const seed = await openDatabase({ dataDir })
      await seedCodes(seed)
      await seed.close()
      const inbox = join(root, 'inbox')
      mkdirSync(inbox)
      for (const path of inputs) await copyFile(path, join(inbox, basename(path)))
      const r = await runChild(['batch', dataDir, inbox, join(root, 'out-pglite')])
      process.stdout.write(
        `  batch --once, PGlite: ${r.files} files, ${r.claims} claims in ${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s = ${rate(r.claims, r.finishedAt - r.startedAt)} claims/s; peak RSS ${r.peakRssMb} MB; CPU ${r.cpuSeconds} s (${cpuPer1k(r.cpuSeconds, r.claims)} s per 1k claims); load ${loadAverage()}\n`,
      )
    }
    const url = process.env.DATABASE_URL
    if (!url) {
      process.stdout.write('  workers on PostgreSQL: skipped (DATABASE_URL is not set)\n')
      return
    }
    const results: number[] = []
    for (const workers of [1, 2]) {
      const schema = `bench_batch_${randomBytes(4).toString('hex')}`
      // Dropped however the run ends: a failed worker left it and pg-boss's schema on the server.
      try {
        const handle = await openDatabase({ databaseUrl: url, schema })
        try {
          await seedCodes(handle)
          const queue = await startJobQueue(handle)
          await enqueueFiles(handle, queue.boss, inputs, (p) => readFile(p))
          await queue.stop()
        } finally {
          await handle.close()
        }
        const outbox = join(root, `out-${workers}`)
        const runs = await Promise.all(
          Array.from({ length: workers }, () => runChild(['worker', url, schema, outbox])),
        )
        const total = runs.reduce((n, r) => n + r.claims, 0)
        // From the first job started to the last finished, over the workers that got a job.
        const busy = runs.filter((r) => r.files > 0)
        const ms = Math.max(...busy.map((r) => r.finishedAt)) - Math.min(...busy.map((r) => r.startedAt))
        const perSecond = rate(total, ms)
        results.push(perSecond)
        process.stdout.write(
          `  ${workers} worker(s), PostgreSQL: ${total} claims in ${(ms / 1000).toFixed(1)} s = ${perSecond} claims/s; files per worker ${runs.map((r) => r.files).join(' / ')}; peak RSS per worker ${runs.map((r) => `${r.peakRssMb} MB`).join(' / ')}; worker CPU ${runs.map((r) => `${r.cpuSeconds} s`).join(' / ')}; load ${loadAverage()}\n`,
        )
      } finally {
        const { default: pg } = await import('pg')
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`)
        await client.end()
      }
    }
    const [one, two] = results
    if (one !== undefined && two !== undefined)
      process.stdout.write(`  scaling ratio, 2 workers / 1 worker: ${(two / one).toFixed(2)}×\n`)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
