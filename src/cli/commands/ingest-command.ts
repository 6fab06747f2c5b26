import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatCents } from '../../../parsers/money.js'
import { formatPosition } from '../../../parsers/x12/segment.js'
import type { X12Issue } from '../../../parsers/x12/x12-error.js'
import type { DuplicateControlPolicy, IngestFileResult } from '../../ingest/ingest-files.js'
import { ingestFiles, worstExitCode } from '../../ingest/ingest-files.js'
import { CliError } from '../cli-error.js'
import { actorOf, parseIntegerOption, resolvePath, withDatabase } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { escapeControl } from '../escape-control.js'
import { createProgress } from '../progress.js'

const USAGE = `Usage: onco-edi ingest FILE... [--concurrency N] [--on-duplicate-control warn|quarantine] [--user USER] [--json]

Stores 837 files (submitted claims), 835 files (remittances) and the acknowledgments of the
claims we sent (999, 277CA) in the database. The kind is read from ST01. Each file is stored whole or not at all, in one transaction, and is reported
as soon as it is finished: stored, quarantined (with the reasons), duplicate or unreadable.

Duplicates are decided by content. A file with the same bytes (SHA-256) as one ingested before
stores nothing. A transaction set whose content (sender, ST01 and the segments between ST and SE)
was stored from another file is not stored again, so a file whose quarantined sets were fixed can
be sent again whole: only the fixed sets are stored. An interchange that reuses a sender + ISA13
with other content is stored with an X12_DUPLICATE_CONTROL_NUMBER warning.
835 claims are matched to their 837 claims, classified into rework queues with deadlines, and a
later payment of a reworked claim marks its items recovered.
A 999 marks the claims of each 837 set it answers (AK1 group, AK2 set) accepted or rejected; a
277CA marks each claim (TRN02 = CLM01) accepted, rejected or pending by its STC category, and a
rejection (A3, A6, A7, A8) opens a rework item in the rejection queue, due by the timely filing
limit. 837s are ingested first, then 999s and 277CAs, then 835s.

  --concurrency N            files ingested at once (default 4; PGlite runs one at a time)
  --on-duplicate-control P   warn (default): store a reused sender + ISA13 with a warning;
                             quarantine: quarantine the sets of such an interchange instead
  --user USER                recorded on audit events (default $ONCO_EDI_USER)
  --json                     one JSON result per file, one per line, as each file finishes

Files that cannot be read or stored get one coded line each on stderr (CODE: path: message).
A FIFO or /dev/stdin (ingest <(cat f.835)) is read once into a private temporary copy.

Exit codes: 0 every file stored or already ingested; 1 a file is not an 837/835 X12 file (empty,
UTF-16, binary: X12_* or INGEST_UNKNOWN_KIND), had quarantined sets or a warning, or could not be
stored; 2 usage, or a file cannot be opened (missing, a directory, no permission: INGEST_UNREADABLE).`

/** `onco-edi ingest FILE...`. */
export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'store 837/835/999/277CA files, match remits and acknowledgments, open rework items',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        concurrency: { type: 'string' },
        'on-duplicate-control': { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length === 0) throw new CliError('CLI_USAGE', 'Expected at least one FILE to ingest')
    const concurrency = parseIntegerOption('concurrency', values.concurrency, { min: 1, max: 64 }) ?? 4
    const user = actorOf(values.user, context)
    const policy = values['on-duplicate-control'] ?? 'warn'
    if (policy !== 'warn' && policy !== 'quarantine')
      throw new CliError(
        'CLI_USAGE',
        `Expected --on-duplicate-control to be warn or quarantine, got ${JSON.stringify(policy)}`,
      )
    const onDuplicateControl: DuplicateControlPolicy = policy
    const paths = positionals.map((p) => resolvePath(context, p))
    // On a terminal, a progress bar on stderr (bytes and claims over all files), cleared before
    // each file's line; nothing otherwise.
    const sizeOf = (path: string): number => {
      try {
        return statSync(path).size
      } catch {
        return 0
      }
    }
    const bar = createProgress({
      stream: context.stderr,
      label: 'ingest',
      totalBytes: paths.reduce((sum, path) => sum + sizeOf(path), 0),
      unit: 'claims',
    })
    const progress = new Map<string, { bytes: number; claims: number }>()
    let owedFailed = 0
    const results = await withDatabase(context, (handle) =>
      ingestFiles(paths, {
        handle,
        onOwedRecoveryPasses: (owed) => {
          context.logger.info({ ran: owed.ran, failed: owed.failed.length }, 'owed recovery passes')
          owedFailed = owed.failed.length
          for (const failed of owed.failed)
            context.stderr.write(
              `INGEST_RECOVERY_PENDING: the ${failed.kind === '837' ? 're-match' : 'recovery pass'} owed since file ${failed.fileId} was stored failed again: ${escapeControl(failed.message)}; run onco-edi rematch\n`,
            )
        },
        concurrency,
        onDuplicateControl,
        user,
        onProgress: (path, claims, bytes) => {
          context.logger.debug({ path, claims, bytes }, 'ingest progress (uncommitted)')
          progress.set(path, { bytes, claims })
          let total = { bytes: 0, count: 0 }
          for (const file of progress.values())
            total = { bytes: total.bytes + file.bytes, count: total.count + file.claims }
          bar.update(total)
        },
        onFile: (result) => {
          bar.finish()
          logResult(context, result)
          if (values.json) context.stdout.write(`${JSON.stringify(result)}\n`)
          else writeResult(context, result)
        },
      }),
    )
    return owedFailed > 0 ? Math.max(1, worstExitCode(results)) : worstExitCode(results)
  },
}

