import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { formatCents } from '../../parsers/money.js'
import type { Database } from '../../src/db/database.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { upsertPayerProfiles } from '../../src/rework/payer-repository.js'
import type { CashReport, DenialsReport, ReportDimension, ReportRange } from '../../src/rework/reports.js'
import { atRiskByDeadline, cashReport, REPORT_DIMENSIONS, recoveredReport } from '../../src/rework/reports.js'
import { listReworkItems, resolveReworkItem } from '../../src/rework/rework-repository.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'
import { generate835, generate837P, writeX12File } from '../bench/generate-x12.js'
import { describeEachDatabase } from '../support/databases.js'

// Every finance report, computed a second way. The reports read the rework item lines' amount and
// recovered_amount and the item's recovered_date. The oracle below is plain SQL written separately over the
// raw tables: the denied amount is re-added from the remit's CAS rows (remit_adjustment) that the
// item names, each recovery comes from the audit trail ("paid N cents by remit claim M") dated by
// the paying remit_claim, and the payer, the drug and the dates come from remit_claim/remit_line.
// From rework_item it takes only what only the classifier and the worklist know: which
// adjustments are denials (queue, carcs) and the item's status.

/**
 * One row per denied line of a rework item (an item is a claim and queue; its lines carry the
 * codes and amounts), from the raw tables. `prior_denied` is what the item's earlier lines were
 * denied: a recovery of the item pays its lines oldest first.
 */
const ITEM_FACTS = sql`
  select ril.id,
         ri.id as item_id,
         ri.status,
         ri.queue,
         coalesce(ril.carcs[1], '(none)') as carc,
         coalesce(nullif(rc.payer_id, ''), '(unknown)') as payer,
         coalesce(rc.payer_id, '') || '|' || rc.claim_id as claim,
         rc.remit_date as denial_date,
         case
           when code.hcpcs is null then '(claim-level)'
           when code.hcpcs ~ '^[JQC][0-9]{4}$' then code.hcpcs
           else '(non-drug)'
         end as drug,
         cas.denied,
         coalesce(sum(cas.denied) over (partition by ri.id order by ril.id
           rows between unbounded preceding and 1 preceding), 0) as prior_denied
    from rework_item_line ril
    join rework_item ri on ri.id = ril.rework_item_id
    join remit_claim rc on rc.id = ri.remit_claim_id
    -- The line of a line-level denial; for a claim-level one, the claim's only line if it has one.
    cross join lateral (
      select case
               when ril.remit_line_id is not null
                 then (select rl.procedure_code from remit_line rl where rl.id = ril.remit_line_id)
               when (select count(*) from remit_line rl where rl.remit_claim_id = rc.id) = 1
                 then (select rl.procedure_code from remit_line rl where rl.remit_claim_id = rc.id)
             end as hcpcs
    ) code
    cross join lateral (
      select coalesce(sum(a.amount), 0) as denied
        from remit_adjustment a
       where a.remit_claim_id = rc.id
         and a.remit_line_id is not distinct from ril.remit_line_id
         and a.amount > 0
         and a.group_code || '-' || a.carc = any(ril.carcs)
    ) cas`

/** The share of an item's recovery `amount` that reaches a line (oldest line first). */
const lineShare = (amount: ReturnType<typeof sql>) =>
  sql`least(f.denied, greatest(0, ${amount} - f.prior_denied))`

/** One row per recovery, from the audit trail, dated by the remit that paid it. */
const RECOVERIES = sql`
  select ae.entity_id::bigint as item_id,
         substring(ae.note from '^paid (-?[0-9]+) cents')::bigint as amount,
         payer_remit.remit_date as paid_date
    from audit_event ae
    join remit_claim payer_remit
      on payer_remit.id = substring(ae.note from 'by remit claim ([0-9]+)$')::bigint
   where ae.entity = 'rework_item' and ae.action = 'recovered'`

/** A date in the range, compared as a date; undated rows only when the range is open. */
const within = (column: string, range: ReportRange) =>
  sql`((${range.from ?? null}::date is null or ${sql.ref(column)}::date >= ${range.from ?? null}::date)
   and (${range.to ?? null}::date is null or ${sql.ref(column)}::date <= ${range.to ?? null}::date))`

const monthOf = (column: string) => sql`coalesce(substr(${sql.ref(column)}, 1, 7), '(undated)')`

interface OracleRow {
  key: string
  items: string | number
  claims: string | number
  denied: string | number
  recovered: string | number
  open: string | number
}

