import { createReadStream } from 'node:fs';
import { X12Reader } from '../../parsers/x12-reader.js';
/** 64 KiB: the default `highWaterMark` of `fs.createReadStream`, and a good batch size for the tokenizer. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/**
 * The async edge of the X12 reader: one `await` per chunk and at most one yield per chunk (a batch
 * of events; empty batches are not yielded). Memory stays flat: no more than one chunk and one segment in
 * progress are held.
 *
 * Throws `X12Error` (`X12_NO_ISA`, `X12_BAD_ISA`, `X12_BAD_SEGMENT`) when the input cannot be read.
 */
export async function* readX12(source, options = {}) {
    const reader = new X12Reader(options);
    const encoder = new TextEncoder();
    for await (const chunk of source) {
        const events = reader.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
        if (events.length > 0)
            yield events;
    }
    const last = reader.end();
    if (last.length > 0)
        yield last;
}
/**
 * Reads an X12 file with `fs.createReadStream` (64 KiB chunks) and yields batches of events.
 * The file is closed when the consumer stops early or an error is thrown.
 *
 * @example
 * ```ts
 * for await (const events of readX12File('remit.835')) for (const event of events) …
 * ```
 */
export async function* readX12File(path, options = {}) {
    const { chunkSize, signal, ...readerOptions } = options;
    const stream = createReadStream(path, {
        highWaterMark: chunkSize ?? DEFAULT_CHUNK_SIZE,
        ...(signal === undefined ? {} : { signal }),
    });
    try {
        yield* readX12(stream, readerOptions);
    }
    finally {
        stream.destroy();
    }
}
//# sourceMappingURL=read-x12.js.map