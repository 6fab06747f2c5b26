import { once } from 'node:events'
import type { WriteStream } from 'node:fs'
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { writeClaims837 } from '../../parsers/claim837/claim837-writer.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
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
import type { Database } from '../db/database.js'
import { readX12File } from '../pipeline/read-x12.js'
import type { ScrubbedClaimRecord } from './scrub-repository.js'
import { createScrubRun, finishScrubRun, saveScrubbedClaims } from './scrub-repository.js'

/** What {@link scrubFiles} needs. Code tables and reference tables are loaded once by the caller. */
export interface ScrubFilesOptions {
  files: readonly string[]
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
   * Called after each batch of claims with the file, the claims scrubbed so far (all files) and the
   * byte offset in the file of the batch's last claim (for a progress bar).
   */
  onProgress?: (file: string, claims: number, bytes: number) => void
}

/** Per-rule counts of the summary. */
export interface RuleSummary {
  rule: string
  errors: number
  warnings: number
  claims: number
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

/** A transaction set that was skipped because the reader quarantined it. */
export interface QuarantinedSet {
  file: string
  transactionControl: string
  claims: number
  issues: { code: string; message: string }[]
}

/** The result of a scrub run, printed as text or JSON. */
export interface ScrubSummary {
  asOf: IsoDate
  files: string[]
  claims: number
  accepted: number
  rejected: number
  errors: number
  warnings: number
  fixes: number
  quarantined: QuarantinedSet[]
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
}

/**
 * Scrubs the 837 claims of `files`, streaming: each transaction set's claims are staged until its
 * `transaction-end` (a quarantined set is skipped and reported), then scrubbed, fixed when asked
 * and re-scrubbed, and written to `accepted.x12` / `rejected.x12` (one interchange per input set,
 * with fresh envelopes and counts), `findings.ndjson`, `fixes.ndjson` and `summary.txt`.
 *
 * A first pass indexes the batch's hospital outpatient (837I, TOB 013x) lines so that an 837P is
 * checked against an 837I that comes later in the batch (pro-facility-duplicate).
 */
export async function scrubFiles(options: ScrubFilesOptions): Promise<ScrubSummary> {
  mkdirSync(options.outDir, { recursive: true })
  const ledger = new MemoryScrubLedger()
  if (options.ledgerLines !== undefined) ledger.load(options.ledgerLines)
  const facility = new MemoryScrubLedger()
  for (const file of options.files)
    for await (const claims of claimSets(file, () => {}))
      for (const claim of claims)
        if (claim.kind === '837I' && /^0?13/.test(claim.typeOfBill ?? ''))
          facility.replaceClaim(claim.claimId, ledgerLinesOf(claim, options.asOf))
  const context = createScrubContext({
    codes: options.codes,
    reference: options.reference,
    authorizations: options.authorizations ?? [],
    schedule: options.schedule ?? [],
    ledger: batchLedger(ledger, facility),
    asOf: options.asOf,
  })

  const paths = {
    accepted: join(options.outDir, 'accepted.x12'),
    rejected: join(options.outDir, 'rejected.x12'),
    findings: join(options.outDir, 'findings.ndjson'),
    summary: join(options.outDir, 'summary.txt'),
    fixes: options.fix ? join(options.outDir, 'fixes.ndjson') : undefined,
  }
  const accepted = createWriteStream(paths.accepted)
  const rejected = createWriteStream(paths.rejected)
  const findingsOut = createWriteStream(paths.findings)
  const fixesOut = paths.fixes === undefined ? undefined : createWriteStream(paths.fixes)
  const claimsPath = join(options.outDir, '.summary-claims.tmp')
  const claimsOut = createWriteStream(claimsPath)
  const summary: ScrubSummary = {
    asOf: options.asOf,
    files: [...options.files],
    claims: 0,
    accepted: 0,
    rejected: 0,
    errors: 0,
    warnings: 0,
    fixes: 0,
    quarantined: [],
    rules: [],
    flaggedClaims: [],
    flaggedClaimCount: 0,
    outputs: paths,
    runId: undefined,
  }
  const rules = new Map<string, RuleSummary>()
  const control = { accepted: 0, rejected: 0 }
  const runId =
    options.db === undefined ? undefined : await createScrubRun(options.db, options.asOf, options.files)
  summary.runId = runId

  try {
    for (const file of options.files) {
      const quarantine = (set: QuarantinedSet): void => {
        summary.quarantined.push(set)
      }
      for await (const claims of claimSets(file, quarantine)) {
        options.onProgress?.(file, summary.claims + claims.length, claims.at(-1)?.position.offset ?? 0)
        const good: Claim837[] = []
        const bad: Claim837[] = []
        const records: ScrubbedClaimRecord[] = []
        for (const original of claims) {
          let claim = original
          let result = scrubClaim(claim, context)
          let fixes: FixRecord[] = []
          if (options.fix && result.findings.some((f) => f.fix !== undefined)) {
            const fixed = applyFixes(claim, result.findings)
            if (fixed.fixes.length > 0) {
              fixes = fixed.fixes
              claim = fixed.claim
              result = scrubClaim(claim, context)
            }
          }
          summary.claims++
          for (const fix of fixes)
            await write(fixesOut, `${JSON.stringify({ ...fix, file: basename(file) })}\n`)
          summary.fixes += fixes.length
          for (const f of result.findings) await write(findingsOut, `${findingJson(f)}\n`)
          tally(summary, rules, result.findings)
          if (result.findings.length > 0 || fixes.length > 0) {
            const flagged: ClaimSummary = {
              claimId: claim.claimId,
              file: basename(file),
              accepted: result.accepted,
              errors: result.findings.filter((f) => f.severity === 'error').length,
              warnings: result.findings.filter((f) => f.severity === 'warning').length,
              fixes: fixes.length,
              rules: [...new Set(result.findings.map((f) => f.rule))],
            }
            summary.flaggedClaimCount++
            // Memory stays flat: the full per-claim list streams to a side file for summary.txt.
            if (summary.flaggedClaims.length < FLAGGED_CLAIMS_KEPT) summary.flaggedClaims.push(flagged)
            await write(claimsOut, `${formatClaimLine(flagged)}\n`)
          }
          const lines = ledgerLinesOf(claim, options.asOf)
          if (result.accepted) {
            summary.accepted++
            good.push(claim)
            ledger.replaceClaim(claim.claimId, lines)
          } else {
            summary.rejected++
            bad.push(claim)
            ledger.removeClaim(claim.claimId)
          }
          records.push({
            claimId: claim.claimId,
            accepted: result.accepted,
            findings: result.findings,
            lines,
          })
        }
        if (good.length > 0) await write(accepted, writeSet(good, ++control.accepted, options.asOf))
        if (bad.length > 0) await write(rejected, writeSet(bad, ++control.rejected, options.asOf))
        if (options.db !== undefined) await saveScrubbedClaims(options.db, runId, records)
      }
    }
  } finally {
    await Promise.all([
      close(accepted),
      close(rejected),
      close(findingsOut),
      close(claimsOut),
      fixesOut && close(fixesOut),
    ])
  }
  summary.rules = [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule))
  if (options.db !== undefined && runId !== undefined)
    await finishScrubRun(options.db, runId, {
      claims: summary.claims,
      accepted: summary.accepted,
      rejected: summary.rejected,
      errors: summary.errors,
      warnings: summary.warnings,
      fixes: summary.fixes,
    })
  // summary.txt: the head, then every flagged claim from the side file, then the outputs.
  const { head, tail } = summaryParts(summary)
  const out = createWriteStream(paths.summary)
  try {
    await write(out, head)
    if (summary.flaggedClaimCount === 0) await write(out, '  (every claim is clean)\n')
    for await (const chunk of createReadStream(claimsPath, { encoding: 'utf8' }))
      await write(out, String(chunk))
    await write(out, tail)
  } finally {
    await close(out)
    rmSync(claimsPath, { force: true })
  }
  return summary
}

