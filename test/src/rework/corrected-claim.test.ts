import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { writeClaims837 } from '../../../parsers/claim837/claim837-writer.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { toReplacementClaim } from '../../../src/rework/corrected-claim.js'

async function claimsOf(path: string): Promise<{ claims: Claim837[]; quarantined: boolean[] }> {
  const claims: Claim837[] = []
  const quarantined: boolean[] = []
  for await (const events of readX12File(path)) {
    for (const event of events) {
      if (event.type === 'claim837') claims.push(event.claim)
      if (event.type === 'transaction-end') quarantined.push(event.quarantined)
    }
  }
  return { claims, quarantined }
}

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'x12', '837p-oncology.x12')

describe('toReplacementClaim', () => {
  it('sets CLM05-3 = 7 and inserts REF*F8 after REF*G1, before HI', async () => {
    const { claims } = await claimsOf(FIXTURE)
    const original = claims.find((c) => c.claimId === 'ONC-P-1001')
    if (original === undefined) throw new Error('fixture claim missing')
    const replacement = toReplacementClaim(original, 'PCN123')
    const ids = replacement.source.body.slice(0, 4).map((s) => s.elements.slice(0, 3).join('*'))
    expect(ids).toEqual([
      'CLM*ONC-P-1001*1540',
      'REF*G1*PA26000118',
      'REF*F8*PCN123',
      'HI*ABK:Z5111*ABF:C3411',
    ])
    expect(replacement.source.body[0]?.elements[5]).toBe('11:B:7')
    // The stored claim is not changed.
    expect(original.source.body[0]?.elements[5]).toBe('11:B:1')
    expect(original.source.body.some((s) => s.elements[1] === 'F8')).toBe(false)
  })

  it('replaces an existing REF*F8 instead of adding a second one', async () => {
    const { claims } = await claimsOf(FIXTURE)
    const original = claims.find((c) => c.claimId === 'ONC-P-1002')
    if (original === undefined) throw new Error('fixture claim missing')
    const replacement = toReplacementClaim(original, 'NEWPCN')
    const refs = replacement.source.body.filter((s) => s.id === 'REF' && s.elements[1] === 'F8')
    expect(refs.map((s) => s.elements[2])).toEqual(['NEWPCN'])
  })

  it('writes an 837 that reads back as a valid frequency-7 claim with REF*F8', async () => {
    const { claims } = await claimsOf(FIXTURE)
    const original = claims.find((c) => c.claimId === 'ONC-P-1001')
    if (original === undefined) throw new Error('fixture claim missing')
    const x12 = writeClaims837([toReplacementClaim(original, 'PCN123')], {
      senderId: original.envelope.senderId,
      receiverId: original.envelope.receiverId,
      interchangeControl: 7,
      date: '2026-03-01',
    })
    const path = join(mkdtempSync(join(tmpdir(), 'corrected-')), 'corrected.x12')
    writeFileSync(path, x12)
    const read = await claimsOf(path)
    expect(read.quarantined).toEqual([false])
    expect(
      read.claims.map((c) => [c.claimId, c.frequencyCode, c.payerClaimControlNumber, c.lines.length]),
    ).toEqual([['ONC-P-1001', '7', 'PCN123', original.lines.length]])
  })
})
