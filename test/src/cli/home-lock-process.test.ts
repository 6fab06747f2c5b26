import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { INGEST_SEMI_SPACE_MB } from '../../../src/cli/main.js'
import { homeLockFile, openDatabase } from '../../../src/db/create-database.js'
import { writeLarge835 } from '../../support/large-835.js'
import { cliDatabase } from './cli-support.js'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
/** A private build, so that the child processes run this tree's CLI (`node dist/src/cli/main.js`). */
const OUT = join(ROOT, 'node_modules', '.cache', 'onco-edi-home-lock-test', 'dist')
const MAIN = join(OUT, 'src', 'cli', 'main.js')
/** Enough claims that the first ingest holds the lock for seconds (with PGlite's start and migrations). */
const CLAIMS = 5_000

const work = mkdtempSync(join(tmpdir(), 'home-lock-'))
const big = join(work, 'big.835')
let expected = { paidCents: 0, items: 0 }

interface Run {
  child: ChildProcess
  done: Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
    endedAt: number
  }>
}

function start(home: string, args: string[], env: Record<string, string> = {}): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env }
  for (const name of ['DATABASE_URL', 'ONCO_EDI_WAIT', 'LOG_LEVEL']) delete childEnv[name]
  Object.assign(childEnv, { ONCO_EDI_HOME: home, ONCO_EDI_USER: 'lock-test' }, env)
  // With the V8 flag `ingest` re-runs itself with (src/cli/main.ts), so that the process started
  // here is the one that holds the lock, rather than its parent.
  const child = spawn(process.execPath, [`--max-semi-space-size=${INGEST_SEMI_SPACE_MB}`, MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const done = new Promise<Awaited<Run['done']>>((ok, fail) => {
    child.on('error', fail)
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr, endedAt: Date.now() }))
  })
  return { child, done }
}

async function waitForLock(file: string, run: Run): Promise<void> {
  let exited = false
  void run.done.then(() => {
    exited = true
  })
  for (let i = 0; i < 1200; i++) {
    if (existsSync(file)) return
    if (exited) throw new Error(`the first process ended before taking the lock: ${(await run.done).stderr}`)
    await sleep(50)
  }
  throw new Error(`no lock file ${file} after 60 s`)
}

async function counts(home: string): Promise<{ files: number; claims: number; items: number } | undefined> {
  const handle = await openDatabase({ dataDir: join(home, 'pgdata') })
  try {
    const { rows } = await sql<{ files: number; claims: number; items: number }>`select
      (select count(*)::int from ingest_file) as files,
      (select count(*)::int from remit_claim) as claims,
      (select count(*)::int from rework_item) as items`.execute(handle.db)
    return rows[0]
  } finally {
    await handle.close()
  }
}

const STACK = /\n\s+at .+[:(]\d+/

describe('PGlite home lock, two real processes', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      OUT,
    ]).catch(() => undefined)
    expected = await writeLarge835(big, CLAIMS)
  }, 180_000)

  it('refuses a second process with DB_LOCKED naming the holder, lets a --wait one through afterwards, and the database stays intact', async () => {
    const home = mkdtempSync(join(work, 'home-'))
    const lock = homeLockFile(home)
    const first = start(home, ['ingest', big])
    await waitForLock(lock, first)
    const holder = JSON.parse(readFileSync(lock, 'utf8'))
    expect(holder).toMatchObject({ pid: first.child.pid, host: hostname() })
    expect(holder.command).toMatch(/^ingest .*big\.835$/)

    const refused = await start(home, ['queue', 'list']).done
    const waiter = start(home, ['--wait=300', 'ingest', big])
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.stderr).toMatch(
      new RegExp(
        `^DB_LOCKED: .*pid ${first.child.pid} on ${hostname()} \\("ingest .*big\\.835", since \\d{4}-`,
      ),
    )
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(refused.stderr).not.toMatch(STACK)

    const a = await first.done
    const b = await waiter.done
    expect(a.code, a.stderr).toBe(0)
    expect(a.stdout).toContain(`big.835: 835 stored, ${CLAIMS} claims`)
    expect(b.code, b.stderr).toBe(0)
    // The waiting process ran after the first one: it sees the file as stored.
    expect(b.stdout).toMatch(/big\.835: duplicate/)
    expect(b.endedAt).toBeGreaterThanOrEqual(a.endedAt)
    expect(existsSync(lock)).toBe(false)
    expect(await counts(home)).toEqual({ files: 1, claims: CLAIMS, items: expected.items })
  }, 300_000)

  it('takes over a stale lock whose process is gone', async () => {
    const home = mkdtempSync(join(work, 'home-'))
    const gone = spawn(process.execPath, ['-e', '0'])
    const pid = gone.pid
    await new Promise((ok) => gone.on('close', ok))
    writeFileSync(
      homeLockFile(home),
      JSON.stringify({
        pid,
        host: hostname(),
        command: 'ingest crashed.835',
        since: '2026-01-01T00:00:00.000Z',
      }),
    )
    const run = await start(home, ['queue', 'list']).done
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('0 item(s)')
    expect(existsSync(homeLockFile(home))).toBe(false)
  }, 120_000)

  it('releases the lock on SIGTERM, and the database opens again', async () => {
    const home = mkdtempSync(join(work, 'home-'))
    const lock = homeLockFile(home)
    const run = start(home, ['ingest', big])
    await waitForLock(lock, run)
    run.child.kill('SIGTERM')
    const ended = await run.done
    expect(ended.signal).toBe('SIGTERM')
    expect(existsSync(lock)).toBe(false)
    const again = await start(home, ['ingest', big]).done
    expect(again.code, again.stderr).toBe(0)
    expect(await counts(home)).toEqual({ files: 1, claims: CLAIMS, items: expected.items })
  }, 300_000)

  it('fails at once with DB_LOCKED after waiting ONCO_EDI_WAIT seconds for a live holder', async () => {
    const home = mkdtempSync(join(work, 'home-'))
    // A live holder: this test process.
    writeFileSync(
      homeLockFile(home),
      JSON.stringify({ pid: process.pid, host: hostname(), command: 'test holder', since: 'now' }),
    )
    const began = Date.now()
    const run = await start(home, ['queue', 'list'], { ONCO_EDI_WAIT: '1' }).done
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^DB_LOCKED: .*pid \d+ .*"test holder".* after waiting 1 s\n$/)
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000)
    // Commands without a database never look at the lock.
    const inspect = await start(home, ['inspect', big]).done
    expect(inspect.code, inspect.stderr).toBe(0)
  }, 120_000)

  it.runIf(process.env.DATABASE_URL !== undefined)(
    'takes no lock on PostgreSQL: a locked home does not stop a PostgreSQL command',
    async () => {
      const home = mkdtempSync(join(work, 'home-'))
      writeFileSync(
        homeLockFile(home),
        JSON.stringify({ pid: process.pid, host: hostname(), command: 'test holder', since: 'now' }),
      )
      const database = await cliDatabase(process.env.DATABASE_URL)
      try {
        const run = await start(home, ['queue', 'list'], { DATABASE_URL: database.config.databaseUrl ?? '' })
          .done
        expect(run.code, run.stderr).toBe(0)
        expect(run.stdout).toContain('0 item(s)')
      } finally {
        await database.cleanup()
      }
    },
    120_000,
  )
  if (process.env.DATABASE_URL === undefined)
    it('PostgreSQL part: not run (DATABASE_URL is not set)', () => {
      process.stdout.write('home-lock-process: PostgreSQL case not run: DATABASE_URL is not set\n')
    })
})