/** Flagged claims kept in memory for the printed/JSON summary; summary.txt lists every one. */
export const FLAGGED_CLAIMS_KEPT = 1000

/**
 * The summary as readable text: totals, quarantined sets, per rule, per claim (the first
 * {@link FLAGGED_CLAIMS_KEPT}; summary.txt has them all).
 */
export function formatScrubSummary(summary: ScrubSummary): string {
  const { head, tail } = summaryParts(summary)
  const lines: string[] = []
  if (summary.flaggedClaimCount === 0) lines.push('  (every claim is clean)')
  for (const c of summary.flaggedClaims) lines.push(formatClaimLine(c))
  if (summary.flaggedClaimCount > summary.flaggedClaims.length)
    lines.push(`  … ${summary.flaggedClaimCount - summary.flaggedClaims.length} more in summary.txt`)
  return `${head}${lines.map((line) => `${line}\n`).join('')}${tail}`
}

/** The summary text before the per-claim list (ending with "By claim:") and after it. */
function summaryParts(summary: ScrubSummary): { head: string; tail: string } {
  const lines: string[] = []
  lines.push(`onco-edi scrub (as of ${summary.asOf})`)
  lines.push(`Files: ${summary.files.map((f) => basename(f)).join(', ')}`)
  lines.push(
    `Claims: ${summary.claims} (accepted ${summary.accepted}, rejected ${summary.rejected}); findings: ${summary.errors} errors, ${summary.warnings} warnings; fixes applied: ${summary.fixes}`,
  )
  if (summary.quarantined.length > 0) {
    lines.push('', 'Quarantined transaction sets (not scrubbed):')
    for (const q of summary.quarantined)
      lines.push(
        `  ${q.file} ST ${q.transactionControl}: ${q.claims} claims; ${q.issues.map((i) => i.code).join(', ')}`,
      )
  }
  lines.push('', 'By rule:')
  if (summary.rules.length === 0) lines.push('  (no findings)')
  lines.push(
    ...summary.rules.map(
      (r) =>
        `  ${r.rule.padEnd(28)} ${String(r.errors).padStart(5)} errors ${String(r.warnings).padStart(5)} warnings ${String(r.claims).padStart(5)} claims`,
    ),
  )
  lines.push('', 'By claim:')
  const outputs = Object.values(summary.outputs).filter((p) => p !== undefined)
  return { head: `${lines.join('\n')}\n`, tail: `\nOutputs: ${outputs.join(', ')}\n` }
}

