import type { Delimiters, Segment, X12Position } from './segment.js'
import { X12Error } from './x12-error.js'

/** Options of {@link SegmentTokenizer}. */
export interface SegmentTokenizerOptions {
  /**
   * A segment longer than this many bytes is a failure (`X12_BAD_SEGMENT`): it almost always means
   * the terminator is wrong, and holding the rest of the file as one segment breaks flat memory.
   * Default 1 MiB; real 5010 segments stay under a few kilobytes.
   */
  maxSegmentBytes?: number
  /**
   * Keep each segment's text as read ({@link Segment.text}): one more string per segment (a slice
   * of the chunk's text), for a consumer that stores the segments as text (the 837 ingest).
   */
  segmentText?: boolean
}

const DEFAULT_MAX_SEGMENT_BYTES = 1024 * 1024

/** The ISA is 106 bytes when space-padded; unpadded ones are shorter. Past this it is not an ISA. */
const MAX_ISA_BYTES = 512

const CODE_I = 0x49
const CODE_S = 0x53
const CODE_A = 0x41
const CODE_CR = 0x0d
const CODE_LF = 0x0a

function isAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}

/** Bytes skipped between segments: space, tab, CR, LF and other control characters. */
function isFiller(code: number): boolean {
  return code <= 0x20
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let i = start; i < end; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)))
  }
  return text
}

/**
 * The segment ids of the 5010 transaction sets onco-edi reads (837P/I, 835, 999, 277CA and their
 * envelopes). Written here as literals, they are V8's interned strings: see {@link internId}.
 */
const KNOWN_SEGMENT_IDS = [
  'ISA',
  'IEA',
  'GS',
  'GE',
  'ST',
  'SE',
  'TA1',
  'BHT',
  'BPR',
  'TRN',
  'CUR',
  'REF',
  'DTM',
  'DTP',
  'N1',
  'N2',
  'N3',
  'N4',
  'PER',
  'RDM',
  'NM1',
  'PRV',
  'HL',
  'SBR',
  'PAT',
  'DMG',
  'CLM',
  'CL1',
  'PWK',
  'CN1',
  'AMT',
  'K3',
  'NTE',
  'CR1',
  'CR2',
  'CRC',
  'HI',
  'HCP',
  'LX',
  'TS3',
  'TS2',
  'SV1',
  'SV2',
  'SV5',
  'LIN',
  'CTP',
  'SVD',
  'CAS',
  'LQ',
  'FRM',
  'MEA',
  'QTY',
  'PS1',
  'HSD',
  'OI',
  'MOA',
  'MIA',
  'CLP',
  'SVC',
  'PLB',
  'AK1',
  'AK2',
  'AK9',
  'IK3',
  'IK4',
  'IK5',
  'CTX',
  'STC',
] as const

/** Index of a 2-3 character segment id in {@link ID_TABLE}: A-Z, then A-Z/0-9, then A-Z/0-9/none. */
function idIndex(first: number, second: number, third: number): number {
  if (first < 0x41 || first > 0x5a) return -1
  const b =
    second >= 0x41 && second <= 0x5a
      ? second - 0x41
      : second >= 0x30 && second <= 0x39
        ? second - 0x30 + 26
        : -1
  if (b < 0) return -1
  const c =
    third < 0
      ? 36
      : third >= 0x41 && third <= 0x5a
        ? third - 0x41
        : third >= 0x30 && third <= 0x39
          ? third - 0x30 + 26
          : -1
  if (c < 0) return -1
  return ((first - 0x41) * 36 + b) * 37 + c
}

/**
 * One string per segment id, shared by every tokenizer (ids are never mutated, so sharing them
 * changes nothing but identity). Seeded with {@link KNOWN_SEGMENT_IDS}; other valid ids are added
 * the first time they are seen. 26 × 36 × 37 slots bound it.
 */
const ID_TABLE: (string | undefined)[] = new Array<string | undefined>(26 * 36 * 37).fill(undefined)
for (const id of KNOWN_SEGMENT_IDS) {
  ID_TABLE[idIndex(id.charCodeAt(0), id.charCodeAt(1), id.length === 3 ? id.charCodeAt(2) : -1)] = id
}

