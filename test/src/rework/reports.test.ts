import { beforeAll, expect, it } from 'vitest'
import { formatCents } from '../../../parsers/money.js'
import type {
  CashTotals,
  DenialPattern,
  RecoveredTotals,
  ReportDimension,
  ReportRange,
} from '../../../src/rework/reports.js'
import { cashReport, denialsReport, REPORT_DIMENSIONS, recoveredReport } from '../../../src/rework/reports.js'
import { describeEachDatabase } from '../../support/databases.js'

// The reports aggregate in SQL. This suite seeds a few hundred remits and rework items covering
// the awkward cases (a claim id shared by two payers, a null payer, undated and reversed remits,
// a claim remitted in two months, empty CARC lists, codes that only look like drugs) and checks
// every report against a plain in-memory computation of the documented rules.

/** mulberry32: a small seeded PRNG, so the data is the same on every run and engine. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const PAYERS = ['MCR01', 'COM01', 'MCD02', null] as const
const DATES = [
  '2025-11-28',
  '2025-12-01',
  '2025-12-31',
  '2026-01-15',
  '2026-02-01',
  '2026-02-03',
  '2026-03-09',
  null,
]
const CODES = ['J9299', 'J9271', 'Q5107', 'C9399', '96413', '96417', 'j1234', 'J12345', 'A1234', 'JX123']
const CARCS = ['CO-197', 'CO-16', 'PR-96', 'CO-50', 'CO-4', 'OA-23']
const QUEUES = ['coding', 'auth', 'appeal', 'eligibility']
const STATUSES = ['open', 'assigned', 'corrected', 'appealed', 'written_off', 'patient_billed', 'recovered']
const AT_RISK = new Set(['open', 'assigned', 'corrected', 'appealed'])
const DRUG = /^[JQC]\d{4}$/

interface Remit {
  claimId: string
  payerId: string | null
  remitDate: string | null
  reversal: boolean
  codes: string[]
}

interface Item {
  claimId: string
  payerId: string | null
  procedureCode: string | null
  remitDate: string | null
  queue: string
  carcs: string[]
  amount: number
  recovered: number
  recoveredDate: string | null
  status: string
}

function seedData(): { remits: Remit[]; items: Item[][] } {
  const next = random(20_260_226)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const remits: Remit[] = []
  const items: Item[][] = []
  for (let n = 0; n < 260; n++) {
    // 70 claim ids over 4 payers: the same CLP01 recurs under different payers and in later remits.
    const remit: Remit = {
      claimId: `C-${String(Math.floor(next() * 70)).padStart(3, '0')}`,
      payerId: pick(PAYERS),
      remitDate: pick(DATES),
      reversal: next() < 0.1,
      codes: Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(CODES)),
    }
    remits.push(remit)
    const denied: Item[] = []
    if (next() < 0.6)
      // Q9999 is on no remitted line (an inconsistent row): its denominator is 0, its rate 0.
      for (const code of [next() < 0.15 ? 'Q9999' : null, ...remit.codes]) {
        if (next() < 0.5) continue
        const amount = 1 + Math.floor(next() * 900_000)
        const status = pick(STATUSES)
        const recovered = status === 'recovered' || next() < 0.2 ? Math.floor(next() * amount) : 0
        const carcs = Array.from({ length: Math.floor(next() * 3) }, () => pick(CARCS))
        denied.push({
          claimId: remit.claimId,
          payerId: remit.payerId,
          procedureCode: code,
          remitDate: remit.remitDate,
          queue: pick(QUEUES),
          carcs: [...new Set(carcs)],
          amount,
          recovered,
          recoveredDate: recovered > 0 ? pick(DATES) : null,
          status,
        })
      }
    items.push(denied)
  }
  return { remits, items }
}

const inRange = (date: string | null, range: ReportRange): boolean =>
  date === null
    ? range.from === undefined && range.to === undefined
    : (range.from === undefined || date >= range.from) && (range.to === undefined || date <= range.to)
const claimKey = (r: { payerId: string | null; claimId: string }): string => `${r.payerId ?? ''}|${r.claimId}`
const monthOf = (date: string | null): string => (date ?? '').slice(0, 7) || '(undated)'

function keyOf(item: Item, by: ReportDimension, view: 'denials' | 'cash' = 'denials'): string {
  if (by === 'carc') return item.carcs[0] ?? '(none)'
  if (by === 'payer') return item.payerId ?? '(unknown)'
  if (by === 'queue') return item.queue
  if (by === 'month') return monthOf(view === 'cash' ? item.recoveredDate : item.remitDate)
  if (item.procedureCode === null) return '(claim-level)'
  return DRUG.test(item.procedureCode) ? item.procedureCode : '(non-drug)'
}

/** The denial-rate denominator of a row, as the README defines it. */
function denominator(remits: Remit[], range: ReportRange, by: ReportDimension | undefined, key: string) {
  const adjudicated = remits.filter((r) => !r.reversal && inRange(r.remitDate, range))
  const count = (list: Remit[]) => new Set(list.map(claimKey)).size
  if (by === 'payer') return count(adjudicated.filter((r) => (r.payerId ?? '(unknown)') === key))
  if (by === 'month') return count(adjudicated.filter((r) => monthOf(r.remitDate) === key))
  if (by === 'drug' && key === '(non-drug)')
    return count(adjudicated.filter((r) => r.codes.some((c) => !DRUG.test(c))))
  if (by === 'drug' && key !== '(claim-level)') return count(adjudicated.filter((r) => r.codes.includes(key)))
  return count(adjudicated)
}

