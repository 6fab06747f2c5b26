import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely'
import { sql } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import type { Database } from '../db/database.js'

/** Dimensions a report groups by. */
export const REPORT_DIMENSIONS = ['carc', 'payer', 'queue', 'drug', 'month'] as const
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number]

/**
 * Statuses whose amount is still at risk: nobody has given up on it and it is not paid yet.
 * Written into the SQL text (not bound), so it stays a constant list.
 */
const AT_RISK = sql.raw(`'open', 'assigned', 'corrected', 'appealed'`)

/**
 * A drug HCPCS (J, Q and C codes carry drugs and biologicals; DOMAIN.md §3) as a PostgreSQL
 * regular expression: `[0-9]`, not `\d`, so only ASCII digits match, as in a JS regex.
 */
const DRUG_CODE = sql.raw(`'^[JQC][0-9]{4}$'`)

/** Date range on the remit date of the denial (inclusive); open ends allowed. */
export interface ReportRange {
  from?: IsoDate | undefined
  to?: IsoDate | undefined
}

/** Totals of the recovered-revenue report. Amounts are cents and `"123.45"` strings. */
export interface RecoveredTotals {
  items: number
  deniedAmountCents: number
  recoveredAmountCents: number
  openAmountCents: number
  deniedAmount: string
  recoveredAmount: string
  openAmount: string
  deniedClaims: number
  adjudicatedClaims: number
  /** deniedClaims / adjudicatedClaims, rounded to 4 places (0 when nothing was adjudicated). */
  denialRate: number
}

/** One row of a grouped report. */
export interface RecoveredGroup extends RecoveredTotals {
  key: string
}

export interface RecoveredReport {
  from: string | null
  to: string | null
  by: ReportDimension | null
  totals: RecoveredTotals
  groups: RecoveredGroup[]
}

// Everything below aggregates in the database: a year of a clearinghouse's remits is millions of
// rows, so only one row per group (payer, month, drug, ...) ever reaches this process.

/** Claim identity: CLP01 + payer (a claim id is unique only within a payer). */
const CLAIM_KEY = (alias: string): RawBuilder<unknown> =>
  sql`(coalesce(${sql.ref(`${alias}.payer_id`)}, ''), ${sql.ref(`${alias}.claim_id`)})`

