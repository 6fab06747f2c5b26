import type { WriteStream } from 'node:fs'
import { createReadStream, createWriteStream, openSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { envelopeShape837, writeClaims837 } from '../../parsers/claim837/claim837-writer.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { X12Position } from '../../parsers/x12/segment.js'
import { formatPosition } from '../../parsers/x12/segment.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { FixRecord } from '../../transforms/scrub/apply-fixes.js'
import { applyFixes } from '../../transforms/scrub/apply-fixes.js'
import type { CodeTableSet } from '../../transforms/scrub/code-table-set.js'
import { scrubClaim } from '../../transforms/scrub/scrub-claim.js'
import type {
  AuthUsage,
  LedgerLine,
  ScheduledInfusion,
  ScrubLedger,
  TrackedAuthorization,
} from '../../transforms/scrub/scrub-context.js'
import { createScrubContext, ledgerLinesOf, MemoryScrubLedger } from '../../transforms/scrub/scrub-context.js'
import type { ScrubReference } from '../../transforms/scrub/scrub-reference.js'
import type { Finding } from '../../transforms/scrub/scrub-rule.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import type { SpooledInput } from '../input-spool.js'
import { spoolInput } from '../input-spool.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { resolveOutboundIds } from '../outbound-envelope.js'
import { describeFsError, OutputFileError, prepareOutputDir } from '../output-file.js'
import { readX12File } from '../pipeline/read-x12.js'
import type { ScrubbedClaimRecord } from './scrub-repository.js'
import { createScrubRun, finishScrubRun, saveScrubbedClaims } from './scrub-repository.js'

/**
 * A file to scrub: a path, or a path with the name to report it by (e.g. as the user typed it).
 * `skip`: byte ranges of the file (`from` inclusive, `to` exclusive) whose transaction sets are
 * neither scrubbed nor reported, e.g. an interchange its TA1 rejected (ISA offset to the next ISA).
 */
export type ScrubInput = string | ScrubFileInput

/** A file to scrub with the name to report it by, and the byte ranges left out of it. */
export interface ScrubFileInput {
  path: string
  name: string
  skip?: readonly { from: number; to: number }[] | undefined
}

/** What {@link scrubFiles} needs. Code tables and reference tables are loaded once by the caller. */
export interface ScrubFilesOptions {
  files: readonly ScrubInput[]
  outDir: string
  asOf: IsoDate
  fix: boolean
  codes: CodeTableSet
  reference: ScrubReference
  authorizations?: readonly TrackedAuthorization[]
  schedule?: readonly ScheduledInfusion[]
  /** Ledger lines of earlier runs (from the database). */
  ledgerLines?: readonly LedgerLine[]
  /** When given, the run, its findings and the accepted claims' lines are stored. */
  db?: Kysely<Database> | undefined
  /**
   * The database whose persisted counter gives the outbound ISA13/GS06/ST02 of accepted.x12 and
   * rejected.x12 (src/db/control-number-repository.ts): numbers are never reused across runs.
   * Default `db`; one of the two is required.
   */
  controlNumbers?: Kysely<Database> | undefined
  /** ISA06/ISA08/GS02/GS03 of the output; default the input interchange's sender and receiver. */
  envelope?: OutboundEnvelopeConfig | undefined
  /** Called as each file finishes (scrubbed or unreadable), in the order they finish. */
  onFile?: (result: ScrubFileResult) => void
  /**
   * Called before each batch of claims is scrubbed with the file's path, the claims read so far
   * (all files) and the byte offset in the file of the batch's last claim (for a progress bar).
   */
  onProgress?: (path: string, claims: number, bytes: number) => void
}

/** Per-rule counts of the summary, with the first claim the rule hit. */
export interface RuleSummary {
  rule: string
  errors: number
  warnings: number
  claims: number
  first: { file: string; claimId: string }
}

/** Per-claim line of the summary (claims with findings or fixes only, to keep memory flat). */
export interface ClaimSummary {
  claimId: string
  file: string
  accepted: boolean
  errors: number
  warnings: number
  fixes: number
  rules: string[]
}

/** Repeated issues of one code, grouped: how many, and where the first one was. */
export interface IssueGroup {
  code: string
  count: number
  /** The first issue's message (without its position). */
  message: string
  /** The file of the first issue. */
  file: string
  position: X12Position | undefined
}

/** A transaction set that was not scrubbed because the reader quarantined it (or it could not be written). */
export interface QuarantinedSet {
  file: string
  /** ISA13 of its interchange. */
  interchangeControl: string
  /** ST02. */
  transactionControl: string
  claims: number
  issues: IssueGroup[]
}

/** What became of one input file. */
export interface ScrubFileResult {
  file: string
  /** `unreadable`: not read at all (cannot be opened, not X12); nothing of it was written. */
  status: 'scrubbed' | 'unreadable'
  claims: number
  accepted: number
  rejected: number
  errors: number
  warnings: number
  fixes: number
  quarantined: QuarantinedSet[]
  /** Error-level envelope issues outside any set (e.g. IEA01 wrong), grouped by code. */
  issues: IssueGroup[]
  /** Why the file is unreadable: `CLI_UNREADABLE_INPUT` (cannot be read) or an `X12_` code. */
  error: { code: string; message: string; position: X12Position | undefined } | undefined
  /** 0 clean, 1 findings or errors in the data (incl. not X12), 2 the file cannot be read. */
  exitCode: number
}

/** The result of a scrub run, printed as text or JSON. */
export interface ScrubSummary {
  asOf: IsoDate
  /** Each input file's outcome, in the order they finished. */
  files: ScrubFileResult[]
  claims: number
  accepted: number
  rejected: number
  errors: number
  warnings: number
  fixes: number
  /** Files that could not be read. */
  unreadable: number
  /** Quarantined sets in all files. */
  quarantinedSets: number
  /** Every error (quarantine reason, envelope issue, unreadable file) grouped by code across the run. */
  issueCodes: IssueGroup[]
  rules: RuleSummary[]
  /** Claims with findings or fixes: the first {@link FLAGGED_CLAIMS_KEPT} (summary.txt lists all). */
  flaggedClaims: ClaimSummary[]
  /** How many claims had findings or fixes in all. */
  flaggedClaimCount: number
  outputs: {
    accepted: string
    rejected: string
    findings: string
    summary: string
    fixes: string | undefined
  }
  runId: number | undefined
  /** The worst file's exit code: 0 clean, 1 findings or errors in the data, 2 a file cannot be read. */
  exitCode: number
}

/**
 * Scrubs the 837 claims of `files`, streaming: each transaction set's claims are staged until its
 * `transaction-end` (a quarantined set is skipped and reported), then scrubbed, fixed when asked
 * and re-scrubbed, and written to `accepted.x12` / `rejected.x12` (one interchange per input set,
 * with fresh envelopes whose control numbers come from the persisted counter), `findings.ndjson`,
 * `fixes.ndjson` and `summary.txt`. Every finding, fix and summary line names its file.
 *
 * Files are isolated: a file that cannot be read (a folder, no permission) or is not X12 (UTF-16,
 * binary, no ISA) is reported with its coded error and the others go on; nothing of it is written.
 * A first pass reads every file: it finds the unreadable ones before anything is written, and
 * indexes the batch's hospital outpatient (837I, TOB 013x) lines so that an 837P is checked against
 * an 837I that comes later in the batch (pro-facility-duplicate).
 *
 * Throws `CLI_UNWRITABLE_OUTPUT` when the output folder or one of its files cannot be written.
 */
export async function scrubFiles(options: ScrubFilesOptions): Promise<ScrubSummary> {
  const counter = options.controlNumbers ?? options.db
  if (counter === undefined)
    throw new TypeError('scrubFiles needs `controlNumbers` (or `db`): the database that numbers its output')
  prepareOutputDir(options.outDir)
  const inputs = options.files.map((f) => (typeof f === 'string' ? { path: f, name: basename(f) } : f))
  const paths = {
    accepted: join(options.outDir, 'accepted.x12'),
    rejected: join(options.outDir, 'rejected.x12'),
    findings: join(options.outDir, 'findings.ndjson'),
    summary: join(options.outDir, 'summary.txt'),
    fixes: options.fix ? join(options.outDir, 'fixes.ndjson') : undefined,
  }
  const claimsPath = join(options.outDir, '.summary-claims.tmp')
  // Every output is opened before any input is read: an unwritable folder fails at once.
  const accepted = openOutput(paths.accepted)
  const rejected = openOutput(paths.rejected)
  const findingsOut = openOutput(paths.findings)
  const fixesOut = paths.fixes === undefined ? undefined : openOutput(paths.fixes)
  const claimsOut = openOutput(claimsPath)
  const summary: ScrubSummary = {
    asOf: options.asOf,
    files: [],
    claims: 0,
    accepted: 0,
    rejected: 0,
    errors: 0,
    warnings: 0,
    fixes: 0,
    unreadable: 0,
    quarantinedSets: 0,
    issueCodes: [],
    rules: [],
    flaggedClaims: [],
    flaggedClaimCount: 0,
    outputs: paths,
    runId: undefined,
    exitCode: 0,
  }
  const issueCodes = new Map<string, IssueGroup>()
  const finish = (result: ScrubFileResult): void => {
    result.exitCode = fileExitCode(result)
    summary.files.push(result)
    summary.exitCode = Math.max(summary.exitCode, result.exitCode)
    if (result.status === 'unreadable') summary.unreadable++
    summary.quarantinedSets += result.quarantined.length
    const groups = [...result.quarantined.flatMap((q) => q.issues), ...result.issues]
    if (result.error !== undefined) groups.push({ ...result.error, count: 1, file: result.file })
    for (const g of groups) {
      const seen = issueCodes.get(g.code)
      if (seen === undefined) issueCodes.set(g.code, { ...g })
      else seen.count += g.count
    }
    options.onFile?.(result)
  }

  const rules = new Map<string, RuleSummary>()
  const spooled: SpooledInput[] = []
  try {
    // Pass 1: which files read, and the batch's facility lines.
    const ledger = new MemoryScrubLedger()
    if (options.ledgerLines !== undefined) ledger.load(options.ledgerLines)
    const facility = new MemoryScrubLedger()
    const readable: ScrubFileInput[] = []
    for (const given of inputs) {
      const lines: { claimId: string; lines: LedgerLine[] }[] = []
      let input = given
      try {
        // A FIFO or device (`scrub <(cat f.837)`) can be read once: it is spooled to a private
        // copy, since the scrub reads every file twice.
        const copy = await spoolInput(given.path)
        if (copy.spooled) {
          spooled.push(copy)
          input = { ...given, path: copy.path }
        }
        for await (const claims of claimSets(
          input,
          () => {},
          () => {},
        ))
          for (const claim of claims)
            if (claim.kind === '837I' && /^0?13/.test(claim.typeOfBill ?? ''))
              lines.push({ claimId: claim.claimId, lines: ledgerLinesOf(claim, options.asOf) })
      } catch (error) {
        finish(unreadableResult(input.name, error))
        continue
      }
      for (const l of lines) facility.replaceClaim(l.claimId, l.lines)
      readable.push(input)
    }
    const context = createScrubContext({
      codes: options.codes,
      reference: options.reference,
      authorizations: options.authorizations ?? [],
      schedule: options.schedule ?? [],
      ledger: batchLedger(ledger, facility),
      asOf: options.asOf,
    })
    const runId =
      options.db === undefined
        ? undefined
        : await createScrubRun(
            options.db,
            options.asOf,
            inputs.map((i) => i.path),
          )
    summary.runId = runId

    // Pass 2: scrub and write, file by file.
    let claimsRead = 0
    for (const input of readable) {
      const result = emptyResult(input.name)
      try {
        const onQuarantine = (set: QuarantinedSet): void => {
          result.quarantined.push(set)
        }
        const onIssue = (issue: X12Issue): void => addIssue(result.issues, input.name, issue)
        for await (const claims of claimSets(input, onQuarantine, onIssue)) {
          const first = claims[0]
          if (first === undefined) continue
          claimsRead += claims.length
          options.onProgress?.(input.path, claimsRead, claims.at(-1)?.position.offset ?? 0)
          const where = {
            file: input.name,
            isa13: first.envelope.interchangeControl,
            st02: first.envelope.transactionControl,
          }
          const good: Claim837[] = []
          const bad: Claim837[] = []
          const records: ScrubbedClaimRecord[] = []
          const scrubbed: {
            claim: Claim837
            findings: readonly Finding[]
            fixes: FixRecord[]
            accepted: boolean
          }[] = []
          for (const original of claims) {
            let claim = original
            let outcome = scrubClaim(claim, context)
            let fixes: FixRecord[] = []
            if (options.fix && outcome.findings.some((f) => f.fix !== undefined)) {
              const fixed = applyFixes(claim, outcome.findings)
              if (fixed.fixes.length > 0) {
                fixes = fixed.fixes
                claim = fixed.claim
                outcome = scrubClaim(claim, context)
              }
            }
            const lines = ledgerLinesOf(claim, options.asOf)
            if (outcome.accepted) {
              good.push(claim)
              ledger.replaceClaim(claim.claimId, lines)
            } else {
              bad.push(claim)
              ledger.removeClaim(claim.claimId)
            }
            scrubbed.push({ claim, findings: outcome.findings, fixes, accepted: outcome.accepted })
            records.push({
              claimId: claim.claimId,
              accepted: outcome.accepted,
              findings: outcome.findings,
              lines,
            })
          }
          // The set's interchanges are built before anything of it is written: a set the writer
          // refuses (a value holding an output delimiter) is reported as not scrubbed.
          let texts: { good: string; bad: string }
          try {
            texts = {
              good: good.length === 0 ? '' : await writeSet(good, options, counter),
              bad: bad.length === 0 ? '' : await writeSet(bad, options, counter),
            }
          } catch (error) {
            if (!(error instanceof X12Error)) throw error
            for (const claim of good) ledger.removeClaim(claim.claimId)
            const issues: IssueGroup[] = []
            addIssue(issues, input.name, error.toIssue())
            result.quarantined.push({
              file: input.name,
              interchangeControl: where.isa13,
              transactionControl: where.st02,
              claims: claims.length,
              issues,
            })
            continue
          }
          for (const one of scrubbed) {
            const { claim, findings, fixes } = one
            result.claims++
            for (const fix of fixes)
              await fixesOut?.write(
                `${JSON.stringify({ file: where.file, isa13: where.isa13, st02: where.st02, ...fix })}\n`,
              )
            result.fixes += fixes.length
            for (const f of findings) await findingsOut.write(`${findingJson(f, where)}\n`)
            tally(result, rules, findings, input.name)
            if (findings.length > 0 || fixes.length > 0) {
              const flagged: ClaimSummary = {
                claimId: claim.claimId,
                file: input.name,
                accepted: one.accepted,
                errors: findings.filter((f) => f.severity === 'error').length,
                warnings: findings.filter((f) => f.severity === 'warning').length,
                fixes: fixes.length,
                rules: [...new Set(findings.map((f) => f.rule))],
              }
              summary.flaggedClaimCount++
              // Memory stays flat: the full per-claim list streams to a side file for summary.txt.
              if (summary.flaggedClaims.length < FLAGGED_CLAIMS_KEPT) summary.flaggedClaims.push(flagged)
              await claimsOut.write(`${formatClaimLine(flagged)}\n`)
            }
            if (one.accepted) result.accepted++
            else result.rejected++
          }
          await accepted.write(texts.good)
          await rejected.write(texts.bad)
          if (options.db !== undefined) await saveScrubbedClaims(options.db, runId, records)
        }
      } catch (error) {
        // Only when the file changed or vanished since the first pass: sets already written stay.
        const unreadable = unreadableResult(input.name, error)
        result.status = 'unreadable'
        result.error = unreadable.error
      }
      for (const key of ['claims', 'accepted', 'rejected', 'errors', 'warnings', 'fixes'] as const)
        summary[key] += result[key]
      finish(result)
    }
  } finally {
    for (const copy of spooled) await copy.release()
    await Promise.allSettled([
      accepted.close(),
      rejected.close(),
      findingsOut.close(),
      claimsOut.close(),
      fixesOut?.close(),
    ])
  }
  for (const stream of [accepted, rejected, findingsOut, claimsOut, fixesOut]) stream?.check()
  summary.rules = [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule))
  summary.issueCodes = [...issueCodes.values()].sort(
    (a, b) => b.count - a.count || a.code.localeCompare(b.code),
  )
  if (options.db !== undefined && summary.runId !== undefined)
    await finishScrubRun(options.db, summary.runId, {
      claims: summary.claims,
      accepted: summary.accepted,
      rejected: summary.rejected,
      errors: summary.errors,
      warnings: summary.warnings,
      fixes: summary.fixes,
    })
  // summary.txt: the head, then every flagged claim from the side file, then the outputs.
  const { files, head, tail } = summaryParts(summary)
  const out = openOutput(paths.summary)
  try {
    await out.write(files)
    await out.write(head)
    if (summary.flaggedClaimCount === 0) await out.write('  (every claim is clean)\n')
    for await (const chunk of createReadStream(claimsPath, { encoding: 'utf8' }))
      await out.write(String(chunk))
    await out.write(tail)
  } finally {
    await out.close()
    out.check()
    rmSync(claimsPath, { force: true })
  }
  return summary
}

