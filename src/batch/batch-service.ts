import PQueue from 'p-queue'
import type { Logger } from 'pino'
import type { DatabaseHandle } from '../db/create-database.js'
import { runOwedRecoveryPasses } from '../ingest/ingest-files.js'
import type { BatchSetup } from './batch-setup.js'
import {
  claimInboxFile,
  inboxFolders,
  isInboxName,
  listClaimed,
  listInbox,
  prepareInbox,
  retireClaim,
} from './inbox.js'
import type { BatchResult, ClaimedFile } from './process-file.js'
import { processClaimedFile, removeStaleStaging } from './process-file.js'

/** The live counts of a run (the status line, the final summary). */
export interface BatchCounts {
  queued: number
  inProgress: number
  done: number
  duplicates: number
  failed: number
  /** Files the database refused (kept in `.work/`, tried again on the next rescan or start). */
  errors: number
  /**
   * Files stored (counted in `done`) whose re-match and recovery pass after the commit failed
   * (`INGEST_RECOVERY_PENDING` in their result): `onco-edi rematch` repairs them.
   */
  recoveryPending: number
  claims: number
}

/** Counts before the first file. */
export function emptyBatchCounts(): BatchCounts {
  return {
    queued: 0,
    inProgress: 0,
    done: 0,
    duplicates: 0,
    failed: 0,
    errors: 0,
    recoveryPending: 0,
    claims: 0,
  }
}

export interface BatchServiceOptions {
  handle: DatabaseHandle
  setup: BatchSetup
  inbox: string
  outbox: string
  /** Files processed at once (p-queue); PGlite runs one at a time (one connection). */
  concurrency: number
  /** Drain the inbox (and `.work/` leftovers) and return, instead of watching. */
  once: boolean
  logger: Logger
  /** Seconds between rescans of the inbox in watch mode (the watcher is a trigger only). */
  rescanSeconds?: number
  /** Called whenever a count changes (the status line). */
  onChange?: (counts: BatchCounts) => void
  /** Called with each file's result as it is finished. */
  onResult?: (result: BatchResult) => void
  /** Ends watch mode: the run stops taking files, finishes those in hand and returns. */
  signal?: AbortSignal
}

/**
 * The inbox service: recovers the files a dead process left in `.work/`, claims every file of the
 * inbox (rename into `.work/`), processes them with bounded concurrency (p-queue) and retires
 * each to `.done/` or `.failed/` once its outputs are in the outbox. With `once` it returns when
 * the inbox is empty; otherwise chokidar's events and a periodic rescan trigger new claims until
 * `signal` aborts. Which files are done is decided by the database (process-file.ts), never by
 * the watcher.
 */
