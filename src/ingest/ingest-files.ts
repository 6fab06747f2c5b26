import { createHash } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { setImmediate } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import PQueue from 'p-queue'
import type { InterchangeKey } from '../../parsers/x12/interchange-keys.js'
import { InterchangeKeyScanner } from '../../parsers/x12/interchange-keys.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import { recordAudit } from '../db/audit.js'
import type { DatabaseHandle } from '../db/create-database.js'
import type { Database } from '../db/database.js'
import { sqlStateOf } from '../db/db-error.js'
import type { SpooledInput } from '../input-spool.js'
import { showOriginal, spoolInput } from '../input-spool.js'
import { readX12File } from '../pipeline/read-x12.js'
import { loadPayerProfiles } from '../rework/payer-repository.js'
import type { IngestKind } from './detect-kind.js'
import { peekX12 } from './detect-kind.js'
import type { DuplicateControlPolicy, DuplicateSet, FileTally, QuarantinedSet } from './file-ingest.js'
import { FileIngest } from './file-ingest.js'
import type { IngestErrorCode } from './ingest-error.js'
import { IngestError } from './ingest-error.js'
import { loadDenialEngine } from './load-denial-engine.js'
import { loadStatusCategories } from './load-status-categories.js'
import type { RematchResult } from './rematch-remits.js'
import { rematchRemitClaims } from './rematch-remits.js'
import { SetHasher } from './set-hasher.js'
import type { RemitFileState, SettleResult } from './store-835.js'
import { settleAllRecovery, settleRecovery } from './store-835.js'
import type { AcknowledgmentTally } from './store-acknowledgments.js'
import { AcknowledgmentStore } from './store-acknowledgments.js'

export type { DuplicateControlPolicy, DuplicateSet, QuarantinedSet } from './file-ingest.js'

/**
 * 835 claims per batch on PGlite: one statement per table per 1,000 claims (STYLE.md §4 batches).
 * On the 100k-claim bench 1,000 took 0.6 s less CPU than 500 (19.8 s against 20.4 s), peak RSS the
 * same (361 MB); 2,000 another 0.3 s for 58 MB more.
 */
const DEFAULT_BATCH = 1_000
/**
 * 835 claims per batch on PostgreSQL: fewer, larger statements and lookups. On the 100k-claim
 * bench (test/bench/ingest-bench.ts, 2 cores) 1,000 and 2,000 were about even and ahead of 500;
 * 1,000 holds half the rows in flight, which keeps the peak RSS lower.
 */
const POSTGRES_BATCH = 1_000
/**
 * 837 claims per batch, both engines: one id reservation and two COPYs (claims, lines) per batch.
 * The rows wait for their COPY as bytes outside V8's heap (src/ingest/store-837.ts), so a batch's
 * size hardly shows in the peak RSS; on the 100k-claim bench (2 cores, load 14-20) 1,000 took
 * 3.8-3.9 s of node CPU and 2.5 s of the server's against 4.2-4.3 s and 2.9-3.0 s with 250.
 */
const BATCH_837 = 1_000

/**
 * Bytes of an 837 read per batch of events: 16 KiB instead of the reader's 64 KiB. A batch's
 * claims stay alive until the last of them is handled, and the ingest allocates a lot per claim
 * (its stored text, its rows, the set hash), so with V8's small young generation
 * (`--max-semi-space-size=4` then, 8 since 2026-12-05: see src/cli/main.ts) the claims of a 64 KiB batch outlived two
 * scavenges and were promoted: reading the 20k-claim bench file and making each claim's stored
 * form promoted 183 MB to the old generation with 64 KiB batches and 10 MB with 16 KiB
 * (`--trace-gc-nvp`), for 0.71 s of CPU against 0.38 s.
 */
const CHUNK_837 = 16 * 1024
/**
 * Whether an 835's rows are written with COPY (src/db/copy-from-stdin.ts) rather than one
 * INSERT … SELECT FROM unnest statement per batch, per engine: whichever `npm run bench ingest835`
 * measured faster, COPY on both (README "Performance": 13-15% less CPU on the server or in PGlite).
 * ONCO_EDI_835_WRITE=unnest goes back to the INSERT statements, for the bench.
 */
const COPY_835: Record<'postgres' | 'pglite', boolean> = {
  postgres: process.env.ONCO_EDI_835_WRITE !== 'unnest',
  pglite: process.env.ONCO_EDI_835_WRITE !== 'unnest',
}
/** Bytes read at a time for a file's SHA-256 and interchanges ({@link identifyFile}). */
const IDENTIFY_CHUNK = 256 * 1024
/** Batches written or prepared while the parser reads on (PostgreSQL). */
const PIPELINE_DEPTH = 2
/**
 * Times a file is tried when PostgreSQL aborts its transaction to break a deadlock (40P01) or a
 * serialization failure (40001): two files waiting on each other's sets or control numbers.
 */
const ATTEMPTS = 3

