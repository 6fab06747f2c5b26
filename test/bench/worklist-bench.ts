import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/create-database.js'
import type { ListFilter } from '../../src/rework/rework-repository.js'
import { formatWorklistCursor, listReworkPage } from '../../src/rework/rework-repository.js'
import { createWebServer } from '../../src/web/create-server.js'
import { addUser } from '../../src/web/user-repository.js'
import { WebClient } from '../support/web-server.js'

/** One measured worklist query. */
export interface WorklistBenchRow {
  query: string
  items: number
  /** Median of the runs, milliseconds. */
  ms: number
}

const PAYERS = 40
const QUEUES = ['coding', 'authorization', 'coverage', 'bundling', 'medical_necessity', 'other']
const CARCS = ['CO-4', 'CO-16', 'CO-197', 'CO-50', 'CO-97', 'CO-151', 'CO-18', 'CO-29']

async function median(runs: number, body: () => Promise<number>): Promise<{ ms: number; items: number }> {
  const times: number[] = []
  let items = 0
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    items = await body()
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { ms: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10, items }
}

/**
 * Generates `count` claim rework items (each with one or two lines, spread over payers, queues,
 * CARCs, statuses, assignees and a year of deadlines, a tenth without one) in a fresh PostgreSQL
 * schema, then times `queue list` pages through {@link listReworkPage}: the first page, a deep
 * keyset page (after the item at 90% of the list), and first pages filtered by payer, assignee
 * and CARC. Needs DATABASE_URL; says so and returns nothing without it.
 */