export async function runBatchService(options: BatchServiceOptions): Promise<BatchCounts> {
  const { inbox, outbox, logger } = options
  await prepareInbox(inbox, outbox)
  await runOwedPasses(options.handle, options.setup, logger)
  const counts = emptyBatchCounts()
  const changed = (): void => options.onChange?.(counts)
  const concurrency = options.handle.engine === 'pglite' ? 1 : options.concurrency
  const queue = new PQueue({ concurrency })
  const inHand = new Set<string>()

  const run = async (file: ClaimedFile): Promise<void> => {
    counts.queued--
    counts.inProgress++
    changed()
    try {
      const committed = await processClaimedFile(file, {
        handle: options.handle,
        setup: options.setup,
        outbox,
        failedDir: inboxFolders(inbox).failed,
      })
      await retireClaim(inbox, outbox, file, committed)
      const result = committed.result
      if (result.status === 'failed') counts.failed++
      else if (result.status === 'duplicate') counts.duplicates++
      else counts.done++
      if (isRecoveryPending(result)) counts.recoveryPending++
      counts.claims += result.counts.claims
      logResult(logger, result)
      options.onResult?.(result)
    } catch (error) {
      counts.errors++
      logger.error(
        { file: file.name, claimId: file.claimId, err: error },
        'batch file not processed (kept to be tried again)',
      )
    } finally {
      counts.inProgress--
      inHand.delete(file.claimId)
      changed()
    }
  }
  const take = (file: ClaimedFile): void => {
    if (inHand.has(file.claimId)) return
    inHand.add(file.claimId)
    counts.queued++
    changed()
    void queue.add(() => run(file))
  }

  // Recovery: files claimed by a process that died. Staged outputs of claims that are gone are
  // leftovers of a transaction that never committed.
  const leftovers = await listClaimed(inbox)
  await removeStaleStaging(outbox, new Set(leftovers.map((f) => f.claimId)))
  if (leftovers.length > 0) logger.info({ files: leftovers.length }, 'recovering claimed files')
  for (const file of leftovers) take(file)

  let scanning: Promise<number> | undefined
  let again = false
  /** Claims every file in the inbox; one scan at a time, a request during one runs one more. */
  const scan = async (): Promise<number> => {
    if (scanning !== undefined) {
      again = true
      return scanning
    }
    scanning = (async () => {
      let claimed = 0
      do {
        again = false
        for (const name of await listInbox(inbox)) {
          const file = await claimInboxFile(inbox, name)
          if (file === undefined) continue
          claimed++
          take(file)
        }
      } while (again)
      return claimed
    })()
    try {
      return await scanning
    } finally {
      scanning = undefined
    }
  }

  if (options.once) {
    // Drain: scan until a scan claims nothing and every claimed file is finished.
    for (;;) {
      const claimed = await scan()
      await queue.onIdle()
      if (claimed === 0) break
    }
    return counts
  }

  const { watch } = await import('chokidar')
  const watcher = watch(inbox, {
    depth: 0,
    ignoreInitial: true,
    ignored: (path: string) => {
      const name = path.slice(path.lastIndexOf('/') + 1)
      return path !== inbox && !isInboxName(name)
    },
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
  })
  const trigger = (): void => {
    scan().catch((error: unknown) => logger.error({ err: error }, 'inbox scan failed'))
  }
  watcher.on('add', trigger)
  watcher.on('error', (error: unknown) => logger.error({ err: error }, 'inbox watcher error'))
  const rescan = setInterval(
    () => {
      trigger()
      // Files the database refused stay in .work/: try them again.
      listClaimed(inbox)
        .then((files) => {
          for (const file of files) take(file)
        })
        .catch((error: unknown) => logger.error({ err: error }, 'work folder scan failed'))
    },
    (options.rescanSeconds ?? 30) * 1000,
  )
  try {
    await scan()
    await new Promise<void>((resolve) => {
      if (options.signal === undefined) return
      if (options.signal.aborted) resolve()
      else options.signal.addEventListener('abort', () => resolve(), { once: true })
    })
  } finally {
    clearInterval(rescan)
    await watcher.close()
    await queue.onIdle()
  }
  return counts
}

/**
 * The passes after a commit that earlier runs left owed (a pass that failed for good, a process
 * that died after a commit; see runOwedRecoveryPasses), logged: one that fails again stays owed.
 */
export async function runOwedPasses(
  handle: DatabaseHandle,
  setup: BatchSetup,
  logger: Logger,
): Promise<void> {
  const owed = await runOwedRecoveryPasses(handle.db, setup.engine, setup.user)
  if (owed.ran > 0) logger.info({ ran: owed.ran }, 'owed recovery passes run')
  for (const failed of owed.failed)
    logger.warn(
      { code: 'INGEST_RECOVERY_PENDING', fileId: failed.fileId, kind: failed.kind, message: failed.message },
      'an owed recovery pass failed again (onco-edi rematch repairs it)',
    )
}

/** One JSON log line per file: its name, ids, counts and codes (no PHI). */
function logResult(logger: Logger, result: BatchResult): void {
  const fields = {
    file: result.file,
    claimId: result.claimId,
    sha256: result.sha256,
    kind: result.kind,
    status: result.status,
    ...result.counts,
    codes: result.codes,
    acknowledgment: result.acknowledgment,
  }
  if (result.status === 'failed') logger.warn(fields, 'batch file failed')
  else if (isRecoveryPending(result))
    logger.warn(
      { ...fields, warnings: result.warnings },
      'batch file processed; its recovery pass failed (onco-edi rematch repairs it)',
    )
  else logger.info(fields, 'batch file processed')
}

/** The file is stored but its pass after the commit failed (`INGEST_RECOVERY_PENDING`). */
export function isRecoveryPending(result: BatchResult): boolean {
  return result.codes.includes('INGEST_RECOVERY_PENDING')
}
