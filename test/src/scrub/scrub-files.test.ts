import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { projectRoot } from '../../../src/project-root.js'
import { parseAuthorizationsCsv } from '../../../src/scrub/authorization-csv.js'
import { loadScrubReference } from '../../../src/scrub/load-scrub-reference.js'
import { scrubFiles } from '../../../src/scrub/scrub-files.js'
import { loadLedgerLines, saveAuthorizations } from '../../../src/scrub/scrub-repository.js'
import type { CodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import { createCodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import type { ScrubReference } from '../../../transforms/scrub/scrub-reference.js'
import { describeEachDatabase } from '../../support/databases.js'

const root = projectRoot()
const P837 = join(root, 'fixtures/x12/837p-oncology.x12')
const I837 = join(root, 'fixtures/x12/837i-oncology.x12')
const sampleAuths = () =>
  parseAuthorizationsCsv(readFileSync(join(root, 'fixtures/auths/sample-auths.csv'), 'utf8')).authorizations

let codes: CodeTableSet
let reference: ScrubReference
beforeAll(async () => {
  const loaded = await loadCodeTableRecordsFromFiles(join(root, 'fixtures/codes'))
  codes = createCodeTableSet(loaded)
  reference = loadScrubReference()
})

/** Re-reads an output file: every set must pass the reader's envelope checks. */
async function reread(path: string): Promise<{ claims: Claim837[]; quarantined: number; issues: number }> {
  const claims: Claim837[] = []
  let quarantined = 0
  let issues = 0
  for await (const events of readX12File(path))
    for (const event of events) {
      if (event.type === 'claim837') claims.push(event.claim)
      if (event.type === 'transaction-end' && event.quarantined) quarantined++
      if (event.type === 'interchange-end')
        issues += event.issues.filter((i) => i.severity === 'error').length
      if (event.type === 'issue' && event.issue.severity === 'error') issues++
    }
  return { claims, quarantined, issues }
}

const out = () => mkdtempSync(join(tmpdir(), 'scrub-'))

describe('scrubFiles', () => {
  it('splits the fixture 837s: accepted.x12 re-parses with valid envelopes and holds only clean claims', async () => {
    const dir = out()
    const summary = await scrubFiles({
      files: [P837, I837],
      outDir: dir,
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
    })
    expect(summary.claims).toBe(6)
    const rejectedIds = summary.flaggedClaims.filter((c) => !c.accepted).map((c) => c.claimId)
    // Without tracked authorizations, the commercial (99045) J9271 claims lack one
    // (auth-required-drugs.csv); the Medicare Part A claim ONC-I-2002 needs none for J9271.
    expect(rejectedIds.sort()).toEqual(['ONC-P-1003', 'ONC-P-1004'])
    const accepted = await reread(join(dir, 'accepted.x12'))
    expect(accepted.quarantined + accepted.issues).toBe(0)
    expect(accepted.claims.map((c) => c.claimId).sort()).toEqual([
      'ONC-I-2001',
      'ONC-I-2002',
      'ONC-P-1001',
      'ONC-P-1002',
    ])
    // The fixtures are test data (ISA15 = T): the output must not claim to be production.
    expect(new Set(accepted.claims.map((c) => c.envelope.usageIndicator))).toEqual(new Set(['T']))
    const rejected = await reread(join(dir, 'rejected.x12'))
    expect(rejected.quarantined + rejected.issues).toBe(0)
    expect(rejected.claims.map((c) => c.claimId).sort()).toEqual(rejectedIds.sort())
    // The writer keeps each claim's lines as they were.
    const original = accepted.claims.find((c) => c.claimId === 'ONC-P-1001')
    expect(original?.lines.map((l) => `${l.procedureCode}x${l.units}`)).toEqual([
      '96413x1',
      '96415x1',
      '96417x1',
      'J9267x300',
      'J9045x10',
      'J9045x2',
    ])
    const findings = readFileSync(join(dir, 'findings.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(findings).toHaveLength(summary.errors + summary.warnings)
    for (const f of findings)
      expect(Object.keys(f)).toEqual([
        'claimId',
        'line',
        'rule',
        'severity',
        'message',
        'position',
        'suggestion',
      ])
    const text = readFileSync(join(dir, 'summary.txt'), 'utf8')
    expect(text).toContain('auth-missing')
    expect(text).toContain('ONC-P-1003')
    expect(text).not.toContain('1EG4TE5MK72')
  })

  it('accepts every fixture claim once the sample authorizations are tracked', async () => {
    const dir = out()
    const summary = await scrubFiles({
      files: [P837, I837],
      outDir: dir,
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      authorizations: sampleAuths(),
    })
    expect(summary.flaggedClaims.filter((c) => !c.accepted)).toEqual([])
    expect((await reread(join(dir, 'accepted.x12'))).claims).toHaveLength(6)
    expect(readFileSync(join(dir, 'rejected.x12'), 'utf8')).toBe('')
  })

  it('--fix replaces a terminated J-code (units ×30) and pads an NDC, records both and re-scrubs', async () => {
    const dir = out()
    const broken = readFileSync(P837, 'utf8')
      .replace('HC:J9267:JZ*540*UN*300', 'HC:J9265:JZ*540*UN*10')
      .replace('LIN**N4*00703321801', 'LIN**N4*0703-3218-01')
    expect(broken).toContain('J9265')
    const file = join(dir, 'broken.x12')
    writeFileSync(file, broken)
    const before = await scrubFiles({
      files: [file],
      outDir: join(dir, 'nofix'),
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      authorizations: sampleAuths(),
    })
    expect(before.flaggedClaims.find((c) => c.claimId === 'ONC-P-1001')).toMatchObject({
      accepted: false,
      rules: ['jcode-valid-on-dos', 'ndc-format'],
    })
    const summary = await scrubFiles({
      files: [file],
      outDir: join(dir, 'fix'),
      asOf: '2026-02-10',
      fix: true,
      codes,
      reference,
      authorizations: sampleAuths(),
    })
    const fixes = readFileSync(join(dir, 'fix', 'fixes.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(fixes.map((f) => [f.claimId, f.rule, f.before, f.after])).toEqual([
      ['ONC-P-1001', 'jcode-valid-on-dos', { code: 'J9265', units: 10 }, { code: 'J9267', units: 300 }],
      ['ONC-P-1001', 'ndc-format', { ndc: '0703-3218-01' }, { ndc: '00703321801' }],
    ])
    expect(fixes[0].source).toMatch(/J9265/)
    expect(summary.fixes).toBe(2)
    const accepted = await reread(join(dir, 'fix', 'accepted.x12'))
    const fixed = accepted.claims.find((c) => c.claimId === 'ONC-P-1001')
    expect(fixed?.lines[3]).toMatchObject({
      procedureCode: 'J9267',
      units: 300,
      modifiers: ['JZ'],
      drug: { ndc: '00703321801', quantityText: '50' },
    })
  })

  it('flags an 837P that precedes the 837I for the same member and DOS in the batch (pro-facility-duplicate)', async () => {
    const dir = out()
    // The 837P's first patient becomes the 837I's patient, on the 837I's date of service.
    const pro = readFileSync(P837, 'utf8')
      .replaceAll('1EG4TE5MK72', '2EG4TE5MK73')
      .replaceAll('20260108', '20260112')
    const file = join(dir, 'pro.x12')
    writeFileSync(file, pro)
    const summary = await scrubFiles({
      files: [file, I837],
      outDir: dir,
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      authorizations: sampleAuths(),
    })
    const flagged = summary.flaggedClaims.find((c) => c.claimId === 'ONC-P-1001')
    expect(flagged).toMatchObject({ accepted: false })
    expect(flagged?.rules).toContain('pro-facility-duplicate')
    const findings = readFileSync(join(dir, 'findings.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const duplicates = findings.filter((f) => f.rule === 'pro-facility-duplicate')
    expect(duplicates.map((f) => [f.claimId, f.line])).toEqual([
      ['ONC-P-1001', 1],
      ['ONC-P-1001', 2],
      ['ONC-P-1001', 3],
      ['ONC-P-1001', 4],
      ['ONC-P-1001', 5],
      ['ONC-P-1001', 6],
    ])
    expect(duplicates[0].message).toContain('ONC-I-2001')
    // The 837I is the claim to keep.
    expect(summary.flaggedClaims.find((c) => c.claimId === 'ONC-I-2001')).toBeUndefined()
  })

  it('skips a quarantined transaction set and reports it', async () => {
    const dir = out()
    const summary = await scrubFiles({
      files: [join(root, 'fixtures/invalid/se-count.x12')],
      outDir: dir,
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
    })
    expect(summary.quarantined).toHaveLength(1)
    expect(summary.quarantined[0]?.issues.map((i) => i.code)).toContain('X12_SE_COUNT')
    expect(summary.claims).toBe(0)
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toContain('Quarantined')
  })
})

describeEachDatabase('scrubFiles with the database', (ctx) => {
  it('does not double-count authorization usage when the same claims are scrubbed again', async () => {
    const db = ctx.handle.db
    // 300 units: the second J9271 claim (200 + 200) exceeds it.
    const auths = sampleAuths().map((a) =>
      a.authNumber === 'EHPAUTH5521' ? { ...a, unitsAuthorized: 300 } : a,
    )
    await saveAuthorizations(db, auths)
    const run = async () => {
      const dir = out()
      const summary = await scrubFiles({
        files: [P837, I837],
        outDir: dir,
        asOf: '2026-02-10',
        fix: false,
        codes,
        reference,
        authorizations: auths,
        ledgerLines: await loadLedgerLines(db),
        db,
      })
      return { summary, findings: readFileSync(join(dir, 'findings.ndjson'), 'utf8') }
    }
    const first = await run()
    const ledgerAfterFirst = await loadLedgerLines(db)
    const second = await run()
    const ledgerAfterSecond = await loadLedgerLines(db)
    expect(first.summary.flaggedClaims.map((c) => [c.claimId, c.rules])).toEqual([
      ['ONC-P-1004', ['auth-out-of-scope']],
    ])
    expect(first.findings).toContain('400 (200 already billed + 200 on this claim)')
    expect(second.findings).toBe(first.findings)
    expect(ledgerAfterSecond).toEqual(ledgerAfterFirst)
    expect(new Set(ledgerAfterFirst.map((l) => l.claimId))).toEqual(
      new Set(['ONC-P-1001', 'ONC-P-1002', 'ONC-P-1003', 'ONC-I-2001', 'ONC-I-2002']),
    )
    const runs = await db.selectFrom('scrub_run').select(['claim_count', 'rejected_count']).execute()
    expect(runs).toEqual([
      { claim_count: 6, rejected_count: 1 },
      { claim_count: 6, rejected_count: 1 },
    ])
  })
})
