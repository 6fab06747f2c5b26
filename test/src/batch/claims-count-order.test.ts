import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import type { BatchResult } from '../../../src/batch/process-file.js'
import { newClaimId, processClaimedFile } from '../../../src/batch/process-file.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { engines, openTestDatabase } from '../../support/databases.js'

// What a result's `counts.claims` counts, and why its sum over a batch depends on the order the
// files come in (README "Clearinghouse service"; on the external corpus 107 claims in name order,
// 103 in reverse). A file counts the claims it read: an 837 the claims of its interchanges that were
// scrubbed, an 835 those of the sets it stored. Two 837 files with other bytes that reuse one
// sender and ISA13 are not two submissions: only the first one's interchange is read, the other is
// answered TA1 025 and counts none, so the sum is the first one's. Sets already stored from
// another file count in no second file, whichever came first: rework items do not depend on order.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
/** 8 claims; sender E2EONC, ISA13 000001001. */
const MEDICARE_837 = join(E2E, '837p-medicare-2026-01.x12')
/** 10 CLPs, 7 rework items. */
const DENIAL_835 = join(E2E, '835-medicare-2026-02-02.x12')

const folder = mkdtempSync(join(tmpdir(), 'claims-count-order-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** The commercial 837 (3 claims) under the Medicare 837's ISA13: the same sender's number reused. */
function reusedControl(): string {
  const path = join(folder, 'commercial-reusing-isa13.x12')
  const text = readFileSync(join(E2E, '837p-commercial-2026-01.x12'), 'latin1')
  writeFileSync(
    path,
    text.replace('*000001002*', '*000001001*').replace('IEA*1*000001002', 'IEA*1*000001001'),
  )
  return path
}

/** DENIAL_835's one set in another interchange (ISA13, GS06 and ST02 of its own). */
function sameSetResent(): string {
  const path = join(folder, 'denial-resent.x12')
  const text = readFileSync(DENIAL_835, 'latin1')
  writeFileSync(
    path,
    text
      .replaceAll('000003001', '000003901')
      .replace('*3001*X*', '*3901*X*')
      .replace('GE*1*3001', 'GE*1*3901')
      .replace('ST*835*0001', 'ST*835*0007')
      .replace(/SE\*(\d+)\*0001/, 'SE*$1*0007'),
  )
  return path
}

/** Processes the files one after another as `batch --once --concurrency 1` does. */
async function processInOrder(
  handle: DatabaseHandle,
  paths: readonly string[],
): Promise<Map<string, BatchResult>> {
  const outbox = mkdtempSync(join(folder, 'outbox-'))
  const setup = await loadBatchSetup(handle, { user: 'batch-test' })
  const results = new Map<string, BatchResult>()
  for (const path of paths) {
    const done = await processClaimedFile(
      { claimId: newClaimId(), name: basename(path), path },
      {
        handle,
        setup,
        outbox,
      },
    )
    results.set(path, done.result)
  }
  return results
}

function sum(results: Map<string, BatchResult>, count: 'claims' | 'items'): number {
  return [...results.values()].reduce((total, r) => total + r.counts[count], 0)
}

for (const engine of engines) {
  it(`[${engine.name}] a batch's claims count each file's read claims: the sum follows which file reused an ISA13 first`, async () => {
    const reused = reusedControl()
    const resent = sameSetResent()
    const forward = await openTestDatabase(engine.url)
    const backward = await openTestDatabase(engine.url)
    try {
      const first = await processInOrder(forward.handle, [MEDICARE_837, reused, DENIAL_835, resent])
      const second = await processInOrder(backward.handle, [resent, DENIAL_835, reused, MEDICARE_837])
      const view = (results: Map<string, BatchResult>) =>
        [MEDICARE_837, reused, DENIAL_835, resent].map((path) => {
          const r = results.get(path)
          return [
            basename(path),
            r?.status,
            r?.counts.claims,
            r?.counts.duplicateInterchanges,
            r?.counts.items,
          ]
        })
      expect(view(first)).toEqual([
        ['837p-medicare-2026-01.x12', 'processed', 8, 0, 0],
        ['commercial-reusing-isa13.x12', 'duplicate', 0, 1, 0],
        ['835-medicare-2026-02-02.x12', 'processed', 10, 0, 7],
        ['denial-resent.x12', 'duplicate', 0, 0, 0],
      ])
      expect(view(second)).toEqual([
        ['837p-medicare-2026-01.x12', 'duplicate', 0, 1, 0],
        ['commercial-reusing-isa13.x12', 'processed', 3, 0, 0],
        ['835-medicare-2026-02-02.x12', 'duplicate', 0, 0, 0],
        ['denial-resent.x12', 'processed', 10, 0, 7],
      ])
      // 18 against 13: the difference is the claims of the interchange read first (8 or 3).
      expect([sum(first, 'claims'), sum(second, 'claims')]).toEqual([18, 13])
      expect(sum(first, 'items')).toBe(sum(second, 'items'))
    } finally {
      await backward.cleanup()
      await forward.cleanup()
    }
  }, 120_000)
}
