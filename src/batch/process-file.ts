import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { JsonRecordError } from '../../parsers/json/json-record-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { DatabaseHandle } from '../db/create-database.js'
import type { Database } from '../db/database.js'
import { sqlStateOf } from '../db/db-error.js'
import { noteClaimsWritten } from '../db/planner-statistics.js'
import { peekX12 } from '../ingest/detect-kind.js'
import { IngestError } from '../ingest/ingest-error.js'
import type { AfterCommit } from '../ingest/ingest-files.js'
import {
  ingestFileInTransaction,
  recoveryPendingWarning,
  rematchAfterCommit,
} from '../ingest/ingest-files.js'
import { scrubFiles } from '../scrub/scrub-files.js'
import type { BatchAcknowledgment } from './acknowledge-batch-file.js'
import { acknowledgeBatch837, registerBatchInterchange } from './acknowledge-batch-file.js'
import type { BatchSetup } from './batch-setup.js'
import { collectAfterClaims } from './heap-collector.js'

/**
 * What became of one file:
 * - `processed`: read and handled (an 837 scrubbed into accepted/rejected batches, an 835 stored);
 *   quarantined sets are counted in `counts` and named in `codes`;
 * - `duplicate`: the same bytes (SHA-256) were processed before (`duplicateOf`), or every
 *   interchange of an 837 reuses the sender and ISA13 of one accepted before from another file
 *   (each answered with TA1 025; `duplicateOf` is the file that had the first): nothing stored;
 * - `failed`: not a file the service reads (not X12, an unknown transaction set): nothing stored,
 *   and the file goes to the inbox's `.failed/` folder.
 */
export type BatchStatus = 'processed' | 'duplicate' | 'failed'

/** What `NAME.result.json` holds. Ids, counts and codes only: never PHI. */
export interface BatchResult {
  file: string
  claimId: string
  sha256: string
  /** ST01 of the file: an 837 (claims), 835 (remittance), 999 or 277 (277CA: answers to claims we sent). */
  kind: '837' | '835' | '999' | '277' | null
  /** `json`: a file of JSON claims (parse's record shape), written as an 837 (`NAME.837.x12`) and scrubbed. */
  input: 'x12' | 'json'
  status: BatchStatus
  /** The first file with the same bytes (its name and claim id), for a duplicate. */
  duplicateOf: { file: string; claimId: string } | null
  counts: {
    claims: number
    accepted: number
    rejected: number
    errors: number
    warnings: number
    quarantinedSets: number
    items: number
    matched: number
    unmatched: number
    /** JSON records that were not written into the 837 (each code is in `codes`). */
    rejectedRecords: number
    /**
     * An 837's interchanges answered with TA1 025 (duplicate interchange control number): the
     * same bytes again, or a sender and ISA13 accepted before from another file. Their content
     * is not read: their claims are in no other count.
     */
    duplicateInterchanges: number
  }
  /** Error codes found in the file (quarantine reasons, envelope errors, the failure), each once. */
  codes: string[]
  /** The acknowledgment's file name in the outbox, or null when none was written. */
  acknowledgment: string | null
  /** Every output's file name in the outbox, the result file last. */
  outputs: string[]
  /** When the file's transaction committed (ISO 8601). */
  processedAt: string
  /**
   * What the file stored as ingested files (their `ingest_file` ids): an 837's accepted claims, the
   * batch that goes to the payers, as submitted claims, so that their 835s match back to them; an
   * 835's remittance. Remits are matched again against these after the commit.
   */
  storedFiles: { kind: '837' | '835'; fileId: number }[]
  /**
   * Present when something was left to repair after the commit: `INGEST_RECOVERY_PENDING` (the
   * file is stored, but the re-match and recovery pass after its commit failed; `onco-edi rematch`
   * repairs it). Its code is in `codes` too.
   */
  warnings?: { code: string; message: string }[]
}

/** A file claimed for processing: its copy under the inbox's `.work/` (or a worker's spool). */
export interface ClaimedFile {
  claimId: string
  /** The name it was dropped under. */
  name: string
  /** Where its bytes are now. */
  path: string
}

export interface ProcessOptions {
  handle: DatabaseHandle
  setup: BatchSetup
  outbox: string
  /** Where a failed file's result is copied too (the inbox's `.failed/`). */
  failedDir?: string
  /** More work to commit with the file (a worker deletes the job's upload). */
  inTransaction?: (trx: Kysely<Database>) => Promise<void>
  /** Test hook: see IngestOptions' `beforeRecoveryPass`. */
  beforeRecoveryPass?: (trx: Kysely<Database>) => Promise<void>
}