export interface IngestOptions {
  handle: DatabaseHandle
  /** Files ingested at once (p-queue). PGlite has one connection, so it always runs one at a time. */
  concurrency?: number
  /** Recorded on audit events (recovered items). */
  user?: string
  /** Classification and deadline rules; loaded from fixtures/denials when absent. */
  engine?: DenialEngine
  batchSize?: number
  /**
   * An interchange whose sender + ISA13 was already stored with other content: `warn` (default)
   * stores it with an `X12_DUPLICATE_CONTROL_NUMBER` warning; `quarantine` quarantines its sets.
   */
  onDuplicateControl?: DuplicateControlPolicy
  /**
   * Called after each written batch with the file, the claims written so far (uncommitted) and the
   * bytes read so far. A returned promise is awaited before the file goes on.
   */
  onProgress?: (path: string, claims: number, bytes: number) => void | Promise<void>
  /** Called with each file's result as soon as the file is finished, in the order they finish. */
  onFile?: (result: IngestFileResult) => void
  /**
   * Test hook: runs first in the transaction of the pass after a file's commit
   * ({@link rematchAfterCommit}); a test makes the pass fail with SQL that fails.
   */
  beforeRecoveryPass?: (trx: Kysely<Database>) => Promise<void>
  /**
   * Called once before the files with the passes after a commit that earlier runs left owed and
   * this run ran ({@link runOwedRecoveryPasses}); `failed` ones are still owed.
   */
  onOwedRecoveryPasses?: (report: OwedRecoveryPasses) => void
}

/**
 * What happened to one file:
 * - `ingested`: its sets were stored (or were already stored from another file);
 * - `partial`: some sets were quarantined (`quarantined` says why), the others stored;
 * - `already_ingested`: the same bytes were ingested before, or every set was already stored;
 * - `unreadable`: not an 837/835 file the reader can read (`error` says where); nothing stored;
 * - `failed`: the database refused it (`error`); nothing stored.
 */
export type IngestStatus = 'ingested' | 'partial' | 'already_ingested' | 'unreadable' | 'failed'

/** What happened to one file. */
export interface IngestFileResult {
  path: string
  name: string
  sha256: string
  kind: IngestKind | undefined
  status: IngestStatus
  message: string
  fileId: number | undefined
  /** Claims stored (CLM for an 837, CLP for an 835). */
  claims: number
  /** Transaction sets stored. */
  sets: number
  matched: number
  unmatched: number
  /**
   * Remit claims stored unmatched that are now matched: for an 837, earlier remits its claims
   * answer; for an 835, its own claims whose 837 was committed while it was being ingested.
   */
  rematched: RematchResult
  reversals: number
  items: number
  recovered: number
  recoveredAmount: number
  quarantined: QuarantinedSet[]
  /** Sets whose content was already stored from another file. */
  duplicateSets: DuplicateSet[]
  /**
   * Warnings about the file (e.g. `X12_DUPLICATE_CONTROL_NUMBER`; `INGEST_RECOVERY_PENDING`: stored,
   * but the pass after its commit failed).
   */
  warnings: IngestWarning[]
  /**
   * A 999 or 277CA: the claims it marked accepted, rejected or pending, and those it names that
   * match no submitted claim (`items` counts the rejection items it opened).
   */
  acknowledged: Pick<AcknowledgmentTally, 'accepted' | 'rejected' | 'pending' | 'unmatched'> | undefined
  error: { code: string; message: string } | undefined
}

/** A warning about a stored file: the reader's, or `INGEST_RECOVERY_PENDING`. */
export type IngestWarning = X12Issue | RecoveryPendingWarning

/**
 * The file's transaction committed, but the re-match and recovery pass after the commit
 * ({@link rematchAfterCommit}) failed for good: the file is stored, and what its claims' payments
 * recover may miss what other files committed meanwhile until `onco-edi rematch` runs.
 */
export interface RecoveryPendingWarning {
  code: Extract<IngestErrorCode, 'INGEST_RECOVERY_PENDING'>
  severity: 'warning'
  message: string
  position: undefined
}

/**
 * The warning for a committed file whose pass after the commit failed with `error`. `name` names
 * the file (never its content); the database's message says why.
 */
export function recoveryPendingWarning(
  name: string,
  stored: AfterCommit,
  error: unknown,
): RecoveryPendingWarning {
  const detail = error instanceof Error ? error.message : String(error)
  const pass =
    stored.kind === '835'
      ? 're-match and recovery pass after its commit'
      : stored.kind === '277'
        ? 'recovery pass after its commit'
        : 're-match of earlier remits after its commit'
  return {
    code: 'INGEST_RECOVERY_PENDING',
    severity: 'warning',
    message:
      `${name} is stored (file ${stored.fileId}), but the ${pass} failed: ${detail}; ` +
      'the next `ingest`, `batch` or `worker` start runs it again, and `onco-edi rematch` repairs it now',
    position: undefined,
  }
}

/**
 * The exit code of a run: the worst outcome decides. 2 when a file could not be opened
 * (`INGEST_UNREADABLE`: missing, a directory, no permission): a usage problem. 1 when a file was
 * read but its content is bad (not X12, UTF-16, binary, not an 837/835: `unreadable` with an X12
 * or `INGEST_UNKNOWN_KIND` code), had quarantined sets or a warning, or could not be stored.
 */
export function worstExitCode(results: readonly IngestFileResult[]): 0 | 1 | 2 {
  let worst: 0 | 1 | 2 = 0
  for (const r of results) {
    if (r.status === 'unreadable' && r.error?.code === 'INGEST_UNREADABLE') return 2
    if (r.status !== 'ingested' && r.status !== 'already_ingested') worst = 1
    else if (r.warnings.length > 0) worst = 1
  }
  return worst
}

/**
 * Ingests X12 files into the database, each in one transaction (stored whole or not at all) and
 * idempotently: the same bytes (SHA-256) are stored once, and so is the same transaction set
 * content, whichever file brings it. Files run concurrently on PostgreSQL; one file's failure
 * never stops the others.
 */
