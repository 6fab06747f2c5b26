import { createClaim837Assembler } from './claim837/claim837-assembler.js';
import { createRemittance835Assembler } from './remittance835/remittance835-assembler.js';
import { EnvelopeValidator } from './x12/envelope-validator.js';
import { SegmentTokenizer } from './x12/segment-tokenizer.js';
import { X12Error } from './x12/x12-error.js';
/** The default routing by ST01: 837 (P and I) and 835. 999, 277, TA1, 270… are envelope-checked only. */
export const DEFAULT_ASSEMBLERS = {
    '837': createClaim837Assembler,
    '835': createRemittance835Assembler,
};
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
    #tokenizer;
    #validator;
    #onSegment;
    constructor(options = {}) {
        const tokenizerOptions = options.maxSegmentBytes === undefined ? {} : { maxSegmentBytes: options.maxSegmentBytes };
        this.#tokenizer = new SegmentTokenizer(tokenizerOptions);
        this.#validator = new EnvelopeValidator({ assemblers: options.assemblers ?? DEFAULT_ASSEMBLERS });
        this.#onSegment = options.onSegment;
    }
    /** Bytes consumed so far. */
    get offset() {
        return this.#tokenizer.offset;
    }
    /** Feeds a chunk; returns the events it completes. */
    write(chunk) {
        const out = [];
        this.#feed(this.#tokenizer.write(chunk), out);
        return out;
    }
    /** Flushes at the end of input and closes open envelopes (missing trailers are issues). */
    end() {
        const out = [];
        try {
            this.#feed(this.#tokenizer.end(), out);
        }
        catch (error) {
            if (error instanceof X12Error && error.code === 'X12_TRUNCATED') {
                this.#validator.end(out, error.toIssue());
                return out;
            }
            throw error;
        }
        this.#validator.end(out);
        return out;
    }
    #feed(segments, out) {
        const onSegment = this.#onSegment;
        const validator = this.#validator;
        for (const segment of segments) {
            if (onSegment !== undefined)
                onSegment(segment);
            validator.push(segment, out);
        }
    }
}
//# sourceMappingURL=x12-reader.js.map