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
  }

  /**
   * Appends one row written in two parts, `head` then `tail` (each escaped, the tab between them
   * included in one of them): the same bytes as `row(head + tail)`, without a string of the whole
   * row (a long `tail`, such as a stored claim's text, is not copied into a new one first).
   */
  rowOfTwo(head: string, tail: string): void {
    const most = (head.length + tail.length) * 3 + 1
    if (this.#used + most > this.#buffer.length) this.#next(most)
    this.#used += this.#buffer.write(head, this.#used)
    this.#used += this.#buffer.write(tail, this.#used)
    this.#buffer[this.#used++] = 0x0a
    this.#rows++
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
