import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Claims a batch process handles between two full collections of V8's heap. A 5,000-claim 837
 * leaves about 200 MB of garbage (its staged transaction set, the scrub's records, the
 * acknowledgment's read, the accepted batch stored); what a run keeps alive stays about 35 MB.
 */
export const COLLECT_EVERY_CLAIMS = 5000

let collect: (() => void) | undefined
let sinceLastCollection = 0

/**
 * Notes a finished file's claims and, once {@link COLLECT_EVERY_CLAIMS} have gone by since the
 * last time, collects V8's heap in full. Returns whether it collected.
 *
 * Why: left to itself, V8 sizes the next heap limit from what was alive at its last full
 * collection, and one that lands inside a file (its set staged) raises the limit for every file
 * after; freed pages stay mapped. `batch --once` over 60 files of 5,000 claims on PGlite peaked at
 * 1.2 GB RSS, rising file after file, although the live heap between files stayed at 35 MB and
 * PGlite's WebAssembly memory at 189 MB (sampled with process.memoryUsage() and PGlite's
 * `Module.HEAPU8`). Collected between files, 200 such files (1M claims) peaked at 0.65 GB. The
 * price, measured side by side on the same build (10 files of 5,000 claims, PGlite): 26.2 s of CPU
 * against 23.8 s (+10%), peak RSS 604 MB against 978 MB; each collection pauses 60-130 ms, the rest
 * is the released pages faulted in again by the next file.
 * `gc` is reached without starting node with --expose-gc (as src/db/create-database.ts does).
 */
export function collectAfterClaims(claims: number): boolean {
  sinceLastCollection += claims
  if (sinceLastCollection < COLLECT_EVERY_CLAIMS) return false
  sinceLastCollection = 0
  if (collect === undefined) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
  return true
}
