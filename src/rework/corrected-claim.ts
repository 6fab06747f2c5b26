import { rm } from 'node:fs/promises'
import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { envelopeShape837, writeClaims837 } from '../../parsers/claim837/claim837-writer.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { Segment } from '../../parsers/x12/segment.js'
import { recordAudit } from '../db/audit.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { resolveOutboundIds } from '../outbound-envelope.js'
import { writeFileAtomic } from '../output-file.js'

/** 2300 REF qualifiers the 837 guides place before REF*F8 (005010X222A1 loop 2300 order). */
const REF_BEFORE_F8 = new Set(['4N', 'F5', 'EW', '9F', 'G1'])
/** 2300 segments that come after every 2300 REF. */
const AFTER_REFS = new Set([
  'K3',
  'NTE',
  'CR1',
  'CR2',
  'CR3',
  'CR4',
  'CR5',
  'CRC',
  'HI',
  'HCP',
  'NM1',
  'SBR',
  'LX',
])

/**
 * The claim as a frequency-7 replacement: CLM05-3 = 7 and 2300 REF*F8 = the payer's claim control
 * number (CLP07), added or replaced (CMS Medicare Claims Processing Manual ch. 1 §70.2.3.1; 837P
 * 005010X222A1 2300 REF*F8 "required when CLM05-3 is 7 or 8"). Everything else is left as sent.
 */
export function toReplacementClaim(claim: Claim837, payerClaimNumber: string): Claim837 {
  const body: Segment[] = claim.source.body.map((s) => ({ ...s, elements: [...s.elements] }))
  const clm = body[0]
  if (clm === undefined || clm.id !== 'CLM')
    throw new DbError('DB_CONFLICT', `Claim ${claim.claimId} has no stored CLM segment`)
  const composite = (clm.elements[5] ?? '').split(clm.delimiters.component)
  while (composite.length < 3) composite.push('')
  composite[2] = '7'
  clm.elements[5] = composite.join(clm.delimiters.component)
  const firstLx = body.findIndex((s) => s.id === 'LX')
  const end = firstLx < 0 ? body.length : firstLx
  const existing = body.findIndex((s, i) => i < end && s.id === 'REF' && s.elements[1] === 'F8')
  if (existing >= 0) {
    const ref = body[existing]
    if (ref !== undefined) ref.elements = ['REF', 'F8', payerClaimNumber]
  } else {
    let at = 1
    for (let i = 1; i < end; i++) {
      const s = body[i]
      if (s === undefined) continue
      if (AFTER_REFS.has(s.id)) break
      if (s.id === 'REF' && !REF_BEFORE_F8.has(s.elements[1] ?? '')) break
      at = i + 1
    }
    body.splice(at, 0, { ...clm, id: 'REF', elements: ['REF', 'F8', payerClaimNumber] })
  }
  return {
    ...claim,
    frequencyCode: '7',
    typeOfBill: claim.typeOfBill === undefined ? undefined : `${claim.typeOfBill.slice(0, -1)}7`,
    payerClaimControlNumber: payerClaimNumber,
    source: { ...claim.source, body },
  }
}

/** Options of {@link writeCorrectedClaim}. */
export interface CorrectedClaimOptions {
  user: string
  date: IsoDate
  /** The file to write the replacement 837 to. */
  out: string
  /** ISA06/ISA08/GS02/GS03 of the output; default the stored claim's sender and receiver. */
  envelope?: OutboundEnvelopeConfig | undefined
}

/**
 * Writes the frequency-7 replacement 837 of a rework item's claim to `options.out` (valid
 * ISA/GS/ST envelopes from writeClaims837, control numbers from the persisted counter) and records
 * a `corrected_claim_written` audit event, in one step that fails together: the file is written
 * (temporary file, then renamed) inside the transaction that reserves its control numbers and
 * inserts the event, so a failed write records nothing, and a failed commit removes the file.
 * Throws DB_NOT_FOUND / DB_CONFLICT when the item has no matched claim or no payer claim number,
 * CLI_UNWRITABLE_OUTPUT when the file cannot be written.
 */
export async function writeCorrectedClaim(
  db: Kysely<Database>,
  itemId: number,
  options: CorrectedClaimOptions,
): Promise<{ x12: string; claimId: string; payerClaimNumber: string; interchangeControl: number }> {
  const item = await db
    .selectFrom('rework_item')
    .select(['id', 'status', 'submitted_claim_id', 'payer_claim_number', 'claim_id', 'queue'])
    .where('id', '=', itemId)
    .executeTakeFirst()
  if (item === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${itemId}`)
  // A claim rejected before adjudication (277CA) is not on file with the payer: there is nothing to
  // replace, so it is sent again as a new original claim (IOM 100-04 ch. 1 §80.3.2).
  if (item.queue === 'rejection')
    throw new DbError(
      'DB_CONFLICT',
      `Rework item ${itemId} is a claim rejected before adjudication: resubmit it as a new original claim (frequency 1), not as a replacement`,
    )
  if (item.submitted_claim_id === null)
    throw new DbError(
      'DB_CONFLICT',
      `Rework item ${itemId} matched no submitted claim: there is no 837 to correct`,
    )
  const payerClaimNumber = item.payer_claim_number
  if (payerClaimNumber === null)
    throw new DbError('DB_CONFLICT', `Rework item ${itemId} has no payer claim number (CLP07) for REF*F8`)
  const row = await db
    .selectFrom('submitted_claim')
    .select('claim_json')
    .where('id', '=', Number(item.submitted_claim_id))
    .executeTakeFirstOrThrow()
  const stored = (
    typeof row.claim_json === 'string' ? JSON.parse(row.claim_json) : row.claim_json
  ) as Claim837
  const replacement = toReplacementClaim(stored, payerClaimNumber)
  const ids = resolveOutboundIds(options.envelope, stored.envelope)
  let written = false
  try {
    return await db.transaction().execute(async (trx) => {
      const controls = await reserveEnvelopeControlNumbers(
        trx,
        { senderId: ids.senderId, receiverId: ids.receiverId },
        envelopeShape837([replacement]),
      )
      const x12 = writeClaims837([replacement], {
        ...ids,
        interchangeControl: controls.interchangeControl,
        firstGroupControl: controls.firstGroupControl,
        firstTransactionControl: controls.firstTransactionControl,
        date: options.date,
        usage: stored.envelope.usageIndicator === 'T' ? 'T' : 'P',
      })
      await writeFileAtomic(options.out, x12)
      written = true
      await recordAudit(trx, {
        actor: options.user,
        entity: 'rework_item',
        entityId: itemId,
        action: 'corrected_claim_written',
        beforeStatus: item.status,
        afterStatus: item.status,
        note: `frequency-7 replacement with REF*F8 ${payerClaimNumber}, ISA13 ${String(controls.interchangeControl).padStart(9, '0')}`,
      })
      return {
        x12,
        claimId: item.claim_id,
        payerClaimNumber,
        interchangeControl: controls.interchangeControl,
      }
    })
  } catch (error) {
    // The event was not committed: the file must not stay either.
    if (written) await rm(options.out, { force: true })
    throw error
  }
}
