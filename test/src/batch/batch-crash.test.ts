import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, describe, it } from 'vitest'
import { runBatchService } from '../../../src/batch/batch-service.js'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import type { BatchResult } from '../../../src/batch/process-file.js'
import { importCodeFile } from '../../../src/codes/code-table-repository.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { silentLogger } from '../../../src/logger.js'
import { fixturesDir } from '../../../src/project-root.js'
import { writeBatchInputs } from '../../support/batch-inputs.js'
import { dropSchema, engines } from '../../support/databases.js'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'onco-edi-batch-crash-test')
/** A private build (tsc → JS) so that a child process can run the service. */
const OUT = join(CACHE, 'dist')
/** The modules the child imports: the build compiles these and what they import, nothing else. */
const CHILD_MODULES = [
  'src/db/create-database.ts',
  'src/batch/batch-setup.ts',
  'src/batch/batch-service.ts',
  'src/logger.ts',
]
const AS_OF = '2026-03-01'
/**
 * 20 kills at random points, on each engine, as the issue asked (small files: the kill count is
 * the point). The run had 200 files; 100 leave each kill 1-4 further results (1-9 before)
 * and take half the processing; 20 kills used up 43-63 of them in four runs (the loop fails if the
 * files run out before the last kill). BATCH_CRASH_KILLS changes the count.
 */
const FILES = 100
const KILLS = { postgres: 20, pglite: 20 }
const killsOf = (engine: 'postgres' | 'pglite'): number =>
  process.env.BATCH_CRASH_KILLS === undefined ? KILLS[engine] : Number(process.env.BATCH_CRASH_KILLS)

const CHILD = `
import { openDatabase } from ${JSON.stringify(join(OUT, 'src/db/create-database.js'))}
import { loadBatchSetup } from ${JSON.stringify(join(OUT, 'src/batch/batch-setup.js'))}
import { runBatchService } from ${JSON.stringify(join(OUT, 'src/batch/batch-service.js'))}
import { silentLogger } from ${JSON.stringify(join(OUT, 'src/logger.js'))}
const [url, schema, dataDir, inbox, outbox] = process.argv.slice(2)
const handle = await openDatabase(url ? { databaseUrl: url, schema } : { dataDir })
const setup = await loadBatchSetup(handle, { user: 'crash-test', asOf: ${JSON.stringify(AS_OF)} })
process.stdout.write('ready\\n')
const counts = await runBatchService({
  handle, setup, inbox, outbox, concurrency: 4, once: true, logger: silentLogger(),
  onResult: (r) => process.stdout.write('result ' + r.file + '\\n'),
})
process.stdout.write('done ' + JSON.stringify(counts) + '\\n')
await handle.close()
`

/** Runs the service in a child; kills it (SIGKILL) `delayMs` after its `killAfter`-th result. */
function runChild(
  script: string,
  args: string[],
  killAfter: number | undefined,
  delayMs: number,
): Promise<{ killed: boolean; out: string; results: number }> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let results = 0
    let armed = false
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      results = (out.match(/^result /gm) ?? []).length
      if (!armed && killAfter !== undefined && results >= killAfter) {
        armed = true
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('error', fail)
    child.on('exit', (_code, signal) => done({ killed: signal === 'SIGKILL', out, results }))
  })
}

/** What a failed tsc run said (its diagnostics are on stdout; node's own errors on stderr). */
function buildFailure(error: unknown): string {
  const text = (key: string): string =>
    error !== null && typeof error === 'object' && key in error ? String(Reflect.get(error, key)).trim() : ''
  return [text('stdout'), text('stderr')].filter((t) => t !== '').join('\n') || String(error)
}

type Counts = BatchResult['counts']