/** One log line per finished file: ids, counts and codes only (no PHI). */
function logResult(context: CommandContext, r: IngestFileResult): void {
  const fields = {
    file: r.name,
    sha256: r.sha256,
    kind: r.kind,
    status: r.status,
    claims: r.claims,
    sets: r.sets,
    items: r.items,
    recovered: r.recovered,
    duplicateSets: r.duplicateSets.length,
    warnings: r.warnings.map((w) => w.code),
    quarantined: r.quarantined.map((q) => ({
      st02: q.transactionControl,
      codes: q.reasons.map((i) => i.code),
    })),
    error: r.error?.code,
  }
  if (r.status === 'failed' || r.status === 'unreadable') context.logger.error(fields, 'ingest failed')
  else if (r.quarantined.length > 0 || r.warnings.length > 0)
    context.logger.warn(fields, 'ingested with findings')
  else context.logger.info(fields, 'ingested')
}

/** ` at POSITION`, unless the issue's message already ends with it (an X12Error's message does). */
function where(issue: X12Issue): string {
  if (issue.position === undefined) return ''
  const at = ` at ${formatPosition(issue.position)}`
  return issue.message.endsWith(at) ? '' : at
}

/** The human-readable lines of one file's result. */
function writeResult(context: CommandContext, r: IngestFileResult): void {
  const out = context.stdout
  if (r.status === 'failed' || r.status === 'unreadable') {
    // One coded line on stderr, as every command's errors are; it names the file.
    const message = r.message.includes(r.path) ? r.message : `${r.path}: ${r.message}`
    context.stderr.write(`${r.error?.code ?? 'INGEST_STORE_FAILED'}: ${escapeControl(message)}\n`)
    return
  }
  if (r.status === 'already_ingested') {
    out.write(`${escapeControl(r.name)}: duplicate: ${escapeControl(r.message)}\n`)
    return
  }
  const kindName = r.kind === '277' ? '277CA' : r.kind
  const parts = [
    `${kindName} ${r.status === 'partial' ? 'stored with quarantined sets' : 'stored'}`,
    `${r.claims} claims`,
  ]
  const acked = r.acknowledged
  if (acked !== undefined) {
    parts.push(`${acked.accepted} accepted`, `${acked.rejected} rejected`, `${acked.pending} pending`)
    if (acked.unmatched > 0) parts.push(`${acked.unmatched} unmatched`)
    if (r.kind === '277') parts.push(`${r.items} rejection items`)
  }
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
  if (r.duplicateSets.length > 0) parts.push(`${r.duplicateSets.length} transaction set(s) already stored`)
  out.write(`${escapeControl(r.name)}: ${parts.join(', ')}\n`)
  for (const warning of r.warnings) out.write(`  warning: ${warning.code} ${warning.message}\n`)
  for (const q of r.quarantined) {
    for (const reason of q.reasons) {
      out.write(
        `  quarantined ST02 ${escapeControl(q.transactionControl)}: ${reason.code} ${escapeControl(reason.message)}${where(reason)}\n`,
      )
    }
  }
}
