import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { cashReport, recoveredReport } from '../../../src/rework/reports.js'
import { engines, withTestDatabase } from '../../support/databases.js'
import { corpusRoot } from '../../support/x12-files.js'
import { e2eText } from './fixture-edit.js'

// The same files ingested one run per file in different orders give the same rework items
// (claim, queue, CARCs, status, amounts, recovery) and the same report totals to the cent.

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const dir = mkdtempSync(join(tmpdir(), 'ingest-order-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** A copy of an e2e 835 under another ISA13 / GS06 / TRN02 (so its sets are new content). */
function resent(
  name: string,
  from: { isa: string; gs: string; trn: string },
  suffix: string,
  edit = (t: string) => t,
) {
  const text = edit(e2eText(name))
    .replaceAll(`*${from.isa}*`, `*${from.isa.slice(0, -3)}${suffix}*`)
    .replace(`IEA*1*${from.isa}~`, `IEA*1*${from.isa.slice(0, -3)}${suffix}~`)
    .replace(new RegExp(`\\*${from.gs}\\*X\\*`), `*${from.gs.slice(0, -3)}${suffix}*X*`)
    .replace(`GE*1*${from.gs}~`, `GE*1*${from.gs.slice(0, -3)}${suffix}~`)
    .replace(`TRN*1*${from.trn}*`, `TRN*1*${from.trn}${suffix}*`)
  return text
}

const FEB = { isa: '000003001', gs: '3001', trn: 'E2EEFT0202' }
const MAR = { isa: '000003004', gs: '3004', trn: 'E2EEFT0302' }

/** The e2e files, and 835s that make the order matter: same-day and later repeated denials, a same-day second payment. */
function e2eSet(): string[] {
  return [
    join(E2E, '837p-medicare-2026-01.x12'),
    join(E2E, '837p-commercial-2026-01.x12'),
    join(E2E, '837i-medicare-2026-01.x12'),
    join(E2E, '835-medicare-2026-02-02.x12'),
    join(E2E, '835-medicare-2026-03-02.x12'),
    join(E2E, '835-commercial-2026-02-05.x12'),
    join(E2E, '835-medicare-parta-2026-02-06.x12'),
    // The February denials again on the same day (another set: which one keeps the item is decided
    // on content, not on which was stored first).
    write('835-denied-again-same-day.x12', resent('835-medicare-2026-02-02.x12', FEB, '101')),
    // ...and again on 2026-02-20, while the first items are open.
    write(
      '835-denied-again-later.x12',
      resent('835-medicare-2026-02-02.x12', FEB, '201', (t) =>
        t.replace('*260202*', '*260220*').replaceAll('20260202', '20260220'),
      ),
    ),
    // A second payment of E2E-P-003 on 2026-03-02 (50.00): of two same-day payments, the one
    // applied first pays the item (it is not paid again once paid in part).
    write(
      '835-paid-again-same-day.x12',
      resent('835-medicare-2026-03-02.x12', MAR, '104', (t) =>
        t.replace('CLP*E2E-P-003*1*700*560*', 'CLP*E2E-P-003*1*700*50*').replace('BPR*I*600*', 'BPR*I*90*'),
      ),
    ),
  ]
}

/** Corpus 835s that all answer one claim on one date (2010-01-01) with denials and payments. */
const CORPUS_SAME_CLAIM = [
  'Project-Herophilus__Project-Herophilus-Assets/Testing__TestData__samples-edi__835 Sample (Institutional Claims only).2014.txt',
  'Project-Herophilus__Project-Herophilus-Assets/Testing__TestData__samples-edi__835 Sample (Professional Claims only-no payment).2014.txt',
  'Project-Herophilus__Project-Herophilus-Assets/Testing__TestData__samples-edi__835 Sample Pharmacy.2014.txt',
  'affect-therapeutics__edi-835-parser/tests__test_edi_835_files__emedny_sample.txt',
  'keironstoddart__edi-835-parser/tests__test_edi_835_files__emedny_sample.txt',
  'tastypackets__x12-parser/test__test-files__835__profee.edi',
  'tastypackets__x12-parser/test__test-files__835__profee-multiple.edi',
]

/**
 * profee-multiple.edi is 156 interchanges under one ISA13, each with the same transaction set as
 * profee.edi: its first three keep all that matters here (a set the other file also brings, and
 * brought again within the file under a reused ISA13) at 1/50 of the bytes: 1.9 s -> 0.85 s per
 * order on PGlite (load 3).
 */
function corpusInput(path: string): string {
  if (!path.endsWith('profee-multiple.edi')) return path
  const interchanges = readFileSync(path, 'latin1').split(/(?<=IEA\*[^~]*~\s*)(?=ISA)/)
  return write('profee-multiple-first-3.edi', interchanges.slice(0, 3).join(''))
}

/** A fixed permutation of `list` (seeded, so each run uses the same orders). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list]
  let state = seed
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}

/**
 * Three orders. On the order-dependent recovery this guards against (b18128f^, PGlite) each later
 * order already gave other items than the sorted one, for both file sets, as did the two shuffles
 * dropped here (seeds 7 and 42, 40% of the time) and seven other seeded shuffles.
 */
function ordersOf(files: readonly string[]): [string, string[]][] {
  const sorted = [...files].sort()
  return [
    ['sorted', sorted],
    ['reversed', [...sorted].reverse()],
    ['shuffled', shuffled(sorted, 1)],
  ]
}

/** Every rework item by content (no ids), sorted. */
async function itemsOf(handle: DatabaseHandle) {
  const items = await handle.db
    .selectFrom('rework_item')
    .select([
      'id',
      'claim_id',
      'payer_id',
      'queue',
      'carcs',
      'amount',
      'status',
      'recovered_amount',
      'recovered_date',
    ])
    .execute()
  const lines = await handle.db
    .selectFrom('rework_item_line')
    .select(['rework_item_id', 'procedure_code', 'carcs', 'amount', 'recovered_amount'])
    .orderBy('id')
    .execute()
  return items
    .map((item) =>
      JSON.stringify([
        item.claim_id,
        item.payer_id,
        item.queue,
        item.carcs,
        item.status,
        Number(item.amount),
        Number(item.recovered_amount),
        item.recovered_date,
        lines
          .filter((l) => Number(l.rework_item_id) === Number(item.id))
          .map((l) => [l.procedure_code, l.carcs, Number(l.amount), Number(l.recovered_amount)]),
      ]),
    )
    .sort()
}

async function totalsOf(handle: DatabaseHandle) {
  const allocated = await handle.db
    .selectFrom('recovery_allocation')
    .select((eb) => eb.fn.sum<string | number>('amount').as('cents'))
    .executeTakeFirst()
  return {
    denials: (await recoveredReport(handle.db)).totals,
    cash: (await cashReport(handle.db)).totals,
    allocatedCents: Number(allocated?.cents ?? 0),
  }
}

/** Ingests each file in its own run (one run sorts its 835s by BPR16), in the order given. */
function ingestEach(url: string | undefined, paths: readonly string[]) {
  return withTestDatabase(url, async (handle) => {
    for (const path of paths) {
      const [result] = await ingestFiles([path], { handle })
      expect(result?.status, `${path}: ${result?.message}`).not.toBe('failed')
    }
    return { items: await itemsOf(handle), totals: await totalsOf(handle) }
  })
}

for (const engine of engines) {
  describe(`the same files in any order [${engine.name}]`, () => {
    it('e2e fixtures with repeated denials and same-day payments: same items and totals in three orders', async () => {
      const runs = []
      for (const [name, order] of ordersOf(e2eSet()))
        runs.push({ name, ...(await ingestEach(engine.url, order)) })
      const [first, ...others] = runs
      if (first === undefined) throw new Error('no run')
      // The in-order facts: E2E-P-003's $700 CO-4 denial has one item (the repeats are held back),
      // paid by the first of the two 2026-03-02 payments in content order.
      const p003 = first.items.filter((i) => i.includes('"E2E-P-003"'))
      expect(p003).toHaveLength(1)
      expect(first.totals.allocatedCents).toBeGreaterThan(0)
      for (const run of others) {
        expect(run.items, `${run.name} against ${first.name}`).toEqual(first.items)
        expect(run.totals, `${run.name} against ${first.name}`).toEqual(first.totals)
      }
    }, 240_000)

    if (corpusRoot === undefined) {
      it('cannot run the corpus orders: ../shared/corpus/external is absent', () => {
        console.warn('ingest-order.test.ts: the external corpus is absent; its same-claim orders did not run')
      })
      return
    }
    const root = corpusRoot
    it('corpus 835s of one claim and date (2010-01-01): same items and totals in three orders', async () => {
      const files = CORPUS_SAME_CLAIM.map((f) => join(root, f))
        .filter((f) => existsSync(f))
        .map(corpusInput)
      expect(files.length).toBeGreaterThanOrEqual(5)
      const runs = []
      for (const [name, order] of ordersOf(files))
        runs.push({ name, ...(await ingestEach(engine.url, order)) })
      const [first, ...others] = runs
      if (first === undefined) throw new Error('no run')
      expect(first.totals.allocatedCents).toBeGreaterThan(0)
      for (const run of others) {
        expect(run.items, `${run.name} against ${first.name}`).toEqual(first.items)
        expect(run.totals, `${run.name} against ${first.name}`).toEqual(first.totals)
      }
    }, 240_000)
  })
}
