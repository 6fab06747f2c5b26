import { parseArgs } from 'node:util'
import { CliError } from '../cli-error.js'
import { formatTable, parseIntegerOption, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'

const USAGE = `Usage: onco-edi jobs list [--failed] [--limit N] [--json]

Lists the batch jobs of the job queue (pg-boss), oldest first: id, file, state (created, retry,
active, completed, failed), retries, and for a failed job its last error. --failed shows only
the jobs whose retries are spent (the dead letter: each is also copied to the queue
onco-edi-batch-dead).

  --failed    failed jobs only
  --limit N   the newest N jobs (default 100)
  --json      the jobs as a JSON array

Exit codes: 0 ok; 2 usage.`

/** `onco-edi jobs`. */
export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list batch jobs; --failed shows the dead letter with its errors',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        failed: { type: 'boolean', default: false },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals[0] !== 'list' || positionals.length > 1)
      throw new CliError('CLI_USAGE', 'Expected "onco-edi jobs list [--failed]"')
    const limit = parseIntegerOption('limit', values.limit, { min: 1, max: 100_000 }) ?? 100
    const { startJobQueue, listJobs } = await import('../../batch/job-queue.js')
    const jobs = await withDatabase(context, async (handle) => {
      const queue = await startJobQueue(handle, { logger: context.logger })
      try {
        return await listJobs(queue.boss, { failed: values.failed, limit })
      } finally {
        await queue.stop()
      }
    })
    if (values.json) {
      context.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`)
      return 0
    }
    const errorOf = (output: unknown): string =>
      typeof output === 'object' && output !== null && 'code' in output
        ? `${String(output.code)}${'message' in output ? `: ${String(output.message)}` : ''}`
        : ''
    context.stdout.write(
      formatTable(
        ['ID', 'FILE', 'STATE', 'RETRIES', 'CREATED', 'ERROR'],
        jobs.map((j) => [
          j.id,
          j.file,
          j.state + (j.deadLettered ? ' (dead letter)' : ''),
          String(j.retries),
          j.createdOn,
          j.state === 'completed' ? '' : errorOf(j.output),
        ]),
      ),
    )
    return 0
  },
}