/** Flagged claims kept in memory for the printed/JSON summary; summary.txt lists every one. */
export const FLAGGED_CLAIMS_KEPT = 1000

/** The first lines of the summary, printed before any file finishes: the title and "Files:". */
export function formatScrubTitle(asOf: IsoDate): string {
  return `onco-edi scrub (as of ${asOf})\nFiles:\n`
}

/**
 * One file's outcome as summary lines, each naming the file: `NAME: scrubbed: 3 accepted / 1
 * rejected ...`, then one line per quarantined set and per envelope error, or `NAME: unreadable:
 * CODE: message at NAME (segment, byte)`.
 */
export function formatFileResult(r: ScrubFileResult): string {
  if (r.status === 'unreadable' && r.claims === 0) {
    const e = r.error
    return `  ${r.file}: unreadable: ${e === undefined ? '' : formatIssue({ ...e, count: 1, file: r.file }, { file: false, message: true })}\n`
  }
  const parts = [
    `  ${r.file}: scrubbed: ${r.accepted} accepted / ${r.rejected} rejected (${r.errors} errors, ${r.warnings} warnings${r.fixes > 0 ? `, ${r.fixes} fixes` : ''})`,
  ]
  if (r.claims === 0 && r.quarantined.length === 0) parts[0] += '; no 837 claims'
  if (r.quarantined.length > 0)
    parts[0] += `; ${r.quarantined.length} set${r.quarantined.length === 1 ? '' : 's'} quarantined`
  for (const q of r.quarantined)
    parts.push(
      `    ${q.file} ISA13 ${q.interchangeControl} ST02 ${q.transactionControl}: quarantined, ${q.claims} claims not scrubbed: ${q.issues.map((g) => formatIssue(g, { file: false, message: true })).join('; ')}`,
    )
  for (const issue of r.issues)
    parts.push(`    ${r.file}: ${formatIssue(issue, { file: false, message: true })}`)
  if (r.status === 'unreadable' && r.error !== undefined)
    parts.push(
      `    ${r.file}: unreadable after ${r.claims} claims: ${formatIssue({ ...r.error, count: 1, file: r.file }, { file: false, message: true })}`,
    )
  return parts.map((line) => `${line}\n`).join('')
}

