import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BatchSetup } from '../../../src/batch/batch-setup.js'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import type { JobQueue } from '../../../src/batch/job-queue.js'
import {
  BATCH_QUEUE,
  enqueueFiles,
  listJobs,
  startJobQueue,
  startWorker,
} from '../../../src/batch/job-queue.js'
import type { BatchResult } from '../../../src/batch/process-file.js'
import { importCodeFile } from '../../../src/codes/code-table-repository.js'
import { openDatabase } from '../../../src/db/create-database.js'
import type { Database } from '../../../src/db/database.js'
import { silentLogger } from '../../../src/logger.js'
import { fixturesDir } from '../../../src/project-root.js'
import { writeBatchInputs } from '../../support/batch-inputs.js'
import { describeEachDatabase, dropSchema, engines } from '../../support/databases.js'

const AS_OF = '2026-03-01'

async function stored(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`select
    (select count(*)::int from batch_file) as batch_files,
    (select count(*)::int from batch_upload) as uploads,
    (select count(*)::int from scrub_run) as scrub_runs,
    (select count(*)::int from remit_claim) as remit_claims`.execute(db)
  return rows[0] ?? {}
}

async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describeEachDatabase('batch jobs (pg-boss)', (ctx) => {
  let setup: BatchSetup
  let queue: JobQueue
  beforeAll(async () => {
    setup = await loadBatchSetup(ctx.handle, { user: 'worker-test', asOf: AS_OF })
    queue = await startJobQueue(ctx.handle, {
      superviseSeconds: 1,
      jobSettings: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
    })
    return () => queue.stop()
  })

  it('runs enqueued files: bytes from the database, outputs in the outbox, a duplicate stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-in-'))
    const outbox = mkdtempSync(join(tmpdir(), 'worker-out-'))
    const names = writeBatchInputs(dir, 3, 40)
    const paths = [...names.map((n) => join(dir, n)), join(dir, names[0] ?? '')]
    const enqueued = await enqueueFiles(ctx.handle, queue.boss, paths, (p) => readFile(p))
    expect(enqueued.every((e) => e.jobId !== null)).toBe(true)
    expect((await stored(ctx.handle.db)).uploads).toBe(4)
    const results: BatchResult[] = []
    const id = await startWorker({
      handle: ctx.handle,
      boss: queue.boss,
      setup,
      outbox,
      concurrency: 2,
      logger: silentLogger(),
      onResult: (r) => results.push(r),
    })
    try {
      await until(async () => (await queue.pending()) === 0, 60_000, 'the jobs')
    } finally {
      await queue.boss.offWork(BATCH_QUEUE, { id })
    }
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'processed', 'processed', 'processed'])
    expect(await stored(ctx.handle.db)).toMatchObject({ batch_files: 4, uploads: 0 })
    for (const name of names) expect(existsSync(join(outbox, `${name}.result.json`))).toBe(true)
    const jobs = await listJobs(queue.boss, { failed: false, limit: 100 })
    expect(jobs.filter((j) => enqueued.some((e) => e.claimId === j.claimId)).map((j) => j.state)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ])
  }, 120_000)

  it('of files that reuse one sender and ISA13, accepts one interchange and answers the others with TA1 025', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-in-'))
    const outbox = mkdtempSync(join(tmpdir(), 'worker-out-'))
    const [name] = writeBatchInputs(dir, 1, 66)
    const text = readFileSync(join(dir, name ?? ''), 'latin1')
    // Three files with other bytes (BHT03 changed), one interchange sender and ISA13.
    const paths = ['a', 'b', 'c'].map((tag) => {
      const path = join(dir, `reused-${tag}.x12`)
      writeFileSync(path, text.replace(/BHT\*0019\*00\*([^*]+)\*/, `BHT*0019*00*$1${tag}*`), 'latin1')
      return path
    })
    const before = await stored(ctx.handle.db)
    await enqueueFiles(ctx.handle, queue.boss, paths, (p) => readFile(p))
    const results: BatchResult[] = []
    const id = await startWorker({
      handle: ctx.handle,
      boss: queue.boss,
      setup,
      outbox,
      concurrency: 3,
      logger: silentLogger(),
      onResult: (r) => results.push(r),
    })
    try {
      await until(async () => (await queue.pending()) === 0, 60_000, 'the jobs')
    } finally {
      await queue.boss.offWork(BATCH_QUEUE, { id })
    }
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'processed'])
    const accepted = results.find((r) => r.status === 'processed')
    expect(accepted?.counts).toMatchObject({ claims: 8, duplicateInterchanges: 0 })
    for (const r of results.filter((r) => r.status === 'duplicate')) {
      expect(r).toMatchObject({
        codes: ['BATCH_DUPLICATE_INTERCHANGE'],
        counts: { claims: 0, duplicateInterchanges: 1 },
        duplicateOf: { claimId: accepted?.claimId },
      })
      expect(readFileSync(join(outbox, r.acknowledgment ?? ''), 'latin1')).toMatch(/TA1\*[^~]*\*R\*025~/)
    }
    // One scrub run: the reused interchanges' claims were never read.
    expect(await stored(ctx.handle.db)).toMatchObject({
      batch_files: (before.batch_files ?? 0) + 3,
      scrub_runs: (before.scrub_runs ?? 0) + 1,
    })
    const rows = await ctx.handle.db
      .selectFrom('batch_interchange')
      .select('claim_id')
      .where(
        'claim_id',
        'in',
        results.map((r) => r.claimId),
      )
      .execute()
    expect(rows.map((r) => r.claim_id)).toEqual([accepted?.claimId])
  }, 120_000)

  it('retries a failing job with backoff, then fails it for good into the dead letter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-in-'))
    const outbox = mkdtempSync(join(tmpdir(), 'worker-out-'))
    const [name] = writeBatchInputs(dir, 1, 50)
    const [job] = await enqueueFiles(ctx.handle, queue.boss, [join(dir, name ?? '')], (p) => readFile(p))
    // The bytes are gone: every attempt fails with BATCH_NO_UPLOAD.
    await ctx.handle.db
      .deleteFrom('batch_upload')
      .where('claim_id', '=', job?.claimId ?? '')
      .execute()
    const attempts: number[] = []
    const id = await startWorker({
      handle: ctx.handle,
      boss: queue.boss,
      setup,
      outbox,
      concurrency: 1,
      logger: silentLogger(),
      onJobStart: () => {
        attempts.push(Date.now())
      },
    })
    try {
      await until(
        async () =>
          (await listJobs(queue.boss, { failed: true, limit: 10 })).some((j) => j.claimId === job?.claimId),
        90_000,
        'the dead letter',
      )
    } finally {
      await queue.boss.offWork(BATCH_QUEUE, { id })
    }
    const [failed] = (await listJobs(queue.boss, { failed: true, limit: 10 })).filter(
      (j) => j.claimId === job?.claimId,
    )
    expect(failed).toMatchObject({ state: 'failed', retries: 2, deadLettered: true, file: name })
    expect(failed?.output).toMatchObject({ code: 'BATCH_NO_UPLOAD' })
    expect(attempts).toHaveLength(3)
    // Backoff: the gaps between attempts grow from the 1 s retry delay.
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(900)
    expect(existsSync(join(outbox, `${name}.result.json`))).toBe(false)
  }, 120_000)
})

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
const OUT = join(ROOT, 'node_modules', '.cache', 'onco-edi-worker-test', 'dist')

