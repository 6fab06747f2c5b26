import { parseArgs } from 'node:util'
import type { BatchCounts } from '../../batch/batch-service.js'
import { CliError } from '../cli-error.js'
import { actorOf, parseDateOption, parseIntegerOption, resolvePath, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi worker --outbox DIR [--concurrency N] [--drain] [--as-of DATE] [--user USER] [--json]

Runs the jobs that "onco-edi enqueue" creates, from the job queue in the database (pg-boss).
Several workers on one or many machines share the load against one PostgreSQL (DATABASE_URL);
each job reads its file's bytes from the database, processes it exactly as "batch" does (837
scrubbed, 835 stored) in one transaction keyed by the file's SHA-256, and writes its outputs and
NAME.result.json into --outbox (a folder all workers share). A worker killed mid-job has its job
retried by another worker about 10 s later (heartbeat); a retried job never stores twice. A job
that keeps failing is retried 3 times with backoff, then failed for good: "onco-edi jobs list
--failed" shows it with its error.

  --outbox DIR         where results and outputs go (created when missing)
  --concurrency N      jobs run at once in this process (default 2)
  --drain              exit when no job is left to run (default: run until Ctrl-C / SIGTERM)
  --as-of DATE         the scrub's date (default today)
  --user USER          recorded on audit events (default $ONCO_EDI_USER)
  --json               one JSON result per job, one per line

Exit codes: 0 ok; 1 a job failed (it is retried, or shown by "jobs list --failed"); 2 usage.`

/** `onco-edi worker`. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'run queued batch jobs (pg-boss); many workers share one PostgreSQL',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        outbox: { type: 'string' },
        concurrency: { type: 'string' },
        drain: { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (values.outbox === undefined) throw new CliError('CLI_USAGE', 'Expected --outbox DIR')
    const concurrency = parseIntegerOption('concurrency', values.concurrency, { min: 1, max: 64 }) ?? 2
    const asOf = parseDateOption('as-of', values['as-of'])
    const user = actorOf(values.user, context)
    const outbox = resolvePath(context, values.outbox)
    const { startJobQueue, startWorker } = await import('../../batch/job-queue.js')
    const { loadBatchSetup } = await import('../../batch/batch-setup.js')
    const { batchExitCode, createStatusLine, recoveryPendingClause } = await import(
      '../../batch/status-line.js'
    )
    const { mkdir } = await import('node:fs/promises')
    await mkdir(outbox, { recursive: true })
    const status = createStatusLine(context.stderr, 'worker')
    const controller = new AbortController()
    const stop = (): void => controller.abort()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    let last: BatchCounts | undefined
    try {
      await withDatabase(context, async (handle) => {
        const setup = await loadBatchSetup(handle, {
          user,
          envelope: context.config.outbound,
          duplicateWindowDays: context.config.duplicateIsa13Days,
          ...(asOf === undefined ? {} : { asOf }),
        })
        const queue = await startJobQueue(handle, { logger: context.logger })
        try {
          await startWorker({
            handle,
            boss: queue.boss,
            setup,
            outbox,
            concurrency,
            logger: context.logger,
            onChange: (counts) => {
              last = counts
              status.update(counts)
            },
            onResult: (result) => {
              status.finish()
              if (values.json) context.stdout.write(`${JSON.stringify(result)}\n`)
              else
                context.stdout.write(
                  `${escapeControl(result.file)}: ${result.status}, ${result.counts.claims} claims\n`,
                )
            },
          })
          // Wait for Ctrl-C / SIGTERM, or with --drain for an empty queue (seen twice in a row).
          let idle = 0
          while (!controller.signal.aborted) {
            await new Promise((resolve) => setTimeout(resolve, 1000))
            if (!values.drain) continue
            idle = (await queue.pending()) === 0 && (last?.inProgress ?? 0) === 0 ? idle + 1 : 0
            if (idle >= 2) break
          }
        } finally {
          await queue.stop()
        }
      })
    } finally {
      status.finish()
      process.removeListener('SIGINT', stop)
      process.removeListener('SIGTERM', stop)
    }
    const counts = last
    if (!values.json && counts !== undefined)
      context.stdout.write(
        `worker: ${counts.done} processed, ${counts.duplicates} duplicate, ${counts.failed} failed, ${counts.errors} job error(s)` +
          recoveryPendingClause(counts) +
          `, ${counts.claims} claims\n`,
      )
    return counts === undefined ? 0 : batchExitCode(counts)
  },
}
