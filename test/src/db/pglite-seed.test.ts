import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/create-database.js'
import { migrations } from '../../../src/db/migrations/index.js'
import {
  installedPgliteVersion,
  loadPgliteSeed,
  PGLITE_SEED_FILE,
  PGLITE_SEED_MANIFEST,
  pgliteSeedDir,
  pgliteSeedProblem,
} from '../../../src/db/pglite-seed.js'

describe('bundled PGlite seed (fixtures/pglite)', () => {
  it('was made by the installed PGlite and matches its manifest (else: npm run pglite:seed)', () => {
    const manifest = JSON.parse(readFileSync(join(pgliteSeedDir(), PGLITE_SEED_MANIFEST), 'utf8'))
    expect(manifest.pglite).toBe(installedPgliteVersion())
    expect(pgliteSeedProblem()).toBeUndefined()
    expect(loadPgliteSeed()).toBeInstanceOf(Blob)
  })

  it('is not used when another PGlite version made it, or its bytes changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-seed-'))
    copyFileSync(join(pgliteSeedDir(), PGLITE_SEED_FILE), join(dir, PGLITE_SEED_FILE))
    const manifest = JSON.parse(readFileSync(join(pgliteSeedDir(), PGLITE_SEED_MANIFEST), 'utf8'))
    writeFileSync(join(dir, PGLITE_SEED_MANIFEST), JSON.stringify({ ...manifest, pglite: '0.0.1' }))
    expect(pgliteSeedProblem(dir)).toMatch(/seed made by PGlite 0\.0\.1, installed PGlite is /)
    expect(loadPgliteSeed(dir)).toBeUndefined()
    writeFileSync(join(dir, PGLITE_SEED_MANIFEST), JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }))
    expect(pgliteSeedProblem(dir)).toBe('seed bytes do not match its manifest')
    expect(loadPgliteSeed(join(dir, 'missing'))).toBeUndefined()
  })

  it('a new data directory starts from it, migrates from nothing and reopens', async () => {
    // The product's own path (no test template): every migration applies on this database.
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pglite-seed-')), 'pgdata')
    const first = await openDatabase({ dataDir })
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        first.db,
      )
      expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort())
      await sql`create table seed_probe (id int primary key)`.execute(first.db)
      await sql`insert into seed_probe values (1)`.execute(first.db)
    } finally {
      await first.close()
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true)
    const again = await openDatabase({ dataDir })
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from seed_probe`.execute(again.db)
      expect(rows[0]?.n).toBe(1)
    } finally {
      await again.close()
    }
  })
})
