import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { resolveReworkItem } from '../../../src/rework/rework-repository.js'
import type { CommitHold } from '../../support/commit-hold.js'
import { holdHeldBack } from '../../support/commit-hold.js'
import { describePostgresOnly, openTestDatabase, openTwoConnections } from '../../support/databases.js'
import { ingestEachInOrder, reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'

// A biller's step on an item while an 835's settlement of its claim holds back a repeated denial.
// The settlement judges what to hold back on the items it read first, removes the repeats, and
// reads the items again for the payments. A write-off committed between those two reads made the
// settlement hold back a denial as if the item were still being worked, and then keep the item's
// cents as the biller's: the 835's payment recovered nothing, an outcome of neither order. Without
// repeats (one read), a step committed after the read was written over by the settlement's result.
// The settlement now locks the claims' items before it reads them: the step waits for its commit.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700: 96413 $400, J9045 $300); BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560 (the denial is partially recovered); BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const folder = mkdtempSync(join(tmpdir(), 'held-back-biller-race-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** One 835 set of MCR01 dated `date` (BPR16 and DTM*405) with these CLP loops. */
function remitSet(control: string, date: string, trace: string, paid: number, loops: string[]): string[] {
  const segments = [
    `BPR*I*${paid}*C*ACH*CCP*01*011000015*DA*1234567890*1990000012**01*021000021*DA*9876543210*${date}~`,
    `TRN*1*${trace}*1990000012~`,
    `DTM*405*${date}~`,
    'N1*PR*MEDICARE PART B EXAMPLE*XV*MCR01~',
    'N1*PE*EXAMPLE ONCOLOGY GROUP*XX*1548267313~',
    'LX*1~',
    ...loops,
  ]
  return [`ST*835*${control}~`, ...segments, `SE*${segments.length + 2}*${control}~`]
}

/** The first set of {@link repeatAndPayment}: denies E2E-P-003 again on 2026-02-02. */
const repeatedDenial = (): string[] =>
  remitSet('0001', '20260202', 'E2EEFT0202D', 0, [
    'CLP*E2E-P-003*4*700*0*0*MB*MCR26020203*11*1~',
    'NM1*QC*1*TESTPATIENT*EXAMPLE****MI*E2EMEMBER~',
    'SVC*HC:96413*400*0**1~',
    'DTM*472*20260107~',
    'CAS*CO*4*400~',
    'REF*6R*P003-1~',
    'SVC*HC:J9045*300*0**10~',
    'DTM*472*20260107~',
    'CAS*CO*4*300~',
    'REF*6R*P003-2~',
  ])

/** A set that pays E2E-P-003 $700 on 2026-02-15, before PAYMENT. */
const olderPaymentSet = (control: string): string[] =>
  remitSet(control, '20260215', 'E2EEFT0215', 700, [
    'CLP*E2E-P-003*1*700*700*0*MB*MCR26021503*11*7~',
    'NM1*QC*1*TESTPATIENT*EXAMPLE****MI*E2EMEMBER~',
    'SVC*HC:96413*400*400**1~',
    'DTM*472*20260107~',
    'REF*6R*P003-1~',
    'SVC*HC:J9045*300*300**10~',
    'DTM*472*20260107~',
    'REF*6R*P003-2~',
  ])

/** An 835 file of these sets (one interchange and group, ISA13 `control`). */
function remitFile(name: string, control: string, sets: string[][]): string {
  const path = join(folder, name)
  const isa = readFileSync(PAYMENT, 'latin1').slice(0, 106).replace('000003004', `00000${control}`)
  writeFileSync(
    path,
    [
      isa,
      `GS*HP*EXAMPLECH*E2EONC*20260302*0900*${control}*X*005010X221A1~`,
      ...sets.flat(),
      `GE*${sets.length}*${control}~`,
      `IEA*1*00000${control}~`,
    ].join('\n'),
    'latin1',
  )
  return path
}

/**
 * One file of two sets: the first (2026-02-02, the denial's date) denies E2E-P-003 again for the
 * same lines and reasons, so the settlement holds it back while DENIAL's item holds it (its set's
 * SHA-256 sorts after DENIAL's, which makes DENIAL's the older of one date: checked below); the
 * second (2026-02-15) pays the claim $700, before PAYMENT.
 */
function repeatAndPayment(): string {
  return remitFile('835-medicare-repeat-and-payment.x12', '3020', [repeatedDenial(), olderPaymentSet('0002')])
}

/** The $700 payment of 2026-02-15 alone: DENIAL's item is settled again, nothing held back. */
function olderPayment(): string {
  return remitFile('835-medicare-2026-02-15-payment.x12', '3021', [olderPaymentSet('0001')])
}

/** DENIAL's item of E2E-P-003 (the oldest): the one the biller writes off. */
async function firstItemOf(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ id: string }>`select min(id) as id from rework_item
    where claim_id = 'E2E-P-003'`.execute(handle.db)
  return Number(rows[0]?.id)
}

