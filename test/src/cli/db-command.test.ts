import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

for (const engine of engines) {
  describe(`onco-edi db [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      // A new home: `db migrate` applies every migration to it.
      ;({ config, cleanup } = await cliDatabase(engine.url, { migrated: false }))
    })
    afterAll(() => cleanup())

    it('applies the migrations once, then says the database is up to date', async () => {
      const first = await cli(config, ['db', 'migrate'])
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout).toMatch(/applied \d+ migration\(s\): 0001-core, 0002-code-tables, 0003-scrub/)
      const second = await cli(config, ['db', 'migrate'])
      expect([second.code, second.stdout]).toEqual([0, 'database is up to date\n'])
    })

    it('rejects anything but "migrate" with CLI_USAGE (exit 2)', async () => {
      const result = await cli(config, ['db', 'drop'])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^CLI_USAGE: /)
    })
  })
}
