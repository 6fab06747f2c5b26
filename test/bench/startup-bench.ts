import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'

/** The target: `onco-edi --help` and `inspect` of a small file within this many milliseconds. */
export const STARTUP_TARGET_MS = 200

/** One measured command: its median wall time over the runs, and that minus `node -e 0`'s. */
export interface StartupResult {
  name: string
  medianMs: number
  overNodeMs: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function timeRun(args: string[], cwd: string): number {
  const began = performance.now()
  const run = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = performance.now() - began
  if (run.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.toString()}`)
  return ms
}

/**
 * Start-up time of the CLI, each command in a fresh process, against a bare `node -e 0`: the median
 * of `runs` runs each, interleaved so that a busy moment of the machine hits every command alike.
 */
export function runStartupBench(runs = 9): StartupResult[] {
  const root = resolve(import.meta.dirname, '..', '..', '..')
  const main = join(root, 'dist', 'src', 'cli', 'main.js')
  const commands: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['onco-edi --help', [main, '--help']],
    [
      'onco-edi inspect 835-oncology.x12 (3 KB)',
      [main, 'inspect', join('fixtures', 'x12', '835-oncology.x12')],
    ],
    [
      'onco-edi inspect 837p-oncology.x12 --json',
      [main, 'inspect', join('fixtures', 'x12', '837p-oncology.x12'), '--json'],
    ],
  ]
  const times = commands.map((): number[] => [])
  for (let i = 0; i < runs + 1; i++)
    commands.forEach(([, args], c) => {
      const ms = timeRun(args, root)
      // The first round warms the file-system cache and is not counted.
      if (i > 0) times[c]?.push(ms)
    })
  const base = median(times[0] ?? [])
  const results = commands.map(([name], c) => {
    const medianMs = median(times[c] ?? [])
    return { name, medianMs, overNodeMs: medianMs - base }
  })
  process.stdout.write(`start-up, median of ${runs} runs each (wall time, fresh process):\n`)
  for (const r of results) {
    const verdict =
      r.name === 'node -e 0' ? '' : r.medianMs <= STARTUP_TARGET_MS ? '  (within 200 ms)' : '  (OVER 200 ms)'
    process.stdout.write(
      `  ${r.name.padEnd(42)} ${r.medianMs.toFixed(0).padStart(5)} ms  node + ${r.overNodeMs.toFixed(0).padStart(4)} ms${verdict}\n`,
    )
  }
  return results
}
