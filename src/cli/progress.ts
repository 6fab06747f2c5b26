/** A stream the bar may draw on: a TTY says so with `isTTY` and gives its width in `columns`. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number }

export interface ProgressOptions {
  /** Where to draw (stderr): nothing is drawn unless `stream.isTTY` is true. */
  stream: ProgressStream
  /** What is running, e.g. `ingest`. */
  label: string
  /** Bytes of all input files; 0 when unknown (no percentage, no ETA). */
  totalBytes: number
  /** What is counted besides bytes, e.g. `claims` or `rows`. */
  unit?: string
  /** Shortest time between two redraws (default 100 ms: at most ~10 redraws a second). */
  minIntervalMs?: number
  /** The clock, for tests (default `performance.now`). */
  now?: () => number
}

/** A progress bar on a terminal; a no-op off a terminal. */
export interface Progress {
  /** The work done so far (totals, not increments). Redraws at most every `minIntervalMs`. */
  update(done: { bytes: number; count: number }): void
  /** Removes the bar, so that the command's own output starts on a clean line. */
  finish(): void
}

const NO_PROGRESS: Progress = { update() {}, finish() {} }

/** Bars drawn and not yet finished: a failing command leaves its bar to `finishProgress`. */
const active = new Set<Progress>()

/** Removes every bar still drawn (main calls it before printing an error line). */
export function finishProgress(): void {
  for (const progress of [...active]) progress.finish()
}

/**
 * Creates the progress bar of a long command (ingest, scrub, codes import):
 * `ingest [#######.......]  45%  12.3/27.0 MB  1,234 claims  2.1 MB/s  ETA 0:07`, redrawn in place
 * on stderr at most ~10 times a second. Off a terminal (a pipe, a file, CI) nothing is written: logs
 * and redirected output stay clean.
 */
export function createProgress(options: ProgressOptions): Progress {
  if (options.stream.isTTY !== true) return NO_PROGRESS
  const now = options.now ?? (() => performance.now())
  const interval = options.minIntervalMs ?? 100
  const started = now()
  let lastDraw = Number.NEGATIVE_INFINITY
  let drawn = false
  const progress: Progress = {
    update(done) {
      const at = now()
      if (at - lastDraw < interval) return
      lastDraw = at
      drawn = true
      active.add(progress)
      const width = options.stream.columns ?? 80
      options.stream.write(
        `\r${formatProgressLine({ ...options, ...done, elapsedMs: at - started, width })}\u001b[K`,
      )
    },
    finish() {
      if (drawn) options.stream.write('\r\u001b[K')
      drawn = false
      active.delete(progress)
    },
  }
  return progress
}

/** The text of one bar, fitted to `width` columns. Exported for tests. */
export function formatProgressLine(state: {
  label: string
  totalBytes: number
  unit?: string
  bytes: number
  count: number
  elapsedMs: number
  width: number
}): string {
  const seconds = state.elapsedMs / 1000
  const rate = seconds > 0 ? state.bytes / seconds : 0
  const known = state.totalBytes > 0
  const fraction = known ? Math.min(1, state.bytes / state.totalBytes) : 0
  const parts = [
    known ? `${String(Math.floor(fraction * 100)).padStart(3)}%` : '',
    known ? `${megabytes(state.bytes)}/${megabytes(state.totalBytes)} MB` : `${megabytes(state.bytes)} MB`,
    `${state.count.toLocaleString('en-US')} ${state.unit ?? 'claims'}`,
    `${megabytes(rate)} MB/s`,
    known && rate > 0 ? `ETA ${clock((state.totalBytes - state.bytes) / rate)}` : '',
  ].filter((p) => p !== '')
  const tail = `  ${parts.join('  ')}`
  const room = state.width - 1 - state.label.length - tail.length - 3
  if (!known || room < 10) return `${state.label}${tail}`.slice(0, Math.max(0, state.width - 1))
  const bar = Math.min(room, 30)
  const filled = Math.round(fraction * bar)
  return `${state.label} [${'#'.repeat(filled)}${'.'.repeat(bar - filled)}]${tail}`
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1)
}

/** `m:ss`, or `h:mm:ss` from an hour. */
function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds))
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}