/**
 * An unreadable file's error as one line for stderr, naming the file: `X12_NO_ISA: NAME at
 * (segment 0, byte 0): message`, or `CLI_UNREADABLE_INPUT: Cannot read NAME: it is a folder (EISDIR)`.
 */
export function formatFileError(r: ScrubFileResult): string | undefined {
  const e = r.error
  if (e === undefined) return undefined
  if (e.code === 'CLI_UNREADABLE_INPUT') return `${e.code}: ${e.message}`
  const where = e.position === undefined ? '' : ` at ${formatWhere(e.position)}`
  return `${e.code}: ${r.file}${where}: ${e.message}`
}

/**
 * The summary as readable text: files, totals, errors by code, per rule, per claim (the first
 * {@link FLAGGED_CLAIMS_KEPT}; summary.txt has them all). The same text as summary.txt.
 */
export function formatScrubSummary(summary: ScrubSummary): string {
  const { files, head, tail } = summaryParts(summary)
  return `${files}${formatScrubSummaryRest(summary, head, tail)}`
}

/** The summary after the per-file lines (what the CLI prints once the files have streamed). */
export function formatScrubSummaryAfterFiles(summary: ScrubSummary): string {
  const { head, tail } = summaryParts(summary)
  return formatScrubSummaryRest(summary, head, tail)
}

