import fastJson from 'fast-json-stringify'
import claim835Schema from '../../schemas/claim-835.schema.json' with { type: 'json' }
import claim837Schema from '../../schemas/claim-837.schema.json' with { type: 'json' }
import header835Schema from '../../schemas/header-835.schema.json' with { type: 'json' }
import header837Schema from '../../schemas/header-837.schema.json' with { type: 'json' }
import type { Claim837 } from '../claim837/claim837.js'
import type { RemittanceClaim835, RemittanceHeader835 } from '../remittance835/remittance835.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment } from '../x12/segment.js'
import type { X12Event } from '../x12-event.js'
import { writeClaim835Record } from './claim835-record-bytes.js'
import type { JsonBytes } from './json-bytes.js'

/**
 * The JSON Schemas of `parse`'s records, one per record type (`schemas/*.schema.json` in the
 * package): what `parse` writes and what `build-837` reads.
 */
export const PARSE_RECORD_SCHEMAS = {
  header837: header837Schema,
  claim837: claim837Schema,
  header835: header835Schema,
  claim835: claim835Schema,
} as const

/** The submitter (1000A NM1*41 and its PER) or receiver (1000B NM1*40) of an 837. */
export interface Party837Header {
  name?: string | undefined
  id?: string | undefined
  contact?: { name?: string | undefined; qualifier?: string | undefined; number?: string | undefined }
}

/** `{"type":"header"}` of an 837 transaction set: written once, before its claims. */
export interface HeaderRecord837 {
  type: 'header'
  /** 1, 2, … in the order written; claims point to it with `header`. */
  id: number
  transactionType: '837'
  envelope?: EnvelopeContext | undefined
  /** BHT03. */
  batchReference?: string | undefined
  submitter?: Party837Header | undefined
  receiver?: Omit<Party837Header, 'contact'> | undefined
}

/** `{"type":"header"}` of an 835 transaction set: the remittance header, once. */
export type HeaderRecord835 = { type: 'header'; id: number; transactionType: '835' } & RemittanceHeader835

/** `{"type":"claim"}` of an 837: the typed claim without its envelope, BHT03 and source segments. */
export type ClaimRecord837 = { type: 'claim'; header: number } & Omit<
  Claim837,
  'envelope' | 'batchReference' | 'source'
>

/** `{"type":"claim"}` of an 835: the typed CLP loop, its header replaced by the header's `id`. */
export type ClaimRecord835 = { type: 'claim'; header: number } & Omit<RemittanceClaim835, 'header'>

/** Options of {@link ParseRecordWriter}. */
export interface ParseRecordOptions {
  /** Keep the `position` objects (byte offset, segment index, element) of every part; default false. */
  positions?: boolean
  /**
   * `schema` (default): fast-json-stringify compiled from the schemas. `json`: `JSON.stringify`
   * of the same records (`npm run bench commands` compares the two).
   */
  serializer?: 'schema' | 'json'
}

type Serializer = (doc: object) => string

/**
 * Turns reader events into `parse`'s compact JSON records: each transaction's header once as
 * `{"type":"header","id":N,...}`, then each of its claims as `{"type":"claim","header":N,...}`.
 * Serialized by fast-json-stringify from the schemas in `schemas/`, so a record holds exactly what
 * its schema documents (`npm run bench` measures it against `JSON.stringify`).
 *
 * @example
 * ```ts
 * const records = new ParseRecordWriter()
 * const out: string[] = []
 * for (const event of reader.write(chunk)) records.write(event, out) // out: one JSON text per record
 * ```
 */
export class ParseRecordWriter {
  readonly #header837: Serializer
  readonly #claim837: Serializer
  readonly #header835: Serializer
  readonly #claim835: Serializer
  /** The hand-written 835 claim record (the same text as the compiled one), when it applies. */
  readonly #claim835Bytes: typeof writeClaim835Record | undefined
  #lastHeader: object | undefined
  #headerId = 0

  constructor(options: ParseRecordOptions = {}) {
    const positions = options.positions === true
    const serializers = options.serializer === 'json' ? jsonSerializers(positions) : serializersFor(positions)
    this.#header837 = serializers.header837
    this.#claim837 = serializers.claim837
    this.#header835 = serializers.header835
    this.#claim835 = serializers.claim835
    this.#claim835Bytes = options.serializer !== 'json' && !positions ? writeClaim835Record : undefined
  }

  /** The `id` of the last header record written (0 before the first). */
  get headerId(): number {
    return this.#headerId
  }

