import { describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import {
  readStoredClaim837,
  StoredClaim837Writer,
  toStoredClaim837,
} from '../../../parsers/claim837/claim837-stored-form.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { corpusEntries, fixtureFiles } from '../../support/x12-files.js'

/** The claims of a file (an unreadable file gives none). */
async function claimsOf(path: string, segmentText = false): Promise<Claim837[]> {
  const claims: Claim837[] = []
  try {
    for await (const events of readX12File(path, { segmentText }))
      for (const event of events) if (event.type === 'claim837') claims.push(event.claim)
  } catch {
    // A file the reader refuses has no claim to store.
  }
  return claims
}

/** The claim without positions: the stored form counts them from its own text. */
function withoutPositions(claim: Claim837): unknown {
  return JSON.parse(
    JSON.stringify(claim, (key, value: unknown) =>
      key === 'position' || key === 'offset' || key === 'index' || key === 'stIndex' ? undefined : value,
    ),
  )
}

async function expectRoundTrips(files: readonly string[]): Promise<number> {
  let count = 0
  for (const file of files) {
    // One writer for the whole file, as the ingest uses it: what it reuses from one claim to the
    // next must give the same text as each claim's stored form made alone.
    const writer = new StoredClaim837Writer()
    // The ingest reads with the segments' text kept (`segmentText`), which the writer takes instead
    // of joining their elements: the same text.
    const read = await claimsOf(file, true)
    const claims = await claimsOf(file)
    expect(read.length, file).toBe(claims.length)
    for (const [i, claim] of claims.entries()) {
      const stored = toStoredClaim837(claim)
      expect(writer.write(read[i] as Claim837), `${file} ${claim.claimId} (writer)`).toEqual(stored)
      expect(withoutPositions(readStoredClaim837(stored)), `${file} ${claim.claimId}`).toEqual(
        withoutPositions(claim),
      )
      count++
    }
  }
  return count
}

describe('the stored form of an 837 claim', () => {
  it('is the claim’s own segments as text, a fraction of its JSON', async () => {
    const [claim] = await claimsOf(fixtureFiles().find((f) => f.endsWith('837p-oncology.x12')) ?? '')
    if (claim === undefined) throw new Error('fixture claim missing')
    const stored = toStoredClaim837(claim)
    expect(stored.x12).toMatch(/^BHT\*0019\*00\*RB20260120A\*20260120\*0930\*CH~NM1\*41\*2\*/)
    expect(stored.x12).toContain('~HL*2*1*22*0~SBR*P*18*******MB~')
    expect(stored.x12).toContain('~CLM*ONC-P-1001*1540***11:B:1*Y*A*Y*Y~REF*G1*PA26000118~')
    expect(JSON.parse(stored.envelope)).toMatchObject({
      envelope: { senderId: 'RIVERBENDONC', implementation: '005010X222A1' },
      delimiters: { element: '*', component: ':', repetition: '^', segment: '~' },
    })
    expect(stored.x12.length + stored.envelope.length).toBeLessThan(JSON.stringify(claim).length / 4)
  })

  it('gives back every fixture claim as the reader built it (positions aside)', async () => {
    expect(await expectRoundTrips(fixtureFiles())).toBeGreaterThan(20)
  })

  const corpus = corpusEntries().filter((e) => e.type.startsWith('837'))
  it('gives back every 837 claim of the external corpus', async () => {
    if (corpus.length === 0) {
      console.log('external corpus not found (../shared/corpus/external): corpus round trip not run')
      return
    }
    expect(await expectRoundTrips(corpus.map((e) => e.path))).toBeGreaterThan(10)
  }, 60_000)
})
