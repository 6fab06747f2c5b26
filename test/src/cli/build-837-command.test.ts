import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { claimsOf, parseRecordsOf } from '../../support/parse-records.js'
import { cli, cliDatabase } from './cli-support.js'

const dir = mkdtempSync(join(tmpdir(), 'onco-build-837-'))

for (const engine of engines) {
  describe(`onco-edi build-837 [${engine.name}]`, () => {
    let config: Config
    let cleanup = async (): Promise<void> => {}
    beforeAll(async () => {
      const database = await cliDatabase(engine.url)
      config = database.config
      cleanup = database.cleanup
    }, 300_000)
    afterAll(async () => {
      await cleanup()
    })

    it('writes the 837 of parse --format json output; parse of it gives the same claims', async () => {
      const json = join(dir, `claims-${engine.name}.json`)
      const parsed = await cli(config, ['parse', 'fixtures/x12/837i-oncology.x12', '--format', 'json'])
      writeFileSync(json, parsed.stdout)
      const out = join(dir, `built-${engine.name}.837`)
      const built = await cli(config, ['build-837', json, '--out', out, '--date', '2026-03-01'])
      expect(built.stderr).toBe('')
      expect(built.code).toBe(0)
      expect(built.stdout).toMatch(/^wrote \d+ claims \(0 837P, \d+ 837I; ISA13 \d{9}\) to .*; 0 rejected\n$/)
      expect(readFileSync(out, 'utf8')).toMatch(/^ISA\*.*\*260301\*/)
      expect(claimsOf(parseRecordsOf(out).texts)).toEqual(
        claimsOf(parseRecordsOf('fixtures/x12/837i-oncology.x12').texts),
      )
    }, 120_000)

    it('reports each bad record alone with its code and position, writes the rest, and exits 1', async () => {
      const [header = '', claim = ''] = parseRecordsOf('fixtures/x12/837p-oncology.x12').texts
      const ndjson = join(dir, `mixed-${engine.name}.ndjson`)
      writeFileSync(
        ndjson,
        [header, claim, JSON.stringify({ ...JSON.parse(claim), totalCharge: 'x' }), claim].join('\n'),
      )
      const out = join(dir, `mixed-${engine.name}.837`)
      const built = await cli(config, ['build-837', ndjson, '--out', out])
      expect(built.code).toBe(1)
      expect(built.stderr).toMatch(
        /^.*mixed-\w+\.ndjson: error: JSON_BAD_RECORD .* \[record 2 \$\.totalCharge\]\n$/,
      )
      expect(built.stdout).toMatch(/^wrote 2 claims .*; 1 rejected\n$/)
      expect(claimsOf(parseRecordsOf(out).texts)).toHaveLength(2)
    }, 120_000)
  })
}
