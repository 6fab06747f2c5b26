import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { fixturesDir } from '../../../src/project-root.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

/**
 * Scrub precision on prior authorization, by payer profile: claims for the bundled synthetic
 * payers, none with an authorization (no REF*G1, nothing tracked), each with one drug line.
 * Expected, from the profiles in fixtures/payers.csv and fixtures/scrub/auth-required-drugs.csv:
 * traditional Medicare never needs one; Medicaid only for its class list; commercial and
 * Medicare Advantage for theirs; a payer with no profile gets a warning, not an error.
 */
const SCENARIOS: { claimId: string; payerId: string; filing: string; code: string; expected: string[] }[] = [
  { claimId: 'MCR-J9271', payerId: 'SKMCR1', filing: 'MB', code: 'J9271', expected: [] },
  { claimId: 'MCR-J9035', payerId: 'MCR01', filing: 'MB', code: 'J9035', expected: [] },
  { claimId: 'MCD-J9271', payerId: 'SKMCD1', filing: 'MC', code: 'J9271', expected: [] },
  { claimId: 'MCD-J9035', payerId: 'SKMCD1', filing: 'MC', code: 'J9035', expected: ['error 1'] },
  { claimId: 'COM-J9271', payerId: 'COM01', filing: 'CI', code: 'J9271', expected: ['error 1'] },
  { claimId: 'MA-J9299', payerId: 'SKMA01', filing: '16', code: 'J9299', expected: ['error 1'] },
  { claimId: 'UNK-J9271', payerId: 'NOPROF9', filing: 'CI', code: 'J9271', expected: ['warning -'] },
]

const EXPECTED = Object.fromEntries(SCENARIOS.map((s) => [s.claimId, s.expected]))

/** One 837P interchange: a subscriber loop per scenario, each claim with one drug line (JZ and an NDC). */
function claimsFile(): string {
  const body: string[] = [
    'ST*837*0001*005010X222A1',
    'BHT*0019*00*PREC1*20260131*0900*CH',
    'NM1*41*2*EXAMPLE ONCOLOGY GROUP*****46*E2EONC',
    'PER*IC*BILLING OFFICE*TE*5555550100',
    'NM1*40*2*EXAMPLE CLEARINGHOUSE*****46*EXAMPLECH',
    'HL*1**20*1',
    'NM1*85*2*EXAMPLE ONCOLOGY GROUP*****XX*1548267313',
    'N3*100 EXAMPLE PARKWAY',
    'N4*SPRINGFIELD*IL*627010000',
    'REF*EI*990000001',
  ]
  SCENARIOS.forEach((s, index) => {
    // Medicaid requires NDCs and Medicare JW/JZ: both are given, so only authorization is in question.
    body.push(
      `HL*${index + 2}*1*22*0`,
      `SBR*P*18*******${s.filing}`,
      `NM1*IL*1*TESTPATIENT*CASE${index}****MI*PRECM00${index}`,
      'N3*1 EXAMPLE LANE',
      'N4*SPRINGFIELD*IL*627020000',
      'DMG*D8*19550101*F',
      `NM1*PR*2*PAYER ${s.payerId}*****PI*${s.payerId}`,
      `CLM*${s.claimId}*1000***11:B:1*Y*A*Y*Y`,
      'HI*ABK:C3411',
      'LX*1',
      `SV1*HC:${s.code}:JZ*1000*UN*10*11**1`,
      'DTP*472*D8*20260112',
      'LIN**N4*11111222233',
      'CTP****10*UN',
    )
  })
  body.push(`SE*${body.length + 1}*0001`)
  const text = [
    'ISA*00*          *00*          *ZZ*E2EONC         *ZZ*EXAMPLECH      *260131*0900*^*00501*000000901*0*T*:',
    'GS*HC*E2EONC*EXAMPLECH*20260131*0900*901*X*005010X222A1',
    ...body,
    'GE*1*901',
    'IEA*1*000000901',
  ]
  const path = join(mkdtempSync(join(tmpdir(), 'precision-')), 'claims.837')
  writeFileSync(path, `${text.join('~\n')}~\n`)
  return path
}

