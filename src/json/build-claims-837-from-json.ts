import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { envelopeShape837, writeClaims837 } from '../../parsers/claim837/claim837-writer.js'
import type { IsoDate } from '../../parsers/dates.js'
import { Claim837RecordReader } from '../../parsers/json/claim837-record-reader.js'
import type { JsonRecordIssue } from '../../parsers/json/json-record-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import { reserveEnvelopeControlNumbers } from '../db/control-number-repository.js'
import type { Database } from '../db/database.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { resolveOutboundIds } from '../outbound-envelope.js'
import { today } from '../today.js'
import { readJsonRecords } from './read-json-records.js'

/** Options of {@link buildClaims837FromJson}. */
export interface BuildClaims837FromJsonOptions {
  /** Where the envelope control numbers come from (the persisted counter, unique per sender/receiver). */
  db: Kysely<Database>
  /** ISA09/GS04 and BHT04; default today (UTC). */
  date?: IsoDate
  /** ISA06/ISA08/GS02/GS03; default the first claim's header (its envelope, else submitter/receiver). */
  envelope?: OutboundEnvelopeConfig | undefined
  /** ISA15; default `T` when the first claim's header envelope says test data, else `P`. */
  usage?: 'P' | 'T'
}

/** What {@link buildClaims837FromJson} returns. */
export interface BuildClaims837FromJsonResult {
  /** One 5010 interchange holding every accepted claim (837P and 837I in their own groups); `''` when none. */
  x12: string
  /** The accepted claims, as written (with the segments they were written from). */
  claims: Claim837[]
  /** The records that were not written, each with its code, record index and JSON path. */
  rejected: JsonRecordIssue[]
  /** ISA13 of the interchange, `undefined` when no claim was accepted (no number is reserved). */
  interchangeControl: number | undefined
}

/**
 * Builds an 837 from a JSON file of claims in `parse`'s documented shape (header records and
 * claim records pointing to them; `schemas/header-837.schema.json`, `schemas/claim-837.schema.json`),
 * read streaming with stream-json: a JSON array or a sequence of values (NDJSON). Each claim is
 * checked against its schema; a bad record is rejected alone with its code and position (record
 * index, JSON path) and the rest go on. The accepted claims are written as one interchange by the
 * 837 writer, with ISA13/GS06/ST02 reserved from the persisted control-number counter. Throws
 * `JSON_SYNTAX` when the input is not JSON (nothing is reserved).
 *
 * @example
 * ```ts
 * const { x12, claims, rejected } = await buildClaims837FromJson(fs.createReadStream('claims.json'), { db })
 * ```
 */
export async function buildClaims837FromJson(
  source: AsyncIterable<Uint8Array | string>,
  options: BuildClaims837FromJsonOptions,
): Promise<BuildClaims837FromJsonResult> {
  const date = options.date ?? today()
  const reader = new Claim837RecordReader({ date })
  const claims: Claim837[] = []
  /** The record index of each claim, for a claim the writer refuses. */
  const records: number[] = []
  const rejected: JsonRecordIssue[] = []
  for await (const { index, value } of readJsonRecords(source)) {
    const result = reader.read(value, index)
    if (result.type === 'claim') {
      claims.push(result.claim)
      records.push(index)
    } else if (result.type === 'rejected') rejected.push(result.issue)
  }
  const first = claims[0]
  if (first === undefined) return { x12: '', claims, rejected, interchangeControl: undefined }
  const ids = resolveOutboundIds(options.envelope, first.envelope)
  const usage = options.usage ?? (first.envelope.usageIndicator === 'T' ? 'T' : 'P')
  // Each claim is written alone first (no control number is spent on it): a claim the writer
  // refuses is rejected by itself, not with the whole file.
  const written: Claim837[] = []
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i]
    if (claim === undefined) continue
    try {
      writeClaims837([claim], { ...ids, interchangeControl: 1, date, usage })
      written.push(claim)
    } catch (error) {
      if (!(error instanceof X12Error)) throw error
      rejected.push({
        code: 'JSON_BAD_VALUE',
        message: `The 837 writer refused the claim: ${error.code} ${error.message}`,
        position: { record: records[i] ?? i, path: '$' },
      })
    }
  }
  if (written.length === 0) return { x12: '', claims: written, rejected, interchangeControl: undefined }
  const controls = await reserveEnvelopeControlNumbers(
    options.db,
    { senderId: ids.senderId, receiverId: ids.receiverId },
    envelopeShape837(written),
  )
  const x12 = writeClaims837(written, {
    ...ids,
    interchangeControl: controls.interchangeControl,
    firstGroupControl: controls.firstGroupControl,
    firstTransactionControl: controls.firstTransactionControl,
    date,
    usage,
  })
  rejected.sort((a, b) => a.position.record - b.position.record)
  return { x12, claims: written, rejected, interchangeControl: controls.interchangeControl }
}
