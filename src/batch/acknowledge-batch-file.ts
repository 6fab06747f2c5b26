import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { AcknowledgeOptions, AckPlan } from '../../transforms/acknowledgments/acknowledge-837.js'
import {
  planAcknowledgments,
  writeAcknowledgments,
} from '../../transforms/acknowledgments/acknowledge-837.js'
import type { InboundAnalysis } from '../../transforms/acknowledgments/inbound-interchange.js'
import { analyzeInbound } from '../../transforms/acknowledgments/inbound-interchange.js'
import type { SeenInterchange } from '../acknowledgments/acknowledge-file.js'
import { acknowledge837File } from '../acknowledgments/acknowledge-file.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'

/** One interchange of the file answered with TA1 025: where it lies, and who had it first. */
export interface DuplicateInterchange {
  /** Its bytes: the ISA's offset up to the next ISA (or the end of the file). */
  from: number
  to: number
  /** The claim id of the file that brought it first (`batch_file.claim_id`), when known. */
  firstClaimId: string | undefined
}

/** What {@link acknowledgeBatch837} wrote and decided. */
export interface BatchAcknowledgment {
  /** The acknowledgment file's text, `''` when none is due. */
  text: string
  /** Interchanges in the file. */
  interchanges: number
  /** Those answered with TA1 025 (their content is not to be processed). */
  duplicates: DuplicateInterchange[]
}

/** Options of {@link acknowledgeBatch837}. */
export interface AcknowledgeBatchOptions {
  sha256: string
  /** The same bytes were processed before: every interchange is answered with TA1 025, no 999. */
  duplicate: boolean
  outbound: OutboundEnvelopeConfig | undefined
  /**
   * Records each interchange the TA1 would accept as received (in the file's transaction) and
   * answers with the claim id of the file that had it first, or `undefined` when this is the
   * first: {@link registerBatchInterchange}. Without it, no interchange is a duplicate.
   */
  register?: (interchange: SeenInterchange) => Promise<string | undefined>
}

/**
 * The acknowledgment interchanges of one received 837 as one file's text: its TA1s (a bad
 * interchange, or one we received before: TA105 025) followed by its 999s (one per functional
 * group, 005010X231A1). `duplicate`: the same bytes were processed before, so every interchange is
 * answered with a TA1 025 (X12 TA1 note code I18 025, duplicate interchange control number) and no
 * 999. Otherwise an interchange whose sender (ISA05, ISA06) and ISA13 `register` knows from
 * another file is answered with TA1 025 too. Control numbers come
 * from the persisted counter through `db` (the file's transaction on PGlite, so a rollback
 * releases them).
 */
export async function acknowledgeBatch837(
  db: Kysely<Database>,
  bytes: Uint8Array,
  options: AcknowledgeBatchOptions,
): Promise<BatchAcknowledgment> {
  const analysis = analyzeInbound(bytes)
  if (!options.duplicate) {
    const first = new Map<number, string | undefined>()
    const register = options.register
    const result = await acknowledge837File(db, bytes, {
      outbound: options.outbound,
      sha256: options.sha256,
      analysis,
      // `interchange` holds the accepted batches this service wrote (our own ISA13s, often with
      // the submitter's ISA06): they are no received interchanges.
      ingested: false,
      ...(register === undefined
        ? {}
        : {
            seenBefore: async (interchange: SeenInterchange) => {
              const earlier = await register(interchange)
              if (earlier !== undefined) first.set(interchange.offset, earlier)
              return earlier !== undefined
            },
          }),
    })
    return {
      text: [...(result.ta1 === undefined ? [] : [result.ta1]), ...result.acks999].join(''),
      interchanges: analysis.interchanges.length,
      duplicates: duplicatesOf(analysis, result.interchanges, bytes.length, first),
    }
  }
  const ids: AcknowledgeOptions['ids'] = {
    senderId: options.outbound?.isa06,
    applicationSenderCode: options.outbound?.gs02,
  }
  const plan = planAcknowledgments(analysis, { ids, isDuplicate: () => true })
  const numbers = []
  for (const request of plan.requests)
    numbers.push(await reserveEnvelopeControlNumbers(db, request.pair, request.shape))
  const iso = new Date().toISOString()
  const result = writeAcknowledgments(plan, numbers, {
    date: iso.slice(0, 10).replaceAll('-', ''),
    time: iso.slice(11, 16).replace(':', ''),
  })
  return {
    text: [...(result.ta1 === undefined ? [] : [result.ta1]), ...result.acks999].join(''),
    interchanges: analysis.interchanges.length,
    duplicates: duplicatesOf(analysis, result.interchanges, bytes.length, new Map()),
  }
}

