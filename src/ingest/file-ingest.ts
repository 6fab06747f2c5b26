import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { RemittanceClaim835, RemittanceHeader835 } from '../../parsers/remittance835/remittance835.js'
import type { InterchangeKey } from '../../parsers/x12/interchange-keys.js'
import { formatPosition } from '../../parsers/x12/segment.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { arrayLiteral, reserveIds } from '../db/bulk-insert.js'
import { copyRowsTogether } from '../db/copy-from-stdin.js'
import type { Database } from '../db/database.js'
import type { PreparedRemitBatch, RemitFileState } from './store-835.js'
import {
  commitRemitClaims,
  finishRemittance,
  prepareRemitClaims,
  storeRemittanceHeader,
} from './store-835.js'
import {
  claimBatchCopies837,
  StoredForm837,
  SUBMITTED_CLAIM_ID_SEQUENCE,
  SubmittedClaimBatch,
} from './store-837.js'

/** What to do with an interchange whose sender + ISA13 was already stored with other content. */
export type DuplicateControlPolicy = 'warn' | 'quarantine'

/** A transaction set that was not stored, and why. */
export interface QuarantinedSet {
  interchangeControl: string
  groupControl: string
  transactionControl: string
  reasons: X12Issue[]
}

/**
 * Records a transaction set that is not stored (a `quarantine` row with its reasons, in the file's
 * transaction) and returns it for the file's tally.
 */
export async function quarantineSet(
  trx: Kysely<Database>,
  fileId: number,
  event: Extract<X12Event, { type: 'transaction-end' }>,
  reasons: X12Issue[],
): Promise<QuarantinedSet> {
  const envelope = event.envelope
  await trx
    .insertInto('quarantine')
    .values({
      file_id: fileId,
      interchange_control: envelope.interchangeControl,
      group_control: envelope.groupControl,
      transaction_type: envelope.transactionType,
      transaction_control: envelope.transactionControl,
      segment_count: event.segmentCount,
      reasons: JSON.stringify(reasons),
    })
    .execute()
  return {
    interchangeControl: envelope.interchangeControl,
    groupControl: envelope.groupControl,
    transactionControl: envelope.transactionControl,
    reasons,
  }
}

/** A transaction set not stored because the same content was stored from another file. */
export interface DuplicateSet {
  interchangeControl: string
  transactionControl: string
  /** The file it was stored from. */
  fileId: number
}

/** The counts and lists a file's ingest fills in ({@link FileIngest}). */
export interface FileTally {
  /** Claims stored (CLM for an 837, CLP for an 835). */
  claims: number
  matched: number
  unmatched: number
  reversals: number
  items: number
  recovered: number
  recoveredAmount: number
  /** Transaction sets stored. */
  sets: number
  quarantined: QuarantinedSet[]
  duplicateSets: DuplicateSet[]
  /** Warnings about the file (e.g. `X12_DUPLICATE_CONTROL_NUMBER`); they do not stop storing. */
  warnings: X12Issue[]
  senderId: string | undefined
  interchanges: string[]
  groups: string[]
  transactions: string[]
}

/** Everything a {@link FileIngest} writes with. */
export interface FileIngestContext {
  /** The file's transaction: every write goes through it. */
  trx: Kysely<Database>
  /**
   * Where an 835's look-ups run: on PostgreSQL a pool connection (reading and matching overlap
   * with the writes), on PGlite the transaction itself.
   */
  reader: Kysely<Database>
  /**
   * Whether 837 claim ids are reserved two batches ahead (PostgreSQL: the reservation queues on the
   * transaction's connection behind the COPYs already sent, and is back before the parser needs
   * it) rather than when a batch starts, after the writes before it (PGlite, in this thread).
   * Always on the transaction: a second connection per file could wait forever for a pool whose
   * every connection is a file's transaction (`--concurrency` 10 and up).
   */
  idsAhead: boolean
  fileId: number
  remit: RemitFileState
  batchSize: number
  /** Batches written or prepared while the parser reads on. */
  pipelineDepth: number
  duplicateControl: DuplicateControlPolicy
  /**
   * Every interchange of the file (sender and ISA13), found before it is read
   * (`InterchangeKeyScanner`): their locks are all taken at the first interchange, in one order
   * for every file. Without it each interchange's lock is taken when it starts.
   */
  interchangeKeys?: readonly InterchangeKey[]
  /** After each written batch: claims staged so far (uncommitted) and the bytes read. */
  onBatch: (claims: number) => void | Promise<void>
}

