import type { Hash } from 'node:crypto'
import { createHash } from 'node:crypto'
import type { Segment } from '../../parsers/x12/segment.js'

/** Characters between elements and after each segment of the hashed text (ASCII US and RS). */
const ELEMENT = '\u001f'
const SEGMENT = '\u001e'
const ELEMENT_BYTE = 0x1f
const SEGMENT_BYTE = 0x1e
/** Bytes gathered before they are handed to the hash: one `update` per 64 KiB, not per segment. */
const BUFFER_BYTES = 64 * 1024

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
  /**
   * The hashed text's UTF-8 bytes not yet handed to the hash. Each element's characters are
   * copied in as they are (ASCII, nearly always) instead of joining the segment into a new string
   * first: the same bytes as `update(elements.join(US) + RS)`, in about a third of the time.
   */
  readonly #buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  #used = 0
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
      this.#used = 0
      return
    }
    const hash = this.#hash
    if (hash === undefined) return
    if (id === 'SE') {
      this.#flush(hash)
      this.#digests.set(this.#stOffset, hash.digest('hex'))
      this.#hash = undefined
      return
    }
    if (id === 'GE' || id === 'GS' || id === 'IEA') {
      // A set without its SE is quarantined by the reader: it needs no identity.
      this.#hash = undefined
      this.#used = 0
      return
    }
    this.#add(hash, segment.elements)
  }

  /** Adds `elements.join(US) + RS` as UTF-8 to the bytes waiting for the hash. */
  #add(hash: Hash, elements: readonly string[]): void {
    const buffer = this.#buffer
    let used = this.#used
    for (let i = 0; i < elements.length; i++) {
      const text = elements[i] as string
      // A character is at most 3 UTF-8 bytes (a surrogate pair 4 for 2), plus the separator.
      if (used + text.length * 3 + 1 > BUFFER_BYTES) {
        hash.update(buffer.subarray(0, used))
        used = 0
        if (text.length * 3 + 1 > BUFFER_BYTES) {
          // An element larger than the buffer goes to the hash on its own.
          if (i > 0) buffer[used++] = ELEMENT_BYTE
          hash.update(buffer.subarray(0, used))
          hash.update(text)
          used = 0
          continue
        }
      }
      if (i > 0) buffer[used++] = ELEMENT_BYTE
      let k = 0
      for (; k < text.length; k++) {
        const code = text.charCodeAt(k)
        if (code >= 0x80) break
        buffer[used++] = code
      }
      if (k < text.length) used += buffer.write(text.slice(k), used)
    }
    if (used + 1 > BUFFER_BYTES) {
      hash.update(buffer.subarray(0, used))
      used = 0
    }
    buffer[used++] = SEGMENT_BYTE
    this.#used = used
  }

  /** Hands the waiting bytes to the hash. */
  #flush(hash: Hash): void {
    if (this.#used > 0) hash.update(this.#buffer.subarray(0, this.#used))
    this.#used = 0
  }

  /** The digest of the set whose ST starts at `stOffset` (once; `undefined` if it had no SE). */
  take(stOffset: number): string | undefined {
    const digest = this.#digests.get(stOffset)
    this.#digests.delete(stOffset)
    return digest
  }
}