describe('kill -9 of batch during a multi-file run', () => {
  /** A clean run's counts per source kind (the inputs repeat three sources). */
  const clean = new Map<number, Counts>()

  beforeAll(async () => {
    // Only the child's modules and their imports (not the CLI, web, bench and test support), without
    // declarations or source maps: 1.9 s of tsc CPU instead of 3.3 s. It runs while the clean run
    // below does. Inside node_modules so that tsc finds @types/node from the config's folder.
    mkdirSync(CACHE, { recursive: true })
    writeFileSync(
      join(CACHE, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: { rootDir: ROOT, outDir: OUT, declaration: false, sourceMap: false },
        files: CHILD_MODULES.map((m) => join(ROOT, m)),
        include: [],
      }),
    )
    // A build that fails must fail the suite: the children would otherwise run whatever an
    // earlier build left in OUT. Held as a value until the clean run is over (no unhandled
    // rejection meanwhile); tsc prints its diagnostics on stdout.
    const build = promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(CACHE, 'tsconfig.json'),
    ]).then(
      () => undefined,
      (error: unknown) => error,
    )
    try {
      await cleanRun()
    } finally {
      await build
    }
    const failure = await build
    if (failure !== undefined) throw new Error(`the child's build failed: ${buildFailure(failure)}`)
  }, 180_000)

  /** The three sources processed once, without kills, on an in-memory PGlite: their counts. */
  async function cleanRun(): Promise<void> {
    const root = mkdtempSync(join(tmpdir(), 'batch-clean-'))
    const inbox = join(root, 'in')
    mkdirSync(inbox)
    const handle = await openDatabase({})
    try {
      for (const file of readdirSync(fixturesDir('codes')).filter((n) => !n.endsWith('.md')))
        await importCodeFile(handle.db, fixturesDir('codes', file))
      const setup = await loadBatchSetup(handle, { user: 'crash-test', asOf: AS_OF })
      const names = writeBatchInputs(inbox, 3, 0)
      const results: BatchResult[] = []
      await runBatchService({
        handle,
        setup,
        inbox,
        outbox: join(root, 'out'),
        concurrency: 1,
        once: true,
        logger: silentLogger(),
        onResult: (r) => results.push(r),
      })
      for (const r of results) clean.set(names.indexOf(r.file), r.counts)
    } finally {
      await handle.close()
    }
  }

  // The two engines' runs at the same time: each waits mostly for its children's start-up (20 of
  // them), and the PostgreSQL one for the server as well.
  for (const engine of engines) {
    it.concurrent(`ends with exactly one result per file and a clean run's counts [${engine.name}]`, async ({
      expect,
    }) => {
      const root = mkdtempSync(join(tmpdir(), 'batch-crash-'))
      const inbox = join(root, 'in')
      const outbox = join(root, 'out')
      mkdirSync(inbox)
      const names = writeBatchInputs(inbox, FILES, 0)
      const schema = `bcrash_${randomBytes(5).toString('hex')}`
      // Dropped however the test ends (a failed expectation left it on the shared server).
      try {
        const args = [engine.url ?? '', schema, join(root, 'pgdata'), inbox, outbox]
        const script = join(root, 'child.mjs')
        writeFileSync(script, CHILD)
        // The code tables imported once (as a clearinghouse would), so each restart loads them from
        // the database instead of parsing the bundled CMS files again.
        const seed = await openDatabase(
          engine.url ? { databaseUrl: engine.url, schema } : { dataDir: join(root, 'pgdata') },
        )
        try {
          for (const file of readdirSync(fixturesDir('codes')).filter((n) => !n.endsWith('.md')))
            await importCodeFile(seed.db, fixturesDir('codes', file))
        } finally {
          await seed.close()
        }
        // Kill points: after a random number of further results, plus a random delay, so kills land
        // in every phase (mid-transaction, between commit and publish, while retiring).
        const KILLS = killsOf(engine.name)
        let kills = 0
        let runs = 0
        let finished = ''
        let last = 0
        while (finished === '' && runs < KILLS + 10) {
          runs++
          const spacing = Math.max(1, Math.floor(FILES / (KILLS + 1)))
          const killAfter = kills < KILLS ? 1 + Math.floor(Math.random() * spacing) : undefined
          const run = await runChild(script, args, killAfter, Math.floor(Math.random() * 40))
          if (run.killed) kills++
          else {
            expect(run.out).toMatch(/^done /m)
            finished = run.out
            last = run.results
          }
        }
        console.log(
          `batch crash [${engine.name}]: ${FILES} files, ${kills} kills, ${runs} runs, ${last} results in the last`,
        )
        expect(kills).toBe(KILLS)
        expect(finished).not.toBe('')

        // Every file: one result named after it, no second claim, nothing left behind.
        const outputs = readdirSync(outbox)
        const resultFiles = outputs.filter((n) => n.endsWith('.result.json'))
        expect(resultFiles.sort()).toEqual(names.map((n) => `${n}.result.json`).sort())
        expect(outputs.filter((n) => n.endsWith('.ack.x12')).sort()).toEqual(
          names
            .filter((n) => !n.endsWith('-835.x12'))
            .map((n) => `${n}.ack.x12`)
            .sort(),
        )
        expect(outputs.filter((n) => n.endsWith('.part'))).toEqual([])
        expect(readdirSync(join(outbox, '.staging'))).toEqual([])
        expect(readdirSync(join(inbox, '.work'))).toEqual([])
        expect(readdirSync(join(inbox, '.done')).sort()).toEqual([...names].sort())
        for (const [index, name] of names.entries()) {
          const result = JSON.parse(readFileSync(join(outbox, `${name}.result.json`), 'utf8')) as BatchResult
          expect(result.status, name).toBe('processed')
          expect(result.counts, name).toEqual(clean.get(index % 3))
          for (const output of result.outputs) expect(outputs, name).toContain(output)
          // One acknowledgment per 837, none for an 835.
          expect(result.acknowledgment, name).toBe(name.endsWith('-835.x12') ? null : `${name}.ack.x12`)
        }
        // In the database: one row per file, each file's work stored once.
        const handle = await openDatabase(
          engine.url ? { databaseUrl: engine.url, schema } : { dataDir: join(root, 'pgdata') },
        )
        try {
          const { rows } = await sql<Record<string, number>>`select
            (select count(*)::int from batch_file) as files,
            (select count(distinct sha256)::int from batch_file) as hashes,
            (select count(*)::int from scrub_run) as scrub_runs,
            (select count(*)::int from ingest_file where kind = '835') as remit_files,
            (select count(*)::int from ingest_file where kind = '837') as submitted_batches,
            (select count(*)::int from remit_claim) as remit_claims`.execute(handle.db)
          const remits = names.filter((n) => n.endsWith('-835.x12')).length
          // Each 837's accepted claims are stored once as a submitted batch (the claims sent on).
          const withAccepted = names.filter(
            (n, index) => !n.endsWith('-835.x12') && (clean.get(index % 3)?.accepted ?? 0) > 0,
          ).length
          expect(withAccepted).toBeGreaterThan(0)
          expect(rows[0]).toEqual({
            submitted_batches: withAccepted,
            files: FILES,
            hashes: FILES,
            scrub_runs: FILES - remits,
            remit_files: remits,
            remit_claims: remits * (clean.get(1)?.claims ?? -1),
          })
        } finally {
          await handle.close()
        }
      } finally {
        if (engine.url) await dropSchema(engine.url, schema)
      }
    }, 600_000)
  }
})
