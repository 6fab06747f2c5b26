import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { writeClaims837 } from '../../../parsers/claim837/claim837-writer.js'
import type { Config } from '../../../src/config.js'
import { databaseOptionsFromConfig, openDatabase } from '../../../src/db/create-database.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import {
  buildCorrectedClaim,
  previewCorrectedClaim,
  toReplacementClaim,
} from '../../../src/rework/corrected-claim.js'
import { CorrectionError } from '../../../transforms/corrections/correction-error.js'
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
  describe(`queue corrected-claim edits, re-scrubs, writes and audits [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    let itemId = 0
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      await cli(config, ['payers', 'import', join(E2E, 'payers.csv')])
      const ingest = await cli(config, [
        'ingest',
        ...['837p-medicare-2026-01.x12', '835-medicare-2026-02-02.x12'].map((n) => join(E2E, n)),
      ])
      expect(ingest.code, ingest.stderr).toBe(0)
      const items = JSON.parse((await cli(config, ['queue', 'list', '--json'])).stdout) as {
        id: number
        claimId: string
      }[]
      // E2E-P-003: denied CO-4; its J9045 line (2) was sent without JW or JZ.
      itemId = items.find((i) => i.claimId === 'E2E-P-003')?.id ?? 0
      expect(itemId).toBeGreaterThan(0)
    })
    afterAll(() => cleanup())

    const history = async (): Promise<{ action: string; note: string; actor: string }[]> => {
      const show = await cli(config, ['queue', 'show', String(itemId), '--json'])
      const detail = JSON.parse(show.stdout) as { history: { action: string; note: string; actor: string }[] }
      return detail.history.filter((h) => h.action === 'corrected_claim_written')
    }
    const FIX = ['--set', '2.modifiers=JZ']

    it('refuses a corrected claim that still has scrub errors: exit 1, the errors listed, nothing written', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrected-cli-'))
      const out = join(dir, 'c.x12')
      for (const extra of [['--apply-fixes'], ['--set', '1.units=1']]) {
        const result = await cli(config, ['queue', 'corrected-claim', String(itemId), '--out', out, ...extra])
        expect(result.code, result.stderr).toBe(1)
        expect(result.stderr).toMatch(
          new RegExp(
            `^CORRECTION_SCRUB_ERRORS: The corrected claim of item ${itemId} \\(claim E2E-P-003\\) still has 1 scrub error\\(s\\): jw-jz-modifier line 2: J9045 .*has neither JW nor JZ\\n$`,
          ),
        )
        expect(result.stdout).toBe('')
      }
      expect(readdirSync(dir)).toEqual([])
      expect(await history()).toEqual([])
    })

    it('refuses an edit it cannot use with CORRECTION_BAD_EDIT, exit 2', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'corrected-cli-')), 'c.x12')
      const bad = await cli(config, [
        'queue',
        'corrected-claim',
        String(itemId),
        '--out',
        out,
        '--set',
        '2.mods=JZ',
      ])
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'CORRECTION_BAD_EDIT: Expected FIELD to be one of code, modifiers, units, ndc, ndcQuantity, ndcUnit in "2.mods=JZ", got "mods"\n',
      ])
      const missing = await cli(config, [
        'queue',
        'corrected-claim',
        String(itemId),
        '--out',
        out,
        '--set',
        '7.units=2',
      ])
      expect([missing.code, missing.stderr]).toEqual([
        2,
        'CORRECTION_BAD_EDIT: Claim E2E-P-003 has no service line 7 (lines 1, 2)\n',
      ])
    })

    it('a failed write exits 2 with a coded one-line error and records no event', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrected-cli-'))
      const folder = join(dir, 'a-folder')
      mkdirSync(folder)
      for (const out of [join(dir, 'missing', 'c.x12'), folder, '/proc/version']) {
        const result = await cli(config, ['queue', 'corrected-claim', String(itemId), '--out', out, ...FIX])
        expect(result.code, out).toBe(2)
        expect(result.stderr).toMatch(new RegExp(`^CLI_UNWRITABLE_OUTPUT: Cannot write ${out}: .+\\n$`))
        expect(result.stdout).toBe('')
      }
      expect(await history()).toEqual([])
      // No temporary file is left behind.
      expect(readdirSync(dir)).toEqual(['a-folder'])
      expect(readdirSync(folder)).toEqual([])
    })

    it('writes the edited claim once it scrubs clean; the event names the ISA13 and the change, no PHI', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrected-cli-'))
      const isa13 = async (name: string): Promise<number> => {
        const out = join(dir, name)
        const result = await cli(config, [
          'queue',
          'corrected-claim',
          String(itemId),
          '--out',
          out,
          '--apply-fixes',
          ...FIX,
          '--user',
          'maria',
        ])
        expect(result.code, result.stderr).toBe(0)
        expect(result.stdout).toBe(
          `wrote a frequency-7 replacement of claim E2E-P-003 (REF*F8 MCR26020003) to ${out}\n  line 2 modifiers: "" -> "JZ" (set)\n`,
        )
        const text = readFileSync(out, 'utf8')
        expect(text).toContain('CLM*E2E-P-003*700***11:B:7')
        expect(text).toContain('REF*F8*MCR26020003~')
        expect(text).toContain('SV1*HC:J9045:JZ*300*UN*10*')
        return Number(text.split('*')[13])
      }
      const first = await isa13('first.x12')
      const second = await isa13('second.x12')
      expect(second).toBeGreaterThan(first)
      const events = await history()
      expect(events.map((e) => [e.actor, e.note])).toEqual(
        [first, second].map((n) => [
          'maria',
          `frequency-7 replacement with REF*F8 MCR26020003, ISA13 ${String(n).padStart(9, '0')}; line 2 modifiers "" -> "JZ" (set)`,
        ]),
      )
    })

    it('previewCorrectedClaim and buildCorrectedClaim are what the web app calls', async () => {
      const handle = await openDatabase(databaseOptionsFromConfig(config))
      try {
        const before = await history()
        const plain = await previewCorrectedClaim(handle.db, itemId)
        expect([plain.claimId, plain.payerClaimNumber, plain.changes]).toEqual([
          'E2E-P-003',
          'MCR26020003',
          [],
        ])
        expect(plain.errors.map((f) => [f.rule, f.line])).toEqual([['jw-jz-modifier', 2]])
        const edited = await previewCorrectedClaim(handle.db, itemId, {
          set: [{ line: 2, field: 'modifiers', value: 'jz' }],
        })
        expect(edited.errors).toEqual([])
        expect(edited.claim.lines[1]?.modifiers).toEqual(['JZ'])
        // A preview records nothing.
        expect(await history()).toEqual(before)

        const refused = await buildCorrectedClaim(handle.db, itemId, {
          user: 'web',
          date: '2026-03-01',
        }).catch((error: unknown) => error)
        expect(refused).toBeInstanceOf(CorrectionError)
        expect((refused as CorrectionError).code).toBe('CORRECTION_SCRUB_ERRORS')
        expect((refused as CorrectionError).findings.map((f) => f.rule)).toEqual(['jw-jz-modifier'])

        const built = await buildCorrectedClaim(handle.db, itemId, {
          user: 'web',
          date: '2026-03-01',
          set: ['2.modifiers=JZ'],
        })
        expect(built.x12).toContain('SV1*HC:J9045:JZ*')
        expect(built.changes).toEqual([{ line: 2, field: 'modifiers', before: '', after: 'JZ', by: 'set' }])
        expect(built.findings.filter((f) => f.severity === 'error')).toEqual([])
      } finally {
        await handle.close()
      }
      expect((await history()).at(-1)?.actor).toBe('web')
    })
  })
}
