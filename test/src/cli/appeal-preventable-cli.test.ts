import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures')
const E2E = join(FIXTURES, 'e2e')

interface Item {
  id: number
  claimId: string
  action: string
}

for (const engine of engines) {
  describe(`onco-edi queue appeal, report preventable [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    let items: Item[] = []
    const idOf = (claimId: string): string => String(items.find((i) => i.claimId === claimId)?.id ?? 'none')

    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      await cli(config, ['payers', 'import', join(E2E, 'payers.csv')])
      const ingest = await cli(config, [
        'ingest',
        ...['837p-commercial-2026-01.x12', '835-commercial-2026-02-05.x12'].map((n) => join(E2E, n)),
      ])
      expect(ingest.code).toBe(0)
      items = JSON.parse((await cli(config, ['queue', 'list', '--json'])).stdout) as Item[]
    })
    afterAll(() => cleanup())

    it('queue appeal writes the packet and prints where, without the patient', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'cli-appeal-')), 'letters')
      const result = await cli(config, [
        'queue',
        'appeal',
        idOf('E2E-C-101'),
        '--out',
        out,
        '--date',
        '2026-03-16',
      ])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(
        `item ${idOf('E2E-C-101')} (claim E2E-C-101, CO-197, file by 2026-06-05)`,
      )
      const markdown = readFileSync(join(out, `appeal-item-${idOf('E2E-C-101')}.md`), 'utf8')
      expect(markdown).toContain('# Request for first-level provider appeal (reconsideration)')
      // The member id is in the letter, and nowhere in the output.
      const memberId = /member id (\S+)/.exec(markdown)?.[1]?.replace(/,$/, '') ?? ''
      expect(memberId).toMatch(/^E2EM/)
      expect(result.stdout).not.toContain(memberId)
      expect(result.stdout).not.toContain('TESTPATIENT')
      expect(statSync(out).mode & 0o777).toBe(0o700)
    })

    it('queue appeal exits 2 on a template error (with its line), a missing or unusable --out; 1 on an unknown item', async () => {
      const out = mkdtempSync(join(tmpdir(), 'cli-appeal-'))
      const templates = mkdtempSync(join(tmpdir(), 'cli-templates-'))
      for (const name of ['appeal-levels.csv', 'appeal-checklist.csv'])
        copyFileSync(join(FIXTURES, 'appeals', name), join(templates, name))
      writeFileSync(join(templates, 'letter.md'), '# Appeal\n\nClaim {{claim.id}}, {{claim.nope}}\n')
      const template = await cli(config, [
        'queue',
        'appeal',
        idOf('E2E-C-101'),
        '--out',
        out,
        '--templates',
        templates,
      ])
      expect(template.code).toBe(2)
      expect(template.stderr).toBe(
        'APPEAL_TEMPLATE: letter.md line 3 column 21: unknown placeholder "claim.nope"\n',
      )
      expect(readdirSync(out)).toEqual([])
      const missing = await cli(config, ['queue', 'appeal', idOf('E2E-C-101')])
      expect([missing.code, missing.stderr]).toEqual([2, 'CLI_USAGE: Expected --out DIR\n'])
      const file = join(out, 'a-file')
      writeFileSync(file, 'x')
      const notDir = await cli(config, ['queue', 'appeal', idOf('E2E-C-101'), '--out', join(file, 'sub')])
      expect(notDir.code).toBe(2)
      expect(notDir.stderr).toMatch(
        /^CLI_UNWRITABLE_OUTPUT: Cannot write .*a-file\/sub: a part of the path is not a folder \(ENOTDIR\)\n$/,
      )
      const unknown = await cli(config, ['queue', 'appeal', '987654', '--out', out])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toMatch(/^DB_NOT_FOUND: /)
    })

    it('report preventable prints rows that sum to the total, as text, JSON and CSV', async () => {
      const json = await cli(config, ['report', 'preventable', '--json'])
      expect(json.code).toBe(0)
      const report = JSON.parse(json.stdout) as {
        rows: { rule: string | null; outcome: string; amountCents: number }[]
        totals: { totalCents: number; total: string }
      }
      // Both CO-197 lines of J9299 (never scrubbed): auth-missing flags them when run now.
      expect(report.rows.map((r) => [r.rule, r.outcome, r.amountCents])).toEqual([
        ['auth-missing', 'would_have_flagged', 1_600_000],
      ])
      expect(report.totals.total).toBe('16000.00')
      const csv = await cli(config, ['report', 'preventable', '--csv', '--from', '2026-02-01'])
      expect(csv.stdout.trim().split('\n')).toEqual([
        'rule,outcome,denials,claims,amount',
        'auth-missing,would_have_flagged,2,2,16000.00',
        'TOTAL,,2,,16000.00',
      ])
      const text = await cli(config, ['report', 'preventable'])
      expect(text.stdout).toContain('Preventable denials, all remit dates')
      expect(text.stdout).toContain('scrub would have flagged (not scrubbed) 16000.00')
      const bad = await cli(config, ['report', 'preventable', '--by', 'carc'])
      expect(bad.code).toBe(2)
    })
  })
}