/** A set's running counts; they reach the file tally only when the set is stored. */
interface SetCounts {
  matched: number
  unmatched: number
  reversals: number
  items: number
}

/** An open interchange. `duplicate` is the issue of a reused sender + ISA13, if any. */
interface OpenInterchange {
  senderId: string
  control: string
  duplicate: X12Issue | undefined
}

/** An open transaction set: its savepoint, its claims so far and its reserved remittance id. */
interface OpenSet {
  savepoint: string
  claims: number
  remittanceId: number | undefined
  counts: SetCounts
  /** CLP01s its batches drafted rework items for ({@link RemitFileState.setClaims}). */
  itemClaims: Set<string>
}

/**
 * A set whose end (stored, dropped as a duplicate) is queued behind its writes but not done yet:
 * the next set is read meanwhile. A batch with one of its CLP01s waits for `closed` before it is
 * prepared (suppression compares the file's earlier stored sets' items).
 */
interface ClosingSet {
  itemClaims: ReadonlySet<string>
  closed: Promise<void>
}

/**
 * Where the reader is in the file. Events move it along: `interchange-start` opens an interchange,
 * `transaction-start` a set inside it, `transaction-end` stores, quarantines or drops the set, and
 * `interchange-end` closes the interchange.
 */
type Phase =
  | { name: 'outside-interchange' }
  | { name: 'in-interchange'; interchange: OpenInterchange }
  | { name: 'in-set'; interchange: OpenInterchange; set: OpenSet }

/**
 * The ordered steps of one file: preparations (an 835 batch's look-ups, matching and rows, on
 * `reader`) and writes (in the transaction). While the parser reads batch N+2, batch N+1 is
 * prepared and batch N written; at most `depth` writes are staged, so memory stays bounded. On
 * PostgreSQL the server is another process: parsing and writing use both cores.
 */
class BatchPipeline {
  readonly #depth: number
  #preparing: Promise<void> = Promise.resolve()
  /** Staged writes, oldest first; `batch` is false for a set's savepoint and end (not counted in `depth`). */
  readonly #writes: { done: Promise<void>; batch: boolean }[] = []
  /** Staged writes that are batches. */
  #batches = 0

  constructor(depth: number) {
    this.#depth = depth
  }

