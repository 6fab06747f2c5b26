import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import { readX12 } from '../../parsers/read-x12.js'
import type { X12Event } from '../../parsers/x12-event.js'
import type { X12ReaderOptions } from '../../parsers/x12-reader.js'

export { readX12 }

/** Options of {@link readX12File}. */
export interface ReadX12FileOptions extends X12ReaderOptions {
  /** Bytes fed to the reader at a time, and so the most a batch of events covers (default 64 KiB). */
  chunkSize?: number
  /** Aborts the read between chunks (the reason is thrown); the file is closed. */
  signal?: AbortSignal
}

/**
 * 64 KiB: a good batch for the tokenizer. Larger batches keep more claims alive at once, and V8
 * then moves them to the old generation: 256 KiB batches made the 61 MB bench twice as slow.
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024

/**
 * Bytes read from the file at a time, into one reused buffer: one `read` per 64 KiB chunk cost
 * about 40 ms of CPU per 61 MB more than this (fs.createReadStream allocates a buffer per chunk and
 * goes through the stream machinery, about 60 ms).
 */
const READ_BYTES = 256 * 1024

/**
 * Reads an X12 file and yields batches of events, one per `chunkSize` bytes at most. The file is
 * read through one reused buffer (the reader copies what it keeps of a chunk) and is closed when
 * the consumer stops early or an error is thrown.
 *
 * @example
 * ```ts
 * for await (const events of readX12File('remit.835')) for (const event of events) …
 * ```
 */
export async function* readX12File(
  path: string,
  options: ReadX12FileOptions = {},
): AsyncGenerator<X12Event[]> {
  const { chunkSize, signal, ...readerOptions } = options
  signal?.throwIfAborted()
  const handle = await open(path, 'r')
  try {
    yield* readX12(fileChunks(handle, Math.max(1, chunkSize ?? DEFAULT_CHUNK_SIZE), signal), readerOptions)
  } finally {
    await handle.close()
  }
}

/**
 * The file in `size`-byte chunks, read {@link READ_BYTES} at a time into one reused buffer. Each
 * chunk is a view of that buffer, valid until the next one is pulled: `readX12` hands it to the
 * reader (which copies what it keeps) before it pulls again.
 */
async function* fileChunks(
  handle: FileHandle,
  size: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(Math.max(size, READ_BYTES))
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
    if (bytesRead === 0) return
    for (let at = 0; at < bytesRead; at += size) {
      signal?.throwIfAborted()
      yield buffer.subarray(at, Math.min(bytesRead, at + size))
    }
  }
}