let lastClaimMs = 0
let claimsThisMs = 0

/**
 * A new claim id: sortable in the order this process made them, unique without coordination.
 * Milliseconds, then a counter within the millisecond, then random bytes: a scan claims many files
 * in one millisecond, and files left in `.work/` by a killed process are taken up again in id
 * order, which must be the order they were claimed in (a remit's recovery of an earlier denial
 * depends on which file was stored first).
 */
export function newClaimId(): string {
  const now = Date.now()
  if (now > lastClaimMs) {
    lastClaimMs = now
    claimsThisMs = 0
  } else claimsThisMs += 1
  const ms = lastClaimMs.toString(36).padStart(9, '0')
  const seq = claimsThisMs.toString(36).padStart(4, '0')
  return `${ms}${seq}-${randomBytes(5).toString('hex')}`
}

const RESULT = 'result.json'
/** The acknowledgment's output suffix: `NAME.ack.x12` (TA1s and 999s, one interchange each). */
const ACK = 'ack.x12'
/** Transient database errors a file is tried again on: deadlock, serialization, a unique race. */
const RETRYABLE = new Set(['40P01', '40001', '23505'])
const ATTEMPTS = 4

/**
 * Processes one claimed file exactly once. The file's work (scrub run, stored claims, control
 * numbers on PGlite) and its `batch_file` row commit in one transaction keyed by the claim id and
 * the file's SHA-256; the outputs are written first into `OUTBOX/.staging/CLAIM/` and renamed into
 * the outbox only after the commit. So whenever the process dies:
 * - before the commit: nothing is stored, the staged outputs are thrown away, and processing the
 *   claim again starts over;
 * - after it: processing the claim again finds its row and only finishes publishing (renames what
 *   is still staged, writes the result again from the row, which holds it byte for byte).
 * Throws when the database or the outbox fails: the claim is kept to be tried again, and after
 * the commit so are its staged outputs.
 */
export async function processClaimedFile(file: ClaimedFile, options: ProcessOptions): Promise<CommittedFile> {
  const { handle } = options
  const committed = await findResult(handle.db, file.claimId)
  if (committed !== undefined) {
    // Committed before a crash: the re-match may not have run (it is idempotent), then publish.
    await rematchCommitted(committed, options)
    await publishOutputs(options.outbox, committed, options.failedDir)
    return committed
  }
  const sha256 = await sha256Of(file.path)
  const staging = join(options.outbox, '.staging', file.claimId)
  let row: CommittedFile
  for (let attempt = 1; ; attempt++) {
    await rm(staging, { recursive: true, force: true })
    await mkdir(staging, { recursive: true })
    try {
      row = await handle.db
        .transaction()
        .execute(async (trx) => processInTransaction(trx, file, sha256, staging, options))
      break
    } catch (error) {
      if (attempt < ATTEMPTS && RETRYABLE.has(sqlStateOf(error) ?? '')) continue
      await rm(staging, { recursive: true, force: true })
      throw error
    }
  }
  // Committed: from here on a failure keeps the staged outputs (they are the committed file's, and
  // nothing else has them), and processing the claim again only publishes them (findResult above).
  // Going round the loop again would throw them away and store the file a second time, which its
  // own row (the same claim id) refuses.
  await rematchCommitted(row, options)
  await noteClaimsWritten(handle.db, row.result.counts.claims)
  await publishOutputs(options.outbox, row, options.failedDir)
  // The file's garbage goes before the next file: memory stays flat over a long run.
  collectAfterClaims(row.result.counts.claims)
  return row
}

/**
 * After the file's commit: remits are matched again against what other files (other workers)
 * committed while this one was open, whichever of an 837 and its 835 commits last. Idempotent.
 * A pass that fails for good does not make the committed file fail: it is published as processed
 * with `INGEST_RECOVERY_PENDING` in its result (`codes`, `warnings`), which says that `onco-edi
 * rematch` repairs it. Processing the claim again (a crash before it was retired) runs the pass
 * again and publishes the row's result, without the warning when the pass then succeeds.
 */
