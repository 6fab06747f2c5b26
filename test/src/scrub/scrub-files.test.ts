import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { OutputFileError } from '../../../src/output-file.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { projectRoot } from '../../../src/project-root.js'
import { parseAuthorizationsCsv } from '../../../src/scrub/authorization-csv.js'
import { loadScrubReference } from '../../../src/scrub/load-scrub-reference.js'
import type { ScrubFileResult } from '../../../src/scrub/scrub-files.js'
import { formatScrubSummary, scrubFiles } from '../../../src/scrub/scrub-files.js'
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
/** The control-number counter of the runs that do not store themselves (an in-memory PGlite). */
let counter: DatabaseHandle
beforeAll(async () => {
  const loaded = await loadCodeTableRecordsFromFiles(join(root, 'fixtures/codes'))
  codes = createCodeTableSet(loaded)
  reference = loadScrubReference()
  counter = await openDatabase({})
})
afterAll(async () => {
  await counter.close()
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
      controlNumbers: counter.db,
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
        'file',
        'isa13',
        'st02',
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
      controlNumbers: counter.db,
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
      controlNumbers: counter.db,
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
      controlNumbers: counter.db,
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
      controlNumbers: counter.db,
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
      controlNumbers: counter.db,
    })
    expect(summary.quarantinedSets).toBe(1)
    expect(summary.files[0]?.quarantined[0]?.issues.map((i) => i.code)).toContain('X12_SE_COUNT')
    expect(summary.claims).toBe(0)
    expect(summary.exitCode).toBe(1)
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toMatch(
      /^ {4}se-count\.x12 ISA13 \d{9} ST02 \d+: quarantined, \d+ claims not scrubbed: X12_SE_COUNT at SE01 \(segment/m,
    )
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
        controlNumbers: db,
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

describe('scrubFiles: one file never stops the others', () => {
  /** A folder with the bad inputs of a real batch. */
  function badInputs(): Record<'utf16' | 'binary' | 'text' | 'folder' | 'missing', string> {
    const dir = out()
    const utf16 = join(dir, 'utf16.x12')
    writeFileSync(utf16, Buffer.from(`\ufeff${readFileSync(P837, 'utf8')}`, 'utf16le'))
    const binary = join(dir, 'binary.x12')
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))
    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'Claims for January: see the attached spreadsheet.\n')
    const folder = join(dir, 'a-folder.x12')
    mkdirSync(folder)
    return { utf16, binary, text, folder, missing: join(dir, 'missing.x12') }
  }

  it('reports each file as it finishes, writes the readable ones and exits with the worst outcome', async () => {
    const bad = badInputs()
    const dir = out()
    const seen: ScrubFileResult[] = []
    const summary = await scrubFiles({
      files: [bad.utf16, P837, bad.binary, bad.folder, bad.text, bad.missing, I837],
      outDir: dir,
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      authorizations: sampleAuths(),
      controlNumbers: counter.db,
      onFile: (r) => seen.push(r),
    })
    expect(seen).toEqual(summary.files)
    const byFile = Object.fromEntries(summary.files.map((r) => [r.file, r]))
    expect(Object.keys(byFile).sort()).toEqual(
      [
        'utf16.x12',
        '837p-oncology.x12',
        'binary.x12',
        'a-folder.x12',
        'notes.txt',
        'missing.x12',
        '837i-oncology.x12',
      ].sort(),
    )
    // Unreadable files finish first (the first pass finds them), each with its code.
    expect(summary.files.slice(0, 5).every((r) => r.status === 'unreadable')).toBe(true)
    expect(byFile['utf16.x12']?.error).toMatchObject({ code: 'X12_NO_ISA', position: { offset: 0 } })
    expect(byFile['utf16.x12']?.error?.message).toMatch(/UTF-16/)
    expect(byFile['binary.x12']?.error?.code).toMatch(/^X12_(NO_ISA|BAD_ISA)$/)
    expect(byFile['notes.txt']?.error?.code).toBe('X12_NO_ISA')
    expect(byFile['a-folder.x12']?.error).toMatchObject({ code: 'CLI_UNREADABLE_INPUT' })
    expect(byFile['a-folder.x12']?.error?.message).toBe('Cannot read a-folder.x12: it is a folder (EISDIR)')
    expect(byFile['missing.x12']?.error?.message).toBe(
      'Cannot read missing.x12: no such file or folder (ENOENT)',
    )
    expect(byFile['utf16.x12']?.exitCode).toBe(1)
    expect(byFile['a-folder.x12']?.exitCode).toBe(2)
    expect(byFile['837p-oncology.x12']).toMatchObject({
      status: 'scrubbed',
      accepted: 4,
      rejected: 0,
      exitCode: 0,
    })
    expect(byFile['837i-oncology.x12']).toMatchObject({
      status: 'scrubbed',
      accepted: 2,
      rejected: 0,
      exitCode: 0,
    })
    expect([summary.claims, summary.unreadable, summary.exitCode]).toEqual([6, 5, 2])
    expect((await reread(join(dir, 'accepted.x12'))).claims).toHaveLength(6)
    // Every summary.txt line about a file, set or claim names its file.
    const text = readFileSync(join(dir, 'summary.txt'), 'utf8')
    expect(text).toMatch(
      /^ {2}utf16\.x12: unreadable: X12_NO_ISA at \(segment 0, byte 0\): The input .*UTF-16/m,
    )
    expect(text).toContain(
      '  a-folder.x12: unreadable: CLI_UNREADABLE_INPUT: Cannot read a-folder.x12: it is a folder (EISDIR)',
    )
    expect(text).toContain('  837p-oncology.x12: scrubbed: 4 accepted / 0 rejected (0 errors, ')
    expect(text).toMatch(/^ {2}X12_NO_ISA ×3, first at utf16\.x12 \(segment 0, byte 0\)$/m)
    expect(text).toBe(formatScrubSummary(summary))
  })

  it('exits 1 (errors in the data) when the only unreadable files are not X12', async () => {
    const bad = badInputs()
    const summary = await scrubFiles({
      files: [bad.utf16, bad.text, P837],
      outDir: out(),
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      authorizations: sampleAuths(),
      controlNumbers: counter.db,
    })
    expect(summary.files.map((r) => [r.file, r.status, r.exitCode])).toEqual([
      ['utf16.x12', 'unreadable', 1],
      ['notes.txt', 'unreadable', 1],
      ['837p-oncology.x12', 'scrubbed', 0],
    ])
    expect(summary.exitCode).toBe(1)
  })

  it('names the file, interchange, set and claim of every finding; groups repeated codes across files', async () => {
    const dir = out()
    // Two files with the same CLM01s: findings tell them apart by file.
    const copy = join(dir, 'resent.x12')
    writeFileSync(copy, readFileSync(P837))
    const a = join(dir, 'a.x12')
    const b = join(dir, 'b.x12')
    writeFileSync(a, readFileSync(join(root, 'fixtures/invalid/se-count.x12')))
    writeFileSync(b, readFileSync(join(root, 'fixtures/invalid/se-count.x12')))
    const summary = await scrubFiles({
      files: [P837, copy, a, b],
      outDir: join(dir, 'out'),
      asOf: '2026-02-10',
      fix: false,
      codes,
      reference,
      controlNumbers: counter.db,
    })
    const findings = readFileSync(join(dir, 'out', 'findings.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const original = (await reread(P837)).claims
    const envelope = original[0]?.envelope
    expect(new Set(findings.map((f) => f.file))).toEqual(new Set(['837p-oncology.x12', 'resent.x12']))
    for (const f of findings) {
      expect(f.isa13).toBe(envelope?.interchangeControl)
      expect(f.st02).toBe(envelope?.transactionControl)
      expect(original.map((c) => c.claimId)).toContain(f.claimId)
    }
    expect(findings.filter((f) => f.file === 'resent.x12')).toHaveLength(findings.length / 2)
    expect(summary.issueCodes).toEqual([
      expect.objectContaining({ code: 'X12_SE_COUNT', count: 2, file: 'a.x12' }),
    ])
    const text = readFileSync(join(dir, 'out', 'summary.txt'), 'utf8')
    expect(text).toMatch(
      /^ {2}X12_SE_COUNT ×2, first at a\.x12 SE01 \(segment \d+, ST segment \d+, byte \d+\)$/m,
    )
    expect(text).toMatch(/^ {2}resent\.x12: ONC-P-1003 +REJECTED/m)
    expect(text).toMatch(/^ {2}auth-missing .* claims, first 837p-oncology\.x12 ONC-P-1003$/m)
  })

  it('numbers every output interchange from the persisted counter: two runs, different and increasing ISA13s', async () => {
    const isa13s = async (): Promise<{ isa13: string[]; gs06: string[]; st02: string[] }> => {
      const dir = out()
      await scrubFiles({
        files: [P837, I837],
        outDir: dir,
        asOf: '2026-02-10',
        fix: false,
        codes,
        reference,
        controlNumbers: counter.db,
        envelope: { isa06: 'ONCOCLINIC', isa08: 'CLEARINGHOUSE1', gs03: 'CH1APP' },
      })
      const text = `${readFileSync(join(dir, 'accepted.x12'), 'utf8')}${readFileSync(join(dir, 'rejected.x12'), 'utf8')}`
      const segments = text.split('~\n')
      for (const isa of segments.filter((s) => s.startsWith('ISA*')))
        expect(isa.split('*').slice(5, 9)).toEqual(['ZZ', 'ONCOCLINIC     ', 'ZZ', 'CLEARINGHOUSE1 '])
      for (const gs of segments.filter((s) => s.startsWith('GS*')))
        expect(gs.split('*').slice(2, 4)).toEqual(['ONCOCLINIC', 'CH1APP'])
      expect((await reread(join(dir, 'accepted.x12'))).issues).toBe(0)
      const pick = (id: string, n: number) =>
        segments.filter((s) => s.startsWith(`${id}*`)).map((s) => s.split('*')[n] ?? '')
      return { isa13: pick('ISA', 13), gs06: pick('GS', 6), st02: pick('ST', 2) }
    }
    const first = await isa13s()
    const second = await isa13s()
    // Two input sets: the 837P split into an accepted and a rejected interchange, the 837I (Medicare
    // Part A, no prior authorization needed for J9271) all accepted.
    expect(first.isa13).toHaveLength(3)
    const all = [...first.isa13, ...second.isa13].map(Number)
    expect(new Set(all).size).toBe(all.length)
    expect(Math.min(...second.isa13.map(Number))).toBeGreaterThan(Math.max(...first.isa13.map(Number)))
    const groups = [...first.gs06, ...second.gs06]
    const sets = [...first.st02, ...second.st02]
    expect(new Set(groups).size).toBe(groups.length)
    expect(new Set(sets).size).toBe(sets.length)
  })

  it('refuses an output folder that is a file or cannot be made, with CLI_UNWRITABLE_OUTPUT naming it', async () => {
    const dir = out()
    const file = join(dir, 'regular.txt')
    writeFileSync(file, 'x')
    for (const outDir of [file, join(file, 'sub'), '/proc/onco-edi-scrub-test/out']) {
      const error = await scrubFiles({
        files: [P837],
        outDir,
        asOf: '2026-02-10',
        fix: false,
        codes,
        reference,
        controlNumbers: counter.db,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OutputFileError)
      expect(error).toMatchObject({ code: 'CLI_UNWRITABLE_OUTPUT', path: outDir })
      expect(String((error as Error).message)).toContain(outDir)
    }
  })
})
