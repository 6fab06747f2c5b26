import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { DatabaseHandle } from '../db/create-database.js'
import { BatchError } from './batch-error.js'
import { type BatchCounts, emptyBatchCounts, isRecoveryPending, runOwedPasses } from './batch-service.js'
import type { BatchSetup } from './batch-setup.js'
import type { BatchResult, ClaimedFile } from './process-file.js'
import {
  findResult,
  newClaimId,
  processClaimedFile,
  publishOutputs,
  rematchCommitted,
  removeStaging,
  sha256Of,
} from './process-file.js'

/** The queue of files to process, and where jobs go when their retries are spent. */
export const BATCH_QUEUE = 'onco-edi-batch'
export const DEAD_LETTER_QUEUE = 'onco-edi-batch-dead'

/** What a job carries; the file's bytes are in `batch_upload` (PostgreSQL), keyed by `claimId`. */
export interface BatchJobData {
  claimId: string
  name: string
  sha256: string
}

/**
 * Job settings. A worker killed with kill -9 stops sending heartbeats: after `heartbeatSeconds`
 * pg-boss's monitor fails the job and another worker takes it (PostgreSQL only: on PGlite the one
 * process that can open the database fails its orphaned jobs when it starts, see
 * {@link startJobQueue}). Failures are retried `retryLimit` times with exponential backoff from
 * `retryDelay` seconds; then the job is failed for good and copied to the dead-letter queue.
 */
export const JOB_SETTINGS = {
  retryLimit: 3,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 60,
  heartbeatSeconds: 10,
  expireInSeconds: 3600,
} as const

/**
 * Worker fetch settings. pg-boss with `batchSize: 1` waits a polling interval between fetches
 * (about 20 jobs/s measured here): fetch several, keep fetching while batches come back
 * full, and settle each job on its own (`perJobResults`); LISTEN/NOTIFY wakes idle workers.
 */
export const WORK_SETTINGS = { batchSize: 4, burstWhenBatchFull: true, perJobResults: true } as const

/** pg-boss's own pool on PostgreSQL: small, beside the application's pool. */
const BOSS_POOL = 3

export interface JobQueueOptions {
  /** pg-boss's schema on PostgreSQL (default `pgboss`, or `SCHEMA_pgboss` beside a test schema). */
  schema?: string
  /** Seconds between pg-boss's supervision passes (expired heartbeats, retries); default 5. */
  superviseSeconds?: number
  /** The queue's settings when this call creates it (tests shorten the retries). */
  jobSettings?: {
    retryLimit?: number
    retryDelay?: number
    retryBackoff?: boolean
    retryDelayMax?: number
    heartbeatSeconds?: number
    expireInSeconds?: number
  }
  logger?: Logger
}

/**
 * Starts pg-boss 12 on the database of `handle` and creates the queues. On PostgreSQL it opens a
 * small pool of its own; on PGlite it shares the one PGlite instance (`backend: 'pglite'`): its
 * statements wait for an open kysely transaction, as PGlite runs one at a time. On PGlite a job
 * still `active` at start belonged to a process that died (the home lock allows one process), so
 * it is failed at once and retried.
 */
export async function startJobQueue(
  handle: DatabaseHandle,
  options: JobQueueOptions = {},
): Promise<JobQueue> {
  const access = handle.queueAccess
  if (access === undefined) throw new TypeError('the database handle gives no access for the job queue')
  const { PgBoss, fromPglite } = await import('pg-boss')
  const supervise = options.superviseSeconds ?? 5
  const timing = {
    superviseIntervalSeconds: supervise,
    monitorIntervalSeconds: supervise,
    maintenanceIntervalSeconds: Math.max(supervise, 30),
    schedule: false,
  }
  const schema =
    options.schema ??
    (access.engine === 'postgres' && access.schema !== undefined ? `${access.schema}_pgboss` : 'pgboss')
  const boss =
    access.engine === 'postgres'
      ? new PgBoss({
          connectionString: access.url,
          schema,
          max: BOSS_POOL,
          application_name: 'onco-edi-jobs',
          ...timing,
        })
      : new PgBoss({ db: fromPglite(access.pglite), backend: 'pglite', ...timing })
  boss.on('error', (error: unknown) => options.logger?.error({ err: error }, 'job queue error'))
  await boss.start()
  if ((await boss.getQueue(DEAD_LETTER_QUEUE)) === null) await boss.createQueue(DEAD_LETTER_QUEUE)
  if ((await boss.getQueue(BATCH_QUEUE)) === null) {
    const { heartbeatSeconds, ...rest } = { ...JOB_SETTINGS, ...options.jobSettings }
    await boss.createQueue(BATCH_QUEUE, {
      ...rest,
      ...(access.engine === 'postgres' ? { heartbeatSeconds } : {}),
      deadLetter: DEAD_LETTER_QUEUE,
    })
  }
  if (access.engine === 'pglite') {
    const orphans = (await boss.findJobs(BATCH_QUEUE)).filter((job) => job.state === 'active')
    if (orphans.length > 0) {
      await boss.fail(
        BATCH_QUEUE,
        orphans.map((job) => job.id),
        { code: 'BATCH_JOB_FAILED', message: 'its worker stopped before the job finished' },
      )
      options.logger?.warn({ jobs: orphans.length }, 'failed jobs left active by a process that died')
    }
  }
  return {
    boss,
    async pending() {
      // pg-boss's job table (its schema is ours to name): the jobs still to run or running.
      const { rows } = await boss
        .getDb()
        .executeSql(
          `select count(*)::int as n from ${schema}.job where name = $1 and state in ('created', 'retry', 'active')`,
          [BATCH_QUEUE],
        )
      return Number((rows[0] as { n?: number } | undefined)?.n ?? 0)
    },
    stop: () => boss.stop({ graceful: true, timeout: 30_000 }),
  }
}

