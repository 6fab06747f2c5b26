import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { cashReport, recoveredReport } from '../../../src/rework/reports.js'
import { engines, openTestDatabase } from '../../support/databases.js'
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

/** Ingests each file in its own run, in the order given (one run sorts its 835s by BPR16). */
async function ingestInOrder(handle: DatabaseHandle, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const [result] = await ingestFiles([path], { handle })
    expect(result?.status).toBe('ingested')
  }
}

/** Every rework item with its status and recovery, and its lines' recoveries, in claim order. */
async function itemsOf(handle: DatabaseHandle) {
  const items = await handle.db
    .selectFrom('rework_item')
    .select(['id', 'claim_id', 'queue', 'amount', 'status', 'recovered_amount', 'recovered_date'])
    .orderBy('claim_id')
    .orderBy('queue')
    .execute()
  const lines = await handle.db
    .selectFrom('rework_item_line')
    .select(['rework_item_id', 'procedure_code', 'amount', 'recovered_amount'])
    .orderBy('id')
    .execute()
  return items.map((item) => ({
    claimId: item.claim_id,
    queue: item.queue,
    amount: Number(item.amount),
    status: item.status,
    recovered: Number(item.recovered_amount),
    recoveredDate: item.recovered_date,
    lines: lines
      .filter((l) => Number(l.rework_item_id) === Number(item.id))
      .map((l) => [l.procedure_code, Number(l.amount), Number(l.recovered_amount)]),
  }))
}

async function totalsOf(handle: DatabaseHandle) {
  return {
    denials: (await recoveredReport(handle.db)).totals,
    cash: (await cashReport(handle.db)).totals,
  }
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
        await ingestInOrder(inOrder.handle, [CLAIMS, DENIAL, PAYMENT])
        await ingestInOrder(reversed.handle, [CLAIMS, PAYMENT, DENIAL])
        const expected = await itemsOf(inOrder.handle)
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
        expect(await itemsOf(reversed.handle)).toEqual(expected)
        const totals = await totalsOf(inOrder.handle)
        expect(totals.denials.recoveredAmount).toBe('560.00')
        expect(await totalsOf(reversed.handle)).toEqual(totals)
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
      const db = await openTestDatabase(engine.url)
      try {
        await ingestInOrder(db.handle, [CLAIMS, earlyPayment(), DENIAL])
        const items = await itemsOf(db.handle)
        expect(items.find((i) => i.claimId === 'E2E-P-003')).toMatchObject({
          status: 'open',
          recovered: 0,
          recoveredDate: null,
        })
        expect(items.every((i) => i.recovered === 0)).toBe(true)
        expect((await totalsOf(db.handle)).denials.recoveredAmount).toBe('0.00')
      } finally {
        await db.cleanup()
      }
    })
  })
}

const databaseUrl = process.env.DATABASE_URL
describe('recovery when the denying and the paying 835 are committed at the same moment [postgres]', () => {
  if (databaseUrl === undefined) {
    it('cannot run: DATABASE_URL is not set (the race needs two connections; PGlite has one)', () => {
      console.warn('order-free-recovery.test.ts: DATABASE_URL is not set; the PostgreSQL race did not run')
    })
    return
  }
  it('ends as the in-order run when the payment read its batch before the denial committed', async () => {
    const reference = await openTestDatabase(databaseUrl)
    const first = await openTestDatabase(databaseUrl).catch(async (error: unknown) => {
      await reference.cleanup()
      throw error
    })
    let second: DatabaseHandle | undefined
    let resume = (): void => undefined
    try {
      const schema = (
        await sql<{ schema: string }>`select current_schema() as schema`.execute(first.handle.db)
      ).rows[0]?.schema
      second = await openDatabase({ databaseUrl, schema })
      await ingestInOrder(reference.handle, [CLAIMS, DENIAL, PAYMENT])
      await ingestInOrder(first.handle, [CLAIMS])
      let started = (): void => undefined
      const paymentRead = new Promise<void>((resolve) => {
        started = resolve
      })
      const denialCommitted = new Promise<void>((resolve) => {
        resume = resolve
      })
      // The payment's only batch is read (no denial item yet) and written; its transaction stays
      // open while the other process stores and commits the denial.
      const payment = ingestFiles([PAYMENT], {
        handle: second,
        onProgress: async () => {
          started()
          await denialCommitted
        },
      })
      await paymentRead
      const [denial] = await ingestFiles([DENIAL], { handle: first.handle })
      expect([denial?.status, denial?.recovered]).toEqual(['ingested', 0])
      resume()
      const [paid] = await payment
      expect(paid?.status).toBe('ingested')
      expect(await itemsOf(first.handle)).toEqual(await itemsOf(reference.handle))
      expect(await totalsOf(first.handle)).toEqual(await totalsOf(reference.handle))
    } finally {
      // A failed expectation before resume() left the payment's transaction waiting: let it end,
      // or closing its pool waits for it and the schemas are never dropped.
      resume()
      await second?.close()
      await first.cleanup()
      await reference.cleanup()
    }
  })
})
