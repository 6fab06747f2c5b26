import type { Hash } from 'node:crypto'
import { createHash } from 'node:crypto'
import type { Segment } from '../../parsers/x12/segment.js'

/** Characters between elements and after each segment of the hashed text (ASCII US and RS). */
const ELEMENT = '\u001f'
const SEGMENT = '\u001e'
/** Text gathered before it is handed to the hash: one `update` per ~64 KiB, not per segment. */
const FLUSH_AT = 64 * 1024

/**
 * The identity of each ST..SE transaction set, by content: SHA-256 of the sender (ISA06), ST01 and
 * the segments between ST and SE, element by element. ST02/SE02 and the envelope are left out, so
 * a set sent again in a new interchange (a resend after some sets were quarantined) has the same
 * identity, and the delimiters do not count. Fed every segment in order (the reader's
 * `onSegment`); {@link take} gives the digest of the set whose ST was at a byte offset.
 */
export class SetHasher {
  #sender = ''
  #hash: Hash | undefined
  #stOffset = -1
  #text = ''
  readonly #digests = new Map<number, string>()

  push(segment: Segment): void {
    const id = segment.id
    if (id === 'ISA') {
      this.#sender = (segment.elements[6] ?? '').trim()
      this.#hash = undefined
      return
    }
    if (id === 'ST') {
      const hash = createHash('sha256')
      hash.update(`${this.#sender}${ELEMENT}${segment.elements[1] ?? ''}${SEGMENT}`)
      this.#hash = hash
      this.#stOffset = segment.offset
      this.#text = ''
      return
    }
    const hash = this.#hash
    if (hash === undefined) return
    if (id === 'SE') {
      hash.update(this.#text)
      this.#text = ''
      this.#digests.set(this.#stOffset, hash.digest('hex'))
      this.#hash = undefined
      return
    }
    if (id === 'GE' || id === 'GS' || id === 'IEA') {
      // A set without its SE is quarantined by the reader: it needs no identity.
      this.#hash = undefined
      this.#text = ''
      return
    }
    this.#text += segment.elements.join(ELEMENT) + SEGMENT
    if (this.#text.length >= FLUSH_AT) {
      hash.update(this.#text)
      this.#text = ''
    }
  }

  /** The digest of the set whose ST starts at `stOffset` (once; `undefined` if it had no SE). */
  take(stOffset: number): string | undefined {
    const digest = this.#digests.get(stOffset)
    this.#digests.delete(stOffset)
    return digest
  }
}
