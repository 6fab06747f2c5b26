/**
 * Rows in COPY's text format (PostgreSQL docs, COPY, "Text Format") written straight into
 * off-heap buffers as they are made, for `copyRows`' statements (src/db/copy-from-stdin.ts).
 *
 * A row is built as one short string (its fields escaped and joined by tabs) and copied into the
 * current buffer at once, so the strings of a row die young and the rows waiting for their batch's
 * COPY are bytes outside V8's heap: the garbage collector neither copies nor promotes them. Chunks
 * are 256 KiB (or one row's size when a row is larger).
 */
export class CopyBuffer {
  readonly #chunks: Uint8Array[] = []
  #buffer: Buffer = Buffer.allocUnsafe(0)
  #used = 0
  #bytes = 0
  #rows = 0
  /** Where the row being appended field by field starts in `#buffer`, and its fields so far. */
  #rowStart = 0
  #fields = 0

  /** Rows written so far. */
  get rows(): number {
    return this.#rows
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes + this.#used
  }

  /**
   * Appends one row: `line` is the row's fields, already escaped ({@link copyField}) and joined
   * by tabs, without the newline.
   */
  row(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; the newline one more.
    const most = line.length * 3 + 1
    if (this.#used + most > this.#buffer.length) this.#next(most)
    this.#used += this.#buffer.write(line, this.#used)
    this.#buffer[this.#used++] = 0x0a
    this.#rows++
    this.#rowStart = this.#used
  }

  /**
   * Appends a text field of the current row (after a tab unless it is the row's first), escaped as
   * {@link copyField} escapes it, straight into the buffer: the same bytes as a field of
   * `row(…)`, without the field's escaped string and the row's string (their allocation, a regular
   * expression test per field and the row's UTF-8 encoding cost an 837's ingest about 0.15 s of
   * CPU per 100k claims). {@link endRow} ends the row.
   */
  text(value: string | null | undefined): void {
    if (value === null || value === undefined) {
      this.plain('\\N')
      return
    }
    const length = value.length
    // An escaped character is 2 bytes, any other at most 3 (UTF-8), plus the tab.
    this.#room(length * 3 + 1)
    const buffer = this.#buffer
    let used = this.#used
    if (this.#fields++ > 0) buffer[used++] = 0x09
    for (let k = 0; k < length; k++) {
      const code = value.charCodeAt(k)
      if (code >= 0x80) {
        // Not ASCII (rare): the rest as copyField escapes it, encoded by Buffer.
        used += buffer.write(copyField(value.slice(k)), used)
        break
      }
      if (code === 0x5c) {
        buffer[used++] = 0x5c
        buffer[used++] = 0x5c
      } else if (code === 0x09) {
        buffer[used++] = 0x5c
        buffer[used++] = 0x74
      } else if (code === 0x0a) {
        buffer[used++] = 0x5c
        buffer[used++] = 0x6e
      } else if (code === 0x0d) {
        buffer[used++] = 0x5c
        buffer[used++] = 0x72
      } else buffer[used++] = code
    }
    this.#used = used
  }

  /** Appends a number field of the current row ({@link copyNumber}'s text). */
  number(value: number | null | undefined): void {
    this.plain(value === null || value === undefined ? '\\N' : String(value))
  }

  /**
   * Appends a field of the current row that is already COPY text (escaped, such as
   * {@link copyTextArray}'s), as it is.
   */
  plain(field: string): void {
    const length = field.length
    this.#room(length * 3 + 1)
    const buffer = this.#buffer
    let used = this.#used
    if (this.#fields++ > 0) buffer[used++] = 0x09
    if (length > 64) {
      used += buffer.write(field, used)
    } else {
      for (let k = 0; k < length; k++) {
        const code = field.charCodeAt(k)
        if (code >= 0x80) {
          used += buffer.write(field.slice(k), used)
          break
        }
        buffer[used++] = code
      }
    }
    this.#used = used
  }

  /** Ends the row whose fields {@link text}, {@link number} and {@link plain} appended. */
  endRow(): void {
    this.#room(1)
    this.#buffer[this.#used++] = 0x0a
    this.#rows++
    this.#fields = 0
    this.#rowStart = this.#used
  }

  /**
   * Makes room for `bytes` more bytes of the current row: a row is never split between two chunks,
   * so when the buffer is too small what the row has so far moves to the next one.
   */
  #room(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return
    const partial = this.#used - this.#rowStart
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, (partial + bytes) * 2))
    this.#buffer.copy(next, 0, this.#rowStart, this.#used)
    this.#used = this.#rowStart
    this.#seal()
    this.#buffer = next
    this.#used = partial
    this.#rowStart = 0
  }

  /** The rows as chunks for `COPY … FROM STDIN` (no row is added afterwards). */
  chunks(): Uint8Array[] {
    this.#seal()
    return this.#chunks
  }

  #next(most: number): void {
    this.#seal()
    this.#buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most))
    this.#used = 0
  }

  #seal(): void {
    if (this.#used === 0) return
    this.#chunks.push(this.#buffer.subarray(0, this.#used))
    this.#bytes += this.#used
    this.#buffer = this.#buffer.subarray(this.#used)
    this.#used = 0
    this.#rowStart = 0
  }
}

const CHUNK_BYTES = 256 * 1024

const COPY_SPECIAL = /[\\\t\n\r]/
/** What makes a text array's value more than one plain element ({@link copyTextArray}). */
const ARRAY_SPECIAL = /[,"\\\t\n\r]/

/**
 * A text value as a COPY field: `\N` for null, else the text with backslash, tab, newline and
 * carriage return escaped.
 */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  if (!COPY_SPECIAL.test(value)) return value
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll('\t', '\\t')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
}

/** A number as a COPY field (`\N` for null). */
export function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value)
}

/**
 * A text list as a COPY field holding a PostgreSQL array literal (`{"a","b"}`), with the value the
 * unnest insert gave it (`string_to_array` of the list joined with `,`): `[]` and `['']` are both
 * the empty array.
 */
export function copyTextArray(values: readonly string[]): string {
  // Nearly always: no value is empty or holds a comma, quote, backslash or COPY special, so each is
  // one element of the literal as it is.
  let plain = values.length > 0
  for (let i = 0; plain && i < values.length; i++) {
    const value = values[i] as string
    plain = value !== '' && !ARRAY_SPECIAL.test(value)
  }
  if (plain) return `{"${values.join('","')}"}`
  const joined = values.join(',')
  if (joined === '') return '{}'
  const parts = joined.split(',')
  for (let i = 0; i < parts.length; i++)
    parts[i] = `"${(parts[i] as string).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
  // The array literal's own backslashes are COPY text too.
  return copyField(`{${parts.join(',')}}`)
}
