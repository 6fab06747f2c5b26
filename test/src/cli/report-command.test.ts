import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

for (const engine of engines) {
  describe(`onco-edi report [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      const ingest = await cli(config, [
        'ingest',
        ...['837p-commercial-2026-01.x12', '835-commercial-2026-02-05.x12'].map((n) => join(E2E, n)),
      ])
      expect(ingest.code).toBe(0)
    })
    afterAll(() => cleanup())

    it('reports the denied and open amounts and the denial rate as JSON', async () => {
      const result = await cli(config, ['report', 'recovered', '--json'])
      const report = JSON.parse(result.stdout) as { totals: Record<string, unknown> }
      // Two J9299 lines denied CO-197 (8000.00 each) on 2 of the 3 adjudicated commercial claims.
      expect(report.totals).toMatchObject({
        deniedAmount: '16000.00',
        recoveredAmount: '0.00',
        openAmount: '16000.00',
        deniedClaims: 2,
        adjudicatedClaims: 3,
        denialRate: 0.6667,
      })
    })

    it('writes CSV grouped by queue', async () => {
      const result = await cli(config, ['report', 'recovered', '--by', 'queue', '--csv'])
      expect(result.stdout).toBe(
        'key,items,denied,recovered,open_at_risk,closed_unpaid,denied_claims,adjudicated_claims,denial_rate\n' +
          'authorization,2,16000.00,0.00,16000.00,0.00,2,3,66.67%\n' +
          'TOTAL,2,16000.00,0.00,16000.00,0.00,2,3,66.67%\n',
      )
    })

    it('titles the text report with its period', async () => {
      const all = await cli(config, ['report', 'recovered', '--by', 'queue'])
      expect(all.stdout.split('\n')[0]).toBe('Denials in period, all remit dates, by queue (view denials)')
      const february = await cli(config, [
        'report',
        'recovered',
        '--from',
        '2026-02-01',
        '--to',
        '2026-02-28',
      ])
      expect(february.stdout.split('\n')[0]).toBe(
        'Denials in period, remitted 2026-02-01 to 2026-02-28 (view denials)',
      )
      expect(february.stdout).toMatch(/TOTAL\s+2\s+16000\.00\s+0\.00\s+16000\.00\s+0\.00\s+2\s+3\s+66\.67%/)
    })

    it('flags a drug denied on every claim billed with it', async () => {
      const result = await cli(config, ['report', 'denials', '--by', 'drug', '--json'])
      expect(JSON.parse(result.stdout)).toEqual([
        expect.objectContaining({
          key: 'J9299',
          deniedClaims: 2,
          claimsWithKey: 2,
          share: 1,
          systematic: true,
        }),
      ])
      const table = await cli(config, ['report', 'denials', '--by', 'drug'])
      expect(table.stdout).toMatch(
        /J9299\s+2\s+2\s+100\.0%\s+16000\.00\s+authorization\s+CO-197\s+SYSTEMATIC/,
      )
    })

    it('prints the cash view: nothing recovered yet on these denials', async () => {
      const cash = await cli(config, ['report', 'recovered', '--view', 'cash', '--by', 'drug', '--csv'])
      expect([cash.code, cash.stdout]).toEqual([
        0,
        'key,items,claims,recovered,of_denied\nTOTAL,0,0,0.00,0.00\n',
      ])
      const text = await cli(config, ['report', 'recovered', '--view', 'cash', '--from', '2026-03-01'])
      expect(text.stdout.split('\n')[0]).toBe('Cash recovered, paid from 2026-03-01 (view cash)')
      const json = JSON.parse((await cli(config, ['report', 'recovered', '--view', 'cash', '--json'])).stdout)
      expect(json).toMatchObject({ view: 'cash', totals: { recoveredAmount: '0.00' }, groups: [] })
    })

    it('rejects an unknown view, or --view on report denials, with exit 2', async () => {
      const bad = await cli(config, ['report', 'recovered', '--view', 'accrual'])
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'CLI_BAD_OPTION: Expected --view to be one of denials, cash, got "accrual"\n',
      ])
      expect((await cli(config, ['report', 'denials', '--view', 'cash'])).code).toBe(2)
    })

    it('rejects an unknown dimension or date with exit 2', async () => {
      expect((await cli(config, ['report', 'recovered', '--by', 'color'])).code).toBe(2)
      const bad = await cli(config, ['report', 'recovered', '--from', '2026-02-30'])
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'CLI_BAD_OPTION: Expected --from as YYYY-MM-DD, got "2026-02-30"\n',
      ])
    })
  })
}
