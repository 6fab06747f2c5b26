import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { noteClaimsWritten } from '../../../src/db/planner-statistics.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describePostgresOnly, openTwoConnections, withTestDatabase } from '../../support/databases.js'
import { ingestEachInOrder, reworkItemsOf } from '../../support/recovery-state.js'

// ANALYZE takes SHARE UPDATE EXCLUSIVE, which conflicts with itself, until its transaction ends.
// A worker's file transaction that analyzed the recovery's tables held it until the file
// committed: another worker's 835 (its reader's and its recovery's ANALYZE) and the batch
// service's refresh waited for the whole first file.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700) among others; BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560; BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')
const TABLES = [
  'rework_item',
  'rework_item_line',
  'remit_claim',
  'remittance',
  'submitted_claim',
  'submitted_line',
]
/**
 * Each ANALYZE waits at most 2 s for a lock held elsewhere (then goes on without): the two 835s and
 * the refresh try seven times here (about 15 s). Without a bound they wait for the other
 * transaction, which ends only after this.
 */
const BOUND_MS = 45_000

describePostgresOnly(
  'a transaction holding ANALYZE locks does not hold up another worker [postgres]',
  { file: 'analyze-lock.test.ts', needs: 'the wait', what: 'the two-connection test' },
  (url) => {
    it('835s are stored and settled while another connection holds its ANALYZE of their tables, with the same result', async () => {
      // The same files with nothing held: the result to compare against.
      const expected = await withTestDatabase(url, async (alone) => {
        await ingestEachInOrder(alone, [CLAIMS, DENIAL, PAYMENT])
        return reworkItemsOf(alone)
      })
      expect(expected.some((i) => i.status === 'partially_recovered' && i.recovered === 56000)).toBe(true)

      const { first: worker, second: other, cleanup } = await openTwoConnections(url)
      let release: () => void = () => {}
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let holding: Promise<void> | undefined
      try {
        const [claims] = await ingestFiles([CLAIMS], { handle: worker })
        expect(claims?.status).toBe('ingested')
        // The other connection's open transaction has analyzed the tables (as a file's recovery did).
        let analyzed: () => void = () => {}
        const locked = new Promise<void>((resolve) => {
          analyzed = resolve
        })
        holding = other.db.transaction().execute(async (trx) => {
          await sql`analyze ${sql.join(TABLES.map((t) => sql.id(t)))}`.execute(trx)
          analyzed()
          await released
        })
        await locked
        const started = Date.now()
        const run = (async () => {
          const results = await ingestFiles([DENIAL, PAYMENT], { handle: worker })
          // The batch service's refresh after a file, outside any transaction.
          await noteClaimsWritten(worker.db, 1, 1)
          return results
        })()
        let timer: NodeJS.Timeout | undefined
        const bound = new Promise<'waited'>((resolve) => {
          timer = setTimeout(() => resolve('waited'), BOUND_MS)
        })
        const outcome = await Promise.race([run, bound])
        clearTimeout(timer)
        const elapsed = Date.now() - started
        // Let a run that waited finish, so the schema can be dropped.
        release()
        expect(outcome, `the 835s waited ${elapsed} ms for the other transaction's ANALYZE locks`).not.toBe(
          'waited',
        )
        const results = await run
        expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested'])
        expect(await reworkItemsOf(worker)).toEqual(expected)
      } finally {
        release()
        await holding?.catch(() => undefined)
        await cleanup()
      }
    }, 120_000)
  },
)
