import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { writeClaims837 } from '../../../parsers/claim837/claim837-writer.js'
import type { Config } from '../../../src/config.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { toReplacementClaim } from '../../../src/rework/corrected-claim.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from '../cli/cli-support.js'

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

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

for (const engine of engines) {
  describe(`queue corrected-claim writes the file and its audit event together [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    let itemId = 0
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      await cli(config, ['payers', 'import', join(E2E, 'payers.csv')])
      const ingest = await cli(config, [
        'ingest',
        ...['837p-commercial-2026-01.x12', '835-commercial-2026-02-05.x12'].map((n) => join(E2E, n)),
      ])
      expect(ingest.code, ingest.stderr).toBe(0)
      const items = JSON.parse((await cli(config, ['queue', 'list', '--json'])).stdout) as { id: number }[]
      itemId = items[0]?.id ?? 0
      expect(itemId).toBeGreaterThan(0)
    })
    afterAll(() => cleanup())

    const writtenEvents = async (): Promise<number> => {
      const show = await cli(config, ['queue', 'show', String(itemId), '--json'])
      const detail = JSON.parse(show.stdout) as { history: { action: string }[] }
      return detail.history.filter((h) => h.action === 'corrected_claim_written').length
    }

    it('a failed write exits 2 with a coded one-line error and records no event', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrected-cli-'))
      const folder = join(dir, 'a-folder')
      mkdirSync(folder)
      for (const out of [join(dir, 'missing', 'c.x12'), folder, '/proc/version']) {
        const result = await cli(config, ['queue', 'corrected-claim', String(itemId), '--out', out])
        expect(result.code, out).toBe(2)
        expect(result.stderr).toMatch(new RegExp(`^CLI_UNWRITABLE_OUTPUT: Cannot write ${out}: .+\\n$`))
        expect(result.stdout).toBe('')
      }
      expect(await writtenEvents()).toBe(0)
      // No temporary file is left behind.
      expect(readdirSync(dir)).toEqual(['a-folder'])
      expect(readdirSync(folder)).toEqual([])
    })

    it('a successful write records one event naming the ISA13, and two writes get increasing ISA13s', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrected-cli-'))
      const isa13 = async (name: string): Promise<number> => {
        const out = join(dir, name)
        const result = await cli(config, ['queue', 'corrected-claim', String(itemId), '--out', out])
        expect(result.code, result.stderr).toBe(0)
        const text = readFileSync(out, 'utf8')
        expect(text).toContain('REF*F8*')
        return Number(text.split('*')[13])
      }
      const first = await isa13('first.x12')
      const second = await isa13('second.x12')
      expect(second).toBeGreaterThan(first)
      expect(await writtenEvents()).toBe(2)
      const detail = JSON.parse((await cli(config, ['queue', 'show', String(itemId), '--json'])).stdout) as {
        history: { action: string; note: string }[]
      }
      expect(detail.history.filter((h) => h.action === 'corrected_claim_written').map((h) => h.note)).toEqual(
        [
          expect.stringContaining(`ISA13 ${String(first).padStart(9, '0')}`),
          expect.stringContaining(`ISA13 ${String(second).padStart(9, '0')}`),
        ],
      )
    })
  })
}
