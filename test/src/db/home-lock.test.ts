import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DbError } from '../../../src/db/db-error.js'
import { acquireHomeLock, readHomeLock } from '../../../src/db/home-lock.js'

function lockFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'lock-')), 'home', 'onco-edi.lock')
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'])
  await new Promise((ok) => child.on('close', ok))
  return child.pid ?? 0
}

async function lockedError(promise: Promise<unknown>): Promise<DbError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof DbError)) throw new Error(`expected a DbError, got ${String(error)}`)
  return error
}

describe('home lock', () => {
  it('writes the owner (pid, host, command, since) and removes the file on release', async () => {
    const file = lockFile()
    const release = await acquireHomeLock({ file, command: 'ingest a.837', waitSeconds: 0 })
    expect(readHomeLock(file)).toMatchObject({ pid: process.pid, host: hostname(), command: 'ingest a.837' })
    expect(readHomeLock(file)?.since).toMatch(/^\d{4}-\d\d-\d\dT/)
    release()
    release()
    expect(existsSync(file)).toBe(false)
  })

  it('is re-entrant within a process: released when every holder has released it', async () => {
    const file = lockFile()
    const first = await acquireHomeLock({ file, command: 'demo', waitSeconds: 0 })
    const second = await acquireHomeLock({ file, command: 'demo', waitSeconds: 0 })
    first()
    expect(existsSync(file)).toBe(true)
    second()
    expect(existsSync(file)).toBe(false)
  })

  it('refuses at once with DB_LOCKED naming a live holder', async () => {
    const file = lockFile()
    const holder = {
      pid: process.ppid,
      host: hostname(),
      command: 'ingest c.837',
      since: '2026-12-04T10:00:00Z',
    }
    await acquireHomeLock({ file, command: 'x', waitSeconds: 0 }).then((r) => r())
    writeFileSync(file, JSON.stringify(holder))
    const error = await lockedError(acquireHomeLock({ file, command: 'queue list', waitSeconds: 0 }))
    expect(error.code).toBe('DB_LOCKED')
    expect(error.message).toContain(
      `pid ${process.ppid} on ${hostname()} ("ingest c.837", since 2026-12-04T10:00:00Z)`,
    )
    expect(error.message).toContain('--wait')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(holder)
  })

  it('waits for a live holder to go away when asked to', async () => {
    const file = lockFile()
    await acquireHomeLock({ file, command: 'x', waitSeconds: 0 }).then((r) => r())
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: hostname(), command: 'other', since: 's' }))
    const began = Date.now()
    // The holder finishes after half a second: its lock file goes.
    const timer = setTimeout(() => unlinkSync(file), 500)
    const release = await acquireHomeLock({ file, command: 'waiter', waitSeconds: 30 })
    clearTimeout(timer)
    expect(Date.now() - began).toBeGreaterThanOrEqual(400)
    expect(readHomeLock(file)?.command).toBe('waiter')
    release()
  })

  it('gives up after the wait with DB_LOCKED', async () => {
    const file = lockFile()
    await acquireHomeLock({ file, command: 'x', waitSeconds: 0 }).then((r) => r())
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: hostname(), command: 'other', since: 's' }))
    const error = await lockedError(acquireHomeLock({ file, command: 'waiter', waitSeconds: 1 }))
    expect(error.message).toContain('after waiting 1 s')
  })

  it('takes over a stale lock (dead pid on this host) and an old unreadable one', async () => {
    const file = lockFile()
    await acquireHomeLock({ file, command: 'x', waitSeconds: 0 }).then((r) => r())
    writeFileSync(
      file,
      JSON.stringify({ pid: await deadPid(), host: hostname(), command: 'crashed', since: 's' }),
    )
    const release = await acquireHomeLock({ file, command: 'after crash', waitSeconds: 0 })
    expect(readHomeLock(file)?.command).toBe('after crash')
    release()

    writeFileSync(file, '')
    const young = await lockedError(acquireHomeLock({ file, command: 'y', waitSeconds: 0 }))
    expect(young.code).toBe('DB_LOCKED')
    const old = new Date(Date.now() - 60_000)
    utimesSync(file, old, old)
    const again = await acquireHomeLock({ file, command: 'after half-written', waitSeconds: 0 })
    expect(readHomeLock(file)?.command).toBe('after half-written')
    again()
  })

  it('never takes over the lock of another host', async () => {
    const file = lockFile()
    await acquireHomeLock({ file, command: 'x', waitSeconds: 0 }).then((r) => r())
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'another-host', command: 'ingest', since: 's' }))
    const error = await lockedError(acquireHomeLock({ file, command: 'y', waitSeconds: 0 }))
    expect(error.message).toContain('on another-host')
  })

  it('does not remove a lock that replaced its own', async () => {
    const file = lockFile()
    const release = await acquireHomeLock({ file, command: 'mine', waitSeconds: 0 })
    const theirs = JSON.stringify({ pid: process.ppid, host: hostname(), command: 'theirs', since: 's' })
    writeFileSync(file, theirs)
    release()
    expect(readFileSync(file, 'utf8')).toBe(theirs)
  })
})