/**
 * A worker in a child process. It prints `start` when a job starts and `result` when the job's
 * transaction has committed; PAUSE holds it there (mid-job before the commit, or after the commit
 * before pg-boss marks the job completed) so the test kills it at that point.
 */
const CHILD = `
import { openDatabase } from ${JSON.stringify(join(OUT, 'src/db/create-database.js'))}
import { loadBatchSetup } from ${JSON.stringify(join(OUT, 'src/batch/batch-setup.js'))}
import { startJobQueue, startWorker } from ${JSON.stringify(join(OUT, 'src/batch/job-queue.js'))}
import { silentLogger } from ${JSON.stringify(join(OUT, 'src/logger.js'))}
const [url, schema, dataDir, outbox, pause] = process.argv.slice(2)
const handle = await openDatabase(url ? { databaseUrl: url, schema } : { dataDir })
const setup = await loadBatchSetup(handle, { user: 'worker-test', asOf: ${JSON.stringify(AS_OF)} })
const queue = await startJobQueue(handle, { superviseSeconds: 1, jobSettings: { retryDelay: 1 } })
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
await startWorker({
  handle, boss: queue.boss, setup, outbox, concurrency: 1, logger: silentLogger(),
  onJobStart: async (job) => {
    process.stdout.write('start ' + job.claimId + '\\n')
    if (pause === 'before-commit') await new Promise((r) => setTimeout(r, 30000))
  },
  onResult: (result) => {
    process.stdout.write('result ' + result.status + '\\n')
    if (pause === 'after-commit') sleep(30000)
  },
})
for (;;) {
  await new Promise((r) => setTimeout(r, 500))
  if ((await queue.pending()) === 0) break
}
await queue.stop()
await handle.close()
process.stdout.write('drained\\n')
`

