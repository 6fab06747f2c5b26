import { createHash, randomBytes } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/create-database.js'
import { installedPgliteVersion, PGLITE_SEED_FILE, pgliteSeedDir } from '../../src/db/pglite-seed.js'
import { repoRoot } from './x12-files.js'

/**
 * One migrated PGlite database per test run, that every PGlite test database starts from, so that
 * no suite pays PGlite's start from nothing plus every migration (seconds and ~1 GB each time).
 *
 * The template lives under node_modules/.cache/onco-edi/ in a folder named by a hash of what makes
 * it: the installed PGlite version, the bundled seed and the text of every migration. A changed
 * migration is a new folder, so a stale template is never opened; old folders are removed.
 * It is built by vitest's globalSetup (test/support/global-setup.ts) before the workers start, or
 * by the first worker that needs it, written to a temporary folder and renamed into place whole.
 *
 * - `template.tar`: the data directory dumped by PGlite's `dumpDataDir('none')`, for in-memory
 *   databases (openDatabase's `pgliteDump`);
 * - `pgdata/`: the data directory itself, copied into a fresh ONCO_EDI_HOME by CLI tests.
 */
export interface PgliteTemplate {
  dumpFile: string
  dataDir: string
}

const CACHE = join(repoRoot, 'node_modules', '.cache', 'onco-edi')
const PREFIX = 'pglite-template-'

/** The hash of everything the template is made of. */
export function pgliteTemplateKey(): string {
  const hash = createHash('sha256')
  hash.update(`pglite ${installedPgliteVersion()}\n`)
  const seed = join(pgliteSeedDir(), PGLITE_SEED_FILE)
  hash.update(existsSync(seed) ? readFileSync(seed) : 'no seed')
  const migrationsDir = join(repoRoot, 'src', 'db', 'migrations')
  for (const name of readdirSync(migrationsDir).sort()) {
    hash.update(`\n${name}\n`)
    hash.update(readFileSync(join(migrationsDir, name)))
  }
  // This file decides how the template is made.
  hash.update(readFileSync(join(repoRoot, 'test', 'support', 'pglite-template.ts')))
  return hash.digest('hex').slice(0, 16)
}

/** The template for the current sources, built when missing. */
export async function ensurePgliteTemplate(): Promise<PgliteTemplate> {
  const dir = join(CACHE, `${PREFIX}${pgliteTemplateKey()}`)
  const template = { dumpFile: join(dir, 'template.tar'), dataDir: join(dir, 'pgdata') }
  if (existsSync(join(dir, 'complete'))) return template
  mkdirSync(CACHE, { recursive: true })
  const work = join(CACHE, `.building-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    // A data directory on disk through the product's own path (the bundled seed, then every
    // migration), closed cleanly; then dumped by a second open.
    const handle = await openDatabase({ dataDir: join(work, 'pgdata') })
    await handle.close()
    const { PGlite } = await import('@electric-sql/pglite')
    const pglite = new PGlite(join(work, 'pgdata'))
    try {
      // dumpDataDir before the instance is ready never settles (PGlite 0.5.16).
      await pglite.waitReady
      const dump = await pglite.dumpDataDir('none')
      writeFileSync(join(work, 'template.tar'), Buffer.from(await dump.arrayBuffer()))
    } finally {
      await pglite.close()
    }
    writeFileSync(join(work, 'complete'), `${new Date().toISOString()}\n`)
    if (!existsSync(join(dir, 'complete'))) {
      rmSync(dir, { recursive: true, force: true })
      try {
        renameSync(work, dir)
      } catch (error) {
        // Another worker renamed its own build into place first: that one is as good.
        if (!existsSync(join(dir, 'complete'))) throw error
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  for (const name of readdirSync(CACHE))
    if (name.startsWith(PREFIX) && join(CACHE, name) !== dir)
      rmSync(join(CACHE, name), { recursive: true, force: true })
  return template
}

let dump: Promise<Blob> | undefined

/** The migrated template as a dump for openDatabase's `pgliteDump` (read once per test file). */
export function pgliteTemplateDump(): Promise<Blob> {
  dump ??= ensurePgliteTemplate().then((t) => new Blob([readFileSync(t.dumpFile)]))
  return dump
}

/** Puts a copy of the migrated template at `dataDir` (a fresh ONCO_EDI_HOME's `pgdata`). */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  const template = await ensurePgliteTemplate()
  cpSync(template.dataDir, dataDir, { recursive: true })
}