/** The denials view, per key (`by` undefined: one row keyed ''). */
async function oracleDenials(db: Kysely<Database>, range: ReportRange, by: ReportDimension | undefined) {
  const key = by === undefined ? sql`''` : by === 'month' ? monthOf('f.denial_date') : sql.ref(`f.${by}`)
  const { rows } = await sql<OracleRow>`
    with f as (${ITEM_FACTS}),
         r as (select item_id, sum(amount) as amount from (${RECOVERIES}) x group by item_id)
    select ${key} as key,
           count(*) as items,
           count(distinct f.claim) as claims,
           sum(f.denied) as denied,
           sum(${lineShare(sql`coalesce(r.amount, 0)`)}) as recovered,
           coalesce(sum(f.denied - ${lineShare(sql`coalesce(r.amount, 0)`)})
             filter (where f.status in ('open', 'assigned', 'corrected', 'appealed')), 0) as open
      from f left join r on r.item_id = f.item_id
     where ${within('f.denial_date', range)}
     group by 1`.execute(db)
  return rows
}

/** Adjudicated claims: distinct payer + CLP01 of the non-reversal remits in the range, per key. */
async function oracleDenominators(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<{ total: number; byKey: Map<string, number> }> {
  const adjudicated = sql`
    select rc.id, coalesce(rc.payer_id, '') as payer, rc.claim_id, rc.remit_date
      from remit_claim rc
     where rc.is_reversal = false and ${within('rc.remit_date', range)}`
  const { rows: total } = await sql<{ n: string | number }>`
    select count(*) as n from (select distinct payer, claim_id from (${adjudicated}) a) d`.execute(db)
  const per = async (query: ReturnType<typeof sql>) =>
    new Map(
      (await sql<{ key: string; n: string | number }>`${query}`.execute(db)).rows.map((r) => [
        r.key,
        Number(r.n),
      ]),
    )
  const n = Number(total[0]?.n ?? 0)
  if (by === 'payer')
    return {
      total: n,
      byKey: await per(sql`
        select case when payer = '' then '(unknown)' else payer end as key, count(distinct claim_id) as n
          from (${adjudicated}) a group by 1`),
    }
  if (by === 'month')
    return {
      total: n,
      byKey: await per(sql`
        select ${monthOf('a.remit_date')} as key, count(distinct (a.payer, a.claim_id)) as n
          from (${adjudicated}) a group by 1`),
    }
  if (by === 'drug') {
    const byKey = await per(sql`
      select case when rl.procedure_code ~ '^[JQC][0-9]{4}$' then rl.procedure_code else '(non-drug)' end as key,
             count(distinct (a.payer, a.claim_id)) as n
        from (${adjudicated}) a join remit_line rl on rl.remit_claim_id = a.id
       group by 1`)
    byKey.set('(claim-level)', n)
    return { total: n, byKey }
  }
  return { total: n, byKey: new Map() }
}

const rate = (denied: number, of: number) => (of === 0 ? 0 : Math.round((denied / of) * 10_000) / 10_000)

async function expectedDenials(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<DenialsReport> {
  const denominators = await oracleDenominators(db, range, by)
  const toTotals = (r: OracleRow | undefined, of: number) => {
    const denied = Number(r?.denied ?? 0)
    const recovered = Number(r?.recovered ?? 0)
    const open = Number(r?.open ?? 0)
    const claims = Number(r?.claims ?? 0)
    return {
      items: Number(r?.items ?? 0),
      deniedAmountCents: denied,
      recoveredAmountCents: recovered,
      openAmountCents: open,
      closedAmountCents: denied - recovered - open,
      deniedAmount: formatCents(denied),
      recoveredAmount: formatCents(recovered),
      openAmount: formatCents(open),
      closedAmount: formatCents(denied - recovered - open),
      deniedClaims: claims,
      adjudicatedClaims: of,
      denialRate: rate(claims, of),
    }
  }
  const total = (await oracleDenials(db, range, undefined))[0]
  const rows = by === undefined ? [] : await oracleDenials(db, range, by)
  return {
    view: 'denials',
    from: range.from ?? null,
    to: range.to ?? null,
    by: by ?? null,
    totals: toTotals(total, denominators.total),
    groups: rows
      .map((r) => ({
        key: r.key,
        ...toTotals(
          r,
          denominators.byKey.get(r.key) ?? (by === 'carc' || by === 'queue' ? denominators.total : 0),
        ),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  }
}

async function expectedCash(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<CashReport> {
  const run = async (grouped: boolean) => {
    const key = !grouped ? sql`''` : by === 'month' ? monthOf('p.paid_date') : sql.ref(`f.${by ?? 'carc'}`)
    const { rows } = await sql<OracleRow>`
      with f as (${ITEM_FACTS}),
           p as (select item_id, sum(amount) as amount, max(paid_date) as paid_date
                   from (${RECOVERIES}) x
                  where ${within('x.paid_date', range)}
                  group by item_id)
      select ${key} as key, count(*) as items, count(distinct f.claim) as claims,
             sum(${lineShare(sql`p.amount`)}) as recovered, sum(f.denied) as denied, 0 as open
        from p join f on f.item_id = p.item_id
       where ${lineShare(sql`p.amount`)} <> 0
       group by 1`.execute(db)
    return rows
  }
  const toTotals = (r: OracleRow | undefined) => ({
    items: Number(r?.items ?? 0),
    claims: Number(r?.claims ?? 0),
    recoveredAmountCents: Number(r?.recovered ?? 0),
    recoveredAmount: formatCents(Number(r?.recovered ?? 0)),
    deniedAmountCents: Number(r?.denied ?? 0),
    deniedAmount: formatCents(Number(r?.denied ?? 0)),
  })
  const rows = by === undefined ? [] : await run(true)
  return {
    view: 'cash',
    from: range.from ?? null,
    to: range.to ?? null,
    by: by ?? null,
    totals: toTotals((await run(false))[0]),
    groups: rows.map((r) => ({ key: r.key, ...toTotals(r) })).sort((a, b) => a.key.localeCompare(b.key)),
  }
}

/** Every view × (TOTAL and each --by) × range: the reports equal the oracle, and rows add up. */
async function reconcile(db: Kysely<Database>, ranges: ReportRange[]): Promise<number> {
  let compared = 0
  for (const range of ranges)
    for (const by of [undefined, ...REPORT_DIMENSIONS]) {
      const label = `${JSON.stringify(range)} by ${by ?? 'none'}`
      const denials = await recoveredReport(db, range, by)
      expect(denials, `denials view ${label}`).toEqual(await expectedDenials(db, range, by))
      const cash = await cashReport(db, range, by)
      expect(cash, `cash view ${label}`).toEqual(await expectedCash(db, range, by))
      if (by !== undefined) {
        const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0)
        expect(
          [
            sum(denials.groups, (g) => g.items),
            sum(denials.groups, (g) => g.deniedAmountCents),
            sum(denials.groups, (g) => g.recoveredAmountCents),
            sum(denials.groups, (g) => g.openAmountCents),
            sum(denials.groups, (g) => g.closedAmountCents),
          ],
          `denials rows add up ${label}`,
        ).toEqual([
          denials.totals.items,
          denials.totals.deniedAmountCents,
          denials.totals.recoveredAmountCents,
          denials.totals.openAmountCents,
          denials.totals.closedAmountCents,
        ])
        expect(
          [sum(cash.groups, (g) => g.items), sum(cash.groups, (g) => g.recoveredAmountCents)],
          `cash rows add up ${label}`,
        ).toEqual([cash.totals.items, cash.totals.recoveredAmountCents])
      }
      if (by === undefined) {
        // The finance page's deadline buckets split exactly the open amount at risk.
        const atRisk = await atRiskByDeadline(db, range, '2026-03-15')
        expect(atRisk.totals.openAmountCents, `at risk by deadline ${label}`).toBe(
          denials.totals.openAmountCents,
        )
        expect(atRisk.buckets.reduce((s, b) => s + b.openAmountCents, 0)).toBe(denials.totals.openAmountCents)
      }
      compared += 2
    }
  return compared
}

const E2E = join(import.meta.dirname, '..', '..', 'fixtures', 'e2e')

describeEachDatabase('report reconciliation: e2e fixtures', (ctx) => {
  beforeAll(async () => {
    const { profiles } = parsePayerProfilesCsv(readFileSync(join(E2E, 'payers.csv'), 'utf8'))
    await upsertPayerProfiles(ctx.handle.db, profiles, 'tester')
    const claims = ['837p-medicare-2026-01.x12', '837p-commercial-2026-01.x12', '837i-medicare-2026-01.x12']
    const remits = [
      '835-medicare-2026-02-02.x12',
      '835-commercial-2026-02-05.x12',
      '835-medicare-parta-2026-02-06.x12',
      '835-medicare-2026-03-02.x12',
    ]
    for (const group of [claims, remits.slice(0, 3)])
      await ingestFiles(
        group.map((n) => join(E2E, n)),
        { handle: ctx.handle, user: 'tester' },
      )
    // A written-off item (closed unpaid), and one corrected before the March remit pays it.
    const items = await listReworkItems(ctx.handle.db, { asOf: '2026-02-10' })
    const p008 = items.find((i) => i.claimId === 'E2E-P-008')
    const p003 = items.find((i) => i.claimId === 'E2E-P-003' && i.queue === 'coding')
    if (p008 === undefined || p003 === undefined) throw new Error('e2e items missing')
    await resolveReworkItem(ctx.handle.db, p008.id, 'written_off', 'alice')
    await resolveReworkItem(ctx.handle.db, p003.id, 'corrected', 'alice')
    await ingestFiles([join(E2E, remits[3] ?? '')], { handle: ctx.handle, user: 'tester' })
  })

  it('shows the March recovery of a February denial in the cash view (worked by hand)', async () => {
    // The 835 of 2026-03-02 pays the corrected E2E-P-003 320 + 240 = 560.00, allocated to its
    // two February denials oldest first: 96413 400.00, J9045 160.00 of 300.00.
    const march = { from: '2026-03-01', to: '2026-03-31' }
    const cash = await cashReport(ctx.handle.db, march, 'drug')
    expect(cash.totals).toMatchObject({ items: 2, claims: 1, recoveredAmount: '560.00' })
    expect(cash.groups.map((g) => [g.key, g.recoveredAmount])).toEqual([
      ['(non-drug)', '400.00'],
      ['J9045', '160.00'],
    ])
    // No denial was remitted in March: the cohort view is empty, the 2 March claims adjudicated.
    const cohort = await recoveredReport(ctx.handle.db, march)
    expect([cohort.totals.deniedAmount, cohort.totals.adjudicatedClaims]).toEqual(['0.00', 2])
    // The February cohort carries the recovery made in March.
    const february = await recoveredReport(ctx.handle.db, { from: '2026-02-01', to: '2026-02-28' }, 'drug')
    expect(february.totals).toMatchObject({
      deniedAmount: '34050.00',
      recoveredAmount: '560.00',
      // 34050 − 560 − 400 (E2E-P-008 written off) − 140 (rest of the recovered J9045).
      openAmount: '32950.00',
      closedAmount: '540.00',
      deniedClaims: 10,
      adjudicatedClaims: 13,
    })
    // Drug rows: the denominator is the claims that carried the drug.
    expect(february.groups.map((g) => [g.key, g.deniedAmount, g.deniedClaims, g.adjudicatedClaims])).toEqual([
      // 96413 (P-002 96417, P-003, P-005, P-008, P-999), on the 13 claims with a non-drug line.
      ['(non-drug)', '1750.00', 5, 13],
      ['J9035', '1000.00', 1, 1],
      ['J9045', '300.00', 1, 1],
      ['J9271', '15000.00', 2, 3],
      ['J9299', '16000.00', 2, 2],
    ])
  })

  it('equals the independent SQL to the cent, every view, dimension and range', async () => {
    const compared = await reconcile(ctx.handle.db, [
      {},
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-02-03', to: '2026-02-05' },
      { from: '2026-02-06' },
      { to: '2026-02-02' },
    ])
    expect(compared).toBe(6 * 6 * 2)
  })
})

describeEachDatabase('report reconciliation: a generated month', (ctx) => {
  let dir = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reconcile-'))
    const claims = 300
    await writeX12File(join(dir, 'claims.837'), generate837P(claims, { seed: 5, firstControl: 100 }))
    // Three remits of the same claims: the first denies ~25% of lines, the later ones pay some of
    // those (recoveries in February and March) and deny others.
    const remits: [string, number, string][] = [
      ['a.835', 1, '20260203'],
      ['b.835', 2, '20260217'],
      ['c.835', 3, '20260305'],
    ]
    for (const [name, seed, paymentDate] of remits)
      await writeX12File(
        join(dir, name),
        generate835(claims, {
          seed,
          firstControl: 200 + seed,
          paymentDate,
          denialRate: 0.25,
          reversalRate: 0.03,
          claimsPerTransaction: 120,
        }),
      )
    const results = await ingestFiles(
      ['claims.837', ...remits.map(([name]) => name)].map((n) => join(dir, n)),
      { handle: ctx.handle, user: 'tester' },
    )
    expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested', 'ingested', 'ingested'])
  })

  it('has denials, recoveries in two months and written-off items to reconcile', async () => {
    const open = await listReworkItems(ctx.handle.db, { asOf: '2026-03-10' })
    for (const item of open.slice(0, 15))
      await resolveReworkItem(ctx.handle.db, item.id, 'written_off', 'bob')
    const cash = await cashReport(ctx.handle.db, {}, 'month')
    expect(cash.groups.map((g) => g.key)).toEqual(['2026-02', '2026-03'])
    expect(cash.groups.every((g) => g.recoveredAmountCents > 0)).toBe(true)
    const denials = await recoveredReport(ctx.handle.db, {}, 'drug')
    expect(denials.totals.items).toBeGreaterThan(100)
    expect(denials.totals.closedAmountCents).toBeGreaterThan(0)
    expect(denials.groups.some((g) => g.key === '(non-drug)')).toBe(true)
  })

  it('equals the independent SQL to the cent, every view, dimension and range', async () => {
    const compared = await reconcile(ctx.handle.db, [
      {},
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-02-10', to: '2026-02-17' },
      { from: '2026-02-18' },
    ])
    expect(compared).toBe(5 * 6 * 2)
  })
})
