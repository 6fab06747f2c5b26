import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely'
import { sql } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import {
  DEADLINE_BUCKET_LABELS,
  DEADLINE_BUCKETS,
  type DeadlineBucket,
  deadlineBucket,
} from '../../transforms/denials/deadline-bucket.js'
import type { Database } from '../db/database.js'

/** Dimensions a report groups by. */
export const REPORT_DIMENSIONS = ['carc', 'payer', 'queue', 'drug', 'month'] as const
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number]

/**
 * The two views of `report recovered`:
 * - `denials`: the cohort of denials whose remit date falls in the period, with what was denied,
 *   what has been recovered on them so far (whenever it was paid) and what is still open;
 * - `cash`: the money recovered in the period (by the remit date of the paying remit), whatever
 *   the date of the denial it paid.
 */
export const REPORT_VIEWS = ['denials', 'cash'] as const
export type ReportView = (typeof REPORT_VIEWS)[number]

/** Row keys of items that belong to no code, payer or CARC, so that the rows add up to TOTAL. */
export const NON_DRUG = '(non-drug)'
export const CLAIM_LEVEL = '(claim-level)'
export const NO_CARC = '(none)'
export const UNKNOWN_PAYER = '(unknown)'
export const UNDATED = '(undated)'

/**
 * Statuses whose amount is still at risk: nobody has given up on it and it is not paid yet.
 * Written into the SQL text (not bound), so it stays a constant list.
 */
const AT_RISK = sql.raw(`'open', 'assigned', 'corrected', 'appealed'`)

/**
 * A drug HCPCS as a PostgreSQL regular expression: J codes (drugs administered other than oral
 * method), Q codes (temporary codes, biosimilars among them) and C codes (OPPS pass-through drugs
 * and biologicals), per the HCPCS Level II code set (CMS, quarterly HCPCS release) and Medicare
 * Claims Processing Manual (IOM 100-04) ch. 17 (Drugs and Biologicals). `[0-9]`, not `\d`, so
 * only ASCII digits match, as in a JS regex.
 */
const DRUG_CODE = sql.raw(`'^[JQC][0-9]{4}$'`)

/** Date range (inclusive), on the remit date of the denial or of the recovery; open ends allowed. */
export interface ReportRange {
  from?: IsoDate | undefined
  to?: IsoDate | undefined
}

/** A row (or the TOTAL) of the denials view. Amounts are cents and `"123.45"` strings. */
export interface DenialsTotals {
  items: number
  deniedAmountCents: number
  /** Recovered so far on these denials, whatever the date of the recovery. */
  recoveredAmountCents: number
  /** Still at risk: denied − recovered of open, assigned, corrected and appealed items. */
  openAmountCents: number
  /** Neither recovered nor at risk: written off, billed to the patient, or the unpaid rest of a recovered item. */
  closedAmountCents: number
  deniedAmount: string
  recoveredAmount: string
  openAmount: string
  closedAmount: string
  deniedClaims: number
  /** The row's own denominator (see {@link recoveredReport}). */
  adjudicatedClaims: number
  /** deniedClaims / adjudicatedClaims, rounded to 4 places (0 when nothing was adjudicated). */
  denialRate: number
}

/** A row (or the TOTAL) of the cash view. */
export interface CashTotals {
  /** Rework items paid in the period. */
  items: number
  /** Distinct claims (payer + CLP01) of those items. */
  claims: number
  recoveredAmountCents: number
  recoveredAmount: string
  /** What those items had been denied (the recovered amount's base). */
  deniedAmountCents: number
  deniedAmount: string
}

/** Kept for callers of the denials view. */
export type RecoveredTotals = DenialsTotals

export type DenialsGroup = DenialsTotals & { key: string }
export type CashGroup = CashTotals & { key: string }
export type RecoveredGroup = DenialsGroup

interface ReportHeader {
  from: string | null
  to: string | null
  by: ReportDimension | null
}

export type DenialsReport = ReportHeader & { view: 'denials'; totals: DenialsTotals; groups: DenialsGroup[] }
export type CashReport = ReportHeader & { view: 'cash'; totals: CashTotals; groups: CashGroup[] }
/** Kept for callers of the denials view. */
export type RecoveredReport = DenialsReport

