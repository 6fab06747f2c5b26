import { Readable } from 'node:stream'
import { streamArray } from 'stream-json/streamers/stream-array.js'
import { streamValues } from 'stream-json/streamers/stream-values.js'
import { JsonRecordError } from '../../parsers/json/json-record-error.js'

/**
 * Reads JSON records one at a time with stream-json, in constant memory: the elements of one
 * top-level array (`parse --format json`), or a sequence of top-level values (`parse`'s NDJSON).
 * Which one is decided by the first non-blank character. Throws `JSON_SYNTAX` (with the index of
 * the record being read) when the input is not JSON, or is empty.
 *
 * @example
 * ```ts
 * for await (const { index, value } of readJsonRecords(fs.createReadStream('claims.json'))) …
 * ```
 */
export async function* readJsonRecords(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<{ index: number; value: unknown }> {
  const iterator = source[Symbol.asyncIterator]()
  // Peek at the first chunks to see whether the input is one array or a stream of values.
  const head: (Uint8Array | string)[] = []
  let first: string | undefined
  while (first === undefined) {
    const next = await iterator.next()
    if (next.done === true) break
    head.push(next.value)
    const text = typeof next.value === 'string' ? next.value : Buffer.from(next.value).toString('utf8')
    const match = /\S/.exec(text.replace(/^\uFEFF/, ''))
    if (match !== null) first = match[0]
  }
  if (first === undefined)
    throw new JsonRecordError('JSON_SYNTAX', 'Expected a JSON array or JSON records, found no JSON value', {
      record: 0,
      path: '$',
    })
  async function* replay(): AsyncGenerator<Uint8Array | string> {
    yield* head
    for (;;) {
      const next = await iterator.next()
      if (next.done === true) return
      yield next.value
    }
  }
  const input = Readable.from(replay(), { objectMode: false })
  const parser =
    first === '['
      ? streamArray.withParserAsStream()
      : streamValues.withParserAsStream({ jsonStreaming: true })
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  let index = 0
  try {
    for await (const item of parser as AsyncIterable<{ key: number; value: unknown }>) {
      yield { index, value: item.value }
      index++
    }
  } catch (error) {
    if (error instanceof Error && !('code' in error && typeof error.code === 'string'))
      throw new JsonRecordError(
        'JSON_SYNTAX',
        `Expected JSON: ${error.message}`,
        { record: index, path: '$' },
        {
          cause: error,
        },
      )
    throw error
  } finally {
    input.destroy()
    parser.destroy()
  }
}
