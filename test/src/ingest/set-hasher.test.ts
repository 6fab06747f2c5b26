import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../../parsers/x12/segment.js'
import { SetHasher } from '../../../src/ingest/set-hasher.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { corpusEntries, fixtureFiles } from '../../support/x12-files.js'
import { e2eText } from './fixture-edit.js'

/**
 * The set identity as defined (and stored in transaction_set.content_sha256): SHA-256 of ISA06
 * trimmed, US, ST01, RS, then each segment between ST and SE as its elements joined by US and
 * followed by RS. Stored identities must not change: a resend is recognized by them.
 */
class ReferenceHasher {
  #sender = ''
  #text: string | undefined
  #stOffset = -1
  readonly digests = new Map<number, string>()

  push(segment: Segment): void {
    if (segment.id === 'ISA') {
      this.#sender = (segment.elements[6] ?? '').trim()
      this.#text = undefined
    } else if (segment.id === 'ST') {
      this.#text = `${this.#sender}\u001f${segment.elements[1] ?? ''}\u001e`
      this.#stOffset = segment.offset
    } else if (this.#text === undefined) {
    } else if (segment.id === 'SE') {
      this.digests.set(this.#stOffset, createHash('sha256').update(this.#text).digest('hex'))
      this.#text = undefined
    } else if (segment.id === 'GE' || segment.id === 'GS' || segment.id === 'IEA') this.#text = undefined
    else this.#text += `${segment.elements.join('\u001f')}\u001e`
  }
}

/**
 * Sets hashed by {@link SetHasher}, each checked against {@link ReferenceHasher}: with the
 * segments' text kept (`segmentText`, as an 837's ingest reads: the hasher reads the text then) and
 * without it (the elements).
 */
async function compare(path: string): Promise<number> {
  const sets = await compareReading(path, false)
  expect(await compareReading(path, true)).toBe(sets)
  return sets
}

async function compareReading(path: string, segmentText: boolean): Promise<number> {
  const hasher = new SetHasher()
  const reference = new ReferenceHasher()
  let sets = 0
  try {
    const reading = readX12File(path, {
      segmentText,
      onSegment: (segment) => {
        hasher.push(segment)
        reference.push(segment)
      },
    })
    for await (const events of reading)
      for (const event of events) {
        if (event.type !== 'transaction-end') continue
        const offset = event.envelope.position.offset
        expect(hasher.take(offset), `${path} set at ${offset}, segmentText ${segmentText}`).toBe(
          reference.digests.get(offset),
        )
        sets++
      }
  } catch (error) {
    // A file the reader refuses has no set to store; any other failure is the test's.
    if (!(error instanceof Error && 'code' in error)) throw error
  }
  return sets
}

describe('SetHasher', () => {
  it('gives every fixture set the identity as defined', async () => {
    let sets = 0
    for (const file of fixtureFiles()) if (/\.(x12|edi|txt|837|835)$/i.test(file)) sets += await compare(file)
    expect(sets).toBeGreaterThan(20)
  })

  it('hashes non-ASCII text as UTF-8, and elements larger than its buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'set-hasher-'))
    const path = join(dir, 'awkward.837')
    const text = e2eText('837p-medicare-2026-01.x12')
      .replace('NM1*IL*1*TESTPATIENT', 'NM1*IL*1*TÉST漢😀PATIENT')
      .replace('PER*IC*BILLING OFFICE', `PER*IC*${'B'.repeat(70_000)}É${'C'.repeat(30_000)}`)
    writeFileSync(path, text)
    expect(await compare(path)).toBe(1)
    // Only ASCII, with a segment larger than the buffer and sets that fill it several times.
    const ascii = join(dir, 'ascii.837')
    writeFileSync(
      ascii,
      e2eText('837p-medicare-2026-01.x12').replace('PER*IC*BILLING OFFICE', `PER*IC*${'B'.repeat(70_000)}`),
    )
    expect(await compare(ascii)).toBe(1)
  })

  const corpus = corpusEntries()
  it('gives every set of the external corpus the identity as defined', async () => {
    if (corpus.length === 0) {
      console.log('external corpus not found (../shared/corpus/external): corpus identities not compared')
      return
    }
    let sets = 0
    for (const entry of corpus) sets += await compare(entry.path)
    expect(sets).toBeGreaterThan(10)
  }, 120_000)
})