function formatScrubSummaryRest(summary: ScrubSummary, head: string, tail: string): string {
  const lines: string[] = []
  if (summary.flaggedClaimCount === 0) lines.push('  (every claim is clean)')
  for (const c of summary.flaggedClaims) lines.push(formatClaimLine(c))
  if (summary.flaggedClaimCount > summary.flaggedClaims.length)
    lines.push(`  … ${summary.flaggedClaimCount - summary.flaggedClaims.length} more in summary.txt`)
  return `${head}${lines.map((line) => `${line}\n`).join('')}${tail}`
}

/** The summary text: the files part, the part before the per-claim list (ending with "By claim:") and after it. */
function summaryParts(summary: ScrubSummary): { files: string; head: string; tail: string } {
  const files = `${formatScrubTitle(summary.asOf)}${summary.files.map(formatFileResult).join('')}`
  const lines: string[] = []
  const unreadable = summary.unreadable > 0 ? `, ${summary.unreadable} unreadable` : ''
  lines.push(
    `Files: ${summary.files.length}${unreadable}; claims: ${summary.claims} (accepted ${summary.accepted}, rejected ${summary.rejected}); findings: ${summary.errors} errors, ${summary.warnings} warnings; fixes applied: ${summary.fixes}`,
  )
  if (summary.issueCodes.length > 0) {
    lines.push('', 'Errors by code (quarantined sets, envelopes, unreadable files):')
    for (const g of summary.issueCodes) lines.push(`  ${formatIssue(g, { file: true, message: false })}`)
  }
  lines.push('', 'By rule:')
  if (summary.rules.length === 0) lines.push('  (no findings)')
  lines.push(
    ...summary.rules.map(
      (r) =>
        `  ${r.rule.padEnd(28)} ${String(r.errors).padStart(5)} errors ${String(r.warnings).padStart(5)} warnings ${String(r.claims).padStart(5)} claims, first ${r.first.file} ${r.first.claimId}`,
    ),
  )
  lines.push('', 'By claim:')
  const outputs = Object.values(summary.outputs).filter((p) => p !== undefined)
  return { files, head: `${lines.join('\n')}\n`, tail: `\nOutputs: ${outputs.join(', ')}\n` }
}