function spawnWorker(
  script: string,
  args: string[],
  killOn: RegExp | undefined,
): Promise<{ killed: boolean; out: string }> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (killOn?.test(out)) child.kill('SIGKILL')
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('error', fail)
    child.on('exit', (_code, signal) => done({ killed: signal === 'SIGKILL', out }))
  })
}

describe('kill -9 of a worker mid-job', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      OUT,
    ]).catch(() => undefined)
  }, 180_000)

  for (const engine of engines) {
    it(`retries the job on another worker and stores nothing twice [${engine.name}]`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'worker-kill-'))
      const inbox = join(root, 'in')
      const outbox = join(root, 'out')
      mkdirSync(inbox)
      const schema = `wkill_${randomBytes(5).toString('hex')}`
      const dataDir = join(root, 'pgdata')
      // Dropped however the test ends (a failed expectation left it and pg-boss's schema behind).
      try {
        const open = () => openDatabase(engine.url ? { databaseUrl: engine.url, schema } : { dataDir })
        // Two jobs: an 837 killed before its commit, an 835 killed after its commit (before pg-boss
        // marked it completed).
        const names = writeBatchInputs(inbox, 2, 60)
        const seed = await open()
        try {
          for (const file of readdirSync(fixturesDir('codes')).filter((n) => !n.endsWith('.md')))
            await importCodeFile(seed.db, fixturesDir('codes', file))
          const queue = await startJobQueue(seed, { jobSettings: { retryDelay: 1 } })
          await enqueueFiles(seed, queue.boss, [join(inbox, names[0] ?? '')], (p) => readFile(p))
          await queue.stop()
        } finally {
          await seed.close()
        }
        const script = join(root, 'child.mjs')
        writeFileSync(script, CHILD)
        const args = (pause: string) => [engine.url ?? '', schema, dataDir, outbox, pause]

        const first = await spawnWorker(script, args('before-commit'), /^start /m)
        expect(first.killed).toBe(true)
        const second = await spawnWorker(script, args('none'), undefined)
        expect(second.out).toMatch(/^result processed$/m)
        expect(second.out).toMatch(/^drained$/m)

        // Second job: killed after its transaction committed.
        const again = await open()
        try {
          const queue = await startJobQueue(again, { jobSettings: { retryDelay: 1 } })
          await enqueueFiles(again, queue.boss, [join(inbox, names[1] ?? '')], (p) => readFile(p))
          await queue.stop()
        } finally {
          await again.close()
        }
        const third = await spawnWorker(script, args('after-commit'), /^result processed$/m)
        expect(third.killed).toBe(true)
        const fourth = await spawnWorker(script, args('none'), undefined)
        // The retry finds the committed row: it publishes again, stores nothing.
        expect(fourth.out).toMatch(/^result processed$/m)

        const check = await open()
        try {
          expect(await stored(check.db)).toEqual({
            batch_files: 2,
            uploads: 0,
            scrub_runs: 1,
            remit_claims: 10,
          })
          const queue = await startJobQueue(check)
          const jobs = await listJobs(queue.boss, { failed: false, limit: 10 })
          await queue.stop()
          expect(jobs.map((j) => [j.state, j.retries >= 1])).toEqual([
            ['completed', true],
            ['completed', true],
          ])
        } finally {
          await check.close()
        }
        for (const name of names) expect(existsSync(join(outbox, `${name}.result.json`))).toBe(true)
      } finally {
        if (engine.url) await dropSchema(engine.url, schema)
      }
    }, 300_000)
  }
})