  /** Adds a preparation step (run in order, after the previous one). */
  prepare<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#preparing.then(step)
    this.#preparing = next.then(() => undefined)
    // Awaited by drain(); this branch only keeps an early failure from being "unhandled".
    this.#preparing.catch(() => undefined)
    return next
  }

  /**
   * Adds a write step, run after every write queued before it and after `after`; returns it
   * (awaited by drain() too). `batch` false: a small step (a set's savepoint or end) that does not
   * count towards `depth`.
   */
  write<T>(step: (value: T) => Promise<void>, after: Promise<T>, batch = true): Promise<void> {
    const previous = this.#writes.at(-1)?.done ?? Promise.resolve()
    const done = Promise.all([previous, after]).then(([, value]) => step(value))
    done.catch(() => undefined)
    this.#writes.push({ done, batch })
    if (batch) this.#batches++
    return done
  }

  /** The oldest staged write, once it has run. */
  async #shift(): Promise<void> {
    const write = this.#writes.shift()
    if (write === undefined) return
    if (write.batch) this.#batches--
    await write.done
  }

  /** Waits while more than `depth` batch writes are staged. */
  async backpressure(): Promise<void> {
    while (this.#batches > this.#depth) await this.#shift()
  }

  /** Waits until every step has run (throws the first failure). */
  async drain(): Promise<void> {
    while (this.#writes.length > 0) await this.#shift()
    await this.#preparing
  }

  /** Waits for every step without throwing: nothing may run past the transaction. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#writes.map((w) => w.done), this.#preparing])
  }
}

/**
 * Claims of a file's first 837 batch when ids are reserved ahead (PostgreSQL): the server waits
 * for that batch's COPY, so it goes after a quarter of a batch instead of a whole one.
 */
const FIRST_BATCH_837 = 250

function noCounts(): SetCounts {
  return { matched: 0, unmatched: 0, reversals: 0, items: 0 }
}

/**
 * One file's ingest as a state machine over the reader's events ({@link Phase}). Each transaction
 * set is written under a savepoint and, at its end, stored (its content identity is new), dropped
 * (the same content was stored from another file) or quarantined (the reader found an error, or
 * the interchange reuses a control number under the `quarantine` policy).
 */
export class FileIngest {
  readonly tally: FileTally = {
    claims: 0,
    matched: 0,
    unmatched: 0,
    reversals: 0,
    items: 0,
    recovered: 0,
    recoveredAmount: 0,
    sets: 0,
    quarantined: [],
    duplicateSets: [],
    warnings: [],
    senderId: undefined,
    interchanges: [],
    groups: [],
    transactions: [],
  }
  readonly #context: FileIngestContext
  readonly #pipeline: BatchPipeline
  readonly #setIdentity: (stOffset: number) => string | undefined
  #phase: Phase = { name: 'outside-interchange' }
  #savepoints = 0
  /** Whether every interchange of the file was locked at its first ({@link FileIngestContext.interchangeKeys}). */
  #lockedAll = false
  /** The stored form of the file's 837 claims, shared by its batches (see StoredForm837). */
  readonly #storedForm = new StoredForm837()
  /** The 837 batch being filled, made at its first claim (when its ids are known). */
  #staged837: SubmittedClaimBatch | undefined
  /** The next 837 batches' ids, being reserved, oldest first ({@link FileIngestContext.idsAhead}). */
  readonly #nextIds: Promise<number[]>[] = []
  /**
   * Ids reserved for an 837 batch that no claim took (the batch ended with its set), for the next
   * batch: a file of one-claim sets would otherwise reserve (and read back) a whole batch of ids
   * for every claim.
   */
  #spareIds: readonly number[] = []
  /** Whether the file's first 837 batch was made ({@link FIRST_BATCH_837}). */
  #firstBatch837Made = false
  #staged835: RemittanceClaim835[] = []
  /** Sets whose end is queued in the pipeline and not done yet, oldest first. */
  #closing: ClosingSet[] = []
  /** Claims handed to the pipeline so far (uncommitted), for progress. */
  #progress = 0

  constructor(context: FileIngestContext, setIdentity: (stOffset: number) => string | undefined) {
    this.#context = context
    this.#pipeline = new BatchPipeline(context.pipelineDepth)
    this.#setIdentity = setIdentity
  }

  /**
   * Moves the state machine by one reader event: `undefined` when that was done at once (an 837
   * claim added to a batch that is not full, nearly every event of an 837), else the promise of the
   * step. An `async` call and its `await` for each of 100k claims cost about 0.08 s of node's CPU.
   */
  handle(event: X12Event): Promise<void> | undefined {
    if (event.type === 'claim837') {
      const phase = this.#phase
      const batch = this.#staged837
      if (phase.name === 'in-set' && batch !== undefined && batch.length + 1 < batch.capacity) {
        batch.add(event.claim)
        phase.set.claims++
        return undefined
      }
    }
    return this.#step(event)
  }

  async #step(event: X12Event): Promise<void> {
    const phase = this.#phase
    switch (event.type) {
      case 'interchange-start':
        this.#phase = { name: 'in-interchange', interchange: await this.#openInterchange(event) }
        return
      case 'interchange-end':
        this.#phase = { name: 'outside-interchange' }
        return
      case 'transaction-start':
        if (phase.name === 'outside-interchange') return
        this.#phase = { name: 'in-set', interchange: phase.interchange, set: await this.#openSet() }
        return
      case 'remittance835-header':
        if (phase.name === 'in-set') await this.#remittanceOf(phase.set, event.header)
        return
      case 'claim837':
        if (phase.name !== 'in-set') return
        {
          const batch = this.#staged837 ?? (await this.#newBatch837())
          batch.add(event.claim)
          phase.set.claims++
          if (batch.length >= batch.capacity) await this.#flush(phase.set)
        }
        return
      case 'claim835':
        if (phase.name !== 'in-set') return
        this.#staged835.push(event.claim)
        phase.set.claims++
        if (this.#staged835.length >= this.#context.batchSize) await this.#flush(phase.set)
        return
      case 'transaction-end':
        if (phase.name !== 'in-set') return
        await this.#closeSet(phase.interchange, phase.set, event)
        this.#phase = { name: 'in-interchange', interchange: phase.interchange }
        return
      default:
        return
    }
  }

  /** Waits for every staged write (after the last event). */
  async finish(): Promise<void> {
    await this.#pipeline.drain()
    await Promise.all(this.#nextIds)
  }

  /** Waits for every step without throwing (when reading failed). */
  async settle(): Promise<void> {
    await this.#pipeline.settle()
    await Promise.allSettled(this.#nextIds)
  }

  /** A new 837 batch with its claim ids: reserved two batches ahead on PostgreSQL, else now. */
  async #newBatch837(): Promise<SubmittedClaimBatch> {
    const { trx, idsAhead, batchSize, fileId } = this.#context
    if (this.#spareIds.length > 0) {
      const batch = new SubmittedClaimBatch(fileId, this.#spareIds, this.#storedForm)
      this.#spareIds = []
      this.#staged837 = batch
      return batch
    }
    const reserve = (): Promise<number[]> => {
      const ids = reserveIds(trx, SUBMITTED_CLAIM_ID_SEQUENCE, batchSize)
      // Awaited by a later batch, finish() or settle(); this only keeps a failure from being "unhandled".
      ids.catch(() => undefined)
      return ids
    }
    let reserved: number[]
    try {
      if (idsAhead) {
        while (this.#nextIds.length < 2) this.#nextIds.push(reserve())
        const next = this.#nextIds.shift() as Promise<number[]>
        this.#nextIds.push(reserve())
        reserved = await next
      } else {
        // After the writes before it, in this thread (PGlite).
        await this.#pipeline.drain()
        reserved = await reserve()
      }
    } catch (error) {
      // A write the server refused is the file's failure, not the reservation that the aborted
      // transaction then refused.
      await this.#pipeline.drain()
      throw error
    }
    if (idsAhead && !this.#firstBatch837Made && reserved.length > FIRST_BATCH_837) {
      // The file's first batch is sent sooner: the server has nothing to do until it arrives. The
      // rest of its ids go to the next batch (the same ids for the same claims).
      this.#spareIds = reserved.slice(FIRST_BATCH_837)
      reserved = reserved.slice(0, FIRST_BATCH_837)
    }
    this.#firstBatch837Made = true
    const batch = new SubmittedClaimBatch(fileId, reserved, this.#storedForm)
    this.#staged837 = batch
    return batch
  }

  async #openInterchange(event: Extract<X12Event, { type: 'interchange-start' }>): Promise<OpenInterchange> {
    const { trx, fileId, duplicateControl } = this.#context
    // The statements below run on the transaction at once: the previous sets' ends come first
    // (a set still under its savepoint would take the interchange row with it if dropped).
    await this.#pipeline.drain()
    this.tally.senderId ??= event.senderId
    // Two files with the same sender + ISA13 take turns here (the lock lasts until the file's
    // transaction ends), so the one that commits second is the one that is told. A file's
    // interchanges are all locked at its first one, in the order of the lock keys: two files
    // carrying the same two interchanges in opposite orders would otherwise each hold one lock
    // and wait for the other's (PostgreSQL ends one with a deadlock, 40P01). Taking a lock this
    // transaction holds again returns at once.
    const keys = this.#context.interchangeKeys
    if (!this.#lockedAll && keys !== undefined && keys.length > 1) {
      this.#lockedAll = true
      await sql`select pg_advisory_xact_lock(k.sender, k.control) from (
          select hashtext(s) as sender, hashtext(c) as control
          from unnest(${arrayLiteral(
            keys.map((k) => k.senderId),
            'text',
          )}::text[], ${arrayLiteral(
            keys.map((k) => k.control),
            'text',
          )}::text[]) as u(s, c)
          group by 1, 2 order by 1, 2 offset 0
        ) as k`.execute(trx)
    }
    await sql`select pg_advisory_xact_lock(hashtext(${event.senderId}), hashtext(${event.control}))`.execute(
      trx,
    )
    const prior = await trx
      .selectFrom('interchange')
      .select('file_id')
      .where('sender_id', '=', event.senderId)
      .where('control', '=', event.control)
      .orderBy('file_id')
      .executeTakeFirst()
    let duplicate: X12Issue | undefined
    if (prior !== undefined) {
      const position = { offset: event.offset, segment: 1, stSegment: 0, segmentId: 'ISA', element: 13 }
      const quarantine = duplicateControl === 'quarantine'
      duplicate = {
        code: 'X12_DUPLICATE_CONTROL_NUMBER',
        severity: quarantine ? 'error' : 'warning',
        message:
          `Expected a new ISA13 from sender ${event.senderId}, found ${event.control}, already used by file ${prior.file_id} ` +
          `with other content at ${formatPosition(position)}` +
          (quarantine ? '; its sets are quarantined (--on-duplicate-control quarantine)' : '; stored anyway'),
        position,
      }
      if (!quarantine) this.tally.warnings.push(duplicate)
    }
    if (duplicate === undefined || duplicate.severity === 'warning') {
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
      this.tally.interchanges.push(event.control)
    }
    return { senderId: event.senderId, control: event.control, duplicate }
  }

  /**
   * Opens a savepoint for the set, queued behind the previous set's writes and end (the pipeline
   * is not drained between sets: the parser reads on while the server writes).
   */
  async #openSet(): Promise<OpenSet> {
    const { trx } = this.#context
    this.#savepoints++
    const savepoint = `st_${this.#savepoints}`
    this.#pipeline.write(
      async () => {
        await sql.raw(`savepoint ${savepoint}`).execute(trx)
      },
      Promise.resolve(undefined),
      false,
    )
    return {
      savepoint,
      claims: 0,
      remittanceId: undefined,
      counts: noCounts(),
      itemClaims: new Set(),
    }
  }

  /** The set's remittance id, reserved now and its header row queued in the transaction. */
  async #remittanceOf(set: OpenSet, header: RemittanceHeader835): Promise<number> {
    if (set.remittanceId !== undefined) return set.remittanceId
    const { trx, reader, fileId } = this.#context
    const [remittanceId] = await reserveIds(reader, 'remittance_id_seq', 1)
    if (remittanceId === undefined) throw new Error('no remittance id was reserved')
    set.remittanceId = remittanceId
    this.#pipeline.write(async () => {
      await storeRemittanceHeader(trx, fileId, header, remittanceId)
    }, Promise.resolve(undefined))
    return remittanceId
  }

  /** Hands the staged claims to the pipeline, waiting while it is full. */
  async #flush(set: OpenSet): Promise<void> {
    const batch837 = this.#staged837
    const batch835 = this.#staged835
    if ((batch837 !== undefined && batch837.length > 0) || batch835.length > 0) {
      this.#staged837 = undefined
      if (batch837 !== undefined) this.#spareIds = [...batch837.unusedIds(), ...this.#spareIds]
      this.#staged835 = []
      await this.#submit(set, batch837, batch835)
    }
    await this.#pipeline.backpressure()
  }

  async #submit(
    set: OpenSet,
    batch837: SubmittedClaimBatch | undefined,
    batch835: RemittanceClaim835[],
  ): Promise<void> {
    const { trx, reader, remit, onBatch } = this.#context
    this.#progress += (batch837?.length ?? 0) + batch835.length
    const staged = this.#progress
    let prepared: Promise<PreparedRemitBatch | undefined> = Promise.resolve(undefined)
    const first = batch835[0]
    if (first !== undefined) {
      const remittanceId = await this.#remittanceOf(set, first.header)
      prepared = this.#pipeline.prepare(async () => {
        await this.#afterClosingSetsOf(batch835)
        // The set's own items join the file's (what later sets' suppression compares) once it is stored.
        remit.setClaims = set.itemClaims
        const batch = await prepareRemitClaims(reader, remit, remittanceId, batch835)
        const r = batch.result
        set.counts.matched += r.matched
        set.counts.unmatched += r.unmatched
        set.counts.reversals += r.reversals
        set.counts.items += r.items
        return batch
      })
    }
    // The claims' COPY text was written as they came; it is sent on the transaction after the
    // previous batch's statements: one statement in flight at a time, a failure aborts the file.
    // Claims and lines go as one round trip (copyRowsTogether), claims first.
    const copies837 = batch837 === undefined ? [] : claimBatchCopies837(batch837)
    this.#pipeline.write(async (batch) => {
      await copyRowsTogether(trx, copies837)
      if (batch !== undefined) await commitRemitClaims(trx, batch)
      await onBatch(staged)
    }, prepared)
  }

  /**
   * Stores, drops (content already stored) or quarantines the set that just ended. A set that is
   * not quarantined ends in the pipeline, after its writes: the parser goes on with the next set.
   */
  async #closeSet(
    interchange: OpenInterchange,
    set: OpenSet,
    event: Extract<X12Event, { type: 'transaction-end' }>,
  ): Promise<void> {
    const { trx, fileId } = this.#context
    const envelope = event.envelope
    const identity = this.#setIdentity(envelope.position.offset)
    const reasons = event.issues.filter((issue) => issue.severity === 'error')
    if (interchange.duplicate !== undefined && interchange.duplicate.severity === 'error')
      reasons.push(interchange.duplicate)
    if (event.quarantined || reasons.length > 0) {
      // The set is stored nowhere: drop what was staged and undo what was written.
      if (this.#staged837 !== undefined) this.#spareIds = [...this.#staged837.unusedIds(), ...this.#spareIds]
      this.#staged837 = undefined
      this.#staged835 = []
      await this.#rollback(set)
      const stated = reasons.length > 0 ? reasons : event.issues
      this.tally.quarantined.push(await quarantineSet(trx, fileId, event, stated))
      return
    }
    await this.#flush(set)
    const remittance = event.remittance
    const stored = this.#pipeline.write(
      () => this.#storeSet(interchange, set, envelope, identity, remittance),
      Promise.resolve(undefined),
      false,
    )
    // Settled either way: after a failure the file fails with it (the pipeline throws it), and no
    // batch may wait forever.
    const closing: ClosingSet = {
      itemClaims: set.itemClaims,
      closed: stored.then(
        () => undefined,
        () => undefined,
      ),
    }
    this.#closing.push(closing)
    void closing.closed.then(() => {
      this.#closing = this.#closing.filter((c) => c !== closing)
    })
  }

  /**
   * The end of a set that was not quarantined, in the pipeline after its writes: its
   * transaction_set row, unless the same content was stored from another file (the set is then
   * rolled back), its remittance's totals, and its counts into the file's tally.
   */
  async #storeSet(
    interchange: OpenInterchange,
    set: OpenSet,
    envelope: Extract<X12Event, { type: 'transaction-end' }>['envelope'],
    identity: string | undefined,
    remittance: Extract<X12Event, { type: 'transaction-end' }>['remittance'],
  ): Promise<void> {
    const { trx, fileId } = this.#context
    // The unique content identity decides: a set stored by another file (committed, or committing
    // while this one waits on the index) is dropped here, whatever the order the files were read in.
    const stored = await trx
      .insertInto('transaction_set')
      .values({
        file_id: fileId,
        content_sha256:
          identity ?? `${interchange.senderId}/${interchange.control}/${envelope.transactionControl}`,
        sender_id: interchange.senderId,
        transaction_type: envelope.transactionType,
        interchange_control: envelope.interchangeControl,
        group_control: envelope.groupControl,
        transaction_control: envelope.transactionControl,
        claim_count: set.claims,
      })
      .onConflict((oc) => oc.column('content_sha256').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (stored === undefined) {
      await this.#rollbackWritten(set)
      const first = await trx
        .selectFrom('transaction_set')
        .select('file_id')
        .where('content_sha256', '=', identity ?? '')
        .executeTakeFirst()
      this.tally.duplicateSets.push({
        interchangeControl: envelope.interchangeControl,
        transactionControl: envelope.transactionControl,
        fileId: first === undefined ? 0 : Number(first.file_id),
      })
      return
    }
    if (remittance !== undefined) {
      let remittanceId = set.remittanceId
      if (remittanceId === undefined) {
        // A set without claims: its remittance row is written now.
        ;[remittanceId] = await reserveIds(this.#context.reader, 'remittance_id_seq', 1)
        if (remittanceId === undefined) throw new Error('no remittance id was reserved')
        set.remittanceId = remittanceId
        await storeRemittanceHeader(trx, fileId, remittance.header, remittanceId)
      }
      await finishRemittance(trx, remittanceId, remittance.providerAdjustments, set.claims)
    }
    await sql.raw(`release savepoint ${set.savepoint}`).execute(trx)
    const tally = this.tally
    tally.sets++
    tally.claims += set.claims
    tally.matched += set.counts.matched
    tally.unmatched += set.counts.unmatched
    tally.reversals += set.counts.reversals
    tally.items += set.counts.items
    const remit = this.#context.remit
    for (const claimId of set.itemClaims) remit.fileClaims.add(claimId)
    if (set.itemClaims.size > 0 && set.remittanceId !== undefined)
      remit.fileRemittances.push(set.remittanceId)
    if (!tally.groups.includes(envelope.groupControl)) tally.groups.push(envelope.groupControl)
    tally.transactions.push(envelope.transactionControl)
  }

  /**
   * Waits until the sets whose end is still queued and that drafted items for one of `claims`'
   * CLP01s have ended: whether they were stored decides what the batch's suppression compares.
   */
  async #afterClosingSetsOf(claims: readonly RemittanceClaim835[]): Promise<void> {
    let last: ClosingSet | undefined
    for (const closing of this.#closing)
      if (closing.itemClaims.size > 0 && claims.some((c) => closing.itemClaims.has(c.claimId))) last = closing
    // Sets end in order: the last one's end means every one before it has ended.
    if (last !== undefined) await last.closed
  }

  /** Undoes the set: waits for its writes, rolls back to its savepoint, forgets its items. */
  async #rollback(set: OpenSet): Promise<void> {
    await this.#pipeline.drain()
    await this.#rollbackWritten(set)
  }

  /** Rolls back to the set's savepoint once its writes are done, and forgets its items. */
  async #rollbackWritten(set: OpenSet): Promise<void> {
    const { trx } = this.#context
    await sql.raw(`rollback to savepoint ${set.savepoint}`).execute(trx)
    await sql.raw(`release savepoint ${set.savepoint}`).execute(trx)
    set.itemClaims.clear()
  }
}