/**
 * `X12_BAD_HL ×412, first at FILE HL (segment 12, byte 345): message` (the count only when above
 * 1); without the file inside a line that already names it, without the message in the by-code list.
 */
function formatIssue(
  g: IssueGroup,
  show: { file: boolean; message: boolean } = { file: true, message: true },
): string {
  const count = g.count > 1 ? ` ×${g.count}, first` : ''
  const where = [show.file ? g.file : '', g.position === undefined ? '' : formatWhere(g.position)]
    .filter((part) => part !== '')
    .join(' ')
  return `${g.code}${count}${where === '' ? '' : ` at ${where}`}${show.message ? `: ${g.message}` : ''}`
}

/** A position without an empty segment id in front: `HL (segment 12, byte 345)` or `(segment 0, byte 0)`. */
function formatWhere(position: X12Position): string {
  return formatPosition(position).trimStart()
}

function formatClaimLine(c: ClaimSummary): string {
  const fixed = c.fixes > 0 ? `, ${c.fixes} fixed` : ''
  return `  ${c.file}: ${c.claimId.padEnd(20)} ${c.accepted ? 'accepted' : 'REJECTED'} ${c.errors} errors, ${c.warnings} warnings${fixed}: ${c.rules.join(', ') || '-'}`
}

/** Where a finding was: the input file, its interchange (ISA13) and transaction set (ST02). */
export interface FindingSource {
  file: string
  isa13: string
  st02: string
}

