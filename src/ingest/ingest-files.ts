import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import PQueue from 'p-queue'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import type { RemittanceClaim835 } from '../../parsers/remittance835/remittance835.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import { recordAudit } from '../db/audit.js'
import { reserveIds } from '../db/bulk-insert.js'
import type { DatabaseHandle } from '../db/create-database.js'
import type { Database } from '../db/database.js'
import { readX12File } from '../pipeline/read-x12.js'
import { loadPayerProfiles } from '../rework/payer-repository.js'
import { detectX12Kind, peekX12 } from './detect-kind.js'
import { IngestError } from './ingest-error.js'
import { loadDenialEngine } from './load-denial-engine.js'
import type { RematchResult } from './rematch-remits.js'
import { rematchRemitClaims } from './rematch-remits.js'
import type { PreparedRemitBatch, RemitFileState } from './store-835.js'
import {
  commitRemitClaims,
  finishRemittance,
  prepareRemitClaims,
  storeRemittanceHeader,
} from './store-835.js'
import { storeClaims837 } from './store-837.js'

/** Claims per batch on PGlite: one statement per table per ~500 claims (STYLE.md §4 batches). */
const DEFAULT_BATCH = 500
/**
 * Claims per batch on PostgreSQL: fewer, larger statements and lookups. On the 100k-claim bench
 * (test/bench/ingest-bench.ts, 2 cores) 1,000 and 2,000 were about even and ahead of 500; 4,000 was
 * slower (more live data per garbage collection).
 */
const POSTGRES_BATCH = 2_000
/** Batches written or prepared while the parser reads on (PostgreSQL). */
const PIPELINE_DEPTH = 2

export interface IngestOptions {
  handle: DatabaseHandle
  /** Files ingested at once (p-queue). PGlite has one connection, so it always runs one at a time. */
  concurrency?: number
  /** Recorded on audit events (recovered items). */
  user?: string
  /** Classification and deadline rules; loaded from fixtures/denials when absent. */
  engine?: DenialEngine
  batchSize?: number
  /** Called after each stored batch with the file and the claims stored so far (uncommitted). */
  onProgress?: (path: string, claims: number) => void
}

/** A transaction set that was not stored, and why. */
export interface QuarantinedSet {
  interchangeControl: string
  groupControl: string
  transactionControl: string
  reasons: X12Issue[]
}

/** What happened to one file. */
export interface IngestFileResult {
  path: string
  name: string
  sha256: string
  kind: '837' | '835' | undefined
  /** `already_ingested`: same bytes, or every interchange was already stored from another file. */
  status: 'ingested' | 'partial' | 'already_ingested' | 'failed'
  message: string
  fileId: number | undefined
  /** Claims stored (CLM for an 837, CLP for an 835). */
  claims: number
  matched: number
  unmatched: number
  /**
   * 837 only: remit claims stored unmatched by earlier 835s (their 837 had not come yet) that this
   * file's claims now match, with their rework items.
   */
  rematched: RematchResult
  reversals: number
  items: number
  recovered: number
  recoveredAmount: number
  quarantined: QuarantinedSet[]
  /** Interchanges skipped because sender + ISA13 was already stored from another file. */
  skippedInterchanges: { senderId: string; control: string; fileId: number }[]
  error: { code: string; message: string } | undefined
}

