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
   * acknowledges without ingesting them): true when `senderId` + `control` was received before in
   * a file whose SHA-256 is not `sha256`. Asked only when the `interchange` table knows nothing.
   */
  seenBefore?: (interchange: { senderId: string; control: string; sha256: string }) => Promise<boolean>
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
  const duplicates = new Set<string>()
  for (const interchange of analysis.interchanges) {
    const prior = await db
      .selectFrom('interchange')
      .innerJoin('ingest_file', 'ingest_file.id', 'interchange.file_id')
      .select('interchange.id')
      .where('interchange.sender_id', '=', interchange.senderId)
      .where('interchange.control', '=', interchange.control)
      .where('ingest_file.sha256', '<>', sha256)
      .executeTakeFirst()
    const seen =
      prior !== undefined ||
      ((await options.seenBefore?.({
        senderId: interchange.senderId,
        control: interchange.control,
        sha256,
      })) ??
        false)
    if (seen) duplicates.add(`${interchange.senderId}\u0000${interchange.control}`)
  }
  const ids: AcknowledgeOptions['ids'] = {
    senderId: options.outbound?.isa06,
    applicationSenderCode: options.outbound?.gs02,
  }
  const plan = planAcknowledgments(analysis, {
    ids,
    isDuplicate: ({ senderId, control }) => duplicates.has(`${senderId}\u0000${control}`),
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