/**
 * One line of findings.ndjson: the file, interchange (ISA13), set (ST02) and claim (CLM01, as
 * `claimId`), then the finding; `null` for absent values.
 */
export function findingJson(f: Finding, source: FindingSource): string {
  return JSON.stringify({
    file: source.file,
    isa13: source.isa13,
    st02: source.st02,
    claimId: f.claimId,
    line: f.line ?? null,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    position: f.position,
    suggestion: f.suggestion ?? null,
  })
}

/** Yields the claims of each 837 transaction set that was not quarantined. */
async function* claimSets(
  input: ScrubFileInput,
  onQuarantine: (set: QuarantinedSet) => void,
  onIssue: (issue: X12Issue) => void,
): AsyncGenerator<Claim837[]> {
  const skip = input.skip ?? []
  const skipped = (offset: number | undefined): boolean =>
    offset !== undefined && skip.some((range) => offset >= range.from && offset < range.to)
  let staged: Claim837[] = []
  for await (const events of readX12File(input.path)) {
    for (const event of events) {
      if (event.type === 'transaction-start') staged = []
      else if (event.type === 'claim837') staged.push(event.claim)
      else if (event.type === 'issue') {
        if (event.issue.severity === 'error' && !skipped(event.issue.position?.offset)) onIssue(event.issue)
      } else if (event.type === 'interchange-end') {
        for (const issue of event.issues)
          if (issue.severity === 'error' && !skipped(issue.position?.offset)) onIssue(issue)
      } else if (event.type === 'transaction-end') {
        const claims = staged
        staged = []
        if (event.envelope.transactionType !== '837') continue
        if (skipped(event.envelope.position.offset)) continue
        if (event.quarantined) {
          const issues: IssueGroup[] = []
          for (const issue of event.issues)
            if (issue.severity === 'error') addIssue(issues, input.name, issue)
          onQuarantine({
            file: input.name,
            interchangeControl: event.envelope.interchangeControl,
            transactionControl: event.envelope.transactionControl,
            claims: claims.length,
            issues,
          })
          continue
        }
        if (claims.length > 0) yield claims
      }
    }
  }
}

