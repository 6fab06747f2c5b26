/**
 * A growing byte buffer that JSON text is written into directly, as UTF-8: `parse` writes its
 * NDJSON this way rather than as strings, so that no string is built, concatenated and flattened
 * per field only to be encoded again on its way out.
 *
 * @example
 * ```ts
 * const out = new JsonBytes()
 * out.ascii('{"id":')
 * out.integer(12)
 * out.ascii('}\n')
 * stream.write(out.take())
 * ```
 */
export class JsonBytes {
  #buffer: Uint8Array
  #length = 0
  readonly #size: number
  readonly #encoder = new TextEncoder()

  /** `size`: the bytes of each buffer `take` starts (it grows when a batch needs more). */
  constructor(size = 256 * 1024) {
    this.#size = Math.max(16, size)
    this.#buffer = new Uint8Array(this.#size)
  }

  /** Bytes written since the last `take`. */
  get length(): number {
    return this.#length
  }

  /** Drops what was written after the first `length` bytes (a record that is written again). */
  truncate(length: number): void {
    if (length < this.#length) this.#length = Math.max(0, length)
  }

  /** Overwrites the byte at `at` (below `length`): a comma that turns out to open an object. */
  setByte(at: number, byte: number): void {
    if (at < this.#length) this.#buffer[at] = byte
  }

  /** The bytes written so far; later writes go to a new buffer, so the caller may keep these. */
  take(): Uint8Array {
    const bytes = this.#buffer.subarray(0, this.#length)
    this.#buffer = new Uint8Array(Math.max(this.#size, this.#length))
    this.#length = 0
    return bytes
  }

  #reserve(bytes: number): Uint8Array {
    const needed = this.#length + bytes
    if (needed <= this.#buffer.length) return this.#buffer
    const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2))
    grown.set(this.#buffer.subarray(0, this.#length))
    this.#buffer = grown
    return grown
  }

  /** `text` as it is: only for ASCII text that is already JSON (keys, punctuation, numbers). */
  ascii(text: string): void {
    const length = text.length
    const buffer = this.#reserve(length)
    let at = this.#length
    for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i)
    this.#length = at
  }

  /** Any text, encoded as UTF-8 (a JSON text made elsewhere). */
  text(text: string): void {
    const buffer = this.#reserve(text.length * 3)
    this.#length += this.#encoder.encodeInto(text, buffer.subarray(this.#length)).written
  }

  /** `JSON.stringify(value)` for a string: copied byte for byte when nothing in it needs escaping. */
  string(value: string): void {
    const length = value.length
    const buffer = this.#reserve(length + 2)
    const start = this.#length
    let at = start
    buffer[at++] = 0x22
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i)
      if (code < 0x20 || code === 0x22 || code === 0x5c || code >= 0x7f) {
        // Escapes, or characters beyond ASCII: JSON.stringify escapes, the encoder writes UTF-8.
        this.#length = start
        this.text(JSON.stringify(value))
        return
      }
      buffer[at++] = code
    }
    buffer[at++] = 0x22
    this.#length = at
  }

  /** A number as `String(value)` writes it (the caller checks it is finite). */
  number(value: number): void {
    // Integers from 0 to 999,999,999 (cents up to ten million dollars, counts, units) digit by digit
    // with int32 division; anything else as String() writes it.
    const digits =
      value < 0 || !Number.isInteger(value) || value >= 1e9
        ? 0
        : value < 10
          ? 1
          : value < 100
            ? 2
            : value < 1000
              ? 3
              : value < 10_000
                ? 4
                : value < 100_000
                  ? 5
                  : value < 1_000_000
                    ? 6
                    : value < 10_000_000
                      ? 7
                      : value < 100_000_000
                        ? 8
                        : 9
    if (digits === 0) {
      this.ascii(`${value}`)
      return
    }
    const buffer = this.#reserve(digits)
    let at = this.#length + digits
    this.#length = at
    let rest = value
    do {
      const quotient = (rest / 10) | 0
      buffer[--at] = 0x30 + rest - quotient * 10
      rest = quotient
    } while (rest > 0)
  }
}
