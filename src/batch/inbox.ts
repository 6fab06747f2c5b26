import { mkdir, readdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { ClaimedFile, CommittedFile } from './process-file.js'
import { hasCode, newClaimId, removeStaging } from './process-file.js'

/** A claimed file's name under `.work/`: `CLAIM--NAME` (a claim id never contains `--`). */
const SEPARATOR = '--'

/** The inbox's folders: claimed files, finished ones, and those that could not be read. */
export function inboxFolders(inbox: string): { work: string; done: string; failed: string } {
  return { work: join(inbox, '.work'), done: join(inbox, '.done'), failed: join(inbox, '.failed') }
}

/** Creates the inbox's folders and the outbox. */
export async function prepareInbox(inbox: string, outbox: string): Promise<void> {
  const folders = inboxFolders(inbox)
  for (const dir of [inbox, folders.work, folders.done, folders.failed, outbox])
    await mkdir(dir, { recursive: true })
}

/**
 * A name the inbox takes: not hidden (`.work`, editors' swap files), not a file still being
 * written under a temporary name (`*.part`, `*.tmp`).
 */
export function isInboxName(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('.part') && !name.endsWith('.tmp')
}

/** The regular files waiting in the inbox, oldest name order. */
export async function listInbox(inbox: string): Promise<string[]> {
  const entries = await readdir(inbox, { withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && isInboxName(e.name))
    .map((e) => e.name)
    .sort()
}

/**
 * Claims `name` by renaming it into `.work/` under a new claim id: rename is atomic, so of two
 * processes (or a watcher event and a rescan) only one gets the file. `undefined` when it is gone.
 */
export async function claimInboxFile(inbox: string, name: string): Promise<ClaimedFile | undefined> {
  const claimId = newClaimId()
  const path = join(inboxFolders(inbox).work, `${claimId}${SEPARATOR}${name}`)
  try {
    await rename(join(inbox, name), path)
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined
    throw error
  }
  return { claimId, name, path }
}

/** Files claimed by a process that died before it finished them (recovered on start). */
export async function listClaimed(inbox: string): Promise<ClaimedFile[]> {
  const work = inboxFolders(inbox).work
  const entries = await readdir(work, { withFileTypes: true })
  const claimed: ClaimedFile[] = []
  for (const entry of entries) {
    const at = entry.name.indexOf(SEPARATOR)
    if (!entry.isFile() || at <= 0) continue
    claimed.push({
      claimId: entry.name.slice(0, at),
      name: entry.name.slice(at + SEPARATOR.length),
      path: join(work, entry.name),
    })
  }
  // Plain code-unit order: the ids are fixed-width base 36 in claim order (newClaimId).
  return claimed.sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0))
}

/**
 * Moves a finished file out of `.work/`: to `.done/` or, when it could not be read, to `.failed/`
 * (its result was copied there when it was published). Then removes its staging folder. Run after
 * its outputs are published; safe to run again.
 */
export async function retireClaim(
  inbox: string,
  outbox: string,
  file: ClaimedFile,
  committed: CommittedFile,
): Promise<void> {
  const folders = inboxFolders(inbox)
  const folder = committed.result.status === 'failed' ? folders.failed : folders.done
  try {
    await rename(file.path, join(folder, committed.outputBase))
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error
  }
  await removeStaging(outbox, file.claimId)
}
