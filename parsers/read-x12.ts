import type { X12Event } from './x12-event.js'
import type { X12ReaderOptions } from './x12-reader.js'
import { X12Reader } from './x12-reader.js'

/**
 * The async form of the X12 reader (no I/O of its own: the caller gives the bytes): one `await` per chunk and at most one yield per chunk (a batch
 * of events; empty batches are not yielded). Memory stays flat: no more than one chunk and one segment in
 * progress are held.
 *
 * Throws `X12Error` (`X12_NO_ISA`, `X12_BAD_ISA`, `X12_BAD_SEGMENT`) when the input cannot be read.
 */
export async function* readX12(
  source: AsyncIterable<Uint8Array | string>,
  options: X12ReaderOptions = {},
): AsyncGenerator<X12Event[]> {
  const reader = new X12Reader(options)
  const encoder = new TextEncoder()
  for await (const chunk of source) {
    const events = reader.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
    if (events.length > 0) yield events
  }
  const last = reader.end()
  if (last.length > 0) yield last
}
