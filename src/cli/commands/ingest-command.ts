import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatCents } from '../../../parsers/money.js'
import { formatPosition } from '../../../parsers/x12/segment.js'
import { ingestFiles } from '../../ingest/ingest-files.js'
import { CliError } from '../cli-error.js'
import { actorOf, checkInputFile, parseIntegerOption, resolvePath, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.js'
import { escapeControl } from '../escape-control.js'
import { createProgress } from '../progress.js'

const USAGE = `Usage: onco-edi ingest FILE... [--concurrency N] [--user USER] [--json]

Stores 837 files (submitted claims) and 835 files (remittances) in the database. The kind is
read from ST01. Each file is stored whole or not at all, in one transaction; a file already
ingested (same content, or same sender + ISA13) stores nothing new and says so. Quarantined
transaction sets are reported with their reasons and the rest of the file is stored.
835 claims are matched to their 837 claims, classified into rework queues with deadlines, and a
later payment of a reworked claim marks its items recovered.

  --concurrency N  files ingested at once (default 4; PGlite runs one at a time)
  --user USER      recorded on audit events (default $ONCO_EDI_USER)
  --json           one JSON result per file

Exit codes: 0 all stored or already ingested, 1 a file failed (not X12, ...) or had quarantined sets,
2 usage error or a file that cannot be opened (the other files are still ingested).`

/** `onco-edi ingest FILE...`. */
export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'store 837/835 files, match remits, open rework items',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        concurrency: { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length === 0) throw new CliError('CLI_USAGE', 'Expected at least one FILE to ingest')
    const concurrency = parseIntegerOption('concurrency', values.concurrency, { min: 1, max: 64 }) ?? 4
    const user = actorOf(values.user, context)
    // A file that cannot be opened (missing, a directory, a FIFO) is reported and the others go on.
    let unreadable = 0
    const paths: string[] = []
    for (const p of positionals) {
      const path = resolvePath(context, p)
      try {
        checkInputFile(path, p)
        paths.push(path)
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        unreadable++
        context.stderr.write(`${error.code}: ${error.message}\n`)
      }
    }
    if (paths.length === 0) return EXIT_USAGE
    // On a terminal, a progress bar on stderr (bytes and claims over all files); nothing otherwise.
    const progress = createProgress({
      stream: context.stderr,
      label: 'ingest',
      totalBytes: paths.reduce((sum, path) => sum + statSync(path).size, 0),
      unit: 'claims',
    })
    const done = new Map<string, { bytes: number; claims: number }>()
    const results = await withDatabase(context, (handle) =>
      ingestFiles(paths, {
        handle,
        concurrency,
        user,
        onProgress: (path, claims, bytes) => {
          context.logger.debug({ path, claims }, 'ingest progress (uncommitted)')
          done.set(path, { bytes, claims })
          let total = { bytes: 0, count: 0 }
          for (const file of done.values())
            total = { bytes: total.bytes + file.bytes, count: total.count + file.claims }
          progress.update(total)
        },
      }),
    ).finally(() => progress.finish())
    for (const r of results) {
      // Ids and counts only: file name, hash, control numbers and issue codes carry no PHI.
      const fields = {
        file: r.name,
        sha256: r.sha256,
        kind: r.kind,
        status: r.status,
        claims: r.claims,
        items: r.items,
        recovered: r.recovered,
        quarantined: r.quarantined.map((q) => ({
          st02: q.transactionControl,
          codes: q.reasons.map((i) => i.code),
        })),
        error: r.error?.code,
      }
      if (r.status === 'failed') context.logger.error(fields, 'ingest failed')
      else if (r.quarantined.length > 0)
        context.logger.warn(fields, 'ingested with quarantined transaction sets')
      else context.logger.info(fields, 'ingested')
    }
    if (values.json) {
      context.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
    } else {
      for (const r of results) {
        const name = escapeControl(r.name)
        if (r.status === 'failed') {
          context.stdout.write(`${name}: failed: ${r.error?.code ?? ''} ${escapeControl(r.message)}\n`)
          continue
        }
        if (r.status === 'already_ingested') {
          context.stdout.write(`${name}: ${escapeControl(r.message)}\n`)
          continue
        }
        const parts = [`${r.kind} ${r.status}`, `${r.claims} claims`]
        if (r.kind === '835') {
          parts.push(
            `${r.matched} matched`,
            `${r.unmatched} unmatched`,
            `${r.reversals} reversals`,
            `${r.items} rework items`,
          )
          if (r.recovered > 0) parts.push(`${r.recovered} recovered (${formatCents(r.recoveredAmount)})`)
        }
        if (r.kind === '837' && r.rematched.claims > 0) {
          parts.push(
            `${r.rematched.claims} earlier remit claim(s) now matched (${r.rematched.items} rework item(s), ${r.rematched.deadlines} deadline(s) recomputed)`,
          )
        }
        if (r.skippedInterchanges.length > 0)
          parts.push(`${r.skippedInterchanges.length} interchange(s) already ingested`)
        context.stdout.write(`${name}: ${parts.join(', ')}\n`)
        for (const q of r.quarantined) {
          for (const reason of q.reasons) {
            const where = reason.position === undefined ? '' : ` at ${formatPosition(reason.position)}`
            context.stdout.write(
              `  quarantined ST02 ${q.transactionControl}: ${reason.code} ${reason.message}${where}\n`,
            )
          }
        }
      }
    }
    // The worst outcome: a file that cannot be opened (2), then one that failed or was partial (1).
    if (unreadable > 0 || results.some((r) => r.error?.code === 'INGEST_UNREADABLE')) return EXIT_USAGE
    return results.some((r) => r.status === 'failed' || r.status === 'partial') ? EXIT_FINDINGS : EXIT_OK
  },
}
