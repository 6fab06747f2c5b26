import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

for (const engine of engines) {
  describe(`onco-edi ingest [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('stores 837s before 835s whatever the order given, and summarizes each file', async () => {
      const result = await cli(config, [
        'ingest',
        join(E2E, '835-medicare-2026-02-02.x12'),
        join(E2E, '837p-medicare-2026-01.x12'),
        '--concurrency',
        '2',
      ])
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(
        '835-medicare-2026-02-02.x12: 835 ingested, 10 claims, 9 matched, 1 unmatched, 0 reversals, 8 rework items\n' +
          '837p-medicare-2026-01.x12: 837 ingested, 8 claims\n',
      )
    })

    it('says "already ingested" the second time and stores nothing (--json)', async () => {
      const result = await cli(config, ['ingest', join(E2E, '837p-medicare-2026-01.x12'), '--json'])
      expect(result.code).toBe(0)
      const [file] = JSON.parse(result.stdout) as { status: string; claims: number; message: string }[]
      expect(file).toMatchObject({ status: 'already_ingested', claims: 0 })
      expect(file?.message).toMatch(/^already ingested/)
    })

    it('rejects --concurrency 0 and a missing FILE with exit 2', async () => {
      const bad = await cli(config, ['ingest', 'x.x12', '--concurrency', '0'])
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'CLI_BAD_OPTION: Expected --concurrency to be an integer from 1 to 64, got "0"\n',
      ])
      const none = await cli(config, ['ingest'])
      expect(none.code).toBe(2)
    })

    it('exits 1 when a file cannot be ingested', async () => {
      const result = await cli(config, ['ingest', join(E2E, 'payers.csv')])
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/^payers\.csv: failed: INGEST_UNKNOWN_KIND /)
    })
  })
}
