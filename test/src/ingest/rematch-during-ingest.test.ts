import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles, rematchAll } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import type { CommitHold } from '../../support/commit-hold.js'
import { holdFileCommits } from '../../support/commit-hold.js'
import { describePostgresOnly, openTestDatabase, openTwoConnections } from '../../support/databases.js'
import { ingestEachInOrder, reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'

// `onco-edi rematch` while an 835 is being ingested. The 835's settlement locks the remit claims of
// its claims (for update) until its commit; the rematch's settlement of one of those claims waits
// for them. Once the 835 has committed, the rematch must see its payments: a statement that waited
// for a lock still reads with the snapshot it started with (PostgreSQL, READ COMMITTED), without
// the rows the other transaction inserted, while the rematch's later statements (items,
// allocations) see them. Read so, the 835's payment was taken back from the item it recovers,
// and nothing ran recovery again: the 835's pass after its commit is skipped (no other file was
// committed meanwhile).

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700); BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560 (and reverses and corrects E2E-P-006); BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const folder = mkdtempSync(join(tmpdir(), 'rematch-during-ingest-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/**
 * An 835 of 2026-02-15 that denies E2E-P-003 again for another reason (CARC 16, another item):
 * the claim has items from two sets before PAYMENT comes, so `rematch` settles it, and waits for
 * PAYMENT's locks on its remit claims. PAYMENT recovers the older item (DENIAL's) in part.
 */
function secondDenial(): string {
  const path = join(folder, '835-medicare-2026-02-15.x12')
  const text = readFileSync(PAYMENT, 'latin1')
  const header = text.slice(0, text.indexOf('LX*1~'))
  const segments = [
    'LX*1~',
    'CLP*E2E-P-003*4*700*0*0*MB*MCR26021503*11*1~',
    'NM1*QC*1*TESTPATIENT*EXAMPLE****MI*E2EMEMBER~',
    'SVC*HC:96413*400*0**1~',
    'DTM*472*20260107~',
    'CAS*CO*16*400~',
    'REF*6R*P003-1~',
    'SVC*HC:J9045*300*0**10~',
    'DTM*472*20260107~',
    'CAS*CO*16*300~',
    'REF*6R*P003-2~',
  ]
  const head = header
    .replaceAll('000003004', '000003015')
    .replace('*3004*X*', '*3015*X*')
    .replace('BPR*I*600*', 'BPR*I*0*')
    .replaceAll('20260302', '20260215')
    .replace('E2EEFT0302', 'E2EEFT0215')
  const count = head.slice(head.indexOf('ST*')).split('~').length - 1 + segments.length + 1
  writeFileSync(
    path,
    `${head}${segments.join('\n')}\nSE*${count}*0001~\nGE*1*3015~\nIEA*1*000003015~\n`,
    'latin1',
  )
  return path
}

/** What `onco-edi rematch` does (src/cli/commands/rematch-command.ts). */
async function rematch(handle: DatabaseHandle): Promise<void> {
  await rematchAll(handle.db, await loadDenialEngine(), 'rematch-test')
}

/** Resolves once a transaction of the database waits for another's row lock. */
async function waitForRowLockWait(handle: DatabaseHandle, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
      where locktype = 'transactionid' and not granted`.execute(handle.db)
    if ((rows[0]?.n ?? 0) > 0) return
    if (Date.now() > deadline) throw new Error('the rematch never waited for the 835 (no row lock wait)')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describePostgresOnly(
  'onco-edi rematch while an 835 that pays a claim it settles is open [postgres]',
  { file: 'rematch-during-ingest.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('ends as the in-order run: the rematch settles with the payments the 835 committed', async () => {
      const early = secondDenial()
      const reference = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let hold: CommitHold | undefined
      const running: Promise<unknown>[] = []
      try {
        await ingestEachInOrder(reference.handle, [CLAIMS, DENIAL, early, PAYMENT])
        await rematch(reference.handle)
        const expected = await reworkItemsOf(reference.handle)
        // PAYMENT recovers $560 of the older denial ($700); the later one stays open.
        expect(expected.filter((i) => i.claimId === 'E2E-P-003').map((i) => [i.status, i.recovered])).toEqual(
          [
            ['partially_recovered', 56000],
            ['open', 0],
          ],
        )

        await ingestEachInOrder(race.first, [CLAIMS, DENIAL, early])
        hold = await holdFileCommits(race.first)
        const payment = ingestFiles([PAYMENT], { handle: race.first })
        running.push(payment)
        // PAYMENT has settled (its claims' remit claims locked) and waits at its commit.
        await hold.waitFor(1)
        const repair = rematch(race.second)
        running.push(repair)
        await waitForRowLockWait(race.first)
        await hold.remove()
        const [stored] = await payment
        await repair
        expect(stored?.status).toBe('ingested')
        expect(await reworkItemsOf(race.first)).toEqual(expected)
        expect(await reportTotalsOf(race.first)).toEqual(await reportTotalsOf(reference.handle))
      } finally {
        await hold?.release()
        await Promise.allSettled(running)
        await race.cleanup()
        await reference.cleanup()
      }
    })
  },
)