/**
 * `text.slice(start, stop)` for a segment id, from {@link ID_TABLE} when it is a valid id.
 *
 * Why: every segment id is compared many times downstream (the envelope checks, the `switch` of
 * each assembler, `inspect` counting). Against a literal, an interned id compares by pointer, a
 * fresh slice by content, and the table also saves allocating one string per segment.
 */
function internId(text: string, start: number, stop: number): string {
  const length = stop - start
  if (length === 2 || length === 3) {
    const third = length === 3 ? text.charCodeAt(start + 2) : -1
    const index = idIndex(text.charCodeAt(start), text.charCodeAt(start + 1), third)
    if (index >= 0) {
      const known = ID_TABLE[index]
      if (known !== undefined) return known
      const id = text.slice(start, stop)
      ID_TABLE[index] = id
      return id
    }
  }
  return text.slice(start, stop)
}

/**
 * Where `text[start..end)` ends once the line breaks before the terminator are dropped: they are
 * not data (the element separator is never CR or LF, so only the last element can lose any).
 */
function withoutLineBreaks(text: string, start: number, end: number): number {
  let stop = end
  while (stop > start) {
    const code = text.charCodeAt(stop - 1)
    if (code !== CODE_CR && code !== CODE_LF) break
    stop--
  }
  return stop
}

/**
 * `values` in an array built like the fast path's (`new Array(n)`, then filled), so that every
 * segment's `elements` has the same V8 elements kind: code that reads `segment.elements` then
 * sees one array map, and is not deoptimized by the ISA (or a line-break file) that `split` built.
 */
function sameKind(values: string[]): string[] {
  const elements = new Array<string>(values.length)
  for (let k = 0; k < values.length; k++) elements[k] = values[k] ?? ''
  return elements
}

function describe(code: number): string {
  if (code >= 0x21 && code <= 0x7e) return `"${String.fromCharCode(code)}"`
  return `0x${code.toString(16).padStart(2, '0').toUpperCase()}`
}

type State = 'start' | 'isa' | 'body'

/**
 * The segments the tokenizer makes: a {@link Segment} with the same fields in the same order as
 * the object literal it replaces (so JSON and equality are unchanged).
 *
 * Why a class: V8 tracks object and array literals by allocation site and, when many objects from a
 * site outlive a scavenge, starts allocating them in the old generation ("pretenuring"), which
 * deoptimizes every function that allocates there. The 837 assembler keeps the segments of each
 * claim, so that decision came mid-file and deoptimized the tokenizer and the assemblers at once.
 * Objects made by `new` are not tracked that way.
 */
class TokenizedSegment implements Segment {
  id: string
  elements: string[]
  offset: number
  index: number
  stIndex: number
  delimiters: Delimiters
  // Declared only: set after construction when the tokenizer keeps it, so that segments without it
  // have the fields (and JSON) they always had.
  declare text?: string

  constructor(
    id: string,
    elements: string[],
    offset: number,
    index: number,
    stIndex: number,
    delimiters: Delimiters,
  ) {
    this.id = id
    this.elements = elements
    this.offset = offset
    this.index = index
    this.stIndex = stIndex
    this.delimiters = delimiters
  }
}

/** Elements a segment may have before the cut grows its scratch array. */
const SCRATCH_SIZE = 64

/** Where the tokenizer puts the segments it cuts: an array, or a consumer with the same `push`. */
export interface SegmentSink {
  push(segment: Segment): unknown
}

/**
 * Splits X12 bytes into {@link Segment}s: synchronous, incremental and independent of how the
 * input is chunked.
 *
 * The delimiters come from each ISA (ASC X12 005010 ISA: the element separator is the byte after
 * `ISA`, ISA16 is the component separator, and the byte after ISA16 terminates the segment). The 16
 * separators are counted rather than trusting the fixed 106-byte layout, because real ISAs are not
 * always space-padded. Line breaks and indentation between segments are skipped; a UTF-8 BOM is
 * skipped. Offsets are bytes from the start of the input and are never reset per chunk.
 *
 * @example
 * ```ts
 * const tokenizer = new SegmentTokenizer()
 * for (const chunk of chunks) for (const segment of tokenizer.write(chunk)) use(segment)
 * for (const segment of tokenizer.end()) use(segment)
 * ```
 */