function formatClaimLine(c: ClaimSummary): string {
  const fixed = c.fixes > 0 ? `, ${c.fixes} fixed` : ''
  return `  ${c.claimId.padEnd(20)} ${c.accepted ? 'accepted' : 'REJECTED'} ${c.errors} errors, ${c.warnings} warnings${fixed}: ${c.rules.join(', ') || '-'}`
}

/** One line of findings.ndjson: exactly the fields of issue 3, `null` for absent values. */
export function findingJson(f: Finding): string {
  return JSON.stringify({
    claimId: f.claimId,
    line: f.line ?? null,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    position: f.position,
    suggestion: f.suggestion ?? null,
  })
}

/** Yields the claims of each transaction set that was not quarantined. */
async function* claimSets(
  file: string,
  onQuarantine: (set: QuarantinedSet) => void,
): AsyncGenerator<Claim837[]> {
  let staged: Claim837[] = []
  for await (const events of readX12File(file)) {
    for (const event of events) {
      if (event.type === 'transaction-start') staged = []
      else if (event.type === 'claim837') staged.push(event.claim)
      else if (event.type === 'transaction-end') {
        const claims = staged
        staged = []
        if (event.envelope.transactionType !== '837') continue
        if (event.quarantined) {
          onQuarantine({
            file: basename(file),
            transactionControl: event.envelope.transactionControl,
            claims: claims.length,
            issues: event.issues
              .filter((i: X12Issue) => i.severity === 'error')
              .map((i) => ({ code: i.code, message: i.message })),
          })
          continue
        }
        if (claims.length > 0) yield claims
      }
    }
  }
}

function writeSet(claims: Claim837[], control: number, asOf: IsoDate): string {
  const first = claims[0]
  return writeClaims837(claims, {
    senderId: first?.envelope.senderId || 'ONCOEDI',
    receiverId: first?.envelope.receiverId || 'RECEIVER',
    interchangeControl: control,
    date: asOf,
    // Test data stays test data: ISA15 is carried over from the input interchange.
    usage: first?.envelope.usageIndicator === 'T' ? 'T' : 'P',
  })
}

function tally(summary: ScrubSummary, rules: Map<string, RuleSummary>, findings: readonly Finding[]): void {
  const seen = new Set<string>()
  for (const f of findings) {
    let rule = rules.get(f.rule)
    if (rule === undefined) {
      rule = { rule: f.rule, errors: 0, warnings: 0, claims: 0 }
      rules.set(f.rule, rule)
    }
    if (f.severity === 'error') {
      rule.errors++
      summary.errors++
    } else {
      rule.warnings++
      summary.warnings++
    }
    if (!seen.has(f.rule)) {
      seen.add(f.rule)
      rule.claims++
    }
  }
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

async function write(stream: WriteStream | undefined, text: string): Promise<void> {
  if (stream === undefined || text === '') return
  if (!stream.write(text)) await once(stream, 'drain')
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
  })
}
