import { fieldLimitOf } from './field-limits.js'

/**
 * What can be wrong with one record of an imported CSV. The importing layer turns each into its
 * own error code (e.g. `SCRUB_CSV_SYNTAX`, `DENIAL_CSV_SYNTAX`):
 * - `encoding`: bytes that are not UTF-8, read as Windows-1252 (a warning; the row is kept);
 * - `syntax`: a quote that is never closed, or text after a closing quote (the record is rejected);
 * - `control`: a NUL or another control character in a field (rejected);
 * - `too_long`: a field longer than its limit (rejected; see `field-limits.ts`).
 */
export type CsvProblem = 'encoding' | 'syntax' | 'control' | 'too_long'

/** A problem with its position: 1-based line, and 1-based field number when one field is at fault. The message does not repeat the position. */
export interface CsvIssue {
  line: number
  column: number | undefined
  problem: CsvProblem
  message: string
}

/** One record with the line it starts on, its trimmed fields, and where each field starts. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/** A CSV read from bytes: its header, the good records, the rejected ones and the warnings. */
export interface CsvRead {
  /** Header names, trimmed and lower-cased; `undefined` for an empty file or an unreadable header. */
  header: string[] | undefined
  headerLine: number
  records: CsvRecord[]
  rejects: CsvIssue[]
  warnings: CsvIssue[]
}

/** Options of {@link readCsv}. */
export interface CsvReadOptions {
  /** Lines whose first character is `#` are notes a user adds to an editable table (default true). */
  comments?: boolean
  /** Length limit of a column by header name (default {@link fieldLimitOf}). */
  fieldLimit?: (column: string) => number
  /**
   * False for a file whose header is not on its first line (a CMS file with title lines and a
   * notice first): every record is a record, `header` stays `undefined` (default true).
   */
  header?: boolean
}

/**
 * Reads a CSV file's bytes (RFC 4180: `,` separator, `"` quoting with `""` escapes, CRLF, LF or CR
 * line ends) into a header and records, rejecting bad records one by one: every good record is
 * kept, whatever comes before or after it.
 *
 * Decoding is explicit. UTF-8 is read strictly; a line that is not valid UTF-8 is read as
 * Windows-1252 (what Excel's "CSV" format writes on Windows) and reported as an `encoding` warning
 * naming its line and field, never silently turned into U+FFFD. A UTF-8 BOM is dropped; a UTF-16
 * BOM selects UTF-16.
 *
 * A record that cannot be tokenized (a quote never closed, text after a closing quote) rejects
 * the line it starts on, and reading goes on at the next line: an unclosed quote does not swallow
 * the rest of the file. Pure: no I/O.
 *
 * @example
 * ```ts
 * const { header, records, rejects } = readCsv(readFileSync('auths.csv'))
 * // rejects: [{ line: 4, column: 3, problem: 'control', message: 'control character U+0000 (NUL) at character 2' }]
 * ```
 */