// Everything below aggregates in the database: a year of a clearinghouse's remits is millions of
// rows, so only one row per group (payer, month, drug, ...) ever reaches this process.
// The SQL reads the denied lines of rework items (ri, {@link deniedLines}) for the denials and their recoveries (recovered_amount,
// recovered_date) and remit_claim (rc) / remit_line (rl) for the denominators.

/**
 * The denied lines, each with its item's claim, payer, queue, status and dates (alias `ri`): what
 * every report aggregates. A rework item is one claim and queue; its lines carry the amount,
 * HCPCS and CARCs of each denial, and their share of the item's recovery (oldest line first), so
 * a drug or CARC row counts exactly the lines that carried it.
 */
function deniedLines(db: Kysely<Database>) {
  return db
    .selectFrom('rework_item_line as ril')
    .innerJoin('rework_item as item', 'item.id', 'ril.rework_item_id')
    .select([
      'item.id as item_id',
      'item.claim_id',
      'item.payer_id',
      'item.queue',
      'item.status',
      'item.remit_date',
      'item.recovered_date',
      'ril.procedure_code',
      'ril.carcs',
      'ril.amount',
      'ril.recovered_amount',
      'ril.deadline',
    ])
    .as('ri')
}

/** Claim identity: CLP01 + payer (a claim id is unique only within a payer). */
const CLAIM_KEY = (alias: string): RawBuilder<unknown> =>
  sql`(coalesce(${sql.ref(`${alias}.payer_id`)}, ''), ${sql.ref(`${alias}.claim_id`)})`