/** One interchange for the claims of one input set, numbered from the persisted counter. */
async function writeSet(
  claims: Claim837[],
  options: ScrubFilesOptions,
  counter: Kysely<Database>,
): Promise<string> {
  const first = claims[0]
  const ids = resolveOutboundIds(options.envelope, first?.envelope)
  const controls = await reserveEnvelopeControlNumbers(
    counter,
    { senderId: ids.senderId, receiverId: ids.receiverId },
    envelopeShape837(claims),
  )
  return writeClaims837(claims, {
    ...ids,
    interchangeControl: controls.interchangeControl,
    firstGroupControl: controls.firstGroupControl,
    firstTransactionControl: controls.firstTransactionControl,
    date: options.asOf,
    // Test data stays test data: ISA15 is carried over from the input interchange.
    usage: first?.envelope.usageIndicator === 'T' ? 'T' : 'P',
  })
}

function tally(
  result: ScrubFileResult,
  rules: Map<string, RuleSummary>,
  findings: readonly Finding[],
  file: string,
): void {
  const seen = new Set<string>()
  for (const f of findings) {
    let rule = rules.get(f.rule)
    if (rule === undefined) {
      rule = { rule: f.rule, errors: 0, warnings: 0, claims: 0, first: { file, claimId: f.claimId } }
      rules.set(f.rule, rule)
    }
    if (f.severity === 'error') {
      rule.errors++
      result.errors++
    } else {
      rule.warnings++
      result.warnings++
    }
    if (!seen.has(f.rule)) {
      seen.add(f.rule)
      rule.claims++
    }
  }
}

function emptyResult(file: string): ScrubFileResult {
  return {
    file,
    status: 'scrubbed',
    claims: 0,
    accepted: 0,
    rejected: 0,
    errors: 0,
    warnings: 0,
    fixes: 0,
    quarantined: [],
    issues: [],
    error: undefined,
    exitCode: 0,
  }
}

