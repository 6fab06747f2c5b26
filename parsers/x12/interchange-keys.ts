/** The sender and control number of one interchange (ISA06 and ISA13, trimmed). */
export interface InterchangeKey {
  senderId: string
  control: string
}

/** An ISA segment is fixed-width: 106 characters up to and including its segment terminator. */
const ISA_LENGTH = 106

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
  #carry = ''
  /** Characters of the stream before `#carry`. */
  #offset = 0
  readonly #seen = new Set<number>()
  readonly #keys: InterchangeKey[] = []

  push(chunk: Uint8Array): void {
    const text =
      this.#carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
    let at = text.indexOf('ISA')
    let keepFrom = Math.max(0, text.length - ISA_LENGTH)
    while (at !== -1) {
      if (at + ISA_LENGTH > text.length) {
        keepFrom = Math.min(keepFrom, at)
        break
      }
      this.#take(text, at)
      at = text.indexOf('ISA', at + 1)
    }
    this.#offset += keepFrom
    this.#carry = text.slice(keepFrom)
  }

  /** The interchanges found so far, in file order. */
  keys(): InterchangeKey[] {
    return [...this.#keys]
  }

  #take(text: string, at: number): void {
    const position = this.#offset + at
    if (this.#seen.has(position)) return
    const before = at === 0 ? '' : (text[at - 1] ?? '')
    const separator = text[at + 3] ?? ''
    if (/[0-9A-Za-z]/.test(before) || separator === '' || /[0-9A-Za-z ]/.test(separator)) return
    const fields = text.slice(at, at + ISA_LENGTH).split(separator)
    const senderId = fields[6]?.trim() ?? ''
    const control = fields[13]?.trim() ?? ''
    if (fields.length < 17 || !/^\d{9}$/.test(control)) return
    this.#seen.add(position)
    this.#keys.push({ senderId, control })
  }
}
