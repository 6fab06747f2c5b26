import type { Kysely } from 'kysely'
import type { AcknowledgeOptions } from '../../transforms/acknowledgments/acknowledge-837.js'
import {
  planAcknowledgments,
  writeAcknowledgments,
} from '../../transforms/acknowledgments/acknowledge-837.js'
import { analyzeInbound } from '../../transforms/acknowledgments/inbound-interchange.js'
import { acknowledge837File } from '../acknowledgments/acknowledge-file.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'

/**
 * The acknowledgment interchanges of one received 837 as one file's text: its TA1s (a bad
 * interchange, or one we received before: TA105 025) followed by its 999s (one per functional
 * group, 005010X231A1), `''` when none is due. `duplicate`: the same bytes were processed before,
 * so every interchange is answered with a TA1 025 (X12 TA1 note code I18 025, duplicate
 * interchange control number) and no 999. Control numbers come from the persisted counter
 * through `db` (the file's transaction on PGlite, so a rollback releases them).
 */
export async function acknowledgeBatch837(
  db: Kysely<Database>,
  bytes: Uint8Array,
  options: { sha256: string; duplicate: boolean; outbound: OutboundEnvelopeConfig | undefined },
): Promise<string> {
  if (!options.duplicate) {
    const result = await acknowledge837File(db, bytes, { outbound: options.outbound, sha256: options.sha256 })
    return [...(result.ta1 === undefined ? [] : [result.ta1]), ...result.acks999].join('')
  }
  const ids: AcknowledgeOptions['ids'] = {
    senderId: options.outbound?.isa06,
    applicationSenderCode: options.outbound?.gs02,
  }
  const plan = planAcknowledgments(analyzeInbound(bytes), { ids, isDuplicate: () => true })
  const numbers = []
  for (const request of plan.requests)
    numbers.push(await reserveEnvelopeControlNumbers(db, request.pair, request.shape))
  const iso = new Date().toISOString()
  const result = writeAcknowledgments(plan, numbers, {
    date: iso.slice(0, 10).replaceAll('-', ''),
    time: iso.slice(11, 16).replace(':', ''),
  })
  return [...(result.ta1 === undefined ? [] : [result.ta1]), ...result.acks999].join('')
}
