import type { ProgressStream } from '../cli/progress.js'
import type { BatchCounts } from './batch-service.js'

/** The live status line of `batch` and `worker` on a terminal; nothing off a terminal. */
export interface StatusLine {
  update(counts: BatchCounts): void
  finish(): void
}

/**
 * `batch: 12 queued  2 in progress  180 done  1 duplicate  0 failed  3,450 claims/s`, redrawn in
 * place on stderr at most every `minIntervalMs` (default 200 ms). Off a terminal nothing is drawn:
 * the JSON logs are the record.
 */
export function createStatusLine(
  stream: ProgressStream,
  label: string,
  options: { minIntervalMs?: number; now?: () => number } = {},
): StatusLine {
  if (stream.isTTY !== true) return { update() {}, finish() {} }
  const now = options.now ?? (() => performance.now())
  const interval = options.minIntervalMs ?? 200
  const started = now()
  let last = Number.NEGATIVE_INFINITY
  let drawn = false
  const format = (n: number): string => n.toLocaleString('en-US')
  return {
    update(counts) {
      const at = now()
      if (at - last < interval) return
      last = at
      const seconds = Math.max((at - started) / 1000, 0.001)
      const rate = Math.round(counts.claims / seconds)
      const line =
        `${label}: ${format(counts.queued)} queued  ${format(counts.inProgress)} in progress  ` +
        `${format(counts.done)} done  ${format(counts.duplicates)} duplicate  ${format(counts.failed)} failed` +
        (counts.errors > 0 ? `  ${format(counts.errors)} to retry` : '') +
        (counts.recoveryPending > 0 ? `  ${format(counts.recoveryPending)} need rematch` : '') +
        `  ${format(rate)} claims/s`
      const width = stream.columns ?? 120
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(width - 1, 20))}`)
      drawn = true
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K')
      drawn = false
    },
  }
}

/**
 * The clause `batch` and `worker` add to their summary for files stored whose pass after the
 * commit failed; empty when there are none.
 */
export function recoveryPendingClause(counts: BatchCounts): string {
  return counts.recoveryPending > 0
    ? `, ${counts.recoveryPending} stored whose recovery pass failed (INGEST_RECOVERY_PENDING: run onco-edi rematch)`
    : ''
}

/** Exit code of a `batch` or `worker` run: 1 when a file failed, is kept to be tried again or needs `rematch`. */
export function batchExitCode(counts: BatchCounts): 0 | 1 {
  return counts.failed > 0 || counts.errors > 0 || counts.recoveryPending > 0 ? 1 : 0
}