/** `YYYY-MM` of an ISO date column; `(undated)` when there is none. */
const MONTH_OF = (column: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`coalesce(nullif(substr(${column}, 1, 7), ''), '(undated)')`

/** The group key of a rework item (alias `ri`) per dimension; null means "not in any group". */
function itemKey(by: ReportDimension): RawBuilder<string | null> {
  switch (by) {
    case 'carc':
      // Primary CARC = the classifier's first (`carcs[0]` in JS, `carcs[1]` in SQL).
      return sql<string>`coalesce(ri.carcs[1], '(none)')`
    case 'payer':
      return sql<string>`coalesce(ri.payer_id, '(unknown)')`
    case 'queue':
      return sql<string>`ri.queue`
    case 'drug':
      return sql<string | null>`case when ri.procedure_code ~ ${DRUG_CODE} then ri.procedure_code end`
    case 'month':
      return MONTH_OF(sql`ri.remit_date`)
  }
}

/**
 * Remit date within the range (inclusive). ISO `YYYY-MM-DD` text compares like the date under
 * byte order; `collate "C"` keeps a database locale from reordering it. Undated rows count only
 * when the range is open on both ends.
 */
function inRange(column: string, range: ReportRange): Expression<SqlBool> {
  const col = sql.ref(column)
  const parts: RawBuilder<unknown>[] = []
  if (range.from !== undefined) parts.push(sql`${col} collate "C" >= ${range.from}`)
  if (range.to !== undefined) parts.push(sql`${col} collate "C" <= ${range.to}`)
  return parts.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(parts, sql` and `)})`
}

/** pg returns bigint/numeric aggregates as strings, PGlite may return numbers; sums stay < 2^53. */
const num = (value: string | number | bigint | null | undefined): number => Number(value ?? 0)

interface Sums {
  items: number
  denied: number
  recovered: number
  open: number
  deniedClaims: number
}

interface SumsRow {
  key: string | null
  items: string | number
  denied: string | number | null
  recovered: string | number | null
  open: string | number | null
  denied_claims: string | number
}

/** Item count, denied / recovered / open-at-risk cents and denied claims, per key (or in total). */
async function itemSums(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<Map<string | null, Sums>> {
  const key = by === undefined ? sql<null>`null::text` : itemKey(by)
  let query = db
    .selectFrom('rework_item as ri')
    .select([
      key.as('key'),
      sql<string | number>`count(*)`.as('items'),
      sql<string | number | null>`sum(ri.amount)`.as('denied'),
      sql<string | number | null>`sum(ri.recovered_amount)`.as('recovered'),
      sql<
        string | number | null
      >`sum(ri.amount - ri.recovered_amount) filter (where ri.status in (${AT_RISK}))`.as('open'),
      sql<string | number>`count(distinct ${CLAIM_KEY('ri')})`.as('denied_claims'),
    ])
    .where(inRange('ri.remit_date', range))
  if (by !== undefined) query = query.where(key, 'is not', null).groupBy(sql`1`)
  const rows: SumsRow[] = await query.execute()
  const sums = new Map<string | null, Sums>()
  for (const r of rows)
    sums.set(r.key, {
      items: num(r.items),
      denied: num(r.denied),
      recovered: num(r.recovered),
      open: num(r.open),
      deniedClaims: num(r.denied_claims),
    })
  return sums
}

/**
 * Adjudicated claims: distinct CLP01 + payer with a remit that is not a reversal, in total and per
 * payer or per month. A claim remitted in several months counts once, in the month of its
 * earliest dated remit (`(undated)` only when none is dated), so the months add up to the total.
 */
async function adjudicatedCounts(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<{ total: number; byKey: Map<string, number> }> {
  const claims = db
    .selectFrom('remit_claim as rc')
    .select([
      // payer_id null and '' share a claim key; the group key is '(unknown)' only when all are null.
      sql<string>`coalesce(max(rc.payer_id), '(unknown)')`.as('payer'),
      MONTH_OF(sql`min(rc.remit_date collate "C")`).as('month'),
    ])
    .where('rc.is_reversal', '=', false)
    .where(inRange('rc.remit_date', range))
    .groupBy([sql`coalesce(rc.payer_id, '')`, 'rc.claim_id'])
    .as('c')
  const key = by === 'payer' ? sql<string>`c.payer` : by === 'month' ? sql<string>`c.month` : sql<string>`''`
  const rows = await db
    .selectFrom(claims)
    .select([key.as('key'), sql<string | number>`count(*)`.as('n')])
    .groupBy(sql`1`)
    .execute()
  const byKey = new Map<string, number>()
  let total = 0
  for (const r of rows) {
    byKey.set(r.key, num(r.n))
    total += num(r.n)
  }
  return { total, byKey }
}

function totalsOf(sums: Sums | undefined, adjudicated: number): RecoveredTotals {
  const s = sums ?? { items: 0, denied: 0, recovered: 0, open: 0, deniedClaims: 0 }
  return {
    items: s.items,
    deniedAmountCents: s.denied,
    recoveredAmountCents: s.recovered,
    openAmountCents: s.open,
    deniedAmount: formatCents(s.denied),
    recoveredAmount: formatCents(s.recovered),
    openAmount: formatCents(s.open),
    deniedClaims: s.deniedClaims,
    adjudicatedClaims: adjudicated,
    denialRate: adjudicated === 0 ? 0 : Math.round((s.deniedClaims / adjudicated) * 10_000) / 10_000,
  }
}

/** Rate denominators are per payer and per month; other dimensions use all adjudicated claims. */
const perKeyDenominator = (by: ReportDimension): by is 'payer' | 'month' => by === 'payer' || by === 'month'

/**
 * Denied amount, recovered amount, open amount at risk and the denial rate (denied claims /
 * adjudicated claims), for denials whose remit date falls in the range, optionally grouped. By
 * payer and month the rate uses that payer's or month's adjudicated claims; by carc, queue and
 * drug it uses all of them. An item counts under its primary CARC (the classifier's first).
 */
export async function recoveredReport(
  db: Kysely<Database>,
  range: ReportRange = {},
  by?: ReportDimension,
): Promise<RecoveredReport> {
  const [totals, grouped, claims] = await Promise.all([
    itemSums(db, range, undefined),
    by === undefined ? Promise.resolve(new Map<string | null, Sums>()) : itemSums(db, range, by),
    adjudicatedCounts(db, range, by),
  ])
  const groups: RecoveredGroup[] = []
  if (by !== undefined) {
    const keys = [...grouped.keys()].filter((k): k is string => k !== null)
    for (const key of keys.sort((a, b) => a.localeCompare(b))) {
      const adjudicated = perKeyDenominator(by) ? (claims.byKey.get(key) ?? 0) : claims.total
      groups.push({ key, ...totalsOf(grouped.get(key), adjudicated) })
    }
  }
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    by: by ?? null,
    totals: totalsOf(totals.get(null), claims.total),
    groups,
  }
}

/** One row of the denials report. */
export interface DenialPattern {
  key: string
  items: number
  deniedClaims: number
  /** Claims the key could have been denied on: with that drug / payer / month, or all. */
  claimsWithKey: number
  /** deniedClaims / claimsWithKey. */
  share: number
  deniedAmount: string
  deniedAmountCents: number
  /** True when every claim (at least 2) with the key was denied for it: a systematic cause. */
  systematic: boolean
  queues: string[]
  carcs: string[]
}

/** Distinct values of a text column (or of the unnested CARCs) of the rework items, per key. */
async function distinctPerKey(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension,
  what: 'queue' | 'carc',
): Promise<Map<string, string[]>> {
  const key = itemKey(by)
  const rows =
    what === 'queue'
      ? await db
          .selectFrom('rework_item as ri')
          .select([key.as('key'), sql<string>`ri.queue`.as('value')])
          .where(inRange('ri.remit_date', range))
          .where(key, 'is not', null)
          .groupBy([sql`1`, sql`2`])
          .execute()
      : await db
          .selectFrom(
            db
              .selectFrom('rework_item as ri')
              .select([key.as('key'), sql<string>`unnest(ri.carcs)`.as('value')])
              .where(inRange('ri.remit_date', range))
              .as('x'),
          )
          .select(['x.key', 'x.value'])
          .where('x.key', 'is not', null)
          .groupBy(['x.key', 'x.value'])
          .execute()
  const out = new Map<string, string[]>()
  for (const r of rows) {
    if (r.key === null) continue
    const list = out.get(r.key)
    if (list === undefined) out.set(r.key, [r.value])
    else list.push(r.value)
  }
  // JS default sort (UTF-16 order), not the database collation.
  for (const list of out.values()) list.sort()
  return out
}

/** Distinct non-reversal remitted claims billed with each drug code, from the remitted lines. */
async function drugClaimCounts(db: Kysely<Database>, range: ReportRange): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('remit_line as rl')
    .innerJoin('remit_claim as rc', 'rc.id', 'rl.remit_claim_id')
    .select(['rl.procedure_code as code', sql<string | number>`count(distinct ${CLAIM_KEY('rc')})`.as('n')])
    .where('rc.is_reversal', '=', false)
    .where(inRange('rc.remit_date', range))
    .where(sql<SqlBool>`rl.procedure_code ~ ${DRUG_CODE}`)
    .groupBy('rl.procedure_code')
    .execute()
  return new Map(rows.map((r) => [r.code, num(r.n)]))
}

/**
 * Finds systematic denial causes: for each CARC, payer, drug or month, how many claims were
 * denied out of those that could be. A J-code denied on every claim billed with it is flagged.
 */
export async function denialsReport(
  db: Kysely<Database>,
  by: ReportDimension,
  range: ReportRange = {},
): Promise<DenialPattern[]> {
  const [groups, queues, carcs, claims, drugClaims] = await Promise.all([
    itemSums(db, range, by),
    distinctPerKey(db, range, by, 'queue'),
    distinctPerKey(db, range, by, 'carc'),
    adjudicatedCounts(db, range, by),
    by === 'drug' ? drugClaimCounts(db, range) : Promise.resolve(new Map<string, number>()),
  ])
  const patterns: DenialPattern[] = []
  for (const [key, s] of groups) {
    if (key === null) continue
    const claimsWithKey =
      by === 'drug'
        ? (drugClaims.get(key) ?? s.deniedClaims)
        : perKeyDenominator(by)
          ? (claims.byKey.get(key) ?? 0)
          : claims.total
    const share = claimsWithKey === 0 ? 0 : Math.round((s.deniedClaims / claimsWithKey) * 10_000) / 10_000
    patterns.push({
      key,
      items: s.items,
      deniedClaims: s.deniedClaims,
      claimsWithKey,
      share,
      deniedAmount: formatCents(s.denied),
      deniedAmountCents: s.denied,
      systematic: s.deniedClaims >= 2 && s.deniedClaims === claimsWithKey,
      queues: queues.get(key) ?? [],
      carcs: carcs.get(key) ?? [],
    })
  }
  return patterns.sort(
    (a, b) =>
      Number(b.systematic) - Number(a.systematic) ||
      b.share - a.share ||
      b.deniedAmountCents - a.deniedAmountCents ||
      a.key.localeCompare(b.key),
  )
}