/**
 * Ingests X12 files into the database, each in one transaction (stored whole or not at all) and
 * idempotently (by SHA-256 and by sender + ISA13). Files run concurrently on PostgreSQL.
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
  const results = new Map<number, IngestFileResult>()
  const peeks = await Promise.all(
    paths.map(async (path, index) => {
      try {
        return { path, index, peek: await peekX12(path) }
      } catch (error) {
        results.set(index, failed(path, error))
        return undefined
      }
    }),
  )
  const known = peeks.flatMap((p) => (p === undefined ? [] : [p]))
  const run = async (path: string, index: number): Promise<void> => {
    try {
      results.set(index, await ingestFile(path, { ...options, engine }))
    } catch (error) {
      results.set(index, failed(path, error))
    }
  }
  // 837s first, so that the 835s of the same run find their claims. Then the 835s one at a time
  // in payment-date order: a later remit must see the rework items an earlier one opened (recovered
  // revenue, reversals), and its claims stream in batches anyway.
  const queue = new PQueue({ concurrency })
  await Promise.all(
    known.filter((p) => p.peek.kind === '837').map((p) => queue.add(() => run(p.path, p.index))),
  )
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
    matched: 0,
    unmatched: 0,
    rematched: { claims: 0, lines: 0, items: 0, deadlines: 0 },
    reversals: 0,
    items: 0,
    recovered: 0,
    recoveredAmount: 0,
    quarantined: [],
    skippedInterchanges: [],
    error: undefined,
  }
}

function failed(path: string, error: unknown): IngestFileResult {
  const code =
    error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'INGEST_UNREADABLE'
  const message = error instanceof Error ? error.message : String(error)
  return { ...emptyResult(path), status: 'failed', message, error: { code, message } }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    if ('code' in current && current.code === '23505') return true
    current = 'cause' in current ? current.cause : undefined
  }
  return false
}

/** Ingests one file in one transaction. */
export async function ingestFile(
  path: string,
  options: IngestOptions & { engine: DenialEngine },
): Promise<IngestFileResult> {
  const result = emptyResult(path)
  let size: number
  try {
    size = (await stat(path)).size
    result.sha256 = await sha256Of(path)
  } catch (cause) {
    throw new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
  const db = options.handle.db
  const existing = await db
    .selectFrom('ingest_file')
    .select(['id', 'kind'])
    .where('sha256', '=', result.sha256)
    .executeTakeFirst()
  if (existing !== undefined) {
    return {
      ...result,
      kind: existing.kind === '837' ? '837' : '835',
      status: 'already_ingested',
      fileId: Number(existing.id),
      message: `already ingested (same content as file ${existing.id})`,
    }
  }
  const kind = await detectX12Kind(path)
  result.kind = kind
  try {
    await db.transaction().execute(async (trx) => {
      await storeFile(trx, path, size, kind, result, options)
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      return {
        ...emptyResult(path),
        sha256: result.sha256,
        kind,
        status: 'already_ingested',
        message: 'already ingested (concurrently)',
      }
    }
    throw error
  }
  return result
}

async function storeFile(
  trx: Kysely<Database>,
  path: string,
  size: number,
  kind: '837' | '835',
  result: IngestFileResult,
  options: IngestOptions & { engine: DenialEngine },
): Promise<void> {
  const postgres = options.handle.engine === 'postgres'
  const batchSize = options.batchSize ?? (postgres ? POSTGRES_BATCH : DEFAULT_BATCH)
  // PGlite runs in this thread: a deeper pipeline gains nothing there and only holds memory.
  const pipelineDepth = postgres ? PIPELINE_DEPTH : 1
  const file = await trx
    .insertInto('ingest_file')
    .values({
      sha256: result.sha256,
      name: basename(path),
      kind,
      byte_size: size,
      status: 'ingesting',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const fileId = Number(file.id)
  result.fileId = fileId
  const state: RemitFileState = {
    fileId,
    user: options.user ?? 'ingest',
    engine: options.engine,
    profiles: await loadPayerProfiles(trx),
    pendingReversals: new Map(),
    recoveredItems: new Map(),
  }
  // On PostgreSQL an 835's lookups run on a pool connection while the previous batch is written
  // in the transaction, so reading, matching and classifying overlap with the inserts. PGlite has
  // one connection: everything goes through the transaction.
  const reader = options.handle.engine === 'postgres' && kind === '835' ? options.handle.db : trx
  const interchanges: string[] = []
  const groups = new Set<string>()
  const transactions: string[] = []
  let senderId: string | undefined
  let skipping = false
  let interchangeSeen = 0
  let savepoint = 0
  let claims837: Claim837[] = []
  let claims835: RemittanceClaim835[] = []

  /** One transaction set's running state; batches in the pipeline keep the set they belong to. */
  interface SetState {
    savepoint: number
    claims: number
    remittanceId: number | undefined
    counts: {
      matched: number
      unmatched: number
      reversals: number
      items: number
      recovered: number
      recoveredAmount: number
    }
  }
  const newSet = (): SetState => ({
    savepoint,
    claims: 0,
    remittanceId: undefined,
    counts: { matched: 0, unmatched: 0, reversals: 0, items: 0, recovered: 0, recoveredAmount: 0 },
  })
  let set = newSet()

  let progress = 0
  // A pipeline of batches: while the parser reads batch N+2, batch N+1 is looked up, matched,
  // classified and turned into array literals (`preparing`, in order), and batch N is written in
  // the transaction (`pending`, in order). The end of a transaction set (release savepoint) and the
  // start of the next one are steps of the same ordered chain, so the parser never waits for the
  // server between sets. On PostgreSQL the server runs in another process, so parsing and writing
  // use both cores. At most `pipelineDepth` steps are staged: memory stays bounded.
  let preparing: Promise<void> = Promise.resolve()
  const pending: Promise<void>[] = []
  /** Runs `step` in the transaction after every step queued before it (and after `after`). */
  const enqueue = <T>(step: (value: T) => Promise<void>, after: Promise<T>): Promise<void> => {
    const previous = pending.at(-1) ?? Promise.resolve()
    const done = Promise.all([previous, after]).then(([, value]) => step(value))
    // Awaited by flush()/drain(); this branch only keeps an early failure from being "unhandled".
    done.catch(() => undefined)
    pending.push(done)
    return done
  }
  const inOrder = (step: () => Promise<void>): Promise<void> => enqueue(step, Promise.resolve(undefined))
  /** Adds a step to the preparation chain (runs on `reader`, in batch order). */
  const prepareInOrder = <T>(step: () => Promise<T>): Promise<T> => {
    const next = preparing.then(step)
    preparing = next.then(() => undefined)
    preparing.catch(() => undefined)
    return next
  }
  /** The set's remittance id, reserved now and its header row queued in the transaction. */
  const remittanceOf = async (owner: SetState, header: RemittanceClaim835['header']): Promise<number> => {
    if (owner.remittanceId !== undefined) return owner.remittanceId
    const id = await reserveIds(reader, 'remittance_id_seq', 1)
    const remittanceId = id[0]
    if (remittanceId === undefined) throw new IngestError('INGEST_UNREADABLE', 'No remittance id reserved')
    owner.remittanceId = remittanceId
    inOrder(async () => {
      await storeRemittanceHeader(trx, fileId, header, remittanceId)
    })
    return remittanceId
  }
  const submit = async (batch837: Claim837[], batch835: RemittanceClaim835[]): Promise<void> => {
    progress += batch837.length + batch835.length
    const stored = progress
    const owner = set
    let prepared: Promise<PreparedRemitBatch | undefined> = Promise.resolve(undefined)
    const first = batch835[0]
    if (first !== undefined) {
      const remittanceId = owner.remittanceId ?? (await remittanceOf(owner, first.header))
      prepared = prepareInOrder(async () => {
        const batch = await prepareRemitClaims(reader, state, remittanceId, batch835)
        const r = batch.result
        owner.counts.matched += r.matched
        owner.counts.unmatched += r.unmatched
        owner.counts.reversals += r.reversals
        owner.counts.items += r.items
        owner.counts.recovered += r.recovered
        owner.counts.recoveredAmount += r.recoveredAmount
        return batch
      })
    }
    enqueue(async (batch) => {
      if (batch837.length > 0) await storeClaims837(trx, fileId, batch837)
      if (batch !== undefined) await commitRemitClaims(trx, state, batch)
      options.onProgress?.(path, stored)
    }, prepared)
  }
  /** Waits while the pipeline is full. */
  const backpressure = async (): Promise<void> => {
    while (pending.length > pipelineDepth) await pending.shift()
  }
  /** Hands the staged claims to the pipeline, waiting while it is full. */
  const flush = async (): Promise<void> => {
    if (claims837.length > 0 || claims835.length > 0) {
      const batch837 = claims837
      const batch835 = claims835
      claims837 = []
      claims835 = []
      await submit(batch837, batch835)
    }
    await backpressure()
  }
  /** Waits until everything staged is written. */
  const drain = async (): Promise<void> => {
    await flush()
    while (pending.length > 0) await pending.shift()
    await preparing
  }

  const handle = async (event: X12Event): Promise<void> => {
    switch (event.type) {
      case 'interchange-start': {
        interchangeSeen++
        senderId ??= event.senderId
        await drain()
        const prior = await trx
          .selectFrom('interchange')
          .select('file_id')
          .where('sender_id', '=', event.senderId)
          .where('control', '=', event.control)
          .executeTakeFirst()
        skipping = prior !== undefined
        if (prior !== undefined) {
          result.skippedInterchanges.push({
            senderId: event.senderId,
            control: event.control,
            fileId: Number(prior.file_id),
          })
          return
        }
        await trx
          .insertInto('interchange')
          .values({
            file_id: fileId,
            sender_id: event.senderId,
            control: event.control,
            receiver_id: event.receiverId,
            interchange_date: null,
          })
          .execute()
        interchanges.push(event.control)
        return
      }
      case 'transaction-start': {
        if (skipping) return
        savepoint++
        set = newSet()
        const name = `st_${savepoint}`
        // Reversals are netted within one transaction set: cleared once the previous set's
        // batches are prepared.
        void prepareInOrder(async () => {
          state.pendingReversals.clear()
        })
        inOrder(async () => {
          await sql.raw(`savepoint ${name}`).execute(trx)
        })
        return
      }
      case 'remittance835-header':
        if (skipping) return
        await remittanceOf(set, event.header)
        return
      case 'claim837':
        if (skipping) return
        claims837.push(event.claim)
        set.claims++
        if (claims837.length >= batchSize) await flush()
        return
      case 'claim835':
        if (skipping) return
        claims835.push(event.claim)
        set.claims++
        if (claims835.length >= batchSize) await flush()
        return
      case 'transaction-end': {
        if (skipping) return
        if (event.quarantined) {
          // The set is stored nowhere: drop what was staged and undo what was flushed.
          claims837 = []
          claims835 = []
          await drain()
          await sql.raw(`rollback to savepoint st_${set.savepoint}`).execute(trx)
          const envelope = event.envelope
          const reasons = event.issues.filter((issue) => issue.severity === 'error')
          await trx
            .insertInto('quarantine')
            .values({
              file_id: fileId,
              interchange_control: envelope.interchangeControl,
              group_control: envelope.groupControl,
              transaction_type: envelope.transactionType,
              transaction_control: envelope.transactionControl,
              segment_count: event.segmentCount,
              reasons: JSON.stringify(reasons.length > 0 ? reasons : event.issues),
            })
            .execute()
          result.quarantined.push({
            interchangeControl: envelope.interchangeControl,
            groupControl: envelope.groupControl,
            transactionControl: envelope.transactionControl,
            reasons: reasons.length > 0 ? reasons : event.issues,
          })
          return
        }
        await flush()
        const owner = set
        const remittance = event.remittance
        const remittanceId =
          remittance === undefined ? undefined : await remittanceOf(owner, remittance.header)
        groups.add(event.envelope.groupControl)
        transactions.push(event.envelope.transactionControl)
        // Queued after the set's batches (and their preparation, which fills owner.counts).
        enqueue(async () => {
          if (remittance !== undefined && remittanceId !== undefined)
            await finishRemittance(trx, remittanceId, remittance.providerAdjustments, owner.claims)
          await sql.raw(`release savepoint st_${owner.savepoint}`).execute(trx)
          result.claims += owner.claims
          result.matched += owner.counts.matched
          result.unmatched += owner.counts.unmatched
          result.reversals += owner.counts.reversals
          result.items += owner.counts.items
          result.recovered += owner.counts.recovered
          result.recoveredAmount += owner.counts.recoveredAmount
        }, preparing)
        await backpressure()
        return
      }
      default:
        return
    }
  }

  try {
    for await (const events of readX12File(path)) {
      for (const event of events) await handle(event)
    }
  } finally {
    // Never leave a write running past the transaction, even when reading failed.
    await Promise.allSettled([...pending, preparing])
  }
  await drain()
  // Remits that came before this 837 are matched to it now (in this transaction).
  if (kind === '837' && result.claims > 0)
    result.rematched = await rematchRemitClaims(trx, state.engine, state.profiles, fileId, state.user)

  const allSkipped = interchangeSeen > 0 && interchanges.length === 0
  const status = allSkipped ? 'duplicate' : result.quarantined.length > 0 ? 'partial' : 'ingested'
  await trx
    .updateTable('ingest_file')
    .set({
      sender_id: senderId ?? null,
      interchange_controls: interchanges,
      group_controls: [...groups],
      transaction_controls: transactions,
      status,
      claim_count: result.claims,
      quarantined_count: result.quarantined.length,
      skipped_interchange_count: result.skippedInterchanges.length,
    })
    .where('id', '=', fileId)
    .execute()
  await recordAudit(trx, {
    actor: options.user ?? 'ingest',
    entity: 'ingest_file',
    entityId: fileId,
    action: 'ingest',
    afterStatus: status,
    note:
      `${kind}: ${result.claims} claims, ${result.quarantined.length} quarantined set(s), ${result.items} rework item(s)` +
      (result.rematched.claims > 0 ? `, ${result.rematched.claims} earlier remit claim(s) matched` : ''),
  })
  if (allSkipped) {
    const from = [...new Set(result.skippedInterchanges.map((s) => s.fileId))].join(', ')
    result.status = 'already_ingested'
    result.message = `already ingested (interchange ${result.skippedInterchanges.map((s) => `${s.senderId}/${s.control}`).join(', ')} stored from file ${from})`
  } else {
    result.status = result.quarantined.length > 0 ? 'partial' : 'ingested'
    result.message =
      `${result.claims} claims stored` +
      (result.quarantined.length > 0 ? `, ${result.quarantined.length} transaction set(s) quarantined` : '') +
      (result.skippedInterchanges.length > 0
        ? `, ${result.skippedInterchanges.length} interchange(s) already ingested`
        : '')
  }
}