/**
 * The result of a file that cannot be read: `CLI_UNREADABLE_INPUT` for a file-system error (a
 * folder, no permission, gone), the reader's code for input that is not X12. Anything else is a
 * bug and is thrown.
 */
function unreadableResult(file: string, error: unknown): ScrubFileResult {
  const result = emptyResult(file)
  result.status = 'unreadable'
  if (error instanceof X12Error) {
    result.error = {
      code: error.code,
      message: withoutPosition(error.message, error.position),
      position: error.position,
    }
  } else if (isFsError(error)) {
    result.error = {
      code: 'CLI_UNREADABLE_INPUT',
      message: `Cannot read ${file}: ${describeFsError(error)}`,
      position: undefined,
    }
  } else throw error
  return result
}

function isFsError(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^E[A-Z]+$/.test(error.code) &&
    'syscall' in error
  )
}

/** X12Error appends ` at POSITION` to its message; the summary places the position itself. */
function withoutPosition(message: string, position: X12Position | undefined): string {
  if (position === undefined) return message
  const suffix = ` at ${formatPosition(position)}`
  return message.endsWith(suffix) ? message.slice(0, -suffix.length) : message
}

/** Adds an issue to its code's group (a count, and the first one's message and position). */
function addIssue(groups: IssueGroup[], file: string, issue: X12Issue): void {
  const group = groups.find((g) => g.code === issue.code)
  if (group !== undefined) group.count++
  else
    groups.push({
      code: issue.code,
      count: 1,
      message: withoutPosition(issue.message, issue.position),
      file,
      position: issue.position,
    })
}

function fileExitCode(r: ScrubFileResult): number {
  if (r.status === 'unreadable') return r.error?.code === 'CLI_UNREADABLE_INPUT' ? 2 : 1
  return r.errors > 0 || r.quarantined.length > 0 || r.issues.length > 0 ? 1 : 0
}

/** Usage from the ledger only; same-service matches from the ledger and the batch's facility lines. */
function batchLedger(ledger: MemoryScrubLedger, facility: MemoryScrubLedger): ScrubLedger {
  return {
    usage: (...args): AuthUsage => ledger.usage(...args),
    sameService(memberId, dos, hcpcs, excludeClaimId) {
      const own = ledger.sameService(memberId, dos, hcpcs, excludeClaimId)
      const batch = facility.sameService(memberId, dos, hcpcs, excludeClaimId)
      if (batch.length === 0) return own
      const keys = new Set(own.map((l) => `${l.claimId}|${l.lineNumber}`))
      return [...own, ...batch.filter((l) => !keys.has(`${l.claimId}|${l.lineNumber}`))]
    },
  }
}

/**
 * An output file opened before the run: a failure to open it, or a write error later (a full
 * disk), becomes `CLI_UNWRITABLE_OUTPUT` naming the file, never an unhandled stream error.
 */
class OutputStream {
  private error: unknown

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.error ??= error
    })
  }

  static open(path: string): OutputStream {
    let fd: number
    try {
      fd = openSync(path, 'w')
    } catch (cause) {
      throw new OutputFileError(path, `Cannot write ${path}: ${describeFsError(cause)}`, { cause })
    }
    return new OutputStream(path, createWriteStream(path, { fd }))
  }

  /** Throws the stream's error, if it had one. */
  check(): void {
    if (this.error !== undefined)
      throw new OutputFileError(this.path, `Cannot write ${this.path}: ${describeFsError(this.error)}`, {
        cause: this.error,
      })
  }

  async write(text: string): Promise<void> {
    this.check()
    if (text === '') return
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done)
          this.stream.off('error', done)
          this.stream.off('close', done)
          resolve()
        }
        this.stream.on('drain', done)
        this.stream.on('error', done)
        this.stream.on('close', done)
      })
      this.check()
    }
  }

  async close(): Promise<void> {
    if (this.stream.closed || this.stream.destroyed) return
    await new Promise<void>((resolve) => {
      this.stream.end(() => resolve())
      this.stream.once('error', () => resolve())
    })
  }
}

function openOutput(path: string): OutputStream {
  return OutputStream.open(path)
}