export async function ingestFiles(
  paths: readonly string[],
  options: IngestOptions,
): Promise<IngestFileResult[]> {
  const requested = options.concurrency ?? 4
  if (!Number.isInteger(requested) || requested < 1)
    throw new IngestError(
      'INGEST_BAD_OPTION',
      `Expected concurrency to be an integer from 1 and up, got ${requested}`,
    )
  // kysely's PGlite driver shares one connection: two open transactions would interleave.
  const concurrency = options.handle.engine === 'pglite' ? 1 : requested
  const engine = options.engine ?? (await loadDenialEngine())
  // What earlier runs left owed (a pass that failed for good, a process that died after a commit).
  const owed = await runOwedRecoveryPasses(options.handle.db, engine, options.user, options)
  if (owed.ran > 0 || owed.failed.length > 0) options.onOwedRecoveryPasses?.(owed)
  const results = new Map<number, IngestFileResult>()
  // A FIFO or device (`ingest <(cat f.835)`) is read three times (kind, hash, store): spooled first.
  const inputs = new Map<string, SpooledInput>()
  const finish = (index: number, result: IngestFileResult): void => {
    const input = inputs.get(result.path)
    const shown = input === undefined ? result : showResultPath(result, input)
    results.set(index, shown)
    options.onFile?.(shown)
  }
  try {
    return await ingestInputs(paths, options, engine, concurrency, inputs, results, finish)
  } finally {
    for (const input of inputs.values()) await input.release()
  }
}

/** The result of a spooled input, naming the path the user gave rather than the copy. */
function showResultPath(result: IngestFileResult, input: SpooledInput): IngestFileResult {
  const message = showOriginal(result.message, input)
  return {
    ...result,
    path: input.shown,
    name: basename(input.shown),
    message,
    warnings: result.warnings.map((w) => ({ ...w, message: showOriginal(w.message, input) })),
    error:
      result.error === undefined
        ? undefined
        : { code: result.error.code, message: showOriginal(result.error.message, input) },
  }
}