/** auth-missing findings per claim, as "severity line". */
function authFindings(outDir: string): Record<string, string[]> {
  const found: Record<string, string[]> = Object.fromEntries(SCENARIOS.map((s) => [s.claimId, []]))
  for (const text of readFileSync(join(outDir, 'findings.ndjson'), 'utf8').split('\n')) {
    if (text === '') continue
    const f = JSON.parse(text) as {
      claimId: string
      rule: string
      severity: string
      line: number | null
      message: string
    }
    if (f.rule !== 'auth-missing') continue
    found[f.claimId]?.push(`${f.severity} ${f.line ?? '-'}`)
    if (f.severity === 'warning')
      expect(f.message).toMatch(/^no profile for payer \S+: authorization not checked$/)
  }
  return found
}

describe('scrub precision by payer profile, database-less (bundled fixtures/payers.csv)', () => {
  it('Medicare: none; Medicaid: its list; commercial and MA: error; no profile: warning', async () => {
    const config: Config = {
      databaseUrl: undefined,
      home: mkdtempSync(join(tmpdir(), 'precision-home-')),
      user: 'tester',
      logLevel: 'silent',
    }
    const out = mkdtempSync(join(tmpdir(), 'precision-out-'))
    const result = await cli(config, [
      'scrub',
      claimsFile(),
      '--codes',
      fixturesDir('codes'),
      '--out',
      out,
      '--as-of',
      '2026-01-31',
    ])
    expect(result.code).toBe(1)
    expect(authFindings(out)).toEqual(EXPECTED)
  })

  it('--payers FILE replaces the bundled profiles: a payer without a row there gets the warning', async () => {
    const config: Config = {
      databaseUrl: undefined,
      home: mkdtempSync(join(tmpdir(), 'precision-home-')),
      user: 'tester',
      logLevel: 'silent',
    }
    const payers = join(mkdtempSync(join(tmpdir(), 'precision-payers-')), 'payers.csv')
    // The first release's columns only: still read; COM01 drops its list with drug_prior_auth none.
    writeFileSync(
      payers,
      'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days,drug_prior_auth\nCOM01,Commercial,commercial,,,,none\nNOPROF9,Now Known,medicaid,,,,\n',
    )
    const out = mkdtempSync(join(tmpdir(), 'precision-out-'))
    const result = await cli(config, [
      'scrub',
      claimsFile(),
      '--codes',
      fixturesDir('codes'),
      '--payers',
      payers,
      '--out',
      out,
      '--as-of',
      '2026-01-31',
    ])
    expect(result.code).toBe(0)
    const found = authFindings(out)
    expect(found['COM-J9271']).toEqual([])
    expect(found['UNK-J9271']).toEqual([])
    for (const id of ['MCR-J9271', 'MCR-J9035', 'MCD-J9271', 'MCD-J9035', 'MA-J9299'])
      expect(found[id], id).toEqual(['warning -'])
  })
})

for (const engine of engines) {
  describe(`scrub precision by payer profile, imported with payers import [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('uses the imported profiles: the same findings as the bundled file gives', async () => {
      const imported = await cli(config, ['payers', 'import', fixturesDir('payers.csv')])
      expect(imported.code).toBe(0)
      const out = mkdtempSync(join(tmpdir(), 'precision-out-'))
      const result = await cli(config, ['scrub', claimsFile(), '--out', out, '--as-of', '2026-01-31'])
      expect(result.code).toBe(1)
      expect(authFindings(out)).toEqual(EXPECTED)
    })

    it('a payer re-imported as medicare_advantage gets its class list', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'precision-payers-')), 'payers.csv')
      writeFileSync(
        file,
        'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days\nSKMCR1,Now an MA plan,medicare_advantage,,,\n',
      )
      expect((await cli(config, ['payers', 'import', file])).code).toBe(0)
      const out = mkdtempSync(join(tmpdir(), 'precision-out-'))
      await cli(config, ['scrub', claimsFile(), '--out', out, '--as-of', '2026-01-31'])
      expect(authFindings(out)['MCR-J9271']).toEqual(['error 1'])
    })
  })
}
