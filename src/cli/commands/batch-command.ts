import { parseArgs } from 'node:util'
import type { BatchCounts } from '../../batch/batch-service.js'
import type { BatchResult } from '../../batch/process-file.js'
import { CliError } from '../cli-error.js'
import { actorOf, parseDateOption, parseIntegerOption, resolvePath, withDatabase } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi batch --inbox DIR --outbox DIR [--concurrency N] [--once] [--rescan SECONDS] [--as-of DATE] [--user USER] [--json]

The clearinghouse inbox. Each file dropped into the inbox is claimed (renamed into DIR/.work/),
processed, and its outputs are written into the outbox (temporary name, then rename):
  837   scrubbed: NAME.accepted.x12 and NAME.rejected.x12 (batches for submission, with outbound
        control numbers that are never reused), NAME.findings.ndjson
  835   stored and matched, denials routed to the rework queues (as "ingest" does)
  JSON  claims in parse's record shape: written as an 837 (NAME.837.x12, as build-837 does),
        then scrubbed as an 837
  every file: NAME.result.json (status, counts, codes, the acknowledgment's file name)
Finished files move to DIR/.done/, files that cannot be read to DIR/.failed/ (with their result).
The same bytes dropped twice are processed once: the second is a "duplicate". Killed at any
moment (kill -9 included), the next start finishes what was in DIR/.work/: each file ends with
exactly one result. Without --once the inbox is watched (files written as NAME.part and renamed
when complete are taken only then) and rescanned every --rescan seconds (default 30).

  --inbox DIR          the folder files are dropped into (created when missing)
  --outbox DIR         where results and outputs go (created when missing)
  --concurrency N      files processed at once (default 4; PGlite runs one at a time)
  --once               process what is in the inbox, then exit (no watching)
  --rescan SECONDS     seconds between rescans when watching (1 to 3600, default 30)
  --as-of DATE         the scrub's date (default today)
  --user USER          recorded on audit events (default $ONCO_EDI_USER)
  --json               one JSON result per file, one per line, as each file finishes

On a terminal a status line on stderr counts files queued, in progress, done and failed, and
claims per second. LOG_LEVEL=info logs one JSON line per file (name, counts, codes; no PHI).

Exit codes: 0 every file processed (or a duplicate); 1 a file could not be read (moved to
.failed/) or the database refused one (kept in .work/ for the next run); 2 usage.`

/** `onco-edi batch`. */
export const batchCommand: Command = {
  name: 'batch',
  summary: 'the clearinghouse inbox: claim, scrub or store, and answer every dropped file',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        inbox: { type: 'string' },
        outbox: { type: 'string' },
        concurrency: { type: 'string' },
        once: { type: 'boolean', default: false },
        rescan: { type: 'string' },
        'as-of': { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (values.inbox === undefined || values.outbox === undefined)
      throw new CliError('CLI_USAGE', 'Expected --inbox DIR and --outbox DIR')
    const concurrency = parseIntegerOption('concurrency', values.concurrency, { min: 1, max: 64 }) ?? 4
    const rescanSeconds = parseIntegerOption('rescan', values.rescan, { min: 1, max: 3600 }) ?? 30
    const asOf = parseDateOption('as-of', values['as-of'])
    const user = actorOf(values.user, context)
    const inbox = resolvePath(context, values.inbox)
    const outbox = resolvePath(context, values.outbox)
    const { runBatchService } = await import('../../batch/batch-service.js')
    const { loadBatchSetup } = await import('../../batch/batch-setup.js')
    const { batchExitCode, createStatusLine, recoveryPendingClause } = await import(
      '../../batch/status-line.js'
    )
    const status = createStatusLine(context.stderr, 'batch')
    const controller = new AbortController()
    const stop = (): void => controller.abort()
    if (!values.once) {
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    }
    let counts: BatchCounts
    try {
      counts = await withDatabase(context, async (handle) => {
        const setup = await loadBatchSetup(handle, {
          user,
          envelope: context.config.outbound,
          duplicateWindowDays: context.config.duplicateIsa13Days,
          ...(asOf === undefined ? {} : { asOf }),
        })
        for (const note of setup.notes) context.logger.info({ note }, 'batch setup')
        return runBatchService({
          handle,
          setup,
          inbox,
          outbox,
          concurrency,
          once: values.once,
          logger: context.logger,
          rescanSeconds,
          signal: controller.signal,
          onChange: (c) => status.update(c),
          onResult: (result) => {
            status.finish()
            if (values.json) context.stdout.write(`${JSON.stringify(result)}\n`)
            else writeResult(context, result)
          },
        })
      })
    } finally {
      status.finish()
      process.removeListener('SIGINT', stop)
      process.removeListener('SIGTERM', stop)
    }
    if (!values.json)
      context.stdout.write(
        `batch: ${counts.done} processed, ${counts.duplicates} duplicate, ${counts.failed} failed` +
          (counts.errors > 0 ? `, ${counts.errors} kept in .work/ to be tried again` : '') +
          recoveryPendingClause(counts) +
          `, ${counts.claims} claims\n`,
      )
    return batchExitCode(counts)
  },
}

function writeResult(context: CommandContext, r: BatchResult): void {
  context.stdout.write(`${describeBatchResult(r)}\n`)
}

/**
 * The one line `batch` prints for a finished file (without `--json`): its status, counts and
 * acknowledgment. Interchanges answered with TA1 025 (a sender's ISA13 already accepted) are named.
 */
export function describeBatchResult(r: BatchResult): string {
  const name = escapeControl(r.file)
  if (r.status === 'failed') return `${name}: failed (${r.codes.join(', ')})`
  const c = r.counts
  const reused =
    c.duplicateInterchanges > 0
      ? `${c.duplicateInterchanges} interchange(s) answered TA1 025 (duplicate ISA13)`
      : ''
  const ack = r.acknowledgment === null ? '' : ` (${escapeControl(r.acknowledgment)})`
  if (r.status === 'duplicate') {
    const of = escapeControl(r.duplicateOf?.file ?? 'an earlier file')
    return `${name}: duplicate of ${of}${reused === '' ? '' : `, ${reused}`}${ack}`
  }
  const detail =
    r.kind === '837'
      ? `${c.claims} claims, ${c.accepted} accepted / ${c.rejected} rejected`
      : `${c.claims} claims, ${c.matched} matched, ${c.items} rework items`
  const quarantined = c.quarantinedSets > 0 ? `, ${c.quarantinedSets} set(s) quarantined` : ''
  const line = `${name}: ${r.kind ?? ''} ${detail}${quarantined}${reused === '' ? '' : `, ${reused}`}${ack}`
  // Stored, but the pass after its commit failed: the warning's own line says why and what repairs it.
  const warnings = (r.warnings ?? []).map((w) => `\n  warning: ${w.code} ${escapeControl(w.message)}`)
  return `${line}${warnings.join('')}`
}
