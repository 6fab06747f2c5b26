import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import { newClaimId, processClaimedFile } from '../../../src/batch/process-file.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import type { CommitHold } from '../../support/commit-hold.js'
import { holdFileCommits } from '../../support/commit-hold.js'
import { describePostgresOnly, openTestDatabase, openTwoConnections } from '../../support/databases.js'
import { ingestEachInOrder, reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'

// Each way of storing a file (`ingest`; the batch service and the worker, which both store a file
// with processClaimedFile) runs the recovery pass after a file's commit only when another file was
// committed since the file's settlement. Two 835s of one claim held at their commit have both
// settled without the other: whichever commits last must still run the pass, or the payment never
// recovers the denial.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700) among others; BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560 (and reverses and corrects E2E-P-006); BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const outbox = mkdtempSync(join(tmpdir(), 'post-commit-recovery-'))
afterAll(() => rmSync(outbox, { recursive: true, force: true }))

/**
 * How a caller stores one file on a connection: what it says became of the file, and the cents it
 * says the file recovered (the batch service's result has no such figure).
 */
type Store = (
  handle: DatabaseHandle,
  path: string,
) => Promise<{ said: string | undefined; recoveredAmount: number | undefined }>

/** Each caller: how it stores a file, and what it says of a stored 835. */
const callers: { name: string; stored: string; prepare(handle: DatabaseHandle): Promise<Store> }[] = [
  {
    name: 'ingest',
    stored: 'ingested',
    prepare: async () => async (handle, path) => {
      const [result] = await ingestFiles([path], { handle })
      return { said: result?.status, recoveredAmount: result?.recoveredAmount }
    },
  },
  {
    name: 'batch and worker',
    stored: '835 processed',
    prepare: async (first) => {
      const setup = await loadBatchSetup(first, { user: 'batch-test' })
      return async (handle, path) => {
        const file = { claimId: newClaimId(), name: basename(path), path }
        const done = await processClaimedFile(file, { handle, setup, outbox })
        return { said: `${done.result.kind} ${done.result.status}`, recoveredAmount: undefined }
      }
    },
  },
]

describePostgresOnly(
  'recovery when the denying and the paying 835 both settle before either commits [postgres]',
  { file: 'post-commit-recovery.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    for (const caller of callers)
      it(`${caller.name}: ends as the in-order run, the file that commits last runs the pass after its commit`, async () => {
        const reference = await openTestDatabase(url)
        const race = await openTwoConnections(url)
        let hold: CommitHold | undefined
        const running: Promise<unknown>[] = []
        try {
          const inOrder = await ingestEachInOrder(reference.handle, [CLAIMS, DENIAL, PAYMENT])
          const expected = await reworkItemsOf(reference.handle)
          expect(expected.find((i) => i.claimId === 'E2E-P-003')).toMatchObject({
            status: 'partially_recovered',
            recovered: 56000,
          })
          await ingestEachInOrder(race.first, [CLAIMS])
          const store = await caller.prepare(race.first)
          // Each file's transaction stops at its closing audit event (after its own recovery pass,
          // before its commit) until both are there.
          hold = await holdFileCommits(race.first)
          const denial = store(race.first, DENIAL)
          const payment = store(race.second, PAYMENT)
          running.push(denial, payment)
          await hold.waitFor(2)
          await hold.remove()
          const stored = [await denial, await payment]
          expect(stored.map((s) => s.said)).toEqual([caller.stored, caller.stored])
          // The cents the files say they recovered, the pass after the commit's included.
          if (caller.name === 'ingest')
            expect(stored.reduce((sum, s) => sum + (s.recoveredAmount ?? 0), 0)).toBe(
              inOrder.reduce((sum, r) => sum + r.recoveredAmount, 0),
            )
          expect(await reworkItemsOf(race.first)).toEqual(expected)
          expect(await reportTotalsOf(race.first)).toEqual(await reportTotalsOf(reference.handle))
        } finally {
          // A failure while the files were held: let them end before their pools close.
          await hold?.release()
          await Promise.allSettled(running)
          await race.cleanup()
          await reference.cleanup()
        }
      })
  },
)