export class SegmentTokenizer {
  readonly #maxSegmentBytes: number
  readonly #segmentText: boolean
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true })
  #state: State = 'start'
  /** Unconsumed bytes from earlier writes (a segment in progress). */
  #pending: Uint8Array[] = []
  #pendingLength = 0
  /** True when the pending bytes start a segment already known not to be an ISA. */
  #pendingIsBody = false
  /** File offset of the first pending byte, i.e. bytes consumed so far. */
  #offset = 0
  #delimiters: Delimiters | undefined
  #terminator = 0
  /** Every delimiter is ASCII, so a chunk of ASCII text can be split as a string. */
  #asciiDelimiters = true
  #index = 0
  #stIndex = 0
  /** ISA state. */
  #isaStart = 0
  #isaBytes: number[] = []
  #isaSeparators = 0
  #isaElement = 0
  #isaComponent = -1

  constructor(options: SegmentTokenizerOptions = {}) {
    this.#maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES
    this.#segmentText = options.segmentText === true
  }

  /** The delimiters of the current interchange, once its ISA has been read. */
  get delimiters(): Delimiters | undefined {
    return this.#delimiters
  }

  /** Bytes consumed so far (complete segments and skipped filler). */
  get offset(): number {
    return this.#offset
  }

  /** Feeds a chunk; returns the segments it completes. The chunk may be reused by the caller. */
  write(chunk: Uint8Array): Segment[] {
    const out: Segment[] = []
    this.writeTo(chunk, out)
    return out
  }

  /**
   * Feeds a chunk and hands each segment it completes to `sink` as soon as it is cut. A consumer
   * that handles segments one at a time (the {@link X12Reader}) uses this: no segment outlives its
   * handling, so the garbage collector never copies a chunk's worth of segments.
   */
  writeTo(chunk: Uint8Array, sink: SegmentSink): void {
    if (chunk.length === 0) return
    if (this.#state === 'body' && this.#pendingIsBody && chunk.indexOf(this.#terminator) === -1) {
      // Still inside one segment: keep the bytes without concatenating (linear, not quadratic).
      this.#pending.push(chunk.slice())
      this.#pendingLength += chunk.length
      this.#checkSegmentLength()
      return
    }
    const buffer = this.#completePending(chunk, sink)
    const consumed = this.#process(buffer, sink)
    this.#offset += consumed
    if (consumed < buffer.length) {
      const rest = buffer.slice(consumed)
      this.#pending = [rest]
      this.#pendingLength = rest.length
      this.#checkSegmentLength()
    }
  }

  /** Flushes at the end of input. Throws `X12_NO_ISA` or `X12_TRUNCATED`. */
  end(): Segment[] {
    const out: Segment[] = []
    this.endTo(out)
    return out
  }

  /** {@link end}, handing the last segment (if any) to `sink`. */
  endTo(sink: SegmentSink): void {
    const rest = this.#takePending(new Uint8Array(0))
    this.#pending = []
    this.#pendingLength = 0
    if (this.#state === 'start') {
      throw new X12Error(
        'X12_NO_ISA',
        `Expected an ISA segment but the input has only ${this.#offset + rest.length} bytes of white space`,
        this.#position(this.#offset + rest.length, 0, ''),
      )
    }
    if (this.#state === 'isa') {
      throw new X12Error(
        'X12_TRUNCATED',
        `Input ends inside the ISA after ${this.#isaSeparators} of its 16 element separators`,
        this.#position(this.#isaStart, 1, 'ISA'),
      )
    }
    let first = 0
    while (first < rest.length && isFiller(rest[first] ?? 0)) first++
    if (first < rest.length && (this.#terminator === CODE_CR || this.#terminator === CODE_LF)) {
      // A line-break terminator: the end of the file also ends the last line, as in any text file
      // whose last line has no newline (several real files in the corpus end this way).
      let stop = rest.length
      while (stop > first && (rest[stop - 1] === CODE_CR || rest[stop - 1] === CODE_LF)) stop--
      this.#emit(this.#decode(rest, first, stop), this.#offset + first, sink)
      this.#offset += rest.length
      return
    }
    if (first < rest.length) {
      const id = latin1(rest, first, Math.min(rest.length, first + 3)).replace(/[^A-Za-z0-9].*$/s, '')
      throw new X12Error(
        'X12_TRUNCATED',
        `Input ends inside a segment: expected the terminator ${describe(this.#terminator)} after ${rest.length - first} bytes`,
        {
          offset: this.#offset + first,
          segment: this.#index + 1,
          stSegment: this.#stIndex > 0 ? this.#stIndex + 1 : 0,
          segmentId: id,
        },
      )
    }
    this.#offset += rest.length
  }

  #position(offset: number, segment: number, segmentId: string): X12Position {
    return { offset, segment, stSegment: 0, segmentId }
  }

  /**
   * Returns what is left to process of `chunk` once the pending bytes are dealt with. When they are
   * the start of a body segment, only that segment is completed (pending bytes + the chunk up to its
   * first terminator) and processed here, so the rest of the chunk is processed in place instead of
   * being copied behind the pending bytes. Otherwise the two are concatenated.
   */
  #completePending(chunk: Uint8Array, out: SegmentSink): Uint8Array {
    if (this.#pendingLength === 0) return chunk
    const end = this.#state === 'body' && this.#pendingIsBody ? chunk.indexOf(this.#terminator) : -1
    if (end < 0) return this.#takePending(chunk)
    const head = this.#takePending(chunk.subarray(0, end + 1))
    const consumed = this.#process(head, out)
    this.#offset += consumed
    if (consumed === head.length) return chunk.subarray(end + 1)
    // Not expected (the pending bytes are known not to start an ISA), but kept exact: go on from
    // where processing stopped, as the concatenated buffer would have.
    const rest = new Uint8Array(head.length - consumed + chunk.length - end - 1)
    rest.set(head.subarray(consumed), 0)
    rest.set(chunk.subarray(end + 1), head.length - consumed)
    return rest
  }

  #takePending(chunk: Uint8Array): Uint8Array {
    if (this.#pendingLength === 0) return chunk
    const buffer = new Uint8Array(this.#pendingLength + chunk.length)
    let at = 0
    for (const piece of this.#pending) {
      buffer.set(piece, at)
      at += piece.length
    }
    buffer.set(chunk, at)
    this.#pending = []
    this.#pendingLength = 0
    this.#pendingIsBody = false
    return buffer
  }

  #checkSegmentLength(): void {
    if (this.#state === 'body' && this.#pendingLength > this.#maxSegmentBytes) {
      throw new X12Error(
        'X12_BAD_SEGMENT',
        `No segment terminator ${describe(this.#terminator)} within ${this.#maxSegmentBytes} bytes`,
        this.#position(this.#offset, this.#index + 1, ''),
      )
    }
  }

  /** Consumes what it can of `buffer` (whose first byte is at file offset `this.#offset`). */
  #process(buffer: Uint8Array, out: SegmentSink): number {
    let pos = 0
    while (pos < buffer.length) {
      if (this.#state === 'body') {
        pos = this.#body(buffer, pos, out)
        if (this.#state === 'body') return pos
      } else if (this.#state === 'start') {
        pos = this.#start(buffer, pos)
        if (this.#state === 'start') return pos
      } else {
        pos = this.#isa(buffer, pos, out)
        if (this.#state === 'isa') return pos
      }
    }
    return pos
  }

  /** Before the first ISA: skip a BOM and white space, then expect `ISA`. */
  #start(buffer: Uint8Array, from: number): number {
    let pos = from
    const base = this.#offset
    while (pos < buffer.length) {
      const code = buffer[pos] ?? 0
      const at = base + pos
      if (at === 0 && (code === 0xff || code === 0xfe)) {
        throw new X12Error(
          'X12_NO_ISA',
          'The input starts with a UTF-16 byte order mark; X12 must be ASCII or UTF-8',
          this.#position(0, 0, ''),
        )
      }
      if (at === 0 && code === 0xef) {
        if (buffer.length - pos < 3) return pos
        if (buffer[pos + 1] === 0xbb && buffer[pos + 2] === 0xbf) {
          pos += 3
          continue
        }
      }
      if (isFiller(code)) {
        if (code === 0 && at <= 1) {
          throw new X12Error(
            'X12_NO_ISA',
            'The input looks like UTF-16 (NUL bytes between characters); X12 must be ASCII or UTF-8',
            this.#position(at, 0, ''),
          )
        }
        pos++
        continue
      }
      if (buffer.length - pos < 4) return pos
      const separator = buffer[pos + 3] ?? 0
      if (buffer[pos] === CODE_I && buffer[pos + 1] === CODE_S && buffer[pos + 2] === CODE_A) {
        if (separator === 0) {
          throw new X12Error(
            'X12_NO_ISA',
            'The input looks like UTF-16 (NUL bytes between characters); X12 must be ASCII or UTF-8',
            this.#position(at, 0, 'ISA'),
          )
        }
        this.#beginIsa(at)
        return pos
      }
      if (buffer[pos + 1] === 0 && buffer[pos + 3] === 0) {
        throw new X12Error(
          'X12_NO_ISA',
          'The input looks like UTF-16 (NUL bytes between characters); X12 must be ASCII or UTF-8',
          this.#position(at, 0, ''),
        )
      }
      const found = latin1(buffer, pos, pos + 3).replace(/[^A-Za-z0-9].*$/s, '')
      throw new X12Error(
        'X12_NO_ISA',
        `Expected the input to start with an ISA segment, found ${JSON.stringify(found || latin1(buffer, pos, pos + 1))}`,
        this.#position(at, 0, found),
      )
    }
    return pos
  }

  #beginIsa(offset: number): void {
    this.#state = 'isa'
    this.#isaStart = offset
    this.#isaBytes = []
    this.#isaSeparators = 0
    this.#isaComponent = -1
  }

  /** Reads an ISA byte by byte: the 16 element separators give ISA16 and the terminator. */
  #isa(buffer: Uint8Array, from: number, out: SegmentSink): number {
    let pos = from
    const bytes = this.#isaBytes
    while (pos < buffer.length) {
      const code = buffer[pos] ?? 0
      pos++
      bytes.push(code)
      const n = bytes.length
      if (n === 4) {
        if (isAlphanumeric(code) || code === CODE_CR || code === CODE_LF) {
          throw this.#badIsa(`the element separator (byte 3) is ${describe(code)}`)
        }
        this.#isaElement = code
        this.#isaSeparators = 1
        continue
      }
      if (n < 4) continue
      if (this.#isaSeparators < 16) {
        if (code === this.#isaElement) {
          this.#isaSeparators++
        } else if (code === CODE_CR || code === CODE_LF) {
          throw this.#badIsa(`it has ${this.#isaSeparators} elements before a line break, expected 16`)
        }
        if (n > MAX_ISA_BYTES) {
          throw this.#badIsa(`no 16th element separator within ${MAX_ISA_BYTES} bytes`)
        }
        continue
      }
      if (this.#isaComponent < 0) {
        this.#isaComponent = code
        continue
      }
      this.#finishIsa(code, out)
      return pos
    }
    return pos
  }

  #badIsa(why: string): X12Error {
    return new X12Error(
      'X12_BAD_ISA',
      `Cannot read the ISA: ${why}`,
      this.#position(this.#isaStart, 1, 'ISA'),
    )
  }

  #finishIsa(terminator: number, out: SegmentSink): void {
    const element = this.#isaElement
    const component = this.#isaComponent
    if (
      component === element ||
      isAlphanumeric(component) ||
      component === CODE_CR ||
      component === CODE_LF
    ) {
      throw this.#badIsa(`ISA16 (component separator) is ${describe(component)}`)
    }
    if (terminator === element || terminator === component || isAlphanumeric(terminator)) {
      throw this.#badIsa(`the segment terminator after ISA16 is ${describe(terminator)}`)
    }
    const bytes = this.#isaBytes
    const text = String.fromCharCode(...bytes.slice(0, bytes.length - 1))
    const elementText = String.fromCharCode(element)
    const elements = sameKind(text.split(elementText))
    const isa11 = elements[11] ?? ''
    const isa12 = elements[12] ?? ''
    const isa11Code = isa11.length === 1 ? isa11.charCodeAt(0) : -1
    // ISA11 became the repetition separator in 00501 (before it was the standards id, `U`).
    const repetition =
      isa12 >= '00501' &&
      isa11Code >= 0 &&
      !isAlphanumeric(isa11Code) &&
      isa11Code !== element &&
      isa11Code !== component &&
      isa11Code !== terminator &&
      isa11Code !== 0x20
        ? isa11
        : undefined
    this.#delimiters = {
      element: elementText,
      component: String.fromCharCode(component),
      repetition,
      segment: String.fromCharCode(terminator),
    }
    this.#terminator = terminator
    this.#asciiDelimiters = element < 0x80 && component < 0x80 && terminator < 0x80 && isa11Code < 0x80
    this.#index = 1
    this.#stIndex = 0
    const isa = new TokenizedSegment('ISA', elements, this.#isaStart, 1, 0, this.#delimiters)
    if (this.#segmentText) isa.text = text
    out.push(isa)
    this.#isaBytes = []
    this.#state = 'body'
  }

  /** Returns true when `buffer[pos..]` starts an ISA (needs 4 bytes; `undefined` = not enough). */
  #startsIsa(buffer: Uint8Array, pos: number): boolean | undefined {
    if (buffer[pos] !== CODE_I) return false
    if (buffer.length - pos < 4) {
      if (buffer.length - pos >= 2 && buffer[pos + 1] !== CODE_S) return false
      if (buffer.length - pos >= 3 && buffer[pos + 2] !== CODE_A) return false
      return undefined
    }
    if (buffer[pos + 1] !== CODE_S || buffer[pos + 2] !== CODE_A) return false
    const separator = buffer[pos + 3] ?? 0
    return !isAlphanumeric(separator) && separator !== this.#terminator && !isFiller(separator)
  }

  /** Splits complete segments with the current delimiters; stops before a new ISA. */
  #body(buffer: Uint8Array, from: number, out: SegmentSink): number {
    const terminator = this.#terminator
    const last = buffer.lastIndexOf(terminator)
    let pos = from
    if (last >= pos && this.#asciiDelimiters) {
      const text = this.#asciiText(buffer, pos, last + 1)
      if (text !== undefined) {
        pos += this.#cut(text, this.#offset + pos, out)
        if (this.#state !== 'body' || pos > last) return this.#tail(buffer, pos)
      }
    }
    // Byte path: non-ASCII text, or delimiters outside ASCII.
    while (pos <= last) {
      while (pos < buffer.length && isFiller(buffer[pos] ?? 0) && buffer[pos] !== terminator) pos++
      if (pos > last) break
      if (buffer[pos] === terminator) {
        pos++
        continue
      }
      const isa = this.#startsIsa(buffer, pos)
      if (isa === true) {
        this.#beginIsa(this.#offset + pos)
        return pos
      }
      const end = buffer.indexOf(terminator, pos)
      let stop = end
      while (stop > pos && (buffer[stop - 1] === CODE_CR || buffer[stop - 1] === CODE_LF)) stop--
      this.#emit(this.#decode(buffer, pos, stop), this.#offset + pos, out)
      pos = end + 1
    }
    return this.#tail(buffer, pos)
  }

  /** After the last complete segment: skip filler, detect an ISA start, keep the rest pending. */
  #tail(buffer: Uint8Array, from: number): number {
    if (this.#state !== 'body') return from
    let pos = from
    while (pos < buffer.length && isFiller(buffer[pos] ?? 0)) pos++
    if (pos >= buffer.length) return pos
    const isa = this.#startsIsa(buffer, pos)
    if (isa === true) {
      this.#beginIsa(this.#offset + pos)
      return pos
    }
    this.#pendingIsBody = isa === false
    return pos
  }

  /**
   * `buffer[start..end)` as a string when it is pure ASCII (then string indexes are byte offsets);
   * `undefined` otherwise, and the byte path is used.
   */
  #asciiText(buffer: Uint8Array, start: number, end: number): string | undefined {
    let text: string
    try {
      text = this.#utf8.decode(buffer.subarray(start, end))
    } catch {
      return undefined
    }
    return text.length === end - start ? text : undefined
  }

  /**
   * Fast path: cuts the complete segments of `text` (ASCII, ending with a terminator, whose first
   * character is at file offset `base`) straight into elements with `indexOf` and `slice`: no
   * per-segment substring, no `split`. Returns the index reached: the end of `text`, or the start of
   * a new ISA.
   */
  #cut(text: string, base: number, out: SegmentSink): number {
    const delimiters = this.#delimiters
    if (delimiters === undefined) return 0
    const terminatorCode = this.#terminator
    const length = text.length
    // Per call, so that it is young: storing young strings into a long-lived (old) array costs a
    // write barrier per element. Sized for any 5010 segment (the longest, SV2 and CLM, have 30
    // elements or fewer), so that the optimized loop does not meet an out-of-bounds store and
    // deoptimize the first time a long segment comes.
    const scratch = new Array<string>(SCRATCH_SIZE)
    const elementCode = delimiters.element.charCodeAt(0)
    let i = 0
    while (i < length) {
      // Reads stay inside the string: V8 compiles an out-of-bounds charCodeAt slower.
      let code = text.charCodeAt(i)
      while (code <= 0x20) {
        i++
        if (i >= length) break
        code = text.charCodeAt(i)
      }
      if (i >= length) break
      if (code === terminatorCode) {
        i++
        continue
      }
      if (
        code === CODE_I &&
        i + 3 < length &&
        text.charCodeAt(i + 1) === CODE_S &&
        text.charCodeAt(i + 2) === CODE_A
      ) {
        const next = text.charCodeAt(i + 3)
        if (!isAlphanumeric(next) && next !== terminatorCode && !isFiller(next)) {
          this.#beginIsa(base + i)
          return i
        }
      }
      // The last character is a terminator, so every segment started here ends in this text: one
      // pass over its characters finds the element separators and the terminator (an `indexOf` per
      // element cost a builtin call for every 4-8 characters).
      let count = 0
      let begin = i
      let at = i
      let code2 = code
      while (code2 !== terminatorCode) {
        if (code2 === elementCode) {
          scratch[count] = count === 0 ? internId(text, begin, at) : text.slice(begin, at)
          count++
          begin = at + 1
        }
        at++
        code2 = text.charCodeAt(at)
      }
      const end = at
      // The elements are gathered in a reused array and copied into one of the exact size: an array
      // literal here would carry a V8 allocation site, and when the segments of a chunk all live
      // until the chunk is assembled (`write`), V8 would pretenure it, which sends every later
      // segment to the old generation and makes each scavenge copy the strings they hold (a 1.5-3x
      // slowdown seen on the 837 bench). A `[]` plus `push` measured 9% more instructions even with
      // `writeTo`, and `scratch.slice(0, count)` 4% more.
      const stop = withoutLineBreaks(text, begin, end)
      scratch[count] = count === 0 ? internId(text, begin, stop) : text.slice(begin, stop)
      count++
      const elements = new Array<string>(count)
      for (let k = 0; k < count; k++) elements[k] = scratch[k] ?? ''
      this.#push(elements, base + i, out, this.#segmentText ? text.slice(i, stop) : undefined)
      i = end + 1
    }
    return i
  }

  #decode(buffer: Uint8Array, start: number, end: number): string {
    if (this.#asciiDelimiters) {
      try {
        return this.#utf8.decode(buffer.subarray(start, end))
      } catch {
        // Not UTF-8: read it as Latin-1 so that no byte is lost (offsets stay in bytes anyway).
      }
    }
    return latin1(buffer, start, end)
  }

  #emit(text: string, offset: number, out: SegmentSink): void {
    const delimiters = this.#delimiters
    if (delimiters === undefined) return
    this.#push(sameKind(text.split(delimiters.element)), offset, out, this.#segmentText ? text : undefined)
  }

  #push(elements: string[], offset: number, out: SegmentSink, text: string | undefined): void {
    const id = elements[0] ?? ''
    const delimiters = this.#delimiters
    if (delimiters === undefined) return
    const index = this.#index + 1
    this.#index = index
    // Every comparison here runs for every segment and the counter is stored once: V8 optimizes this
    // code long before the first SE or GE, and a path it has never run would undo that when they come.
    // Valid segment ids are interned (see internId), so these compare pointers.
    const opens = id === 'ST'
    const ends = id === 'SE'
    const closesSet = id === 'GS' || id === 'GE' || id === 'IEA'
    let counter = this.#stIndex
    let stIndex = 0
    if (opens) {
      stIndex = 1
      counter = 1
    } else if (counter > 0) {
      if (closesSet) {
        counter = 0
      } else {
        counter += 1
        stIndex = counter
        if (ends) counter = 0
      }
    }
    this.#stIndex = counter
    const segment = new TokenizedSegment(id, elements, offset, index, stIndex, delimiters)
    if (text !== undefined) segment.text = text
    out.push(segment)
  }
}
