import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { CliError } from '../cli-error.js'
import { checkInputFile, resolvePath, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi enqueue FILE... [--json]

Creates one job per FILE for "onco-edi worker". The file's bytes are stored in the database
(table batch_upload) in the same transaction as its job, so workers on any machine read them
from PostgreSQL: no shared input folder is needed, and the file may be deleted once enqueued.
The bytes are deleted when the job's file is processed. The same bytes enqueued twice are
processed once: the second job's result is "duplicate".

  --json   one JSON line per file: { file, claimId, sha256, jobId }

Exit codes: 0 every file enqueued; 2 usage or a file that cannot be read (nothing is enqueued).`

/** `onco-edi enqueue`. */
export const enqueueCommand: Command = {
  name: 'enqueue',
  summary: 'queue files (bytes stored in the database) for onco-edi worker',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    })
    if (positionals.length === 0) throw new CliError('CLI_USAGE', 'Expected at least one FILE to enqueue')
    const paths = positionals.map((p) => resolvePath(context, p))
    for (const [i, shown] of positionals.entries()) checkInputFile(paths[i] ?? shown, shown)
    const { startJobQueue, enqueueFiles } = await import('../../batch/job-queue.js')
    const enqueued = await withDatabase(context, async (handle) => {
      const queue = await startJobQueue(handle, { logger: context.logger })
      try {
        return await enqueueFiles(handle, queue.boss, paths, (path) => readFile(path))
      } finally {
        await queue.stop()
      }
    })
    for (const e of enqueued) {
      context.logger.info({ file: e.file, claimId: e.claimId, sha256: e.sha256, job: e.jobId }, 'enqueued')
      if (values.json) context.stdout.write(`${JSON.stringify(e)}\n`)
      else
        context.stdout.write(
          `${escapeControl(e.file)}: enqueued as job ${e.jobId ?? '?'} (claim ${e.claimId})\n`,
        )
    }
    return 0
  },
}