function totals(items: Item[], adjudicatedClaims: number): RecoveredTotals {
  const denied = items.reduce((s, i) => s + i.amount, 0)
  const recovered = items.reduce((s, i) => s + i.recovered, 0)
  const open = items.filter((i) => AT_RISK.has(i.status)).reduce((s, i) => s + i.amount - i.recovered, 0)
  const closed = denied - recovered - open
  const deniedClaims = new Set(items.map(claimKey)).size
  return {
    items: items.length,
    deniedAmountCents: denied,
    recoveredAmountCents: recovered,
    openAmountCents: open,
    closedAmountCents: closed,
    deniedAmount: formatCents(denied),
    recoveredAmount: formatCents(recovered),
    openAmount: formatCents(open),
    closedAmount: formatCents(closed),
    deniedClaims,
    adjudicatedClaims,
    denialRate:
      adjudicatedClaims === 0 ? 0 : Math.round((deniedClaims / adjudicatedClaims) * 10_000) / 10_000,
  }
}

function cashTotals(items: Item[]): CashTotals {
  const recovered = items.reduce((s, i) => s + i.recovered, 0)
  const denied = items.reduce((s, i) => s + i.amount, 0)
  return {
    items: items.length,
    claims: new Set(items.map(claimKey)).size,
    recoveredAmountCents: recovered,
    recoveredAmount: formatCents(recovered),
    deniedAmountCents: denied,
    deniedAmount: formatCents(denied),
  }
}

function groupItems(
  items: Item[],
  by: ReportDimension,
  view: 'denials' | 'cash' = 'denials',
): Map<string, Item[]> {
  const groups = new Map<string, Item[]>()
  for (const item of items) {
    const key = keyOf(item, by, view)
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [item])
    else list.push(item)
  }
  return groups
}

