import { expect, it } from 'vitest'
import { COLLECT_EVERY_CLAIMS, collectAfterClaims } from '../../../src/batch/heap-collector.js'

it('collects the heap once every COLLECT_EVERY_CLAIMS claims, counted over files', () => {
  // Whatever earlier files left in the count: this crosses the threshold and starts afresh.
  expect(collectAfterClaims(COLLECT_EVERY_CLAIMS)).toBe(true)
  const half = Math.floor(COLLECT_EVERY_CLAIMS / 2)
  expect(collectAfterClaims(half)).toBe(false)
  expect(collectAfterClaims(0)).toBe(false)
  expect(collectAfterClaims(COLLECT_EVERY_CLAIMS - half)).toBe(true)
  expect(collectAfterClaims(1)).toBe(false)
  // Garbage is gone after a collection: a dropped 50 MB array no longer counts in heapUsed.
  let garbage: number[] | undefined = Array.from({ length: 6_000_000 }, (_, i) => i)
  const withGarbage = process.memoryUsage().heapUsed
  garbage = undefined
  expect(garbage).toBeUndefined()
  expect(collectAfterClaims(COLLECT_EVERY_CLAIMS)).toBe(true)
  expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 20 * 1024 * 1024)
})