/** A started job queue. */
export interface JobQueue {
  boss: PgBoss
  /** Jobs of the batch queue not finished yet (created, waiting to retry, or active anywhere). */
  pending(): Promise<number>
  stop(): Promise<void>
}

/** One enqueued file. */
export interface EnqueuedFile {
  file: string
  claimId: string
  sha256: string
  jobId: string | null
}

/**
 * Enqueues files for the workers: each file's bytes go into `batch_upload` and its job into
 * pg-boss in one transaction (pg-boss's kysely adapter runs `send` inside it), so a job never
 * exists without its bytes, nor bytes without a job. Workers anywhere read the bytes from the
 * database: no shared input folder.
 */
export async function enqueueFiles(
  handle: DatabaseHandle,
  boss: PgBoss,
  paths: readonly string[],
  readBytes: (path: string) => Promise<Uint8Array>,
): Promise<EnqueuedFile[]> {
  const { fromKysely } = await import('pg-boss')
  const enqueued: EnqueuedFile[] = []
  for (const path of paths) {
    const bytes = await readBytes(path)
    const sha256 = await sha256Of(path)
    const claimId = newClaimId()
    const name = basename(path)
    const jobId = await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('batch_upload').values({ claim_id: claimId, name, sha256, bytes }).execute()
      const data: BatchJobData = { claimId, name, sha256 }
      return boss.send(BATCH_QUEUE, data, { db: fromKysely(trx) })
    })
    enqueued.push({ file: name, claimId, sha256, jobId })
  }
  return enqueued
}

export interface WorkerOptions {
  handle: DatabaseHandle
  boss: PgBoss
  setup: BatchSetup
  outbox: string
  /** Jobs run at once in this process (pg-boss `localConcurrency`). */
  concurrency: number
  logger: Logger
  onResult?: (result: BatchResult) => void
  onChange?: (counts: BatchCounts) => void
  /** Test hook: called when a job starts, before its work (a test kills the process here). */
  onJobStart?: (job: BatchJobData) => void | Promise<void>
}

/**
 * Runs the batch jobs: each job's file is written to the outbox's `.spool/`, processed by the same
 * code as the inbox (one transaction keyed by the claim id and the file's SHA-256, which also
 * deletes the upload), and its outputs published. A retried job whose transaction committed
 * before the worker died only publishes again; nothing is stored twice. Returns the pg-boss
 * worker id (`boss.offWork` stops it).
 */
