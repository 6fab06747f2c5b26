import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Ack837Result, AcknowledgeOptions } from '../../transforms/acknowledgments/acknowledge-837.js'
import {
  planAcknowledgments,
  writeAcknowledgments,
} from '../../transforms/acknowledgments/acknowledge-837.js'
import type { InboundAnalysis } from '../../transforms/acknowledgments/inbound-interchange.js'
import { analyzeInbound } from '../../transforms/acknowledgments/inbound-interchange.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'

/** Options of {@link acknowledge837File}. */
export interface Acknowledge837FileOptions {
  /**
   * `ONCO_EDI_ISA06` / `ONCO_EDI_GS02` (config `outbound`): our ids on the acknowledgments; default
   * the acknowledged interchange's ISA08 / GS03. Their receiver is always the interchange's sender.
   */
  outbound?: OutboundEnvelopeConfig | undefined
  /** When the acknowledgments are written; default now. */
  now?: Date
  /** Written after each segment terminator (e.g. `\n`). */
  lineBreak?: string
  /**
   * The file's SHA-256 (hex); computed from `bytes` when absent. An interchange (sender + ISA13)
   * stored before from a file with another hash is a duplicate: TA1 025.
   */
  sha256?: string
  /** Read already (e.g. while scrubbing): skips the second read of `bytes`. */
  analysis?: InboundAnalysis
  /**
   * Another record of received interchanges (e.g. the batch service's own table, for 837s it
   * acknowledges without ingesting them): true when the sender (`senderQualifier` + `senderId`)
   * and `control` were received before in a file whose SHA-256 is not `sha256`. Asked only when
   * the `interchange` table knows nothing and the TA1 would not reject the interchange for its
   * envelope anyway, in order of sender qualifier, sender, ISA13 and then place in the file (one
   * lock order for every file); `offset` is the ISA's byte offset. A record that answers false
   * may keep the interchange as received from now on.
   */
  seenBefore?: (interchange: SeenInterchange) => Promise<boolean>
  /**
   * Whether interchanges `ingest` stored (table `interchange`) count as received; default true.
   * The batch service stores the accepted batches it writes there (our own interchanges, numbered
   * by our counter, carrying the submitter's ISA06 unless `outbound` sets ours), so it answers
   * false and keeps its received interchanges itself (`seenBefore`).
   */
  ingested?: boolean
}

/** Code-unit order (the same on every machine and locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** What {@link Acknowledge837FileOptions.seenBefore} is asked about: one received interchange. */
export interface SeenInterchange {
  senderQualifier: string
  senderId: string
  receiverQualifier: string
  receiverId: string
  control: string
  offset: number
  sha256: string
}

/**
 * Acknowledges a received 837 with control numbers from the persisted counter: reads it, looks up
 * duplicate interchanges (same sender + ISA13 stored by `ingest` from a file with other content,
 * or reported by `seenBefore`), reserves
 * one block of numbers per acknowledgment interchange (`reserveEnvelopeControlNumbers`), and
 * writes the TA1s and 999s. Run it inside the caller's transaction (`db` may be one) so that the
 * numbers are released if the file's work rolls back.
 *
 * @example
 * ```ts
 * const { ta1, acks999, accepted, rejected } = await acknowledge837File(trx, bytes, { outbound: config.outbound })
 * ```
 */
export async function acknowledge837File(
  db: Kysely<Database>,
  bytes: Uint8Array,
  options: Acknowledge837FileOptions = {},
): Promise<Ack837Result> {
  const analysis = options.analysis ?? analyzeInbound(bytes)
  const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex')
  const ids: AcknowledgeOptions['ids'] = {
    senderId: options.outbound?.isa06,
    applicationSenderCode: options.outbound?.gs02,
  }
  // Interchanges whose TA1 rejects them for their envelope were never accepted: not asked about.
  const rejected = new Set<number>()
  if (options.seenBefore !== undefined)
    for (const [i, ack] of planAcknowledgments(analysis, { ids }).interchanges.entries())
      if (ack.ta1?.status === 'R') rejected.add(analysis.interchanges[i]?.offset ?? -1)
  /** ISA byte offsets of the duplicate interchanges. */
  const duplicates = new Set<number>()
  /** Interchanges to ask `seenBefore` about, once the `interchange` table knows nothing of them. */
  const ask: typeof analysis.interchanges = []
  for (const interchange of analysis.interchanges) {
    const prior =
      options.ingested === false
        ? undefined
        : await db
            .selectFrom('interchange')
            .innerJoin('ingest_file', 'ingest_file.id', 'interchange.file_id')
            .select('interchange.id')
            .where('interchange.sender_id', '=', interchange.senderId)
            .where('interchange.control', '=', interchange.control)
            .where('ingest_file.sha256', '<>', sha256)
            .executeTakeFirst()
    if (prior !== undefined) duplicates.add(interchange.offset)
    else if (!rejected.has(interchange.offset)) ask.push(interchange)
  }
  // Asked in one global order (sender qualifier, sender, ISA13, then place in the file), not the
  // file's: a record that keeps each interchange (a unique row written in the caller's
  // transaction) makes a concurrent file wait on it, and two files carrying the same two
  // interchanges in opposite orders would each hold one and wait for the other (a deadlock).
  const byKey = (a: (typeof ask)[number], b: (typeof ask)[number]): number =>
    compareText(a.senderQualifier, b.senderQualifier) ||
    compareText(a.senderId, b.senderId) ||
    compareText(a.control, b.control) ||
    a.offset - b.offset
  if (options.seenBefore !== undefined)
    for (const interchange of [...ask].sort(byKey)) {
      const seen = await options.seenBefore({
        senderQualifier: interchange.senderQualifier,
        senderId: interchange.senderId,
        receiverQualifier: interchange.receiverQualifier,
        receiverId: interchange.receiverId,
        control: interchange.control,
        offset: interchange.offset,
        sha256,
      })
      if (seen) duplicates.add(interchange.offset)
    }
  const plan = planAcknowledgments(analysis, {
    ids,
    isDuplicate: ({ offset }) => duplicates.has(offset),
  })
  const numbers = []
  for (const request of plan.requests)
    numbers.push(await reserveEnvelopeControlNumbers(db, request.pair, request.shape))
  const now = options.now ?? new Date()
  const iso = now.toISOString()
  return writeAcknowledgments(plan, numbers, {
    date: iso.slice(0, 10).replaceAll('-', ''),
    time: iso.slice(11, 16).replace(':', ''),
    ...(options.lineBreak === undefined ? {} : { lineBreak: options.lineBreak }),
  })
}
