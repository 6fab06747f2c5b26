import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const PAYERS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e', 'payers.csv')

for (const engine of engines) {
  describe(`onco-edi payers [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('imports a payer CSV and lists it', async () => {
      const imported = await cli(config, ['payers', 'import', PAYERS])
      expect([imported.code, imported.stdout]).toEqual([0, 'imported 3 new and 0 updated payer profile(s)\n'])
      const listed = await cli(config, ['payers', 'list', '--json'])
      expect(JSON.parse(listed.stdout)).toEqual([
        {
          payerId: 'COM01',
          name: 'EXAMPLE COMMERCIAL HEALTH PLAN',
          payerClass: 'commercial',
          correctedClaimDays: 60,
          appealDays: 120,
        },
        { payerId: 'MCR01', name: 'MEDICARE PART B EXAMPLE', payerClass: 'medicare' },
        { payerId: 'MCRA1', name: 'MEDICARE PART A EXAMPLE', payerClass: 'medicare' },
      ])
    })

    it('imports the good rows, reports the bad ones with their line (exit 1), and updates on re-import', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'payers-')), 'payers.csv')
      writeFileSync(
        file,
        'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days\nCOM01,EXAMPLE COMMERCIAL HEALTH PLAN,commercial,90,90,180\nBAD1,BAD PAYER,medicar,,,\n',
      )
      const result = await cli(config, ['payers', 'import', file, '--user', 'carol'])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('imported 0 new and 1 updated payer profile(s)\n')
      expect(result.stderr).toMatch(/payers\.csv:3:3: DENIAL_CSV_ROW: payer_class: expected one of/)
      const listed = JSON.parse((await cli(config, ['payers', 'list', '--json'])).stdout) as {
        payerId: string
        appealDays?: number
      }[]
      expect(listed.find((p) => p.payerId === 'COM01')?.appealDays).toBe(180)
    })

    it('says which file it cannot read (exit 2)', async () => {
      const result = await cli(config, ['payers', 'import', '/nonexistent/payers.csv'])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^CLI_UNREADABLE_INPUT: Cannot read \/nonexistent\/payers\.csv/)
    })
  })
}