export async function startWorker(options: WorkerOptions): Promise<string> {
  const { handle, boss, logger } = options
  const spool = join(options.outbox, '.spool')
  await mkdir(spool, { recursive: true })
  await runOwedPasses(handle, options.setup, logger)
  const counts = emptyBatchCounts()
  const runJob = async (data: BatchJobData): Promise<BatchResult> => {
    await options.onJobStart?.(data)
    const committed = await findResult(handle.db, data.claimId)
    if (committed !== undefined) {
      // Committed before the worker died (or its job was retried): the pass after the commit may
      // not have run; it is idempotent.
      await rematchCommitted(committed, { handle, setup: options.setup })
      await publishOutputs(options.outbox, committed)
      await removeStaging(options.outbox, data.claimId)
      return committed.result
    }
    const upload = await handle.db
      .selectFrom('batch_upload')
      .select('bytes')
      .where('claim_id', '=', data.claimId)
      .executeTakeFirst()
    if (upload === undefined)
      throw new BatchError(
        'BATCH_NO_UPLOAD',
        `${data.name}: the bytes of claim ${data.claimId} are not in batch_upload`,
      )
    const file: ClaimedFile = {
      claimId: data.claimId,
      name: data.name,
      path: join(spool, `${data.claimId}--${data.name}`),
    }
    await writeFile(file.path, upload.bytes)
    try {
      const done = await processClaimedFile(file, {
        handle,
        setup: options.setup,
        outbox: options.outbox,
        inTransaction: async (trx) => {
          await trx.deleteFrom('batch_upload').where('claim_id', '=', data.claimId).execute()
        },
      })
      await removeStaging(options.outbox, data.claimId)
      return done.result
    } finally {
      await rm(file.path, { force: true })
    }
  }
  return boss.work<BatchJobData>(
    BATCH_QUEUE,
    // PGlite has one connection: two transactions at once would interleave.
    { ...WORK_SETTINGS, localConcurrency: handle.engine === 'pglite' ? 1 : options.concurrency },
    async (jobs) => {
      const settled = []
      for (const job of jobs) {
        counts.inProgress++
        options.onChange?.(counts)
        try {
          const result = await runJob(job.data)
          if (result.status === 'failed') counts.failed++
          else if (result.status === 'duplicate') counts.duplicates++
          else counts.done++
          if (isRecoveryPending(result)) counts.recoveryPending++
          counts.claims += result.counts.claims
          logger[isRecoveryPending(result) ? 'warn' : 'info'](
            {
              job: job.id,
              file: result.file,
              claimId: result.claimId,
              status: result.status,
              ...result.counts,
              codes: result.codes,
            },
            'batch job done',
          )
          options.onResult?.(result)
          settled.push({
            id: job.id,
            status: 'completed' as const,
            output: { file: result.file, status: result.status },
          })
        } catch (error) {
          counts.errors++
          const code =
            error instanceof BatchError
              ? error.code
              : typeof error === 'object' &&
                  error !== null &&
                  'code' in error &&
                  typeof error.code === 'string'
                ? error.code
                : 'BATCH_JOB_FAILED'
          const message = error instanceof Error ? error.message : String(error)
          logger.error(
            { job: job.id, file: job.data.name, claimId: job.data.claimId, code, err: error },
            'batch job failed',
          )
          settled.push({ id: job.id, status: 'failed' as const, output: { code, message } })
        } finally {
          counts.inProgress--
          options.onChange?.(counts)
        }
      }
      return settled
    },
  )
}

/** A job as `jobs list` shows it. */
export interface JobRow {
  id: string
  file: string
  claimId: string
  state: string
  retries: number
  createdOn: string
  /** When the job completed or failed for good (null while it is still to run or running). */
  completedOn: string | null
  /** The last error (`code`, `message`) of a failed job, or its result of a completed one. */
  output: unknown
  /** A failed job's copy is in the dead-letter queue. */
  deadLettered: boolean
}

/** The jobs of the batch queue (oldest first), or only the failed ones. */
export async function listJobs(boss: PgBoss, options: { failed: boolean; limit: number }): Promise<JobRow[]> {
  const dead = new Set(
    (await boss.findJobs<BatchJobData>(DEAD_LETTER_QUEUE, { limit: 100_000 })).map((job) => job.data.claimId),
  )
  const jobs = await boss.findJobs<BatchJobData>(BATCH_QUEUE, { limit: 100_000 })
  return jobs
    .filter((job) => !options.failed || job.state === 'failed')
    .slice(-options.limit)
    .map((job) => ({
      id: job.id,
      file: job.data.name,
      claimId: job.data.claimId,
      state: job.state,
      retries: job.retryCount,
      createdOn: job.createdOn.toISOString(),
      completedOn: job.completedOn === null ? null : job.completedOn.toISOString(),
      output: job.output ?? null,
      deadLettered: dead.has(job.data.claimId),
    }))
}

/** The batch queue at a glance, as the web admin page shows it. */
export interface JobsOverview {
  /** Jobs waiting to run (created, or waiting for a retry), running, and failed for good. */
  counts: { queued: number; active: number; failed: number }
  /** The newest failed jobs (oldest first), as {@link listJobs} gives them. */
  failed: JobRow[]
}

/** Counts the batch queue's jobs by state and keeps the newest `limit` failed ones (from {@link listJobs}). */
export async function jobsOverview(boss: PgBoss, options: { limit: number }): Promise<JobsOverview> {
  const jobs = await listJobs(boss, { failed: false, limit: 100_000 })
  const failed = jobs.filter((job) => job.state === 'failed')
  return {
    counts: {
      queued: jobs.filter((job) => job.state === 'created' || job.state === 'retry').length,
      active: jobs.filter((job) => job.state === 'active').length,
      failed: failed.length,
    },
    failed: failed.slice(-options.limit),
  }
}