function expectedDenials(
  remits: Remit[],
  all: Item[],
  by: ReportDimension,
  range: ReportRange,
): DenialPattern[] {
  const items = all.filter((i) => inRange(i.remitDate, range))
  const patterns = [...groupItems(items, by)].map(([key, list]): DenialPattern => {
    const deniedClaims = new Set(list.map(claimKey)).size
    const claimsWithKey = denominator(remits, range, by, key)
    const amount = list.reduce((s, i) => s + i.amount, 0)
    return {
      key,
      items: list.length,
      deniedClaims,
      claimsWithKey,
      share: claimsWithKey === 0 ? 0 : Math.round((deniedClaims / claimsWithKey) * 10_000) / 10_000,
      deniedAmount: formatCents(amount),
      deniedAmountCents: amount,
      systematic: !key.startsWith('(') && deniedClaims >= 2 && deniedClaims === claimsWithKey,
      queues: [...new Set(list.map((i) => i.queue))].sort(),
      carcs: [...new Set(list.flatMap((i) => i.carcs))].sort(),
    }
  })
  return patterns.sort(
    (a, b) =>
      Number(b.systematic) - Number(a.systematic) ||
      b.share - a.share ||
      b.deniedAmountCents - a.deniedAmountCents ||
      a.key.localeCompare(b.key),
  )
}

const RANGES: ReportRange[] = [
  {},
  { from: '2025-12-01', to: '2026-02-01' },
  { from: '2026-01-01' },
  { to: '2025-12-31' },
  { from: '2026-02-03', to: '2026-02-03' },
  { from: '2027-01-01', to: '2027-12-31' },
]