export function readCsv(input: Uint8Array | string, options: CsvReadOptions = {}): CsvRead {
  const { text, transcoded } = typeof input === 'string' ? { text: input, transcoded: [] } : decodeCsv(input)
  const comments = options.comments ?? true
  const limitOf = options.fieldLimit ?? fieldLimitOf
  const read: CsvRead = { header: undefined, headerLine: 0, records: [], rejects: [], warnings: [] }
  /** Spans of the kept records, to name the field of an encoding warning. */
  const spans: KeptSpan[] = []
  const n = text.length
  let i = 0
  let line = 1
  let headerSeen = options.header === false
  while (i < n) {
    const ch = text.charCodeAt(i)
    if (ch === LF || ch === CR) {
      i = skipNewline(text, i)
      line++
      continue
    }
    if (comments && ch === HASH) {
      i = skipNewline(text, endOfLine(text, i))
      line++
      continue
    }
    const record = readRecord(text, i, line, (column) =>
      headerSeen ? limitOf(read.header?.[column - 1] ?? '') : limitOf('header'),
    )
    if ('problem' in record) {
      read.rejects.push(record.problem)
      if (record.next !== undefined && record.nextLine !== undefined) {
        i = record.next
        line = record.nextLine
      } else {
        // A record that cannot be tokenized: start again on the line after the one it starts on.
        i = skipNewline(text, endOfLine(text, i))
        line++
      }
      if (!headerSeen) headerSeen = true
      continue
    }
    i = record.next
    const startLine = line
    line = record.nextLine
    if (!headerSeen) {
      headerSeen = true
      read.header = record.fields.map((field) => field.toLowerCase())
      read.headerLine = startLine
      continue
    }
    if (record.fields.every((field) => field === '')) continue
    read.records.push({ line: startLine, fields: record.fields })
    if (transcoded.length > 0)
      spans.push({ start: record.starts[0] ?? 0, end: i, fieldStarts: record.starts })
  }
  if (transcoded.length > 0) {
    const lineStarts = lineOffsets(text)
    for (const at of transcoded) {
      const column = fieldAt(spans, lineStarts, at)
      read.warnings.push({
        line: at.line,
        column,
        problem: 'encoding',
        message: `byte 0x${at.byte.toString(16).toUpperCase().padStart(2, '0')} at character ${at.column} is not UTF-8; the line was read as Windows-1252`,
      })
    }
  }
  return read
}

/** Where a line that is not UTF-8 was transcoded: line, 1-based character, the first bad byte. */
interface Transcoded {
  line: number
  column: number
  byte: number
}

const LF = 0x0a
const CR = 0x0d
const QUOTE = 0x22
const COMMA = 0x2c
const HASH = 0x23

const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Lenient = new TextDecoder('utf-8')
const windows1252 = new TextDecoder('windows-1252')

/** Decodes a CSV's bytes: see {@link readCsv}. */
export function decodeCsv(bytes: Uint8Array): { text: string; transcoded: Transcoded[] } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), transcoded: [] }
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), transcoded: [] }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
  try {
    return { text: utf8.decode(body), transcoded: [] }
  } catch {
    // Some line is not UTF-8: decode line by line so that the others keep their UTF-8 reading.
  }
  const parts: string[] = []
  const transcoded: Transcoded[] = []
  let from = 0
  let line = 1
  while (from <= body.length) {
    let to = body.indexOf(LF, from)
    if (to < 0) to = body.length
    const chunk = body.subarray(from, to)
    try {
      parts.push(utf8.decode(chunk))
    } catch {
      const lenient = utf8Lenient.decode(chunk)
      const good = lenient.slice(0, Math.max(0, lenient.indexOf('\ufffd')))
      const badByte = Buffer.byteLength(good, 'utf8')
      parts.push(windows1252.decode(chunk))
      transcoded.push({ line, column: badByte + 1, byte: chunk[badByte] ?? 0 })
    }
    from = to + 1
    line++
  }
  return { text: parts.join('\n'), transcoded }
}

type RecordResult =
  | { fields: string[]; starts: number[]; next: number; nextLine: number }
  | { problem: CsvIssue; next?: number; nextLine?: number }

const SEPARATORS = /[,\r\n]/g

/**
 * Index of the first control character of `value` that has no place in a field (NUL, C0 controls
 * other than tab, CR and LF, and DEL), or -1. PostgreSQL cannot store a NUL in text at all.
 */
export function controlCharacterIndex(value: string): number {
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k)
    if ((c < 0x20 && c !== 0x09 && c !== LF && c !== CR) || c === 0x7f) return k
  }
  return -1
}

