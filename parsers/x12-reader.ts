import { createAck999Assembler } from './acknowledgment/ack999-assembler.js'
import { createClaimStatus277Assembler } from './acknowledgment/claim-status277-assembler.js'
import { createClaim837Assembler } from './claim837/claim837-assembler.js'
import { createRemittance835Assembler } from './remittance835/remittance835-assembler.js'
import { EnvelopeValidator } from './x12/envelope-validator.js'
import type { Segment } from './x12/segment.js'
import { formatPosition, positionOf } from './x12/segment.js'
import { SegmentTokenizer } from './x12/segment-tokenizer.js'
import type { AssemblerFactory } from './x12/transaction-assembler.js'
import type { X12Issue } from './x12/x12-error.js'
import { X12Error } from './x12/x12-error.js'
import type { X12Event } from './x12-event.js'

/** Options of {@link X12Reader}. */
export interface X12ReaderOptions {
  /**
   * Called with every segment, in order, before it is checked and assembled. `inspect` counts
   * from it; keep it cheap, it runs once per segment.
   */
  onSegment?: (segment: Segment) => void
  /**
   * Assembler factories by ST01. Defaults to the 837 and 835 assemblers; pass `{}` to check
   * envelopes only (e.g. to benchmark the tokenizer with envelope checks).
   */
  assemblers?: Partial<Record<string, AssemblerFactory>>
  /** Passed to the tokenizer: the longest segment accepted, in bytes (default 1 MiB). */
  maxSegmentBytes?: number
  /** Passed to the tokenizer: keep each segment's text as read (`Segment.text`). */
  segmentText?: boolean
}

/**
 * The default routing by ST01: 837 (P and I), 835, 999 and 277 (the 277CA, X214: the envelope
 * validator quarantines other 277 guides before they reach it). TA1 segments and 270… are
 * envelope-checked only.
 */
export const DEFAULT_ASSEMBLERS: Readonly<Record<string, AssemblerFactory>> = {
  '837': createClaim837Assembler,
  '835': createRemittance835Assembler,
  '999': createAck999Assembler,
  '277': createClaimStatus277Assembler,
}

/**
 * Reads X12 bytes into {@link X12Event}s: tokenizer, envelope checks and typed claims, synchronous
 * and incremental. Output does not depend on how the input is chunked.
 *
 * `write` and `end` throw {@link X12Error} only when the input cannot be read at all (no ISA, an
 * unreadable ISA, a runaway segment). Input that stops mid-segment is not thrown: the open set is
 * quarantined with `X12_TRUNCATED` and the envelopes are closed, so the sets before it stay usable.
 *
 * @example
 * ```ts
 * const reader = new X12Reader()
 * for (const chunk of chunks) handle(reader.write(chunk))
 * handle(reader.end())
 * ```
 */
export class X12Reader {
  readonly #tokenizer: SegmentTokenizer
  readonly #sink: ReaderSink
  /** Bytes written so far (the file offset after the last chunk). */
  #written = 0

  constructor(options: X12ReaderOptions = {}) {
    this.#tokenizer = new SegmentTokenizer({
      ...(options.maxSegmentBytes === undefined ? {} : { maxSegmentBytes: options.maxSegmentBytes }),
      ...(options.segmentText === true ? { segmentText: true } : {}),
    })
    const validator = new EnvelopeValidator({ assemblers: options.assemblers ?? DEFAULT_ASSEMBLERS })
    this.#sink = new ReaderSink(validator, options.onSegment)
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#tokenizer.offset
  }

  /** Feeds a chunk; returns the events it completes. */
  write(chunk: Uint8Array): X12Event[] {
    const sink = this.#sink
    const out: X12Event[] = []
    sink.out = out
    // A NUL byte cannot be stored as text (PostgreSQL refuses it) and no X12 character set
    // allows it (X12.6 basic and extended character sets): the segments of a chunk holding one
    // are searched for it. indexOf over a typed array is a native scan, so clean chunks cost
    // next to nothing.
    this.#written += chunk.length
    if (chunk.indexOf(0) >= 0) sink.nulBefore = this.#written
    try {
      this.#tokenizer.writeTo(chunk, sink)
    } finally {
      sink.out = NO_EVENTS
    }
    return out
  }

  /** Flushes at the end of input and closes open envelopes (missing trailers are issues). */
  end(): X12Event[] {
    const sink = this.#sink
    const out: X12Event[] = []
    sink.out = out
    try {
      this.#tokenizer.endTo(sink)
    } catch (error) {
      if (error instanceof X12Error && error.code === 'X12_TRUNCATED') {
        sink.validator.end(out, error.toIssue())
        return out
      }
      throw error
    } finally {
      sink.out = NO_EVENTS
    }
    sink.validator.end(out)
    return out
  }
}

/** Events pushed outside a `write` or `end` call would be a bug: this frozen array makes it throw. */
const NO_EVENTS: X12Event[] = Object.freeze([]) as unknown as X12Event[]

/**
 * Takes each segment from the tokenizer as it is cut and passes it on to the envelope validator
 * (and `onSegment`), so that segments are handled while they are young: the tokenizer never
 * builds an array of a chunk's segments for the reader.
 */
class ReaderSink {
  readonly validator: EnvelopeValidator
  readonly #onSegment: ((segment: Segment) => void) | undefined
  /** The events of the current `write` or `end` call. */
  out: X12Event[] = NO_EVENTS

  constructor(validator: EnvelopeValidator, onSegment: ((segment: Segment) => void) | undefined) {
    this.validator = validator
    this.#onSegment = onSegment
  }

  /**
   * End (exclusive file offset) of the last chunk that held a NUL byte: segments that start before
   * it are searched for one.
   */
  nulBefore = -1

  push(segment: Segment): void {
    const onSegment = this.#onSegment
    if (onSegment !== undefined) onSegment(segment)
    if (segment.offset < this.nulBefore) {
      const problem = nulIssue(segment)
      // SE closes the set in the validator: its issue goes on before, every other one after (ST
      // opens the set, so its issue quarantines the set it opens).
      if (problem !== undefined && segment.id === 'SE') this.validator.flag(problem, this.out)
      this.validator.push(segment, this.out)
      if (problem !== undefined && segment.id !== 'SE') this.validator.flag(problem, this.out)
      return
    }
    this.validator.push(segment, this.out)
  }
}

/** `X12_BAD_ELEMENT` for the first element of `segment` that holds a NUL byte, if any. */
function nulIssue(segment: Segment): X12Issue | undefined {
  const elements = segment.elements
  for (let n = 0; n < elements.length; n++) {
    const value = elements[n] ?? ''
    const at = value.indexOf('\u0000')
    if (at < 0) continue
    const position = positionOf(segment, n)
    return {
      code: 'X12_BAD_ELEMENT',
      severity: 'error',
      message: `Expected X12 characters, found a NUL byte (0x00) at character ${at + 1} of ${formatPosition(position)}`,
      position,
    }
  }
  return undefined
}
