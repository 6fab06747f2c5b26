// Writes fixtures/pglite/initdb.tar.gz: the data directory PGlite's initdb makes, dumped with
// PGlite's dumpDataDir('gzip'), and initdb.json, naming the PGlite version that made it and the
// dump's SHA-256 (src/db/pglite-seed.ts). Run after every PGlite upgrade: `npm run pglite:seed`
// (test/src/db/pglite-seed.test.ts fails until then, and a stale seed is never loaded).
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const entry = require.resolve('@electric-sql/pglite')
const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'))
if (pkg.name !== '@electric-sql/pglite') throw new Error(`unexpected package layout at ${entry}`)

const pglite = new PGlite()
await pglite.waitReady
const dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer())
await pglite.close()

const dir = join(root, 'fixtures', 'pglite')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'initdb.tar.gz'), dump)
const manifest = { pglite: pkg.version, sha256: createHash('sha256').update(dump).digest('hex') }
writeFileSync(join(dir, 'initdb.json'), `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`fixtures/pglite/initdb.tar.gz: ${dump.length} bytes, PGlite ${pkg.version}`)