async function ingestInputs(
  given: readonly string[],
  options: IngestOptions,
  engine: DenialEngine,
  concurrency: number,
  inputs: Map<string, SpooledInput>,
  results: Map<number, IngestFileResult>,
  finish: (index: number, result: IngestFileResult) => void,
): Promise<IngestFileResult[]> {
  const paths: string[] = []
  for (const [index, path] of given.entries()) {
    try {
      const input = await spoolInput(path)
      if (input.spooled) inputs.set(input.path, input)
      paths.push(input.path)
    } catch (cause) {
      paths.push(path)
      finish(
        index,
        failed(
          path,
          new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${(cause as Error).message}`, { cause }),
        ),
      )
    }
  }
  const peekQueue = new PQueue({ concurrency: Math.max(concurrency, 4) })
  const peeks = await Promise.all(
    paths.map((path, index) =>
      peekQueue.add(async () => {
        if (results.has(index)) return undefined
        try {
          return { path, index, peek: await peekX12(path) }
        } catch (error) {
          finish(index, failed(path, error))
          return undefined
        }
      }),
    ),
  )
  const known = peeks.flatMap((p) => (p === undefined ? [] : [p]))
  const run = async (path: string, index: number): Promise<void> => {
    let result: IngestFileResult
    try {
      result = await ingestFile(path, { ...options, engine })
    } catch (error) {
      result = failed(path, error)
    }
    finish(index, result)
  }
  // 837s first, so that the 835s of the same run find their claims. Then the 835s one at a time
  // in payment-date order: a later remit must see the rework items an earlier one opened (recovered
  // revenue, reversals), and its claims stream in batches anyway.
  const queue = new PQueue({ concurrency })
  await Promise.all(
    known.filter((p) => p.peek.kind === '837').map((p) => queue.add(() => run(p.path, p.index))),
  )
  // Acknowledgments (999, 277CA) answer the 837s: after them, in the order given (a later 277CA
  // about a claim is the later word on it).
  for (const ack of known.filter((p) => p.peek.kind === '999' || p.peek.kind === '277'))
    await run(ack.path, ack.index)
  const remits = known
    .filter((p) => p.peek.kind === '835')
    .sort((a, b) => a.peek.paymentDate.localeCompare(b.peek.paymentDate) || a.index - b.index)
  for (const remit of remits) await run(remit.path, remit.index)
  return paths.flatMap((_, index) => {
    const result = results.get(index)
    return result === undefined ? [] : [result]
  })
}

function emptyResult(path: string): IngestFileResult {
  return {
    path,
    name: basename(path),
    sha256: '',
    kind: undefined,
    status: 'failed',
    message: '',
    fileId: undefined,
    claims: 0,
    sets: 0,
    matched: 0,
    unmatched: 0,
    rematched: { claims: 0, lines: 0, items: 0, deadlines: 0 },
    reversals: 0,
    items: 0,
    recovered: 0,
    recoveredAmount: 0,
    quarantined: [],
    duplicateSets: [],
    warnings: [],
    acknowledged: undefined,
    error: undefined,
  }
}

/** Codes that mean the input itself cannot be read as an 837 or 835 (exit 2). */
function isUnreadable(error: unknown): boolean {
  return (
    error instanceof X12Error ||
    (error instanceof IngestError &&
      (error.code === 'INGEST_UNREADABLE' || error.code === 'INGEST_UNKNOWN_KIND'))
  )
}

function failed(path: string, error: unknown): IngestFileResult {
  const unreadable = isUnreadable(error)
  const coded =
    error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined
  const code =
    coded !== undefined && (unreadable || /^[A-Z0-9]+_[A-Z0-9_]+$/.test(coded))
      ? coded
      : 'INGEST_STORE_FAILED'
  const detail = error instanceof Error ? error.message : String(error)
  const message = code === 'INGEST_STORE_FAILED' ? `Nothing of ${path} was stored: ${detail}` : detail
  return {
    ...emptyResult(path),
    status: unreadable ? 'unreadable' : 'failed',
    message,
    error: { code, message },
  }
}

/** PostgreSQL's deadlock and serialization failures: the transaction may be tried again. */
function isRetryable(error: unknown): boolean {
  const state = sqlStateOf(error)
  return state === '40P01' || state === '40001'
}

/**
 * Runs `transaction` (a whole transaction, which PostgreSQL rolled back when it failed) again when
 * it fails with a deadlock or serialization failure, up to {@link ATTEMPTS} times in all.
 */
async function retryingTransient<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction()
    } catch (error) {
      if (attempt < ATTEMPTS && isRetryable(error)) continue
      throw error
    }
  }
}

/** Ingests one file in one transaction, then re-matches what concurrent files committed meanwhile. */
export async function ingestFile(
  path: string,
  options: IngestOptions & { engine: DenialEngine },
): Promise<IngestFileResult> {
  const identity = await identifyFile(path)
  const { sha256, kind } = identity
  const { result, afterCommit } = await retryingTransient(() => {
    const result: IngestFileResult = { ...emptyResult(path), sha256, kind }
    return options.handle.db.transaction().execute(async (trx) => ({
      result,
      afterCommit: await storeFile(trx, path, identity, result, options),
    }))
  })
  if (afterCommit === undefined) return result
  let after: AfterCommitResult
  try {
    after = await rematchAfterCommit(options.handle.db, options.engine, afterCommit, options.user, options)
  } catch (error) {
    // The file is committed: it is reported stored, with what is left to repair. A run again would
    // only say "already ingested", so the warning names the command that repairs it.
    result.warnings = [...result.warnings, recoveryPendingWarning(result.path, afterCommit, error)]
    return result
  }
  const { rematched, settled } = after
  addRematch(result.rematched, rematched)
  if (afterCommit.kind === '835') {
    result.matched += rematched.claims
    result.unmatched -= rematched.claims
  }
  // What the pass after the commit recovered is this file's too (as its transaction's pass).
  if (settled !== undefined) {
    result.recovered += settled.recovered
    result.recoveredAmount += settled.recoveredAmount
  }
  return result
}

/**
 * The `ingest_file` rows one statement saw: their count and the sum of their ids. Files are never
 * deleted, so the same value twice means that no other file was committed in between.
 */
export interface FilesSeen {
  count: string
  idSum: string
}

async function filesSeen(db: Kysely<Database>): Promise<FilesSeen> {
  const { rows } =
    await sql<FilesSeen>`select count(*)::text as "count", coalesce(sum(id), 0)::text as "idSum"
    from ingest_file`.execute(db)
  // count(*) always gives a row; without one, a value no other equals: the pass runs.
  return rows[0] ?? { count: '', idSum: '' }
}

/**
 * What is left to do once a file's transaction has committed: {@link rematchAfterCommit} with it.
 * {@link ingestFileInTransaction} returns it with the file's result, and every caller (`ingest`,
 * the batch service, the worker) passes it on the same way after its commit.
 */
export interface AfterCommit {
  /** `277`: a 277CA that opened rejection items (recovered by payments of their claims). */
  kind: '837' | '835' | '277'
  fileId: number
  /**
   * An 835 (or a 277CA's rejection items) settled in its transaction ({@link settleRecovery}): the files that transaction saw
   * just before its settlement read anything. The recovery pass after the commit is skipped when
   * they are still all the files there are and the re-match changed nothing. Undefined: the pass
   * always runs (an 835 with no claims settled, or one whose transaction's value was lost, as for a
   * file committed before a crash and finished by a later process).
   */
  settledAmong: FilesSeen | undefined
}

/** A file stored inside a caller's transaction: its result, and what is left after the commit. */
export interface StoredFile {
  result: IngestFileResult
  /** Undefined when nothing new was stored (the same bytes or every set before), or for a 999/277. */
  afterCommit: AfterCommit | undefined
}

/** A pass that did not run: another process ran it or is running it. */
const NOT_RUN: AfterCommitResult = {
  rematched: { claims: 0, lines: 0, items: 0, deadlines: 0 },
  settled: undefined,
  ran: false,
}

/** What {@link rematchAfterCommit} did: remits matched, and for an 835 what its pass changed. */
export interface AfterCommitResult {
  /** False when the pass was not this call's to run (another process ran it or is running it). */
  ran: boolean
  rematched: RematchResult
  /** The recovery pass after an 835's commit; undefined when it was skipped or for an 837. */
  settled: SettleResult | undefined
}

/**
 * After a file's transaction committed: re-matches remits against what other processes committed
 * while the file was open. An 835 stored while its 837 was still uncommitted is matched by
 * whichever of the two commits last (READ COMMITTED: each statement sees every commit before it
 * started). Idempotent: remit claims already matched are left alone. After an 835, what its
 * claims' payments recover is worked out again ({@link settleRecovery}), with what another process
 * committed meanwhile; after a 277CA that opened rejection items, what payments of their claims
 * recover of them.
 */
export async function rematchAfterCommit(
  db: Kysely<Database>,
  engine: DenialEngine,
  stored: AfterCommit,
  user: string | undefined,
  hooks: Pick<IngestOptions, 'beforeRecoveryPass'> = {},
): Promise<AfterCommitResult> {
  // Idempotent, in a transaction of its own: a deadlock or serialization failure is tried again
  // (the file itself is committed: a failure here is no reason to report it unstored; callers
  // report it stored with INGEST_RECOVERY_PENDING, see recoveryPendingWarning).
  return retryingTransient(() =>
    db.transaction().execute(async (trx) => {
      await hooks.beforeRecoveryPass?.(trx)
      // The owed row first (recovery_pass_owed, written by the file's transaction): held until
      // this pass commits, skipped when another process holds it (its pass for this file is
      // running), and gone when a pass for this file already ran after the commit (another
      // process's start, runOwedRecoveryPasses): that pass read everything this one would.
      const owed = await trx
        .selectFrom('recovery_pass_owed')
        .select('file_id')
        .where('file_id', '=', stored.fileId)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (owed === undefined) return { ...NOT_RUN, rematched: { ...NOT_RUN.rematched } }
      await trx.deleteFrom('recovery_pass_owed').where('file_id', '=', stored.fileId).execute()
      return { ...(await rematchInTransaction(trx, engine, stored, user)), ran: true }
    }),
  )
}

async function rematchInTransaction(
  trx: Kysely<Database>,
  engine: DenialEngine,
  { kind, fileId, settledAmong }: AfterCommit,
  user: string | undefined,
): Promise<Omit<AfterCommitResult, 'ran'>> {
  if (kind === '277') {
    // A 277CA's rejection items and payments of their claims an 835 committed while it was open
    // (the 835's own pass after its commit may have run before this file committed).
    const rematched = { claims: 0, lines: 0, items: 0, deadlines: 0 }
    if (settledAmong !== undefined && sameFiles(await filesSeen(trx), settledAmong))
      return { rematched, settled: undefined }
    const claims = await trx
      .selectFrom('rework_item')
      .select('claim_id')
      .distinct()
      .where('file_id', '=', fileId)
      .execute()
    if (claims.length === 0) return { rematched, settled: undefined }
    const claimIds = claims.map((c) => c.claim_id)
    return { rematched, settled: await settleRecovery(trx, { claimIds }, user ?? 'ingest') }
  }
  const rematched = await rematchRemitClaims(
    trx,
    engine,
    await loadPayerProfiles(trx),
    kind === '837' ? { submittedFileId: fileId } : { remitFileId: fileId },
    user ?? 'ingest',
  )
  if (kind !== '835') return { rematched, settled: undefined }
  // Denials and payments of one claim that another process committed while this 835 was open.
  // Nothing to work out again when the in-transaction settlement saw every file there is now
  // and the re-match changed nothing: the same reads would give the same result. A file
  // committed after the settlement's reads began is a file more here, so the pass runs.
  //
  // Only files are counted: what else commits meanwhile cannot make this pass needed.
  // - `onco-edi rematch`'s matching (and an 837's) writes nothing settleRecovery reads: match
  //   status and submitted ids, lines' submitted ids, service dates, deadlines. Recovery reads
  //   remit claims' claim, payer, status, paid and date, items' claim, payer, amount, status,
  //   queue, date and recovery, lines' amount, level, code and CARCs, allocations and `recovered`
  //   events.
  // - A settlement of `rematch` (or of another file) of one of this file's claims locks the
  //   claim's remit claims first, which this file's settlement locked until its commit: it either
  //   committed before those locks were taken (the settlement read it) or waits for this commit
  //   and then reads this file's rows (settleRecovery reads them again once it has the locks).
  // - A biller's status change (src/rework: assign, resolve, reopen) locks its item and reads
  //   nothing else; the settlement locked the claims' items before reading them, so a change
  //   comes after this file's commit (the outcome of this file first and the biller after, which
  //   runs no settlement either) or was committed before the settlement read the items.
  const unchanged =
    settledAmong !== undefined &&
    rematched.claims === 0 &&
    rematched.items === 0 &&
    sameFiles(await filesSeen(trx), settledAmong)
  if (unchanged) return { rematched, settled: undefined }
  return { rematched, settled: await settleRecovery(trx, { fileId }, user ?? 'ingest') }
}

function sameFiles(a: FilesSeen, b: FilesSeen): boolean {
  return a.count === b.count && a.idSum === b.idSum
}

/**
 * Ingests one file inside the caller's transaction: the batch service stores a file and records
 * its result in one transaction, so a crash leaves either both or neither. Same idempotence as
 * {@link ingestFile} (the file's SHA-256 and each set's content are unique); no retry. Once the
 * caller's transaction has committed, it passes `afterCommit` (when there is one) to
 * {@link rematchAfterCommit}, as {@link ingestFile} does.
 */
export async function ingestFileInTransaction(
  trx: Kysely<Database>,
  path: string,
  options: IngestOptions & { engine: DenialEngine; name?: string },
): Promise<StoredFile> {
  const identity = await identifyFile(path)
  const { sha256, kind } = identity
  const result: IngestFileResult = { ...emptyResult(path), sha256, kind }
  const afterCommit = await storeFile(trx, path, identity, result, options)
  return { result, afterCommit }
}

function addRematch(into: RematchResult, more: RematchResult): void {
  into.claims += more.claims
  into.lines += more.lines
  into.items += more.items
  into.deadlines += more.deadlines
}

/** The first row of this content, or the row that was inserted (INSERT … ON CONFLICT). */
async function insertFileRow(
  trx: Kysely<Database>,
  path: string,
  size: number,
  result: IngestFileResult,
  name: string = basename(path),
): Promise<number | undefined> {
  const kind = result.kind ?? '837'
  // The unique sha256 decides when the same bytes are ingested twice at once: the second insert
  // waits for the first transaction and then inserts nothing.
  const row = await trx
    .insertInto('ingest_file')
    .values({ sha256: result.sha256, name, kind, byte_size: size, status: 'ingesting' })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row === undefined ? undefined : Number(row.id)
}

async function storeFile(
  trx: Kysely<Database>,
  path: string,
  { size, interchangeKeys }: FileIdentity,
  result: IngestFileResult,
  options: IngestOptions & { engine: DenialEngine; name?: string },
): Promise<AfterCommit | undefined> {
  const fileId = await insertFileRow(trx, path, size, result, options.name)
  if (fileId === undefined) {
    const existing = await trx
      .selectFrom('ingest_file')
      .select('id')
      .where('sha256', '=', result.sha256)
      .executeTakeFirst()
    result.status = 'already_ingested'
    result.fileId = existing === undefined ? undefined : Number(existing.id)
    result.message = `already ingested (same content as file ${existing?.id ?? '?'})`
    return undefined
  }
  result.fileId = fileId
  const postgres = options.handle.engine === 'postgres'
  const kind = result.kind ?? '837'
  const user = options.user ?? 'ingest'
  if (kind === '999' || kind === '277') {
    const settledAmong = await storeAcknowledgments(trx, path, fileId, result, { ...options, user })
    // A 277CA that opened rejection items: recovered by payments another process commits meanwhile.
    if (kind === '277' && result.items > 0 && result.status !== 'already_ingested')
      return oweRecoveryPass(trx, { kind: '277', fileId, settledAmong })
    return undefined
  }
  const remit: RemitFileState = {
    fileId,
    user,
    engine: options.engine,
    profiles: await loadPayerProfiles(trx),
    trx,
    setClaims: new Set(),
    fileClaims: new Set(),
    fileRemittances: [],
    copy: COPY_835[options.handle.engine],
    jsonLookups: !postgres,
    soleWriter: !postgres,
  }
  const hasher = new SetHasher()
  let bytes = 0
  const machine = new FileIngest(
    {
      trx,
      // On PostgreSQL an 835's lookups run on a pool connection while the previous batch is
      // written in the transaction. PGlite has one connection: everything goes through the
      // transaction.
      reader: postgres && kind === '835' ? options.handle.db : trx,
      idsAhead: postgres,
      fileId,
      remit,
      batchSize:
        options.batchSize ?? (kind === '837' ? BATCH_837 : postgres ? POSTGRES_BATCH : DEFAULT_BATCH),
      // PGlite runs in this thread: a deeper pipeline gains nothing there and only holds memory.
      pipelineDepth: postgres ? PIPELINE_DEPTH : 1,
      duplicateControl: options.onDuplicateControl ?? 'warn',
      // Other connections store files at the same time only on PostgreSQL (PGlite has one).
      ...(postgres ? { interchangeKeys } : {}),
      onBatch: (claims) => options.onProgress?.(path, claims, bytes),
    },
    (stOffset) => hasher.take(stOffset),
  )
  try {
    const reading = readX12File(path, {
      // An 837's claims are stored as their segments' text (StoredClaim837Writer): kept as read.
      ...(kind === '837' ? { chunkSize: CHUNK_837, segmentText: true } : {}),
      onSegment: (segment) => {
        bytes = segment.offset
        hasher.push(segment)
      },
    })
    for await (const events of reading) {
      for (const event of events) {
        const step = machine.handle(event)
        if (step !== undefined) await step
      }
      // The file is read 256 KiB at a time and its chunks follow each other as microtasks: without
      // a turn of the event loop per chunk, the replies of the transaction's connection (a COPY's
      // CopyInResponse, its completion) waited for the next read, and PostgreSQL for them.
      await setImmediate()
    }
  } finally {
    // Never leave a write running past the transaction, even when reading failed.
    await machine.settle()
  }
  await machine.finish()
  const tally = machine.tally
  // What the claims' payments recover, worked out again with this file's denials and payments.
  let settledAmong: FilesSeen | undefined
  if (kind === '835' && tally.claims > 0) {
    // Taken before the settlement reads anything: a file committed after it is one more file for
    // the pass after the commit (rematchAfterCommit), which then runs.
    settledAmong = await filesSeen(trx)
    const settled = await settleRecovery(trx, { fileId }, user)
    tally.recovered += settled.recovered
    tally.recoveredAmount += settled.recoveredAmount
  }
  copyTally(result, tally)
  // Remits that came before this 837 are matched to it now (in this transaction).
  if (kind === '837' && tally.claims > 0)
    result.rematched = await rematchRemitClaims(
      trx,
      options.engine,
      remit.profiles,
      { submittedFileId: fileId },
      user,
    )

  const { status, onlyDuplicates } = await closeFileRow(trx, fileId, tally, tally.warnings)
  await recordAudit(trx, {
    actor: user,
    entity: 'ingest_file',
    entityId: fileId,
    action: 'ingest',
    afterStatus: status,
    note:
      `${kind}: ${tally.claims} claims, ${tally.quarantined.length} quarantined set(s), ${tally.items} rework item(s)` +
      (tally.duplicateSets.length > 0 ? `, ${tally.duplicateSets.length} set(s) already stored` : '') +
      (result.rematched.claims > 0 ? `, ${result.rematched.claims} earlier remit claim(s) matched` : ''),
  })
  const from = [...new Set(tally.duplicateSets.map((d) => d.fileId))].join(', ')
  if (onlyDuplicates) {
    result.status = 'already_ingested'
    result.message = `already ingested (every transaction set was stored from file ${from})`
    return undefined
  }
  result.status = tally.quarantined.length > 0 ? 'partial' : 'ingested'
  result.message =
    `${tally.claims} claims stored` +
    (tally.quarantined.length > 0 ? `, ${tally.quarantined.length} transaction set(s) quarantined` : '') +
    (tally.duplicateSets.length > 0
      ? `, ${tally.duplicateSets.length} transaction set(s) already stored from file ${from}`
      : '')
  return oweRecoveryPass(trx, { kind, fileId, settledAmong })
}

/**
 * Records, in the file's transaction, that its pass after the commit is owed (`recovery_pass_owed`,
 * migration 0020); the pass deletes the row in its own transaction. A pass that fails for good, or a
 * process that dies before it, leaves the row for {@link runOwedRecoveryPasses}.
 */
async function oweRecoveryPass(trx: Kysely<Database>, stored: AfterCommit): Promise<AfterCommit> {
  await trx.insertInto('recovery_pass_owed').values({ file_id: stored.fileId, kind: stored.kind }).execute()
  return stored
}

/** What {@link runOwedRecoveryPasses} did. */
export interface OwedRecoveryPasses {
  /** Passes that ran (their rows are gone). */
  ran: number
  /** Passes that failed again (their rows stay): the file and the database's reason. */
  failed: { fileId: number; kind: string; message: string }[]
}

/**
 * Runs the passes after a commit that are still owed (`recovery_pass_owed`): a pass that failed for
 * good (INGEST_RECOVERY_PENDING) or a process that died between a file's commit and its pass.
 * `ingest`, `batch` and `worker` call it when they start. Each pass runs as the file's own would,
 * in full (what the file's settlement saw is not known any more); a row another process holds (its
 * pass is running) is skipped. A pass that fails again keeps its row and is reported.
 */
export async function runOwedRecoveryPasses(
  db: Kysely<Database>,
  engine: DenialEngine,
  user: string | undefined,
  hooks: Pick<IngestOptions, 'beforeRecoveryPass'> = {},
): Promise<OwedRecoveryPasses> {
  const report: OwedRecoveryPasses = { ran: 0, failed: [] }
  let after = 0
  for (;;) {
    const owed = await db
      .selectFrom('recovery_pass_owed')
      .select(['file_id', 'kind'])
      .where('file_id', '>', after)
      .orderBy('file_id')
      .executeTakeFirst()
    if (owed === undefined) return report
    const fileId = Number(owed.file_id)
    after = fileId
    const kind = owed.kind === '835' || owed.kind === '277' ? owed.kind : '837'
    try {
      const done = await rematchAfterCommit(
        db,
        engine,
        { kind, fileId, settledAmong: undefined },
        user,
        hooks,
      )
      if (done.ran) report.ran++
    } catch (error) {
      report.failed.push({ fileId, kind, message: error instanceof Error ? error.message : String(error) })
    }
  }
}

/** What {@link rematchAll} did. */
export interface RematchAllResult {
  /** Remit claims matched now, their lines and items, and the deadlines that changed. */
  matched: RematchResult
  /** What the recovery worked out again over every claim changed. */
  recovery: SettleResult
  /** Passes after a commit that were owed and are now done by this one (their rows deleted). */
  owedCleared: number
}

/**
 * `onco-edi rematch`, in one transaction: matches every remit claim still unmatched to a stored
 * 837 claim ({@link rematchRemitClaims}), then works out again what every stored payment recovers
 * for every claim ({@link settleAllRecovery}), as ingest does after each 835. The passes after a
 * commit still owed (`recovery_pass_owed`, {@link runOwedRecoveryPasses}) of the files committed
 * before it started are done by it: every statement of this transaction sees those files, so their
 * rows are deleted with it (a row whose pass another process is running is waited for).
 */
export async function rematchAll(
  db: Kysely<Database>,
  engine: DenialEngine,
  user: string,
): Promise<RematchAllResult> {
  // One transaction, so a deadlock with a file settling the same claim (40P01) is tried again whole.
  return retryingTransient(() => rematchAllOnce(db, engine, user))
}

async function rematchAllOnce(
  db: Kysely<Database>,
  engine: DenialEngine,
  user: string,
): Promise<RematchAllResult> {
  return db.transaction().execute(async (trx) => {
    const owed = await trx.selectFrom('recovery_pass_owed').select('file_id').execute()
    const matched = await rematchRemitClaims(trx, engine, await loadPayerProfiles(trx), { all: true }, user)
    // Recovery as ingest works it out, now that the remits are matched.
    const recovery = await settleAllRecovery(trx, user)
    if (owed.length > 0)
      await trx
        .deleteFrom('recovery_pass_owed')
        .where(
          'file_id',
          'in',
          owed.map((o) => Number(o.file_id)),
        )
        .execute()
    return { matched, recovery, owedCleared: owed.length }
  })
}

/**
 * A 999 or 277CA file, in the file's transaction (see {@link AcknowledgmentStore}). Returns what
 * the transaction saw of `ingest_file` before it settled the rejection items it opened (see
 * {@link AfterCommit}), or undefined when it opened none.
 */
async function storeAcknowledgments(
  trx: Kysely<Database>,
  path: string,
  fileId: number,
  result: IngestFileResult,
  options: IngestOptions & { engine: DenialEngine; user: string },
): Promise<FilesSeen | undefined> {
  const hasher = new SetHasher()
  const store = new AcknowledgmentStore(
    {
      trx,
      fileId,
      user: options.user,
      engine: options.engine,
      profiles: await loadPayerProfiles(trx),
      categories: await loadStatusCategories(),
      asOf: new Date().toISOString().slice(0, 10),
    },
    (stOffset) => hasher.take(stOffset),
  )
  for await (const events of readX12File(path, { onSegment: (segment) => hasher.push(segment) }))
    for (const event of events) await store.handle(event)
  const tally = store.tally
  // A rejection item is recovered by a payment of its claim stored before it, as after an 835.
  let settledAmong: FilesSeen | undefined
  if (tally.items > 0) {
    settledAmong = await filesSeen(trx)
    await settleRecovery(trx, { claimIds: [...new Set(tally.itemClaimIds)] }, options.user)
  }
  result.claims = tally.claims
  result.sets = tally.sets
  result.items = tally.items
  result.matched = tally.claims - tally.unmatched
  result.unmatched = tally.unmatched
  result.quarantined = tally.quarantined
  result.duplicateSets = tally.duplicateSets
  result.acknowledged = {
    accepted: tally.accepted,
    rejected: tally.rejected,
    pending: tally.pending,
    unmatched: tally.unmatched,
  }
  const { status, onlyDuplicates } = await closeFileRow(trx, fileId, tally, [])
  const kindName = result.kind === '277' ? '277CA' : '999'
  await recordAudit(trx, {
    actor: options.user,
    entity: 'ingest_file',
    entityId: fileId,
    action: 'ingest',
    afterStatus: status,
    note: `${kindName}: ${tally.accepted} claim(s) accepted, ${tally.rejected} rejected, ${tally.pending} pending, ${tally.unmatched} unmatched, ${tally.items} rejection item(s), ${tally.quarantined.length} quarantined set(s)`,
  })
  if (onlyDuplicates) {
    const from = [...new Set(tally.duplicateSets.map((d) => d.fileId))].join(', ')
    result.status = 'already_ingested'
    result.message = `already ingested (every transaction set was stored from file ${from})`
    return undefined
  }
  result.status = tally.quarantined.length > 0 ? 'partial' : 'ingested'
  result.message =
    `${kindName}: ${tally.accepted} claim(s) accepted, ${tally.rejected} rejected, ${tally.pending} pending` +
    (tally.items > 0 ? `, ${tally.items} rejection item(s) opened` : '') +
    (tally.quarantined.length > 0 ? `, ${tally.quarantined.length} transaction set(s) quarantined` : '')
  return settledAmong
}

function copyTally(result: IngestFileResult, tally: FileTally): void {
  result.claims = tally.claims
  result.sets = tally.sets
  result.matched = tally.matched
  result.unmatched = tally.unmatched
  result.reversals = tally.reversals
  result.items = tally.items
  result.recovered = tally.recovered
  result.recoveredAmount = tally.recoveredAmount
  result.quarantined = tally.quarantined
  result.duplicateSets = tally.duplicateSets
  result.warnings = tally.warnings
}

/**
 * Writes a stored file's envelope, counts and status (`duplicate` when every set was already
 * stored from another file, `partial` when some were quarantined) once its sets are written.
 */
async function closeFileRow(
  trx: Kysely<Database>,
  fileId: number,
  tally: Pick<
    FileTally,
    | 'sets'
    | 'claims'
    | 'quarantined'
    | 'duplicateSets'
    | 'senderId'
    | 'interchanges'
    | 'groups'
    | 'transactions'
  >,
  warnings: readonly unknown[],
): Promise<{ status: 'duplicate' | 'partial' | 'ingested'; onlyDuplicates: boolean }> {
  const onlyDuplicates = tally.sets === 0 && tally.quarantined.length === 0 && tally.duplicateSets.length > 0
  const status = onlyDuplicates ? 'duplicate' : tally.quarantined.length > 0 ? 'partial' : 'ingested'
  await trx
    .updateTable('ingest_file')
    .set({
      sender_id: tally.senderId ?? null,
      interchange_controls: tally.interchanges,
      group_controls: tally.groups,
      transaction_controls: tally.transactions,
      status,
      claim_count: tally.claims,
      quarantined_count: tally.quarantined.length,
      duplicate_set_count: tally.duplicateSets.length,
      warnings: JSON.stringify(warnings),
    })
    .where('id', '=', fileId)
    .execute()
  return { status, onlyDuplicates }
}

/** What {@link identifyFile} learns of a file before its transaction. */
interface FileIdentity {
  size: number
  /** SHA-256 of its bytes: its identity for dedupe. */
  sha256: string
  kind: IngestKind
  /** The sender and ISA13 of every interchange (their locks, on PostgreSQL). */
  interchangeKeys: InterchangeKey[]
}

/**
 * A file's size, SHA-256, interchanges and kind; INGEST_UNREADABLE when it cannot be read. The
 * SHA-256 and the interchanges come from one read of the bytes (at 100k claims the two reads took
 * 0.12-0.14 s of CPU, the one 0.07 s).
 */
async function identifyFile(path: string): Promise<FileIdentity> {
  let size: number
  let sha256: string
  const scanner = new InterchangeKeyScanner()
  try {
    size = (await stat(path)).size
    const hash = createHash('sha256')
    // One buffer for every read (the hash and the scanner copy what they keep): a new 64 KiB
    // buffer per chunk made the first read of a large file fault in fresh memory all the way.
    const buffer = Buffer.allocUnsafeSlow(IDENTIFY_CHUNK)
    const file = await open(path)
    try {
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, IDENTIFY_CHUNK, null)
        if (bytesRead === 0) break
        const chunk = buffer.subarray(0, bytesRead)
        hash.update(chunk)
        scanner.push(chunk)
      }
    } finally {
      await file.close()
    }
    sha256 = hash.digest('hex')
  } catch (cause) {
    throw new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
  return { size, sha256, kind: (await peekX12(path)).kind, interchangeKeys: scanner.keys() }
}
