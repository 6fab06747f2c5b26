import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  buildCodeFixtureSubset,
  isAdministrationCode,
  isSubsetDrugCode,
} from '../../../src/codes/build-fixture-subset.js'
import { loadCodeTableRecordsFromFiles } from '../../../src/codes/code-table-repository.js'

const SEED_DIR = join(import.meta.dirname, '../../../../shared/fixtures-seed')
const FIXTURE_DIR = join(import.meta.dirname, '../../../fixtures/codes')
const hasSeeds = existsSync(SEED_DIR)

describe('buildCodeFixtureSubset', () => {
  it('selects the oncology drug codes, NOC codes, JW/JZ and the administration codes', () => {
    for (const code of ['J9267', 'J9999', 'Q5152', 'C9399', 'C9027', 'J3490', 'J3590', 'J1453', 'JW', 'JZ'])
      expect(isSubsetDrugCode(code), code).toBe(true)
    for (const code of ['J7030', 'Q4100', 'C9600', 'A0080', '96413'])
      expect(isSubsetDrugCode(code), code).toBe(false)
    expect(['96360', '96413', '96549'].every(isAdministrationCode)).toBe(true)
    expect(['96359', '96550', 'J9267'].some(isAdministrationCode)).toBe(false)
  })

  // Regenerate the bundled subset: BUILD_CODE_FIXTURES=1 npx vitest run test/src/codes/build-fixture-subset.test.ts
  it.runIf(hasSeeds && process.env.BUILD_CODE_FIXTURES === '1')(
    'writes fixtures/codes from the seeds (runs only with BUILD_CODE_FIXTURES=1)',
    async () => {
      const written = await buildCodeFixtureSubset(SEED_DIR, FIXTURE_DIR)
      expect(written.length).toBe(10)
    },
  )

  it.runIf(hasSeeds)('the bundled subset is what the builder makes from the seeds today', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onco-edi-codes-'))
    try {
      await buildCodeFixtureSubset(SEED_DIR, dir)
      const built = await loadCodeTableRecordsFromFiles(dir)
      const bundled = await loadCodeTableRecordsFromFiles(FIXTURE_DIR)
      expect(bundled.hcpcs).toEqual(built.hcpcs)
      expect(bundled.crosswalk).toEqual(built.crosswalk)
      expect(bundled.addOns).toEqual(built.addOns)
      expect(bundled.mue).toEqual(built.mue)
      expect(bundled.changes).toEqual(built.changes)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the bundled subset stays small (< 2 MB)', async () => {
    let total = 0
    for (const name of await readdir(FIXTURE_DIR)) total += (await stat(join(FIXTURE_DIR, name))).size
    expect(total).toBeGreaterThan(0)
    expect(total).toBeLessThan(2 * 1024 * 1024)
  })
})