/** "U+0000 (NUL) at character 4": the control character at `index` of `value`, for messages. */
export function describeControlCharacter(value: string, index: number): string {
  const code = value.charCodeAt(index)
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${code === 0 ? ' (NUL)' : ''} at character ${index + 1}`
}

/** Reads one record from `start`; a problem rejects it (the caller resumes on the next line). */
function readRecord(
  text: string,
  start: number,
  line: number,
  limitOf: (column: number) => number,
): RecordResult {
  const fields: string[] = []
  const starts: number[] = []
  let first: CsvIssue | undefined
  let i = start
  let current = line
  for (;;) {
    const column = fields.length + 1
    starts.push(i)
    let value: string
    if (text.charCodeAt(i) === QUOTE) {
      let j = i + 1
      let end = -1
      for (;;) {
        const k = text.indexOf('"', j)
        if (k < 0) break
        if (text.charCodeAt(k + 1) === QUOTE) {
          j = k + 2
          continue
        }
        end = k
        break
      }
      if (end < 0)
        return {
          problem: {
            line,
            column,
            problem: 'syntax',
            message: `the quote opened on line ${current} is never closed`,
          },
        }
      value = text.slice(i + 1, end).replaceAll('""', '"')
      current += newlinesIn(value)
      i = end + 1
      const after = text.charCodeAt(i)
      if (i < text.length && after !== COMMA && after !== LF && after !== CR)
        return {
          problem: {
            line,
            column,
            problem: 'syntax',
            message: `text after the closing quote on line ${current} (expected , or the end of the line)`,
          },
        }
    } else {
      SEPARATORS.lastIndex = i
      const found = SEPARATORS.exec(text)
      const end = found === null ? text.length : found.index
      value = text.slice(i, end)
      i = end
    }
    if (first === undefined) {
      const limit = limitOf(column)
      const control = controlCharacterIndex(value)
      if (value.length > limit)
        first = {
          line,
          column,
          problem: 'too_long',
          message: `${value.length} characters, more than the ${limit} allowed`,
        }
      else if (control >= 0)
        first = {
          line,
          column,
          problem: 'control',
          message: `control character ${describeControlCharacter(value, control)}`,
        }
    }
    fields.push(value.trim())
    if (text.charCodeAt(i) === COMMA) {
      i++
      continue
    }
    const next = i < text.length ? skipNewline(text, i) : i
    // A field too long or with a control character: the record's end is known, resume after it.
    if (first !== undefined) return { problem: first, next, nextLine: current + 1 }
    return { fields, starts, next, nextLine: current + 1 }
  }
}

function skipNewline(text: string, i: number): number {
  if (text.charCodeAt(i) === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1
  return text.charCodeAt(i) === LF ? i + 1 : i
}

function endOfLine(text: string, i: number): number {
  SEPARATORS.lastIndex = i
  for (;;) {
    const found = SEPARATORS.exec(text)
    if (found === null) return text.length
    if (found[0] !== ',') return found.index
  }
}

function newlinesIn(value: string): number {
  let count = 0
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k)
    if (c === LF || (c === CR && value.charCodeAt(k + 1) !== LF)) count++
  }
  return count
}

/** Offsets in `text` where each line starts (index 0 is line 1). */
function lineOffsets(text: string): number[] {
  const offsets = [0]
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === LF) offsets.push(k + 1)
  return offsets
}

/** A kept record's span in the text and where its fields start. */
interface KeptSpan {
  start: number
  end: number
  fieldStarts: number[]
}

/** The 1-based field of a kept record that holds a transcoded character (spans are in order). */
function fieldAt(
  spans: readonly KeptSpan[],
  lineStarts: readonly number[],
  at: Transcoded,
): number | undefined {
  const offset = (lineStarts[at.line - 1] ?? 0) + at.column - 1
  let lo = 0
  let hi = spans.length - 1
  let found: KeptSpan | undefined
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const span = spans[mid]
    if (span === undefined) break
    if (span.start <= offset) {
      found = span
      lo = mid + 1
    } else hi = mid - 1
  }
  if (found === undefined || offset >= found.end) return undefined
  let field = 0
  for (const [index, fieldStart] of found.fieldStarts.entries()) if (fieldStart <= offset) field = index + 1
  return field === 0 ? undefined : field
}
