import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import {
  describePostgresOnly,
  engines,
  openTestDatabase,
  openTwoConnections,
  withTestDatabase,
} from '../../support/databases.js'
import { ingestEachInOrder, reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'
import { e2eText } from './fixture-edit.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700) among others; BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560 (and reverses and corrects E2E-P-006); BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const dir = mkdtempSync(join(tmpdir(), 'order-free-recovery-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The 2026-03-02 payment, issued on 2026-01-30 instead (BPR16 and DTM*405): before the denial. */
function earlyPayment(): string {
  const text = e2eText('835-medicare-2026-03-02.x12')
    .replace(/(BPR\*[^~]*\*)20260302~/, '$120260130~')
    .replace('DTM*405*20260302~', 'DTM*405*20260130~')
  const path = join(dir, '835-medicare-paid-2026-01-30.x12')
  writeFileSync(path, text)
  return path
}

for (const engine of engines) {
  describe(`recovery whatever order the 835s are stored in [${engine.name}]`, () => {
    it('gives the same items, statuses, recoveries and report totals when the payment is stored first', async () => {
      const inOrder = await openTestDatabase(engine.url)
      const reversed = await openTestDatabase(engine.url).catch(async (error: unknown) => {
        await inOrder.cleanup()
        throw error
      })
      try {
        await ingestEachInOrder(inOrder.handle, [CLAIMS, DENIAL, PAYMENT])
        await ingestEachInOrder(reversed.handle, [CLAIMS, PAYMENT, DENIAL])
        const expected = await reworkItemsOf(inOrder.handle)
        // The in-order run as before: E2E-P-003's $700 denial is paid $560 by the 03-02 remit.
        expect(expected.find((i) => i.claimId === 'E2E-P-003')).toMatchObject({
          status: 'partially_recovered',
          recovered: 56000,
          recoveredDate: '2026-03-02',
          lines: [
            ['96413', 40000, 40000],
            ['J9045', 30000, 16000],
          ],
        })
        expect(await reworkItemsOf(reversed.handle)).toEqual(expected)
        const totals = await reportTotalsOf(inOrder.handle)
        expect(totals.denials.recoveredAmount).toBe('560.00')
        expect(await reportTotalsOf(reversed.handle)).toEqual(totals)
        // The late recovery is audited as a payment's is, naming the remit claim that paid it.
        const events = await reversed.handle.db
          .selectFrom('audit_event')
          .select(['before_status', 'after_status', 'note'])
          .where('entity', '=', 'rework_item')
          .where('action', '=', 'recovered')
          .execute()
        expect(events.map((e) => [e.before_status, e.after_status, e.note?.replace(/\d+$/, 'N')])).toEqual([
          ['open', 'partially_recovered', 'paid 56000 cents by remit claim N'],
        ])
        // ...and its cents are a recovery_allocation row of that remit claim and item.
        const allocations = await reversed.handle.db
          .selectFrom('recovery_allocation as a')
          .innerJoin('rework_item as ri', 'ri.id', 'a.rework_item_id')
          .innerJoin('remit_claim as rc', 'rc.id', 'a.remit_claim_id')
          .select(['ri.claim_id', 'rc.claim_id as paid_claim_id', 'rc.paid', 'a.amount'])
          .execute()
        expect(
          allocations.map((a) => [a.claim_id, a.paid_claim_id, Number(a.paid), Number(a.amount)]),
        ).toEqual([['E2E-P-003', 'E2E-P-003', 56000, 56000]])
      } finally {
        await inOrder.cleanup()
        await reversed.cleanup()
      }
    })

    it('does not recover a denial from a payment issued before it', async () => {
      await withTestDatabase(engine.url, async (handle) => {
        await ingestEachInOrder(handle, [CLAIMS, earlyPayment(), DENIAL])
        const items = await reworkItemsOf(handle)
        expect(items.find((i) => i.claimId === 'E2E-P-003')).toMatchObject({
          status: 'open',
          recovered: 0,
          recoveredDate: null,
        })
        expect(items.every((i) => i.recovered === 0)).toBe(true)
        expect((await reportTotalsOf(handle)).denials.recoveredAmount).toBe('0.00')
      })
    })
  })
}

describePostgresOnly(
  'recovery when the denying and the paying 835 are committed at the same moment [postgres]',
  { file: 'order-free-recovery.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('ends as the in-order run when the payment read its batch before the denial committed', async () => {
      const reference = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let resume = (): void => undefined
      let payment: Promise<unknown> = Promise.resolve()
      try {
        await ingestEachInOrder(reference.handle, [CLAIMS, DENIAL, PAYMENT])
        await ingestEachInOrder(race.first, [CLAIMS])
        let started = (): void => undefined
        const paymentRead = new Promise<void>((resolve) => {
          started = resolve
        })
        const denialCommitted = new Promise<void>((resolve) => {
          resume = resolve
        })
        // The payment's only batch is read (no denial item yet) and written; its transaction stays
        // open while the other process stores and commits the denial.
        const paying = ingestFiles([PAYMENT], {
          handle: race.second,
          onProgress: async () => {
            started()
            await denialCommitted
          },
        })
        payment = paying
        await paymentRead
        const [denial] = await ingestFiles([DENIAL], { handle: race.first })
        expect([denial?.status, denial?.recovered]).toEqual(['ingested', 0])
        resume()
        const [paid] = await paying
        expect(paid?.status).toBe('ingested')
        expect(await reworkItemsOf(race.first)).toEqual(await reworkItemsOf(reference.handle))
        expect(await reportTotalsOf(race.first)).toEqual(await reportTotalsOf(reference.handle))
      } finally {
        // A failed expectation before resume() left the payment's transaction waiting: let it end,
        // or closing its pool waits for it and the schemas are never dropped.
        resume()
        await payment.catch(() => undefined)
        await race.cleanup()
        await reference.cleanup()
      }
    })
  },
)
