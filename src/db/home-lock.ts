import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { DbError } from './db-error.js'

/** What a home lock file holds: who has the embedded database open. */
export interface HomeLockOwner {
  pid: number
  host: string
  /** The command line, e.g. `ingest c.837`. */
  command: string
  /** ISO timestamp of when the lock was taken. */
  since: string
}

export interface HomeLockOptions {
  /** The lock file, `$ONCO_EDI_HOME/onco-edi.lock`. */
  file: string
  /** Recorded for the process that finds the lock taken. */
  command: string
  /** How long to wait for another process's lock (0: fail at once, Infinity: no limit). */
  waitSeconds: number
}

/** How often a waiting process looks at the lock again. */
const POLL_MS = 200
/**
 * An empty or unparsable lock file younger than this is a lock being written (the owner has
 * created it with O_EXCL and not yet written its pid); older, it is left over from a crash.
 */
const WRITING_GRACE_MS = 5_000

interface Held {
  file: string
  count: number
  content: string
}

/** Locks this process holds, by file: one process may open its own home more than once (demo). */
const held = new Map<string, Held>()

/**
 * Takes the exclusive lock on an embedded database's home for this process: a lock file created
 * with O_EXCL (`wx`) holding the owner's pid, host, command and start time. Two PGlite processes on
 * one data directory corrupt it, so a second process waits (`waitSeconds`) or fails at once with
 * DB_LOCKED naming the holder. A lock whose pid is dead on this host is stale and taken over.
 * Re-entrant within a process; the lock is released when every acquirer has released it, and at
 * exit, SIGINT and SIGTERM.
 *
 * @returns the release function (idempotent).
 */
export async function acquireHomeLock(options: HomeLockOptions): Promise<() => void> {
  const mine = held.get(options.file)
  if (mine !== undefined) {
    mine.count++
    return once(() => release(mine))
  }
  const content = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    command: options.command,
    since: new Date().toISOString(),
  } satisfies HomeLockOwner)
  const deadline = Date.now() + options.waitSeconds * 1000
  for (;;) {
    const owner = tryCreate(options.file, content)
    if (owner === undefined) {
      const entry: Held = { file: options.file, count: 1, content }
      held.set(options.file, entry)
      installExitHandlers()
      return once(() => release(entry))
    }
    if (owner !== 'busy' && isStale(owner)) {
      removeStale(options.file, owner)
      continue
    }
    if (Date.now() >= deadline) throw lockedError(options, owner)
    await sleep(POLL_MS)
  }
}

/** Reads the owner of a lock file, for messages and tests; `undefined` when there is no lock. */
export function readHomeLock(file: string): HomeLockOwner | undefined {
  const owner = readOwner(file)
  return owner === 'busy' ? undefined : owner
}

/** `undefined` when the lock is ours now, else its owner ('busy' while it is being written). */
function tryCreate(file: string, content: string): HomeLockOwner | 'busy' | undefined {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o644)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      mkdirSync(dirname(file), { recursive: true })
      return tryCreate(file, content)
    }
    if (errorCode(error) !== 'EEXIST') throw unavailable(file, error)
    return readOwner(file) ?? 'busy'
  }
  try {
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
  return undefined
}

function readOwner(file: string): HomeLockOwner | 'busy' | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw unavailable(file, error)
  }
  const owner = parseOwner(text)
  if (owner !== undefined) return owner
  // Being written, or left half-written by a crash: only the age tells them apart.
  try {
    if (Date.now() - statSync(file).mtimeMs < WRITING_GRACE_MS) return 'busy'
  } catch {
    return undefined
  }
  return { pid: 0, host: hostname(), command: '(unreadable lock file)', since: '?' }
}

function parseOwner(text: string): HomeLockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return undefined
    const { pid, host, command, since } = value as Record<string, unknown>
    if (typeof pid !== 'number' || typeof host !== 'string') return undefined
    return {
      pid,
      host,
      command: typeof command === 'string' ? command : '?',
      since: typeof since === 'string' ? since : '?',
    }
  } catch {
    return undefined
  }
}

/** A lock of this host whose process is gone. A lock of another host is never taken over. */
function isStale(owner: HomeLockOwner): boolean {
  if (owner.host !== hostname()) return false
  if (owner.pid <= 0) return true
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'ESRCH'
  }
}

/**
 * Removes a stale lock without removing a live one that replaced it meanwhile: the file is moved
 * aside first, and put back (link fails if a new lock exists) when it is not the stale one.
 */
function removeStale(file: string, stale: HomeLockOwner): void {
  const aside = `${file}.stale-${process.pid}`
  try {
    renameSync(file, aside)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return
    throw unavailable(file, error)
  }
  const moved = parseOwner(safeRead(aside))
  if (moved !== undefined && (moved.pid !== stale.pid || moved.since !== stale.since)) {
    try {
      linkSync(aside, file)
    } catch {
      // A third process has taken the lock meanwhile; it is the owner now.
    }
  }
  try {
    unlinkSync(aside)
  } catch {
    // Already gone.
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function release(entry: Held): void {
  entry.count--
  if (entry.count > 0) return
  held.delete(entry.file)
  // Only our own lock is removed: never one that replaced it.
  if (safeRead(entry.file) === entry.content) {
    try {
      unlinkSync(entry.file)
    } catch {
      // Already gone.
    }
  }
  if (held.size === 0) removeExitHandlers()
}

function releaseAll(): void {
  for (const entry of [...held.values()]) {
    entry.count = 1
    release(entry)
  }
}

/** Set while a caller stops the process itself on SIGINT/SIGTERM (see {@link deferSignalsToCaller}). */
let signalsDeferred = 0

/**
 * For a long-running command that closes its database itself on SIGINT/SIGTERM (`serve`): the
 * lock is then not released at the signal, while the database may still be open, but when the
 * caller closes it (or at exit). Returns the undo.
 */
export function deferSignalsToCaller(): () => void {
  signalsDeferred++
  return once(() => {
    signalsDeferred--
  })
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalsDeferred > 0) return
  releaseAll()
  removeExitHandlers()
  // Die of the same signal, as the default handler would have (exit 130 / 143 in a shell).
  process.kill(process.pid, signal)
}

let installed = false

function installExitHandlers(): void {
  if (installed) return
  installed = true
  process.on('exit', releaseAll)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

function removeExitHandlers(): void {
  if (!installed) return
  installed = false
  process.removeListener('exit', releaseAll)
  process.removeListener('SIGINT', onSignal)
  process.removeListener('SIGTERM', onSignal)
}

function lockedError(options: HomeLockOptions, owner: HomeLockOwner | 'busy'): DbError {
  const waited =
    options.waitSeconds > 0
      ? ` after waiting ${options.waitSeconds} s`
      : '; run with --wait[=SECONDS] to wait'
  if (owner === 'busy')
    return new DbError('DB_LOCKED', `${options.file} is being taken by another process${waited}`)
  return new DbError(
    'DB_LOCKED',
    `The embedded database is in use by pid ${owner.pid} on ${owner.host} (${JSON.stringify(owner.command)}, since ${owner.since}); lock ${options.file}${waited}`,
  )
}

function unavailable(file: string, cause: unknown): DbError {
  return new DbError(
    'DB_UNAVAILABLE',
    `Cannot take the lock ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  )
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

function once(action: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    action()
  }
}