export async function rematchCommitted(
  committed: CommittedFile,
  options: Pick<ProcessOptions, 'handle' | 'setup' | 'beforeRecoveryPass'>,
): Promise<void> {
  for (const stored of committed.afterCommit) {
    try {
      await rematchAfterCommit(options.handle.db, options.setup.engine, stored, options.setup.user, options)
    } catch (error) {
      const { result } = committed
      const warning = recoveryPendingWarning(result.file, stored, error)
      result.warnings = [...(result.warnings ?? []), { code: warning.code, message: warning.message }]
      result.codes = [...new Set([...result.codes, warning.code])].sort()
    }
  }
}

/** A committed file: its result and where its outputs go. */
export interface CommittedFile {
  claimId: string
  outputBase: string
  /** Output suffixes still to be renamed from staging (e.g. `999.x12`). */
  outputs: string[]
  result: BatchResult
  /**
   * What the file's transaction left for after its commit ({@link rematchAfterCommit}), one per
   * stored file. Kept in memory only: read back from a committed row (a crash between the commit
   * and the re-match), it is the row's `storedFiles` without what their settlement saw, so the
   * recovery pass runs.
   */
  afterCommit: AfterCommit[]
}

/** The committed row of a claim, if its transaction committed. */
export async function findResult(db: Kysely<Database>, claimId: string): Promise<CommittedFile | undefined> {
  const row = await db
    .selectFrom('batch_file')
    .select(['claim_id', 'output_base', 'outputs', 'result'])
    .where('claim_id', '=', claimId)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const result = parseJson(row.result) as BatchResult
  return {
    claimId: row.claim_id,
    outputBase: row.output_base,
    outputs: parseJson(row.outputs) as string[],
    result,
    afterCommit: (result.storedFiles ?? []).map((stored) => ({ ...stored, settledAmong: undefined })),
  }
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value
}

