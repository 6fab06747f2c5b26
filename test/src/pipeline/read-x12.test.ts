import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { X12Event } from '../../../parsers/x12-event.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import { readX12, readX12File } from '../../../src/pipeline/read-x12.js'
import { chunksOf, repoRoot } from '../../support/x12-files.js'

const multi = path.join(repoRoot, 'fixtures/x12/envelope/multi-interchange.x12')

async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk
}

async function collect(source: AsyncIterable<X12Event[]>): Promise<{ events: X12Event[]; batches: number }> {
  const events: X12Event[] = []
  let batches = 0
  for await (const batch of source) {
    batches++
    expect(batch.length).toBeGreaterThan(0)
    events.push(...batch)
  }
  return { events, batches }
}

describe('readX12', () => {
  it('yields batches (at most one per chunk, plus the end) with the same events as the sync reader', async () => {
    const bytes = readFileSync(multi)
    const reader = new X12Reader()
    const expected = [...reader.write(bytes), ...reader.end()]
    const chunks = chunksOf(bytes, 97)
    const { events, batches } = await collect(readX12(fromChunks(chunks)))
    expect(events).toEqual(expected)
    expect(batches).toBeLessThanOrEqual(chunks.length + 1)
    expect(batches).toBeGreaterThan(1)
  })

  it('passes reader options through (onSegment)', async () => {
    const ids: string[] = []
    await collect(readX12(fromChunks([readFileSync(multi)]), { onSegment: (s) => ids.push(s.id) }))
    expect(ids.filter((id) => id === 'ISA')).toHaveLength(2)
    expect(ids.at(-1)).toBe('IEA')
  })

  it('throws X12_NO_ISA through the iterator', async () => {
    await expect(collect(readX12(fromChunks([new TextEncoder().encode('GS*HC~')])))).rejects.toMatchObject({
      code: 'X12_NO_ISA',
      position: { offset: 0 },
    })
  })
})

describe('readX12File', () => {
  it('reads a file in chunks of the given size and gives the same events as one chunk', async () => {
    const whole = await collect(readX12File(multi))
    const small = await collect(readX12File(multi, { chunkSize: 64 }))
    expect(small.events).toEqual(whole.events)
    expect(small.batches).toBeGreaterThan(whole.batches)
    const ends = whole.events.filter((e) => e.type === 'transaction-end')
    expect(ends).toHaveLength(4)
  })

  it('stops early without reading the rest (the generator closes the stream in finally)', async () => {
    let seen = 0
    for await (const batch of readX12File(multi, { chunkSize: 16 })) {
      seen += batch.length
      break
    }
    expect(seen).toBeGreaterThan(0)
  })

  it('stops with the abort reason between chunks when the signal is aborted', async () => {
    const before = new AbortController()
    before.abort(new Error('stopped before'))
    await expect(collect(readX12File(multi, { signal: before.signal }))).rejects.toThrow('stopped before')

    const during = new AbortController()
    let batches = 0
    const reading = (async () => {
      for await (const _batch of readX12File(multi, { chunkSize: 64, signal: during.signal })) {
        batches++
        if (batches === 2) during.abort(new Error('stopped during'))
      }
    })()
    await expect(reading).rejects.toThrow('stopped during')
    expect(batches).toBe(2)
  })

  it('rejects a missing file with ENOENT', async () => {
    await expect(
      collect(readX12File(path.join(repoRoot, 'fixtures/no-such-file.x12'))),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    })
  })
})