  /** Appends the JSON texts of the records `event` completes (none, a header, a claim) to `out`. */
  write(event: X12Event, out: string[]): void {
    if (event.type === 'claim837') {
      const claim = event.claim
      if (claim.envelope !== this.#lastHeader) {
        this.#lastHeader = claim.envelope
        out.push(this.#header837(header837Of(++this.#headerId, claim)))
      }
      out.push(claimText(this.#headerId, this.#claim837(claim)))
    } else if (event.type === 'remittance835-header') {
      this.#writeHeader835(event.header, out)
    } else if (event.type === 'claim835') {
      const claim = event.claim
      if (claim.header !== this.#lastHeader) this.#writeHeader835(claim.header, out)
      out.push(claimText(this.#headerId, this.#claim835(claim)))
    }
  }

  /**
   * {@link write} as NDJSON into `out`: each record's UTF-8 text and a newline. The same text as
   * `write` gives; 835 claims without positions are written straight into the bytes (see
   * {@link writeClaim835Record}), which `parse` spends most of its serializing time on.
   */
  writeNdjson(event: X12Event, out: JsonBytes): void {
    if (event.type === 'claim835') {
      const claim = event.claim
      const claimBytes = this.#claim835Bytes
      if (claimBytes !== undefined) {
        if (claim.header !== this.#lastHeader) {
          const header: string[] = []
          this.#writeHeader835(claim.header, header)
          for (const text of header) out.text(`${text}\n`)
        }
        if (claimBytes(out, this.#headerId, claim)) return
        out.text(`${claimText(this.#headerId, this.#claim835(claim))}\n`)
        return
      }
    }
    const texts = this.#texts
    this.write(event, texts)
    for (let i = 0; i < texts.length; i++) out.text(`${texts[i]}\n`)
    texts.length = 0
  }

  /** Scratch for {@link writeNdjson}. */
  readonly #texts: string[] = []

  #writeHeader835(header: RemittanceHeader835, out: string[]): void {
    this.#lastHeader = header
    const record: HeaderRecord835 = {
      type: 'header',
      id: ++this.#headerId,
      transactionType: '835',
      ...header,
    }
    out.push(this.#header835(record))
  }
}

/**
 * `{"type":"claim","header":N,` + the claim's own fields: the claim object is serialized as it is,
 * not copied into a record object first (`#claim837` leaves out `type` and `header`).
 */
function claimText(headerId: number, body: string): string {
  return `{"type":"claim","header":${headerId}${body.length > 2 ? ',' : ''}${body.slice(1)}`
}

/** The header record of an 837 claim's transaction set, from its envelope and BHT/1000A/1000B. */
export function header837Of(
  id: number,
  claim: Pick<Claim837, 'envelope' | 'batchReference' | 'source'>,
): HeaderRecord837 {
  const record: HeaderRecord837 = {
    type: 'header',
    id,
    transactionType: '837',
    envelope: claim.envelope,
    batchReference: claim.batchReference,
  }
  const segments: Segment[] = claim.source.header
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]
    if (segment === undefined || segment.id !== 'NM1') continue
    const entity = segment.elements[1]
    const party = { name: segment.elements[3] || undefined, id: segment.elements[9] || undefined }
    if (entity === '41') {
      const per = segments[i + 1]
      record.submitter =
        per?.id === 'PER'
          ? {
              ...party,
              contact: {
                name: per.elements[2] || undefined,
                qualifier: per.elements[3] || undefined,
                number: per.elements[4] || undefined,
              },
            }
          : party
    } else if (entity === '40') record.receiver = party
  }
  return record
}

type Serializers = {
  header837: Serializer
  claim837: Serializer
  header835: Serializer
  claim835: Serializer
}

/**
 * Compiled once per process and `positions` setting, each on its first use (a compile costs
 * milliseconds, and `parse` of an 835 needs only the 835 header's).
 */
const compiledSerializers = new Map<boolean, Serializers>()

function serializersFor(positions: boolean): Serializers {
  let serializers = compiledSerializers.get(positions)
  if (serializers === undefined) {
    serializers = {
      header837: lazy(() => compile(header837Schema, positions, false)),
      claim837: lazy(() => compile(claim837Schema, positions, true)),
      header835: lazy(() => compile(header835Schema, positions, false)),
      claim835: lazy(() => compile(claim835Schema, positions, true)),
    }
    compiledSerializers.set(positions, serializers)
  }
  return serializers
}

/** A serializer compiled by `make` the first time it is called. */
function lazy(make: () => Serializer): Serializer {
  let compiled: Serializer | undefined
  return (doc) => {
    compiled ??= make()
    return compiled(doc)
  }
}

/**
 * The same records by `JSON.stringify`: claims without the fields their record leaves out, and
 * without positions unless asked for (a replacer, as a copy without them would cost as much).
 */
function jsonSerializers(positions: boolean): Serializers {
  const replacer = positions
    ? undefined
    : (key: string, value: unknown): unknown => (key === 'position' ? undefined : value)
  const stringify = (value: object): string => JSON.stringify(value, replacer)
  return {
    header837: stringify,
    claim837: (claim) => {
      const { envelope: _e, batchReference: _b, source: _s, ...rest } = claim as Claim837
      return stringify(rest)
    },
    header835: stringify,
    claim835: (claim) => {
      const { header: _h, ...rest } = claim as RemittanceClaim835
      return stringify(rest)
    },
  }
}

/**
 * A fast-json-stringify serializer for one record schema. `required` is dropped (a serializer
 * must not throw on a claim the reader already reported), so are `position` properties unless
 * asked for, and, for claims, `type` and `header` (see {@link claimText}).
 */
function compile(schema: object, positions: boolean, claim: boolean): Serializer {
  const copy = prune(structuredClone(schema), positions)
  if (claim && isRecord(copy) && isRecord(copy.properties)) {
    delete copy.properties.type
    delete copy.properties.header
  }
  return fastJson(copy as Parameters<typeof fastJson>[0]) as Serializer
}

function prune(node: unknown, positions: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => prune(item, positions))
  if (!isRecord(node)) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' || key === '$schema' || key === '$id') continue
    if (key === 'properties' && isRecord(value) && !positions) {
      const { position: _position, ...rest } = value
      out[key] = prune(rest, positions)
      continue
    }
    out[key] = prune(value, positions)
  }
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