describeEachDatabase('reports aggregate in SQL', (ctx) => {
  const { remits, items } = seedData()
  const allItems = items.flat()

  beforeAll(async () => {
    const db = ctx.handle.db
    const file = await db
      .insertInto('ingest_file')
      .values({ sha256: 'reports-test', name: 'seeded.835', kind: '835', byte_size: 0, status: 'ingested' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const remittance = await db
      .insertInto('remittance')
      .values({
        file_id: Number(file.id),
        interchange_control: '000000001',
        transaction_control: '0001',
        handling_code: 'I',
        total_paid: 0,
        credit_debit: 'C',
        payment_method: 'NON',
        payer_id: null,
        payer_name: null,
        payee_id: null,
        payee_name: null,
        payment_date: null,
        trace_number: null,
        production_date: null,
        plb_total: 0,
        claim_count: remits.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [n, remit] of remits.entries()) {
      const claim = await db
        .insertInto('remit_claim')
        .values({
          remittance_id: Number(remittance.id),
          file_id: Number(file.id),
          claim_id: remit.claimId,
          payer_id: remit.payerId,
          status: remit.reversal ? '22' : '4',
          charge: 0,
          paid: 0,
          patient_responsibility: 0,
          remit_date: remit.remitDate,
          match_status: 'unmatched',
          is_reversal: remit.reversal,
          filing_indicator: null,
          payer_claim_number: null,
          facility_code: null,
          frequency_code: null,
          statement_from: null,
          statement_to: null,
          remark_codes: '',
          submitted_claim_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('remit_line')
        .values(
          remit.codes.map((code, i) => ({
            remit_claim_id: Number(claim.id),
            line_seq: i + 1,
            procedure_code: code,
            charge: 0,
            paid: 0,
            units: 1,
            modifiers: '',
            rarcs: '',
          })),
        )
        .execute()
      const denied = items[n] ?? []
      if (denied.length > 0) {
        const stored = await db
          .insertInto('rework_item')
          .values(
            denied.map((item) => ({
              file_id: Number(file.id),
              remit_claim_id: Number(claim.id),
              level: item.procedureCode === null ? 'claim' : 'line',
              claim_id: item.claimId,
              payer_id: item.payerId,
              procedure_code: item.procedureCode,
              remit_date: item.remitDate,
              queue: item.queue,
              action: 'review',
              carcs: item.carcs,
              amount: item.amount,
              deadline_basis: 'test',
              status: item.status,
              recovered_amount: item.recovered,
              recovered_date: item.recoveredDate,
              appealable: true,
              flags: [],
              guidance: '',
              low_confidence: false,
              rarcs: [],
            })),
          )
          .returning('id')
          .execute()
        // Each denial is a claim item with one line carrying its code, CARCs and amounts.
        await db
          .insertInto('rework_item_line')
          .values(
            denied.map((item, i) => ({
              rework_item_id: Number(stored[i]?.id),
              level: item.procedureCode === null ? 'claim' : 'line',
              procedure_code: item.procedureCode,
              carcs: item.carcs,
              rarcs: [],
              amount: item.amount,
              recovered_amount: item.recovered,
              action: 'review',
              deadline_basis: 'test',
              guidance: '',
              modifiers: '',
              units: null,
              service_date: null,
              deadline: null,
              low_confidence: false,
              appealable: true,
              flags: [],
              remit_line_id: null,
              submitted_line_id: null,
            })),
          )
          .execute()
      }
    }
  })

  it('seeds enough variety to mean something', () => {
    expect(allItems.length).toBeGreaterThan(200)
    expect(allItems.some((i) => i.payerId === null && i.remitDate === null)).toBe(true)
    expect(allItems.some((i) => i.carcs.length === 0)).toBe(true)
    expect(remits.some((r) => r.reversal)).toBe(true)
    expect(allItems.some((i) => i.procedureCode === 'Q9999')).toBe(true)
  })

  it('matches the in-memory recovered report (denials view) for every range and dimension', async () => {
    for (const range of RANGES)
      for (const by of [undefined, ...REPORT_DIMENSIONS]) {
        const inScope = allItems.filter((i) => inRange(i.remitDate, range))
        const groups =
          by === undefined
            ? []
            : [...groupItems(inScope, by)]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, list]) => ({ key, ...totals(list, denominator(remits, range, by, key)) }))
        const report = await recoveredReport(ctx.handle.db, range, by)
        expect(report, `${JSON.stringify(range)} by ${by}`).toEqual({
          view: 'denials',
          from: range.from ?? null,
          to: range.to ?? null,
          by: by ?? null,
          totals: totals(inScope, denominator(remits, range, undefined, '')),
          groups,
        })
      }
  })

  it('matches the in-memory cash view for every range and dimension', async () => {
    for (const range of RANGES)
      for (const by of [undefined, ...REPORT_DIMENSIONS]) {
        const paid = allItems.filter((i) => i.recovered !== 0 && inRange(i.recoveredDate, range))
        const groups =
          by === undefined
            ? []
            : [...groupItems(paid, by, 'cash')]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, list]) => ({ key, ...cashTotals(list) }))
        expect(await cashReport(ctx.handle.db, range, by), `${JSON.stringify(range)} by ${by}`).toEqual({
          view: 'cash',
          from: range.from ?? null,
          to: range.to ?? null,
          by: by ?? null,
          totals: cashTotals(paid),
          groups,
        })
      }
  })

  it('matches the in-memory denials report for every range and dimension', async () => {
    for (const range of RANGES)
      for (const by of REPORT_DIMENSIONS) {
        const expected = expectedDenials(remits, allItems, by, range)
        expect(await denialsReport(ctx.handle.db, by, range), `${JSON.stringify(range)} by ${by}`).toEqual(
          expected,
        )
      }
  })

  it('adds every row up to the TOTAL, in both views', async () => {
    for (const range of RANGES)
      for (const by of REPORT_DIMENSIONS) {
        const denials = await recoveredReport(ctx.handle.db, range, by)
        for (const field of [
          'items',
          'deniedAmountCents',
          'recoveredAmountCents',
          'openAmountCents',
          'closedAmountCents',
        ] as const)
          expect(
            denials.groups.reduce((s, g) => s + g[field], 0),
            `${field} ${JSON.stringify(range)} by ${by}`,
          ).toBe(denials.totals[field])
        const cash = await cashReport(ctx.handle.db, range, by)
        for (const field of ['items', 'recoveredAmountCents', 'deniedAmountCents'] as const)
          expect(cash.groups.reduce((s, g) => s + g[field], 0)).toBe(cash.totals[field])
      }
  })
})
