import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/create-database.js'
import { dropSchema, engines } from '../../support/databases.js'
import { writeLarge835 } from '../../support/large-835.js'
import { seedPgliteDataDir } from '../../support/pglite-template.js'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
/** A private build (tsc → JS) so that a child process can run the ingest; TS 7 builds in seconds. */
const OUT = join(ROOT, 'node_modules', '.cache', 'onco-edi-crash-test', 'dist')
const CLAIMS = 40_000

const work = mkdtempSync(join(tmpdir(), 'crash-'))
const big = join(work, 'big.835')
let expected = { paidCents: 0, items: 0 }

const CHILD = `
import { openDatabase } from ${JSON.stringify(join(OUT, 'src/db/create-database.js'))}
import { ingestFiles } from ${JSON.stringify(join(OUT, 'src/ingest/ingest-files.js'))}
import { loadDenialEngine } from ${JSON.stringify(join(OUT, 'src/ingest/load-denial-engine.js'))}
const [url, schema, dataDir, file, fixtures] = process.argv.slice(2)
const handle = await openDatabase(url ? { databaseUrl: url, schema } : { dataDir })
const engine = await loadDenialEngine(fixtures)
const results = await ingestFiles([file], {
  handle, engine,
  onProgress: (_path, claims) => process.stdout.write('progress ' + claims + '\\n'),
})
process.stdout.write('done ' + JSON.stringify(results.map((r) => [r.status, r.claims])) + '\\n')
await handle.close()
`

function runChild(
  args: string[],
  killAfterClaims: number | undefined,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  const script = join(work, 'child.mjs')
  writeFileSync(script, CHILD)
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const last = /progress (\d+)\n$/.exec(out)
      if (killAfterClaims !== undefined && last !== null && Number(last[1]) >= killAfterClaims)
        child.kill('SIGKILL')
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('error', fail)
    child.on('exit', (code, signal) => done({ code, signal, out: out + err }))
  })
}

describe('crash during ingest', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      OUT,
    ]).catch(
      // Type errors elsewhere in the tree do not stop tsc from emitting.
      () => undefined,
    )
    expected = await writeLarge835(big, CLAIMS)
  }, 120_000)

  for (const engine of engines) {
    it(`leaves nothing after SIGKILL mid-file and completes on re-run [${engine.name}]`, async () => {
      const schema = `crash_${randomBytes(5).toString('hex')}`
      const dataDir = join(work, `pg-${schema}`)
      // Dropped however the test ends (a failed expectation left it on the shared server).
      try {
        const args = [engine.url ?? '', schema, dataDir, big, join(ROOT, 'fixtures', 'denials')]
        // The PGlite database starts as a copy of the run's migrated template.
        if (engine.url === undefined) await seedPgliteDataDir(dataDir)
        const killed = await runChild(args, 5_000)
        expect(killed.signal, killed.out).toBe('SIGKILL')
        expect(killed.out).toMatch(/progress \d+/)
        expect(killed.out).not.toMatch(/done/)

        const counts = async () => {
          const handle = await openDatabase(engine.url ? { databaseUrl: engine.url, schema } : { dataDir })
          try {
            const { rows } = await sql<{
              files: number
              claims: number
              paid: string | number | null
              items: number
            }>`select
              (select count(*)::int from ingest_file) as files,
              (select count(*)::int from remit_claim) as claims,
              (select sum(paid) from remit_claim) as paid,
              (select count(*)::int from rework_item) as items`.execute(handle.db)
            return rows[0]
          } finally {
            await handle.close()
          }
        }
        expect(await counts()).toEqual({ files: 0, claims: 0, paid: null, items: 0 })

        const rerun = await runChild(args, undefined)
        expect(rerun.code, rerun.out).toBe(0)
        expect(rerun.out).toContain(`done [["ingested",${CLAIMS}]]`)
        const after = await counts()
        expect({ ...after, paid: Number(after?.paid) }).toEqual({
          files: 1,
          claims: CLAIMS,
          paid: expected.paidCents,
          items: expected.items,
        })
      } finally {
        if (engine.url) await dropSchema(engine.url, schema)
      }
    }, 240_000)
  }
})
