import { describe, expect, it } from 'vitest'
import type { PeerResult } from './bench/parse-bench.js'
import { summarize } from './bench/parse-bench.js'

/** A child's result for 100 MB: one pass per entry of `cpuMs`, wall time twice the CPU time. */
function result(cpuMs: number[], peakRss: number, items = 7): PeerResult {
  return {
    peer: 'reader',
    file: 'remit.835',
    bytes: 100e6,
    passes: cpuMs.map((cpu) => ({ ms: cpu * 2, cpuMs: cpu, items })),
    peakRss,
  }
}

describe('parse bench summary', () => {
  it('prints the median of the rounds, cold from the first pass and warm from the last', () => {
    // Cold CPU ms 1000, 2000, 500 → 100, 50, 200 MB/s → median 100. Warm 250, 400, 200 → 400, 250, 500.
    const summary = summarize([result([1000, 250], 10), result([2000, 400], 30), result([500, 200], 20)])
    expect(summary.cold).toBe(100)
    expect(summary.warm).toBe(400)
    expect(summary.coldWall).toBe(50)
    expect(summary.peakRss).toBe(30)
    expect(summary.rounds).toBe(3)
    expect(summary.items).toBe(7)
  })

  it('averages the middle two of an even number of rounds, and has no warm figure with one pass', () => {
    const summary = summarize([result([1000], 1), result([500], 1)])
    expect(summary.cold).toBe(150)
    expect(summary.warm).toBeUndefined()
  })

  it('refuses passes that did different work', () => {
    const odd = result([1000, 500], 1)
    const second = odd.passes[1]
    if (second !== undefined) second.items = 6
    expect(() => summarize([odd])).toThrow(/produced 6 items/)
  })
})
