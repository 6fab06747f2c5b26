import type { EnvelopeContext } from '../x12/envelope.js'
import type { Delimiters, Segment } from '../x12/segment.js'
import { X12Error } from '../x12/x12-error.js'
import { assembleClaim837 } from './assemble-claim837.js'
import type { Claim837 } from './claim837.js'

/**
 * A claim in the compact form it is stored in: its own X12 segments as text (the set header, the
 * HL chain above it and its body, in the interchange's delimiters) and, as a small JSON text, the
 * envelope context and the delimiters needed to read them back. About a sixth of the claim's JSON
 * (no per-segment positions, delimiters and model fields), and plain text for the database: no
 * jsonb to parse on insert.
 */
export interface StoredClaim837 {
  /** JSON of `{ envelope, delimiters }`. */
  envelope: string
  /** The claim's segments, each ending with the segment terminator. */
  x12: string
}

/** What {@link StoredClaim837.envelope} holds. */
interface StoredEnvelope {
  envelope: EnvelopeContext
  delimiters: Delimiters
}

/**
 * The stored form of a claim: `Claim837.source` (header, hierarchy, body) as X12 text and the
 * envelope as JSON. {@link readStoredClaim837} rebuilds the same claim from it.
 *
 * @example
 * ```ts
 * const { envelope, x12 } = toStoredClaim837(claim) // x12: 'BHT*0019*00*...~NM1*41*2*...~...CLM*...~'
 * ```
 */
export function toStoredClaim837(claim: Claim837): StoredClaim837 {
  return new StoredClaim837Writer().write(claim)
}

/**
 * A claim's stored form in two parts: `prefix`, the text it shares with the claims around it (the
 * set header and the HL chain above its subscriber: the billing provider's loop), and `own`, the
 * rest (its subscriber and patient loops and its body). `prefix + own` is
 * {@link StoredClaim837.x12}. Consecutive claims with the same prefix get the same string, so a
 * store can keep it once (src/ingest/store-837.ts: one `submitted_claim_prefix` row per batch).
 */
export interface StoredClaim837Parts {
  /** JSON of `{ envelope, delimiters }`, as {@link StoredClaim837.envelope}. */
  envelope: string
  prefix: string
  own: string
}

/**
 * Writes the stored form of each claim of a file in turn ({@link toStoredClaim837}'s text, the same
 * bytes), remembering what consecutive claims share: a transaction set's claims have one header
 * (the same segments), one envelope and delimiters (the same objects), and a run of claims under one
 * billing provider or subscriber the same HL segments at the start of their hierarchy. Their text
 * and the envelope's JSON are made once instead of once per claim.
 */
export class StoredClaim837Writer {
  #header: readonly Segment[] | undefined
  #headerLength = 0
  #headerText = ''
  #hierarchy: Segment[] = []
  #hierarchyText: string[] = []
  /** Hierarchy segments in the prefix ({@link StoredClaim837Parts}) and the prefix's text. */
  #prefixLength = -1
  #prefixText = ''
  #envelope: EnvelopeContext | undefined
  #delimiters: Delimiters | undefined
  #envelopeJson = ''

  /** The stored form of `claim`. */
  write(claim: Claim837): StoredClaim837 {
    const { envelope, prefix, own } = this.writeParts(claim)
    return { envelope, x12: prefix + own }
  }

  /** The stored form of `claim` in its shared and own parts (the same text as {@link write}). */
  writeParts(claim: Claim837): StoredClaim837Parts {
    const source = claim.source
    const first = source.body[0] ?? source.hierarchy[0] ?? source.header[0]
    if (first === undefined)
      throw new X12Error('X12_MISSING_SEGMENT', `Claim ${claim.claimId} has no source segments to store`)
    const delimiters = first.delimiters
    const element = delimiters.element
    const terminator = delimiters.segment
    let prefixChanged = false
    if (delimiters !== this.#delimiters) {
      // Another interchange: texts made with the old delimiters are not reused.
      this.#header = undefined
      this.#hierarchy = []
      this.#hierarchyText = []
      this.#envelope = undefined
      prefixChanged = true
    }
    if (source.header !== this.#header || source.header.length !== this.#headerLength) {
      this.#header = source.header
      this.#headerLength = source.header.length
      this.#headerText = segmentsText(source.header, element, terminator)
      prefixChanged = true
    }
    const hierarchy = source.hierarchy
    // The prefix ends at the hierarchy's second HL (the subscriber's, under the billing provider).
    let prefixLength = hierarchy.length
    for (let i = 0, hl = 0; i < hierarchy.length; i++)
      if ((hierarchy[i] as Segment).id === 'HL' && ++hl === 2) {
        prefixLength = i
        break
      }
    if (prefixLength !== this.#prefixLength) {
      this.#prefixLength = prefixLength
      prefixChanged = true
    }
    const known = this.#hierarchy
    const texts = this.#hierarchyText
    let own = ''
    for (let i = 0; i < hierarchy.length; i++) {
      const segment = hierarchy[i] as Segment
      if (known[i] !== segment) {
        known[i] = segment
        texts[i] = (segment.text ?? segment.elements.join(element)) + terminator
        if (i < prefixLength) prefixChanged = true
      }
      if (i >= prefixLength) own += texts[i]
    }
    if (known.length > hierarchy.length) {
      known.length = hierarchy.length
      texts.length = hierarchy.length
    }
    if (prefixChanged) {
      let prefix = this.#headerText
      for (let i = 0; i < prefixLength; i++) prefix += texts[i]
      this.#prefixText = prefix
    }
    own += segmentsText(source.body, element, terminator)
    if (claim.envelope !== this.#envelope || delimiters !== this.#delimiters) {
      this.#envelope = claim.envelope
      this.#delimiters = delimiters
      const stored: StoredEnvelope = { envelope: claim.envelope, delimiters }
      this.#envelopeJson = JSON.stringify(stored)
    }
    return { envelope: this.#envelopeJson, prefix: this.#prefixText, own }
  }
}

/** Segments as X12 text, each ending with the terminator. */
function segmentsText(segments: readonly Segment[], element: string, terminator: string): string {
  const parts: string[] = new Array(segments.length)
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment
    // The text as read, when the reader kept it (the same characters, without joining the elements).
    parts[i] = segment.text ?? segment.elements.join(element)
  }
  return parts.length === 0 ? '' : `${parts.join(terminator)}${terminator}`
}

/**
 * Rebuilds the typed claim from its stored form ({@link toStoredClaim837}): the segments are split
 * on the stored delimiters (X12 data never contains them) and assembled again by the 837
 * assembler, so every field comes back as the reader first built it. Positions count from the
 * stored text: byte offsets within it, segment indexes from 2 (the segment after ST).
 * Throws `X12_MISSING_SEGMENT` when the text holds no claim.
 */
export function readStoredClaim837(stored: StoredClaim837): Claim837 {
  const { envelope, delimiters } = JSON.parse(stored.envelope) as StoredEnvelope
  const segments: Segment[] = []
  const text = stored.x12
  let offset = 0
  let index = 0
  while (offset < text.length) {
    let end = text.indexOf(delimiters.segment, offset)
    if (end < 0) end = text.length
    const elements = text.slice(offset, end).split(delimiters.element)
    index++
    segments.push({ id: elements[0] ?? '', elements, offset, index, stIndex: index + 1, delimiters })
    offset = end + delimiters.segment.length
  }
  const { claim } = assembleClaim837(envelope, segments)
  if (claim === undefined)
    throw new X12Error('X12_MISSING_SEGMENT', 'The stored claim text holds no CLM segment')
  return claim
}
