import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { projectRoot } from '../project-root.js'

/**
 * The bundled PGlite seed: the data directory that PGlite's initdb produces, dumped once
 * (`npm run pglite:seed`, PGlite's `dumpDataDir('gzip')`) and shipped in `fixtures/pglite/`. A new
 * PGlite database is loaded from it (PGlite's `loadDataDir` option) instead of running initdb, which
 * starts a second PGlite instance and the initdb WebAssembly module next to the first: about 0.4 GB
 * of peak RSS and several seconds. The seed holds no table of ours; migrations run after it.
 *
 * The manifest names the PGlite version that made the seed and the dump's SHA-256. A seed made by
 * another PGlite version (its Postgres catalog may differ) or whose bytes do not match is not
 * used: the database is then created by initdb as before.
 */
export interface PgliteSeedManifest {
  /** `version` of the @electric-sql/pglite package that made the dump. */
  pglite: string
  /** SHA-256 (hex) of the dump file. */
  sha256: string
}

/** The folder of the bundled seed. */
export function pgliteSeedDir(): string {
  return join(projectRoot(), 'fixtures', 'pglite')
}

export const PGLITE_SEED_FILE = 'initdb.tar.gz'
export const PGLITE_SEED_MANIFEST = 'initdb.json'

/** The installed @electric-sql/pglite version (from its package.json). */
export function installedPgliteVersion(): string {
  // The package's exports do not list package.json: walk up from its entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === '@electric-sql/pglite' && typeof pkg.version === 'string') return pkg.version
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('@electric-sql/pglite package.json not found')
    dir = parent
  }
}

/** Why the bundled seed cannot be used, or `undefined` when it can. */
export function pgliteSeedProblem(dir: string = pgliteSeedDir()): string | undefined {
  const manifestFile = join(dir, PGLITE_SEED_MANIFEST)
  const dumpFile = join(dir, PGLITE_SEED_FILE)
  if (!existsSync(manifestFile) || !existsSync(dumpFile)) return 'no bundled seed'
  let manifest: Partial<PgliteSeedManifest>
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Partial<PgliteSeedManifest>
  } catch {
    return 'unreadable seed manifest'
  }
  const installed = installedPgliteVersion()
  if (manifest.pglite !== installed)
    return `seed made by PGlite ${String(manifest.pglite)}, installed PGlite is ${installed}`
  const sha256 = createHash('sha256').update(readFileSync(dumpFile)).digest('hex')
  if (manifest.sha256 !== sha256) return 'seed bytes do not match its manifest'
  return undefined
}

/**
 * The bundled seed as a Blob for PGlite's `loadDataDir`, or `undefined` (PGlite then runs initdb)
 * when it is missing, made by another PGlite version or damaged.
 */
export function loadPgliteSeed(dir: string = pgliteSeedDir()): Blob | undefined {
  try {
    if (pgliteSeedProblem(dir) !== undefined) return undefined
    return new Blob([readFileSync(join(dir, PGLITE_SEED_FILE))])
  } catch {
    return undefined
  }
}
