/** The sender and control number of one interchange (ISA06 and ISA13, trimmed). */
export interface InterchangeKey {
  senderId: string
  control: string
}

/** An ISA segment is fixed-width: 106 characters up to and including its segment terminator. */
const ISA_LENGTH = 106

/** What an ISA starts with. */
const ISA = Buffer.from('ISA', 'latin1')

/**
 * Finds the sender (ISA06) and control number (ISA13) of every interchange in a stream of bytes,
 * without reading anything else, so that a file's interchanges are known before it is stored
 * (X12 005010 ISA: fixed-width, its 4th character is the element separator). Chunks may split an
 * ISA anywhere. An `ISA` that does not start a segment (inside data) or whose ISA13 is not nine
 * digits is not taken.
 *
 * @example
 * ```ts
 * const scanner = new InterchangeKeyScanner()
 * scanner.push(bytes)
 * scanner.keys() // [{ senderId: 'EXAMPLECH', control: '000003001' }]
 * ```
 */
export class InterchangeKeyScanner {
  /** The bytes of the last chunk that may begin an ISA the next chunk ends (at most 105). */
  #carry: Uint8Array = new Uint8Array(0)
  /** Bytes of the stream before `#carry`. */
  #offset = 0
  readonly #seen = new Set<number>()
  readonly #keys: InterchangeKey[] = []

  push(chunk: Uint8Array): void {
    // The bytes are searched as they are (a string of each chunk cost as much as the file's SHA-256);
    // only an ISA's 106 bytes become text, as Latin-1 (one character per byte).
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const carried = this.#carry.length
    if (carried === 0 || bytes.length < ISA_LENGTH) {
      this.#scan(carried === 0 ? bytes : Buffer.concat([this.#carry, bytes]), 0)
      return
    }
    // An ISA that begins in the carried bytes or at the chunk's first byte (the byte before it was
    // carried) ends within the chunk's first 106 bytes: only those are joined to the carried ones,
    // not the whole chunk (a copy of every chunk cost about a third of the file's SHA-256).
    const joint = Buffer.concat([this.#carry, bytes.subarray(0, ISA_LENGTH)])
    let at = joint.indexOf(ISA)
    while (at !== -1 && at <= carried) {
      this.#take(joint, at)
      at = joint.indexOf(ISA, at + 1)
    }
    this.#offset += carried
    this.#scan(bytes, 1)
  }

  /** Takes the ISAs of `bytes` from `from` on and carries what may begin one the next chunk ends. */
  #scan(bytes: Buffer, from: number): void {
    let at = bytes.indexOf(ISA, from)
    let keepFrom = Math.max(0, bytes.length - ISA_LENGTH)
    while (at !== -1) {
      if (at + ISA_LENGTH > bytes.length) {
        // With the byte before it, which says whether it starts a segment.
        keepFrom = Math.min(keepFrom, Math.max(0, at - 1))
        break
      }
      this.#take(bytes, at)
      at = bytes.indexOf(ISA, at + 1)
    }
    this.#offset += keepFrom
    // A copy: the caller may reuse the chunk's memory.
    this.#carry = new Uint8Array(bytes.subarray(keepFrom))
  }

  /** The interchanges found so far, in file order. */
  keys(): InterchangeKey[] {
    return [...this.#keys]
  }

  #take(bytes: Buffer, at: number): void {
    const position = this.#offset + at
    if (this.#seen.has(position)) return
    // Judged once, with the byte before it: a later chunk may carry it without that byte.
    this.#seen.add(position)
    const before = at === 0 ? '' : String.fromCharCode(bytes[at - 1] ?? 0)
    const separator = String.fromCharCode(bytes[at + 3] ?? 0)
    if (/[0-9A-Za-z]/.test(before) || /[0-9A-Za-z ]/.test(separator)) return
    const fields = bytes.toString('latin1', at, at + ISA_LENGTH).split(separator)
    const senderId = fields[6]?.trim() ?? ''
    const control = fields[13]?.trim() ?? ''
    if (fields.length < 17 || !/^\d{9}$/.test(control)) return
    this.#keys.push({ senderId, control })
  }
}