/** `YYYY-MM` of an ISO date column; `(undated)` when there is none. */
const MONTH_OF = (column: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`coalesce(nullif(substr(${column}, 1, 7), ''), ${UNDATED})`

/**
 * The row key of a rework item (alias `ri`). Never null: every item lands in exactly one row.
 * `month` is the month of the denial's remit in the denials view and of the recovery in the cash view.
 */
function itemKey(by: ReportDimension, view: ReportView): RawBuilder<string> {
  switch (by) {
    case 'carc':
      // Primary CARC = the classifier's first (`carcs[0]` in JS, `carcs[1]` in SQL).
      return sql<string>`coalesce(ri.carcs[1], ${NO_CARC})`
    case 'payer':
      return sql<string>`coalesce(nullif(ri.payer_id, ''), ${UNKNOWN_PAYER})`
    case 'queue':
      return sql<string>`ri.queue`
    case 'drug':
      // A line's HCPCS, or the single line's HCPCS of a claim-level denial; null only for a
      // claim-level denial of a claim with several lines.
      return sql<string>`case
        when ri.procedure_code ~ ${DRUG_CODE} then ri.procedure_code
        when ri.procedure_code is null then ${CLAIM_LEVEL}
        else ${NON_DRUG} end`
    case 'month':
      return MONTH_OF(view === 'cash' ? sql`ri.recovered_date` : sql`ri.remit_date`)
  }
}

/**
 * Date within the range (inclusive). ISO `YYYY-MM-DD` text compares like the date under byte
 * order; `collate "C"` keeps a database locale from reordering it. Undated rows count only when
 * the range is open on both ends.
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

const TOTAL_KEY = ''

interface DenialSums {
  items: number
  denied: number
  recovered: number
  open: number
  deniedClaims: number
}

/**
 * Denials view: item count, denied / recovered-so-far / open-at-risk cents and denied claims of
 * the items whose remit date is in the range, per key (or under {@link TOTAL_KEY}).
 */
async function denialSums(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<Map<string, DenialSums>> {
  const key = by === undefined ? sql<string>`${TOTAL_KEY}::text` : itemKey(by, 'denials')
  const rows = await db
    .selectFrom(deniedLines(db))
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
    .groupBy(sql`1`)
    .execute()
  return new Map(
    rows.map((r) => [
      r.key,
      {
        items: num(r.items),
        denied: num(r.denied),
        recovered: num(r.recovered),
        open: num(r.open),
        deniedClaims: num(r.denied_claims),
      },
    ]),
  )
}

/**
 * Adjudicated claims (distinct payer + CLP01 with a remit in the range that is not a reversal,
 * CLP02 22), the denominators of the denial rate, in total ({@link TOTAL_KEY}) and per key:
 * - payer: that payer's adjudicated claims;
 * - month: the claims adjudicated in that month (a claim remitted in two months counts in both,
 *   and once in the total);
 * - drug: the claims that carried a line with that HCPCS; `(non-drug)`: the claims that carried
 *   a line with a non-drug code; `(claim-level)`: all adjudicated claims;
 * - carc and queue: all adjudicated claims (any claim can be denied for any reason).
 */
async function adjudicatedClaims(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<{ total: number; byKey: Map<string, number> }> {
  const counted = async (
    key: RawBuilder<string>,
    withLines: boolean,
  ): Promise<{ key: string; n: string | number }[]> => {
    const n = sql<string | number>`count(distinct ${CLAIM_KEY('rc')})`.as('n')
    // With lines: one row per remitted line, so a claim counts under each code it carried.
    const from = withLines
      ? db.selectFrom('remit_line as rl').innerJoin('remit_claim as rc', 'rc.id', 'rl.remit_claim_id')
      : db.selectFrom('remit_claim as rc')
    return from
      .select([key.as('key'), n])
      .where('rc.is_reversal', '=', false)
      .where(inRange('rc.remit_date', range))
      .groupBy(sql`1`)
      .execute()
  }
  const toMap = (rows: { key: string; n: string | number }[]): Map<string, number> =>
    new Map(rows.map((r) => [r.key, num(r.n)]))
  const total = num((await counted(sql<string>`${TOTAL_KEY}::text`, false))[0]?.n)
  switch (by) {
    case 'payer':
      // payer_id null and '' share a claim key and the `(unknown)` row.
      return {
        total,
        byKey: toMap(await counted(sql<string>`coalesce(nullif(rc.payer_id, ''), ${UNKNOWN_PAYER})`, false)),
      }
    case 'month':
      return { total, byKey: toMap(await counted(MONTH_OF(sql`rc.remit_date`), false)) }
    case 'drug': {
      const byKey = toMap(
        await counted(
          sql<string>`case when rl.procedure_code ~ ${DRUG_CODE} then rl.procedure_code else ${NON_DRUG} end`,
          true,
        ),
      )
      byKey.set(CLAIM_LEVEL, total)
      return { total, byKey }
    }
    default:
      return { total, byKey: new Map() }
  }
}

const rate = (denied: number, of: number): number =>
  of === 0 ? 0 : Math.round((denied / of) * 10_000) / 10_000

function denialsTotalsOf(s: DenialSums | undefined, adjudicated: number): DenialsTotals {
  const sums = s ?? { items: 0, denied: 0, recovered: 0, open: 0, deniedClaims: 0 }
  const closed = sums.denied - sums.recovered - sums.open
  return {
    items: sums.items,
    deniedAmountCents: sums.denied,
    recoveredAmountCents: sums.recovered,
    openAmountCents: sums.open,
    closedAmountCents: closed,
    deniedAmount: formatCents(sums.denied),
    recoveredAmount: formatCents(sums.recovered),
    openAmount: formatCents(sums.open),
    closedAmount: formatCents(closed),
    deniedClaims: sums.deniedClaims,
    adjudicatedClaims: adjudicated,
    denialRate: rate(sums.deniedClaims, adjudicated),
  }
}

/** Cash view: items paid in the range (by recovery date), their claims, recovered and denied cents. */
async function cashSums(
  db: Kysely<Database>,
  range: ReportRange,
  by: ReportDimension | undefined,
): Promise<Map<string, CashTotals>> {
  const key = by === undefined ? sql<string>`${TOTAL_KEY}::text` : itemKey(by, 'cash')
  const rows = await db
    .selectFrom(deniedLines(db))
    .select([
      key.as('key'),
      sql<string | number>`count(*)`.as('items'),
      sql<string | number>`count(distinct ${CLAIM_KEY('ri')})`.as('claims'),
      sql<string | number | null>`sum(ri.recovered_amount)`.as('recovered'),
      sql<string | number | null>`sum(ri.amount)`.as('denied'),
    ])
    .where('ri.recovered_amount', '<>', 0)
    .where(inRange('ri.recovered_date', range))
    .groupBy(sql`1`)
    .execute()
  return new Map(rows.map((r) => [r.key, cashTotalsOf(r)]))
}

function cashTotalsOf(
  r:
    | {
        items: string | number
        claims: string | number
        recovered: string | number | null
        denied: string | number | null
      }
    | undefined,
): CashTotals {
  const recovered = num(r?.recovered)
  const denied = num(r?.denied)
  return {
    items: num(r?.items),
    claims: num(r?.claims),
    recoveredAmountCents: recovered,
    recoveredAmount: formatCents(recovered),
    deniedAmountCents: denied,
    deniedAmount: formatCents(denied),
  }
}

const byKeyOrder = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key)

/**
 * `report recovered`, denials view (the default): denials whose remit date is in the range, with
 * denied, recovered so far (whenever paid), open at risk and closed unpaid amounts, and the denial
 * rate = denied claims / the row's adjudicated claims (denominators: see {@link adjudicatedClaims}).
 * The rows add up to the TOTAL (amounts and item counts; a claim with denials in two rows counts
 * as a denied claim in both).
 *
 * An item counts under its primary CARC (the classifier's first), `(none)` when it has none; under
 * `(unknown)` when the remit named no payer; by drug under its HCPCS when that is a drug code,
 * `(non-drug)` for administration and other non-drug lines, `(claim-level)` for a claim-level
 * denial of a claim with several lines; by month under the month of the denial's remit.
 */
export async function recoveredReport(
  db: Kysely<Database>,
  range: ReportRange = {},
  by?: ReportDimension,
): Promise<DenialsReport> {
  const [totals, grouped, claims] = await Promise.all([
    denialSums(db, range, undefined),
    by === undefined ? Promise.resolve(new Map<string, DenialSums>()) : denialSums(db, range, by),
    adjudicatedClaims(db, range, by),
  ])
  const groups: DenialsGroup[] = [...grouped].map(([key, sums]) => ({
    key,
    ...denialsTotalsOf(sums, claims.byKey.get(key) ?? (rowDenominatorIsTotal(by) ? claims.total : 0)),
  }))
  return {
    view: 'denials',
    from: range.from ?? null,
    to: range.to ?? null,
    by: by ?? null,
    totals: denialsTotalsOf(totals.get(TOTAL_KEY), claims.total),
    groups: groups.sort(byKeyOrder),
  }
}

/**
 * `report recovered --view cash`: money recovered on denials whose recovery date (the remit date
 * of the paying remit) is in the range, whatever the date of the denial. Rows are keyed as in
 * {@link recoveredReport}, except that `month` is the month of the recovery; they add up to the
 * TOTAL.
 */
export async function cashReport(
  db: Kysely<Database>,
  range: ReportRange = {},
  by?: ReportDimension,
): Promise<CashReport> {
  const [totals, grouped] = await Promise.all([
    cashSums(db, range, undefined),
    by === undefined ? Promise.resolve(new Map<string, CashTotals>()) : cashSums(db, range, by),
  ])
  return {
    view: 'cash',
    from: range.from ?? null,
    to: range.to ?? null,
    by: by ?? null,
    totals: totals.get(TOTAL_KEY) ?? cashTotalsOf(undefined),
    groups: [...grouped].map(([key, t]) => ({ key, ...t })).sort(byKeyOrder),
  }
}

/** carc and queue rows divide by all adjudicated claims. */
const rowDenominatorIsTotal = (by: ReportDimension | undefined): boolean => by === 'carc' || by === 'queue'

/** One row of the denials report. */
export interface DenialPattern {
  key: string
  items: number
  deniedClaims: number
  /** Claims the key could have been denied on: the row's adjudicated claims (see {@link recoveredReport}). */
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
  const key = itemKey(by, 'denials')
  const rows =
    what === 'queue'
      ? await db
          .selectFrom(deniedLines(db))
          .select([key.as('key'), sql<string>`ri.queue`.as('value')])
          .where(inRange('ri.remit_date', range))
          .groupBy([sql`1`, sql`2`])
          .execute()
      : await db
          .selectFrom(
            db
              .selectFrom(deniedLines(db))
              .select([key.as('key'), sql<string>`unnest(ri.carcs)`.as('value')])
              .where(inRange('ri.remit_date', range))
              .as('x'),
          )
          .select(['x.key', 'x.value'])
          .groupBy(['x.key', 'x.value'])
          .execute()
  const out = new Map<string, string[]>()
  for (const r of rows) {
    const list = out.get(r.key)
    if (list === undefined) out.set(r.key, [r.value])
    else list.push(r.value)
  }
  // JS default sort (UTF-16 order), not the database collation.
  for (const list of out.values()) list.sort()
  return out
}

/** `(non-drug)`, `(unknown)` ...: rows that collect what has no key of its own are never a cause. */
const isCatchAll = (key: string): boolean => key.startsWith('(')

/**
 * Finds systematic denial causes: for each CARC, payer, drug or month, how many claims were
 * denied out of those that could be (the same denominators as the denial rate of
 * {@link recoveredReport}). A J-code denied on every claim billed with it is flagged.
 */
export async function denialsReport(
  db: Kysely<Database>,
  by: ReportDimension,
  range: ReportRange = {},
): Promise<DenialPattern[]> {
  const [groups, queues, carcs, claims] = await Promise.all([
    denialSums(db, range, by),
    distinctPerKey(db, range, by, 'queue'),
    distinctPerKey(db, range, by, 'carc'),
    adjudicatedClaims(db, range, by),
  ])
  const patterns: DenialPattern[] = []
  for (const [key, s] of groups) {
    const claimsWithKey = claims.byKey.get(key) ?? (rowDenominatorIsTotal(by) ? claims.total : 0)
    const share = rate(s.deniedClaims, claimsWithKey)
    patterns.push({
      key,
      items: s.items,
      deniedClaims: s.deniedClaims,
      claimsWithKey,
      share,
      deniedAmount: formatCents(s.denied),
      deniedAmountCents: s.denied,
      systematic: !isCatchAll(key) && s.deniedClaims >= 2 && s.deniedClaims === claimsWithKey,
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

/** One deadline bucket of {@link atRiskByDeadline}. */
export interface AtRiskBucket {
  key: DeadlineBucket
  label: string
  /** Denied lines with money still at risk. */
  lines: number
  openAmountCents: number
  openAmount: string
}

/** Open amount at risk by days left to the deadline; the buckets add up to `totals`. */
export interface AtRiskReport {
  asOf: IsoDate
  from: string | null
  to: string | null
  buckets: AtRiskBucket[]
  totals: { lines: number; openAmountCents: number; openAmount: string }
}

/**
 * The open amount at risk of the denials view ({@link recoveredReport}: denied − recovered of
 * open, assigned, corrected and appealed items whose remit date is in the range) by the days
 * each denied line has left to its deadline on `asOf` (buckets: {@link deadlineBucket}). The
 * total equals the denials view's `openAmountCents`. Every bucket is listed, empty or not,
 * except `(no deadline)`, which is listed only when some line has none.
 */
export async function atRiskByDeadline(
  db: Kysely<Database>,
  range: ReportRange,
  asOf: IsoDate,
): Promise<AtRiskReport> {
  // One row per deadline date: a few thousand at most, bucketed here by the pure rule.
  const rows = await db
    .selectFrom(deniedLines(db))
    .select([
      sql<string | null>`ri.deadline`.as('deadline'),
      sql<string | number>`count(*)`.as('lines'),
      sql<string | number | null>`sum(ri.amount - ri.recovered_amount)`.as('open'),
    ])
    .where(sql<SqlBool>`ri.status in (${AT_RISK})`)
    .where(sql<SqlBool>`ri.amount <> ri.recovered_amount`)
    .where(inRange('ri.remit_date', range))
    .groupBy(sql`1`)
    .execute()
  const sums = new Map<DeadlineBucket, { lines: number; open: number }>()
  for (const r of rows) {
    const key = deadlineBucket(r.deadline, asOf)
    const s = sums.get(key) ?? { lines: 0, open: 0 }
    s.lines += num(r.lines)
    s.open += num(r.open)
    sums.set(key, s)
  }
  const buckets = DEADLINE_BUCKETS.filter((key) => key !== '(no deadline)' || sums.has(key)).map(
    (key): AtRiskBucket => {
      const s = sums.get(key) ?? { lines: 0, open: 0 }
      return {
        key,
        label: DEADLINE_BUCKET_LABELS[key],
        lines: s.lines,
        openAmountCents: s.open,
        openAmount: formatCents(s.open),
      }
    },
  )
  const lines = buckets.reduce((n, b) => n + b.lines, 0)
  const open = buckets.reduce((n, b) => n + b.openAmountCents, 0)
  return {
    asOf,
    from: range.from ?? null,
    to: range.to ?? null,
    buckets,
    totals: { lines, openAmountCents: open, openAmount: formatCents(open) },
  }
}