async function processInTransaction(
  trx: Kysely<Database>,
  file: ClaimedFile,
  sha256: string,
  staging: string,
  options: ProcessOptions,
): Promise<CommittedFile> {
  const outputBase = await chooseOutputBase(trx, file)
  // The first row of these bytes wins (a unique index on sha256 among the originals); a second
  // file with the same bytes waits here for the first's transaction, then is a duplicate.
  const row = (status: 'processing' | 'duplicate', duplicateOf: string | null) => ({
    claim_id: file.claimId,
    sha256,
    name: file.name,
    output_base: outputBase,
    kind: null,
    duplicate_of: duplicateOf,
    status,
    result: '{}',
    outputs: '[]',
  })
  const inserted = await trx
    .insertInto('batch_file')
    .values(row('processing', null))
    .onConflict((oc) => oc.column('sha256').where('duplicate_of', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  const result: BatchResult = {
    file: file.name,
    claimId: file.claimId,
    sha256,
    kind: null,
    input: 'x12',
    status: 'processed',
    duplicateOf: null,
    counts: {
      claims: 0,
      accepted: 0,
      rejected: 0,
      errors: 0,
      warnings: 0,
      quarantinedSets: 0,
      items: 0,
      matched: 0,
      unmatched: 0,
      rejectedRecords: 0,
      duplicateInterchanges: 0,
    },
    codes: [],
    acknowledgment: null,
    outputs: [],
    processedAt: '',
    storedFiles: [],
  }
  const outputs: string[] = []
  const afterCommit: AfterCommit[] = []
  if (inserted === undefined) {
    const original = await trx
      .selectFrom('batch_file')
      .select(['claim_id', 'name', 'kind'])
      .where('sha256', '=', sha256)
      .where('duplicate_of', 'is', null)
      .executeTakeFirstOrThrow()
    result.status = 'duplicate'
    result.kind =
      original.kind === '837' || original.kind === '835' || original.kind === '999' || original.kind === '277'
        ? original.kind
        : null
    result.duplicateOf = { file: original.name, claimId: original.claim_id }
    if (result.kind === '837' && result.input === 'x12') {
      const counter = options.handle.engine === 'postgres' ? options.handle.db : trx
      const ack = await acknowledge(counter, file, staging, options, result, outputs, { duplicate: true })
      result.counts.duplicateInterchanges = ack.duplicates.length
    }
    await trx.insertInto('batch_file').values(row('duplicate', original.claim_id)).execute()
  } else {
    await handleFile(trx, file, staging, options, result, outputs, afterCommit)
  }
  result.processedAt = new Date().toISOString()
  result.outputs = [...outputs.map((suffix) => `${outputBase}.${suffix}`), `${outputBase}.${RESULT}`]
  if (outputs.includes(ACK)) result.acknowledgment = `${outputBase}.${ACK}`
  await trx
    .updateTable('batch_file')
    .set({
      kind: result.kind,
      status: result.status,
      claims: result.counts.claims,
      result: JSON.stringify(result),
      outputs: JSON.stringify(outputs),
    })
    .where('claim_id', '=', file.claimId)
    .execute()
  await options.inTransaction?.(trx)
  return { claimId: file.claimId, outputBase, outputs, result, afterCommit }
}

/** The file's name, unless an earlier file took it (then NAME.CLAIM), so no result is overwritten. */
async function chooseOutputBase(trx: Kysely<Database>, file: ClaimedFile): Promise<string> {
  const taken = await trx
    .selectFrom('batch_file')
    .select('id')
    .where('output_base', '=', file.name)
    .executeTakeFirst()
  return taken === undefined ? file.name : `${file.name}.${file.claimId}`
}

/** What the first bytes say the file is. */
async function sniffKind(
  path: string,
): Promise<'837' | '835' | '999' | '277' | 'json' | { code: string; message: string }> {
  const handle = await open(path, 'r')
  let head: string
  try {
    const buffer = Buffer.alloc(64)
    const { bytesRead } = await handle.read(buffer, 0, 64, 0)
    head = buffer.subarray(0, bytesRead).toString('latin1').trimStart()
  } finally {
    await handle.close()
  }
  if (head.startsWith('{') || head.startsWith('[')) return 'json'
  try {
    return (await peekX12(path)).kind
  } catch (error) {
    if (error instanceof X12Error || error instanceof IngestError)
      return {
        code: error.code === 'INGEST_UNKNOWN_KIND' ? 'BATCH_UNKNOWN_KIND' : error.code,
        message: error.message,
      }
    throw error
  }
}

/** `afterCommit` gets what each file stored as ingested leaves for after the commit. */
async function handleFile(
  trx: Kysely<Database>,
  file: ClaimedFile,
  staging: string,
  options: ProcessOptions,
  result: BatchResult,
  outputs: string[],
  afterCommit: AfterCommit[],
): Promise<void> {
  const kind = await sniffKind(file.path)
  if (kind === 'json') {
    await build837(trx, file, staging, options, result, outputs, afterCommit)
    return
  }
  if (typeof kind === 'object') {
    fail(result, kind)
    return
  }
  result.kind = kind
  if (kind === '837') await scrub837(trx, file, staging, options, result, outputs, afterCommit)
  else await ingestInTransaction(trx, file, options, result, afterCommit)
}

function fail(result: BatchResult, error: { code: string; message: string }): void {
  result.status = 'failed'
  result.codes = [error.code]
}

/**
 * Writes the 837's acknowledgment (TA1s, then 999s) as the staged output `ack.x12`. `register`:
 * the file's transaction, in which each interchange the TA1 accepts is recorded as received
 * (`batch_interchange`), so one whose sender and ISA13 another file brought is answered with 025.
 */
async function acknowledge(
  db: Kysely<Database>,
  file: ClaimedFile,
  staging: string,
  options: ProcessOptions,
  result: BatchResult,
  outputs: string[],
  how: { duplicate: boolean; register?: Kysely<Database> },
): Promise<BatchAcknowledgment> {
  const bytes = await readFile(file.path)
  const trx = how.register
  const ack = await acknowledgeBatch837(db, bytes, {
    sha256: result.sha256,
    duplicate: how.duplicate,
    outbound: options.setup.envelope,
    ...(trx === undefined
      ? {}
      : {
          register: (interchange) =>
            registerBatchInterchange(trx, file.claimId, interchange, options.setup.duplicateWindowDays),
        }),
  })
  if (ack.text === '') return ack
  await writeFile(join(staging, ACK), ack.text)
  outputs.push(ACK)
  return ack
}

async function scrub837(
  trx: Kysely<Database>,
  file: ClaimedFile,
  staging: string,
  options: ProcessOptions,
  result: BatchResult,
  outputs: string[],
  afterCommit: AfterCommit[],
): Promise<void> {
  const { setup, handle } = options
  // PostgreSQL: the counter outside the transaction (a crash only leaves a gap, numbers are
  // never reused) so that concurrent files do not wait on the counter row's lock. PGlite has
  // one connection: everything goes through the transaction.
  const counter = handle.engine === 'postgres' ? handle.db : trx
  // Received interchanges are recorded; a JSON file's 837 carries our own fresh envelope.
  const ack = await acknowledge(counter, file, staging, options, result, outputs, {
    duplicate: false,
    ...(result.input === 'x12' ? { register: trx } : {}),
  })
  const duplicates = ack.duplicates
  if (duplicates.length > 0) {
    result.counts.duplicateInterchanges = duplicates.length
    result.codes = ['BATCH_DUPLICATE_INTERCHANGE']
    if (duplicates.length === ack.interchanges) {
      // Every interchange reuses one accepted before: nothing of the file is read or stored.
      result.status = 'duplicate'
      const first = duplicates.find((d) => d.firstClaimId !== undefined)?.firstClaimId
      const original =
        first === undefined
          ? undefined
          : await trx
              .selectFrom('batch_file')
              .select(['claim_id', 'name'])
              .where('claim_id', '=', first)
              .executeTakeFirst()
      result.duplicateOf = original === undefined ? null : { file: original.name, claimId: original.claim_id }
      return
    }
  }
  const summary = await scrubFiles({
    files: [
      {
        path: file.path,
        name: file.name,
        // The interchanges answered with TA1 025 are rejected whole: their claims are not read.
        skip: duplicates.map((d) => ({ from: d.from, to: d.to })),
      },
    ],
    outDir: staging,
    asOf: setup.asOf,
    fix: false,
    codes: setup.codes,
    reference: setup.reference,
    authorizations: setup.authorizations,
    schedule: setup.schedule,
    ledgerLines: setup.ledgerLines,
    db: trx,
    controlNumbers: counter,
    envelope: setup.envelope,
  })
  const one = summary.files[0]
  if (one === undefined || one.status === 'unreadable') {
    fail(result, {
      code: one?.error?.code ?? 'X12_NO_ISA',
      message: one?.error?.message ?? `${file.name} could not be read`,
    })
    result.kind = null
    return
  }
  result.counts.claims = one.claims
  result.counts.accepted = one.accepted
  result.counts.rejected = one.rejected
  result.counts.errors = one.errors
  result.counts.warnings = one.warnings
  result.counts.quarantinedSets = one.quarantined.length
  result.codes = [...new Set([...result.codes, ...summary.issueCodes.map((g) => g.code)])].sort()
  for (const [suffix, from] of [
    ['accepted.x12', 'accepted.x12'],
    ['rejected.x12', 'rejected.x12'],
    ['findings.ndjson', 'findings.ndjson'],
  ] as const) {
    const size = (await stat(join(staging, from))).size
    if (size > 0) {
      if (suffix !== from) await rename(join(staging, from), join(staging, suffix))
      outputs.push(suffix)
    }
  }
  if (one.accepted > 0) {
    // The accepted batch is what goes to the payers: stored as submitted claims in this same
    // transaction, as `ingest` stores an 837, so their 835s match back to them.
    const stored = await ingestFileInTransaction(trx, join(staging, 'accepted.x12'), {
      handle,
      engine: setup.engine,
      user: setup.user,
      name: `${file.name}.accepted.x12`,
    })
    if (stored.result.fileId !== undefined)
      result.storedFiles.push({ kind: '837', fileId: stored.result.fileId })
    if (stored.afterCommit !== undefined) afterCommit.push(stored.afterCommit)
  }
}

/**
 * A JSON claim file (what practice-management systems export, in `parse`'s record shape): read
 * streaming and written as one 837 interchange (build-837), staged as `837.x12`, then scrubbed as
 * any 837. Records that cannot be written are counted and their codes kept; a file that is not
 * JSON, or whose records are all refused, fails.
 */
async function build837(
  trx: Kysely<Database>,
  file: ClaimedFile,
  staging: string,
  options: ProcessOptions,
  result: BatchResult,
  outputs: string[],
  afterCommit: AfterCommit[],
): Promise<void> {
  const { buildClaims837FromJson } = await import('../json/build-claims-837-from-json.js')
  result.input = 'json'
  let built: Awaited<ReturnType<typeof buildClaims837FromJson>>
  try {
    built = await buildClaims837FromJson(createReadStream(file.path), {
      db: options.handle.engine === 'postgres' ? options.handle.db : trx,
      envelope: options.setup.envelope,
    })
  } catch (error) {
    if (error instanceof JsonRecordError) {
      fail(result, error)
      return
    }
    throw error
  }
  result.counts.rejectedRecords = built.rejected.length
  const rejectedCodes = [...new Set(built.rejected.map((r) => r.code))]
  if (built.x12 === '') {
    fail(result, {
      code: rejectedCodes[0] ?? 'JSON_BAD_RECORD',
      message: `${file.name}: no claim could be written`,
    })
    result.codes = rejectedCodes.sort()
    return
  }
  result.kind = '837'
  const x12Path = join(staging, '837.x12')
  await writeFile(x12Path, built.x12)
  outputs.push('837.x12')
  await scrub837(trx, { ...file, path: x12Path }, staging, options, result, outputs, afterCommit)
  result.codes = [...new Set([...result.codes, ...rejectedCodes])].sort()
}

async function ingestInTransaction(
  trx: Kysely<Database>,
  file: ClaimedFile,
  options: ProcessOptions,
  result: BatchResult,
  afterCommit: AfterCommit[],
): Promise<void> {
  const stored = await ingestFileInTransaction(trx, file.path, {
    handle: options.handle,
    engine: options.setup.engine,
    user: options.setup.user,
  })
  if (stored.afterCommit !== undefined) afterCommit.push(stored.afterCommit)
  const ingested = stored.result
  if (ingested.status === 'already_ingested') {
    // Stored before by `ingest` (or another service): the database's hash is the truth.
    result.status = 'duplicate'
    return
  }
  result.counts.claims = ingested.claims
  if (ingested.fileId !== undefined && (ingested.kind === '835' || ingested.kind === '837'))
    result.storedFiles.push({ kind: ingested.kind, fileId: ingested.fileId })
  if (ingested.acknowledged !== undefined) {
    // A 999 or 277CA: the claims it marked accepted and rejected.
    result.counts.accepted = ingested.acknowledged.accepted
    result.counts.rejected = ingested.acknowledged.rejected
  }
  result.counts.items = ingested.items
  result.counts.matched = ingested.matched
  result.counts.unmatched = ingested.unmatched
  result.counts.quarantinedSets = ingested.quarantined.length
  result.codes = [
    ...new Set([
      ...ingested.quarantined.flatMap((q) => q.reasons.map((r) => r.code)),
      ...ingested.warnings.map((w) => w.code),
    ]),
  ].sort()
}

/**
 * Moves a committed file's staged outputs into the outbox (rename: atomic, and a no-op the second
 * time) and writes its result, and for a failed file a copy into `failedDir` (each written in the
 * claim's staging folder, then renamed: a crash never leaves a temporary file in the outbox).
 * Safe to run again after any crash. The staging folder is left for the caller to remove once the
 * claim is retired ({@link removeStaging}); a start removes those of claims no longer in `.work/`.
 */
export async function publishOutputs(
  outbox: string,
  committed: CommittedFile,
  failedDir?: string,
): Promise<void> {
  const staging = join(outbox, '.staging', committed.claimId)
  await mkdir(staging, { recursive: true })
  for (const suffix of committed.outputs) {
    try {
      await rename(join(staging, suffix), join(outbox, `${committed.outputBase}.${suffix}`))
    } catch (error) {
      // Renamed before a crash: it is already in the outbox.
      if (!hasCode(error, 'ENOENT')) throw error
    }
  }
  const text = `${JSON.stringify(committed.result, null, 2)}\n`
  await writeVia(staging, join(outbox, `${committed.outputBase}.${RESULT}`), text)
  if (failedDir !== undefined && committed.result.status === 'failed')
    await writeVia(staging, join(failedDir, `${committed.outputBase}.${RESULT}`), text)
}

/** Removes a claim's staging folder (after its file is retired). */
export async function removeStaging(outbox: string, claimId: string): Promise<void> {
  await rm(join(outbox, '.staging', claimId), { recursive: true, force: true })
}

/** Writes `data` to a temporary file in `folder` (same file system), then renames it to `path`. */
async function writeVia(folder: string, path: string, data: string): Promise<void> {
  const temporary = join(folder, `.${randomBytes(4).toString('hex')}.part`)
  await writeFile(temporary, data)
  await rename(temporary, path)
}

/** Removes staged outputs no claim owns any more (left by a crash before a commit). */
export async function removeStaleStaging(outbox: string, keep: ReadonlySet<string>): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(join(outbox, '.staging'))
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return
    throw error
  }
  for (const entry of entries)
    if (!keep.has(entry)) await rm(join(outbox, '.staging', entry), { recursive: true, force: true })
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}