export async function runWorklistBench(count = 1_000_000, pageSize = 50): Promise<WorklistBenchRow[]> {
  const url = process.env.DATABASE_URL
  if (!url) {
    process.stdout.write('worklist bench: skipped, DATABASE_URL is not set (it measures PostgreSQL)\n')
    return []
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`
  const handle = await openDatabase({ databaseUrl: url, schema })
  const db = handle.db
  const rows: WorklistBenchRow[] = []
  try {
    const started = process.hrtime.bigint()
    await sql`insert into ingest_file (sha256, name, kind, byte_size, status) values ('bench', 'bench.835', '835', 0, 'ingested')`.execute(
      db,
    )
    await sql`insert into remittance (file_id, interchange_control, transaction_control, handling_code, total_paid,
        credit_debit, payment_method, plb_total, claim_count)
      values (1, '000000001', '0001', 'I', 0, 'C', 'ACH', 0, ${count})`.execute(db)
    await sql`insert into remit_claim (id, remittance_id, file_id, claim_id, payer_id, status, charge, paid,
        patient_responsibility, remark_codes, match_status, is_reversal)
      select g, 1, 1, 'BENCH-' || g, 'PAYER' || (g % ${PAYERS}), '4', 10000, 0, 0, '', 'unmatched', false
      from generate_series(1, ${count}::int8) g`.execute(db)
    // One item per claim, but every seventh item belongs to the claim before it (its sibling in
    // another queue).
    await sql`insert into rework_item (file_id, remit_claim_id, level, claim_id, payer_id, queue, action, carcs,
        amount, deadline, deadline_basis, status, assignee)
      select 1, c, 'claim', 'BENCH-' || c, 'PAYER' || (c % ${PAYERS}),
        (${sql.val(QUEUES)}::text[])[1 + (g % ${QUEUES.length})], 'appeal',
        array[(${sql.val(CARCS)}::text[])[1 + (g % ${CARCS.length})]],
        1000 + (g * 7919) % 900000,
        case when g % 10 = 0 then null else to_char(date '2026-01-01' + (g * 31 % 365)::int, 'YYYY-MM-DD') end,
        'bench', case when g % 5 = 0 then 'assigned' when g % 11 = 0 then 'corrected' else 'open' end,
        case when g % 5 = 0 then 'biller' || (g % 20) end
      from generate_series(1, ${count}::int8) g,
        lateral (select case when g % 7 = 0 then g - 1 else g end as c) x`.execute(db)
    await sql`insert into rework_item_line (rework_item_id, level, procedure_code, carcs, amount, action, deadline, deadline_basis)
      select id, 'line', 'J9271', carcs, amount / 2, action, deadline, deadline_basis from rework_item
      union all
      select id, 'line', '96413', carcs, amount - amount / 2, action, deadline, deadline_basis from rework_item where id % 2 = 0`.execute(
      db,
    )
    await sql`analyze`.execute(db)
    const { rows: counted } = await sql<{ n: string }>`select count(*)::text as n from rework_item`.execute(
      db,
    )
    const generated = Number(counted[0]?.n ?? 0)
    process.stdout.write(
      `worklist bench: generated ${generated} rework items on PostgreSQL in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`,
    )
    const asOf = '2026-01-01'
    const measure = async (query: string, filter: ListFilter): Promise<void> => {
      const result = await median(
        5,
        async () => (await listReworkPage(db, { asOf, limit: pageSize, ...filter })).items.length,
      )
      rows.push({ query, ...result })
      process.stdout.write(`worklist ${query}: ${result.items} items in ${result.ms} ms (median of 5)\n`)
    }
    await measure('first page', {})
    // The cursor of the item at 90% of the worklist, found once (not timed) with OFFSET.
    const { rows: deep } = await sql<{ deadline: string | null; amount: string; id: string }>`
      select deadline, amount::text, id::text from rework_item where status in ('open', 'assigned')
      order by coalesce(deadline, '9999-12-31'), (-amount), id
      offset (select floor(count(*) * 0.9)::int8 from rework_item where status in ('open', 'assigned')) limit 1`.execute(
      db,
    )
    const at = deep[0]
    if (at !== undefined)
      await measure('deep keyset page (after 90%)', {
        after: { deadline: at.deadline, amountCents: Number(at.amount), id: Number(at.id) },
      })
    await measure('first page --payer', { payerId: 'PAYER7' })
    await measure('first page --assignee', { assignee: 'biller5' })
    await measure('first page --carc 197', { carc: '197' })
    await measure('first page --queue --status', { queue: 'coverage', status: 'corrected' })

    // The same pages through the web app: a signed-in biller's HTTP requests to `onco-edi serve`
    // (session lookup, role check, query, JSON or the rendered HTML page), on this database.
    const app = await createWebServer({ db, engine: handle.engine })
    try {
      await app.listen({ port: 0, host: '127.0.0.1' })
      const address = app.server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      const { password } = await addUser(db, 'bench-biller', 'biller', 'bench')
      const client = new WebClient(`http://127.0.0.1:${port}`)
      if ((await client.login('bench-biller', password)) !== 303) throw new Error('bench login failed')
      const deepCursor =
        at === undefined
          ? ''
          : `after=${encodeURIComponent(formatWorklistCursor({ deadline: at.deadline, amountCents: Number(at.amount), id: Number(at.id) }))}`
      const http = async (query: string, path: string): Promise<void> => {
        const result = await median(5, async () => {
          const response = await client.get(path)
          if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`)
          const text = await response.text()
          return path.startsWith('/api/')
            ? (JSON.parse(text) as { items: unknown[] }).items.length
            : (text.match(/<tr data-item-id=/g) ?? []).length
        })
        rows.push({ query, ...result })
        process.stdout.write(`worklist ${query}: ${result.items} items in ${result.ms} ms (median of 5)\n`)
      }
      await http('HTTP GET /api/worklist first page', `/api/worklist?limit=${pageSize}`)
      await http('HTTP GET /api/worklist deep page', `/api/worklist?limit=${pageSize}&${deepCursor}`)
      await http('HTTP GET /api/worklist --carc 197', `/api/worklist?limit=${pageSize}&carc=197`)
      await http('HTTP GET /worklist (HTML page)', '/worklist')
      await http('HTTP GET /worklist deep page (HTML)', `/worklist?${deepCursor}`)
    } finally {
      await app.close()
    }
    return rows
  } finally {
    await handle.close()
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
}