/** The biller writes the item off (the rest of its partial payment). */
function writeOff(handle: DatabaseHandle, id: number) {
  return resolveReworkItem(handle.db, id, 'written_off', 'biller', 'rest not collectable')
}

/** Every item (in an order that does not depend on ids) and the reports' totals. */
async function stateOf(handle: DatabaseHandle) {
  const items = (await reworkItemsOf(handle)).sort((a, b) =>
    JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
  )
  return { items, totals: await reportTotalsOf(handle) }
}

/** E2E-P-003's items as [status, recovered cents]. */
async function claimItems(handle: DatabaseHandle) {
  return (await stateOf(handle)).items
    .filter((i) => i.claimId === 'E2E-P-003')
    .map((i) => [i.status, i.recovered])
}

/**
 * Resolves once the biller's step (`step`) is done or waits: for a row of this schema's rework_item
 * (the waiter holds the row's tuple lock while it waits for the transaction that locked the row),
 * or, behind the settlement, for audit_event that a test holds. Reads no table of ours.
 */
async function doneOrWaiting(handle: DatabaseHandle, step: Promise<unknown>, ms = 20_000): Promise<void> {
  let done = false
  void step.finally(() => {
    done = true
  })
  const deadline = Date.now() + ms
  for (;;) {
    if (done) return
    const { rows } = await sql<{ row: boolean; table: boolean }>`select
        exists (select from pg_locks where locktype = 'tuple' and relation = 'rework_item'::regclass) as row,
        (select count(*) from pg_locks where locktype = 'relation' and not granted
          and relation = 'audit_event'::regclass) >= 2 as table`.execute(handle.db)
    if (rows[0]?.row === true || rows[0]?.table === true) return
    if (Date.now() > deadline) throw new Error("the biller's step neither finished nor waited for the 835")
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describePostgresOnly(
  'a write-off while a settlement holds back a repeated denial of its claim [postgres]',
  { file: 'held-back-biller-race.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('ends as one order or the other: the 835 first (the write-off refused) or the write-off first', async () => {
      const race835 = repeatAndPayment()
      const fileFirst = await openTestDatabase(url)
      const billerFirst = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let hold: CommitHold | undefined
      const running: Promise<unknown>[] = []
      try {
        // The 835 first: the repeat is held back (DENIAL's item is being paid), and its $700
        // payment, older than PAYMENT's, recovers DENIAL's item in full; a recovered item is final.
        await ingestEachInOrder(fileFirst.handle, [CLAIMS, DENIAL, PAYMENT])
        const denied = await firstItemOf(fileFirst.handle)
        await ingestEachInOrder(fileFirst.handle, [race835])
        expect(await firstItemOf(fileFirst.handle)).toBe(denied)
        await expect(writeOff(fileFirst.handle, denied)).rejects.toMatchObject({
          code: 'DB_INVALID_TRANSITION',
        })
        expect(await claimItems(fileFirst.handle)).toEqual([['recovered', 70000]])
        // The write-off first: the item keeps PAYMENT's $560 and holds nothing back, so the repeat
        // opens an item that the $700 payment recovers.
        await ingestEachInOrder(billerFirst.handle, [CLAIMS, DENIAL, PAYMENT])
        await writeOff(billerFirst.handle, await firstItemOf(billerFirst.handle))
        await ingestEachInOrder(billerFirst.handle, [race835])
        expect(await claimItems(billerFirst.handle)).toEqual([
          ['recovered', 70000],
          ['written_off', 56000],
        ])
        const orders = [await stateOf(fileFirst.handle), await stateOf(billerFirst.handle)]

        await ingestEachInOrder(race.first, [CLAIMS, DENIAL, PAYMENT])
        const item = await firstItemOf(race.first)
        expect(await claimItems(race.first)).toEqual([['partially_recovered', 56000]])
        hold = await holdHeldBack(race.first)
        const ingesting = ingestFiles([race835], { handle: race.first })
        running.push(ingesting)
        // The settlement has held the repeat back and waits before reading the items again.
        await hold.waitFor(1)
        const writingOff = writeOff(race.second, item).then(
          () => 'written off',
          (error: unknown) => (error as { code?: string }).code,
        )
        running.push(writingOff)
        await doneOrWaiting(race.first, writingOff)
        await hold.remove()
        const [stored] = await ingesting
        expect(stored?.status).toBe('ingested')
        const outcome = await writingOff
        expect(await stateOf(race.first)).toEqual(outcome === 'written off' ? orders[1] : orders[0])
        expect(outcome).toBe('DB_INVALID_TRANSITION')
      } finally {
        await hold?.release()
        await Promise.allSettled(running)
        await race.cleanup()
        await billerFirst.cleanup()
        await fileFirst.cleanup()
      }
    })

    it('a step committed after the settlement read the items is not written over by its result', async () => {
      const paid = olderPayment()
      const fileFirst = await openTestDatabase(url)
      const billerFirst = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let letGo = (): void => undefined
      const running: Promise<unknown>[] = []
      try {
        // The older payment first: DENIAL's item is recovered in full by it, and final.
        await ingestEachInOrder(fileFirst.handle, [CLAIMS, DENIAL, PAYMENT, paid])
        await expect(writeOff(fileFirst.handle, await firstItemOf(fileFirst.handle))).rejects.toMatchObject({
          code: 'DB_INVALID_TRANSITION',
        })
        expect(await claimItems(fileFirst.handle)).toEqual([['recovered', 70000]])
        // The write-off first: the item keeps PAYMENT's $560, and the older payment has no item left.
        await ingestEachInOrder(billerFirst.handle, [CLAIMS, DENIAL, PAYMENT])
        await writeOff(billerFirst.handle, await firstItemOf(billerFirst.handle))
        await ingestEachInOrder(billerFirst.handle, [paid])
        expect(await claimItems(billerFirst.handle)).toEqual([['written_off', 56000]])
        const orders = [await stateOf(fileFirst.handle), await stateOf(billerFirst.handle)]

        await ingestEachInOrder(race.first, [CLAIMS, DENIAL, PAYMENT])
        const item = await firstItemOf(race.first)
        // The older payment's settlement stops at its read of the `recovered` audit events (after
        // it read the items, before it writes): another transaction holds audit_event.
        let locked = (): void => undefined
        const tableLocked = new Promise<void>((resolve) => {
          locked = resolve
        })
        const released = new Promise<void>((resolve) => {
          letGo = resolve
        })
        const holding = race.second.db.transaction().execute(async (trx) => {
          await sql`lock table audit_event in access exclusive mode`.execute(trx)
          locked()
          await released
        })
        running.push(holding)
        await tableLocked
        const ingesting = ingestFiles([paid], { handle: race.first })
        running.push(ingesting)
        const deadline = Date.now() + 20_000
        for (;;) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
            where locktype = 'relation' and not granted and relation = 'audit_event'::regclass`.execute(
            race.first.db,
          )
          if ((rows[0]?.n ?? 0) > 0) break
          if (Date.now() > deadline) throw new Error('the settlement never read audit_event')
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        const writingOff = writeOff(race.second, item).then(
          () => 'written off',
          (error: unknown) => (error as { code?: string }).code,
        )
        running.push(writingOff)
        await doneOrWaiting(race.first, writingOff)
        letGo()
        await holding
        const [stored] = await ingesting
        expect(stored?.status).toBe('ingested')
        const outcome = await writingOff
        expect(await stateOf(race.first)).toEqual(outcome === 'written off' ? orders[1] : orders[0])
        expect(outcome).toBe('DB_INVALID_TRANSITION')
      } finally {
        letGo()
        await Promise.allSettled(running)
        await race.cleanup()
        await billerFirst.cleanup()
        await fileFirst.cleanup()
      }
    })
  },
)