/** The interchanges answered with TA1 025 (the plan keeps the analysis's order), with their bytes. */
function duplicatesOf(
  analysis: InboundAnalysis,
  acks: AckPlan['interchanges'],
  end: number,
  first: ReadonlyMap<number, string | undefined>,
): DuplicateInterchange[] {
  const out: DuplicateInterchange[] = []
  for (const [i, interchange] of analysis.interchanges.entries()) {
    const ta1 = acks[i]?.ta1
    if (ta1?.status !== 'R' || ta1.note !== '025') continue
    out.push({
      from: interchange.offset,
      to: analysis.interchanges[i + 1]?.offset ?? end,
      firstClaimId: first.get(interchange.offset),
    })
  }
  return out
}

/**
 * Records a received 837 interchange in `batch_interchange` (migration 0015) within the file's
 * transaction `trx`, unless one with the same sender (ISA05, ISA06) and ISA13 is there: returns
 * `undefined` when it was recorded now (the first), else the claim id of the file that has it.
 * On PostgreSQL a concurrent file's uncommitted row makes this wait for that transaction (the
 * unique key), so of two workers only one accepts the interchange.
 *
 * `windowDays` (ONCO_EDI_DUPLICATE_ISA13_DAYS): an interchange recorded more than that many days
 * ago no longer makes this one a duplicate; its row is taken over (this file's claim id, received
 * now), so the number is guarded for another window. ISA13 is the sender's control number of one
 * interchange (X12 005010 ISA13; TA1 note code I18 025 "Duplicate Interchange Control Number"),
 * and senders reuse numbers once their counter wraps, so how long a number stays taken is the
 * trading partners' choice; without a window it stays taken for ever.
 */
export async function registerBatchInterchange(
  trx: Kysely<Database>,
  claimId: string,
  interchange: SeenInterchange,
  windowDays?: number,
): Promise<string | undefined> {
  const values = {
    sender_qualifier: interchange.senderQualifier,
    sender_id: interchange.senderId,
    control: interchange.control,
    receiver_qualifier: interchange.receiverQualifier,
    receiver_id: interchange.receiverId,
    claim_id: claimId,
  }
  // With a window, a row older than it is taken over in the same statement: under its row lock a
  // concurrent file sees the new received_at and finds it a duplicate.
  const inserted = await trx
    .insertInto('batch_interchange')
    .values(values)
    .onConflict((oc) =>
      windowDays === undefined
        ? oc.columns(['sender_qualifier', 'sender_id', 'control']).doNothing()
        : oc
            .columns(['sender_qualifier', 'sender_id', 'control'])
            .doUpdateSet({
              receiver_qualifier: values.receiver_qualifier,
              receiver_id: values.receiver_id,
              claim_id: claimId,
              received_at: sql<Date>`now()`,
            })
            .where(
              'batch_interchange.received_at',
              '<',
              sql<Date>`now() - make_interval(days => ${windowDays}::int)`,
            ),
    )
    .returning('id')
    .executeTakeFirst()
  if (inserted !== undefined) return undefined
  const earlier = await trx
    .selectFrom('batch_interchange')
    .select('claim_id')
    .where('sender_qualifier', '=', interchange.senderQualifier)
    .where('sender_id', '=', interchange.senderId)
    .where('control', '=', interchange.control)
    .executeTakeFirstOrThrow()
  return earlier.claim_id
}
