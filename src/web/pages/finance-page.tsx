import type { FastifyReply, FastifyRequest } from 'fastify'
import { raw } from 'hono/html'
import type { FinanceDashboard, FinanceSection } from '../../rework/finance-dashboard.js'
import {
  deniedVsRecovered,
  FINANCE_SECTIONS,
  financeTable,
  isFinanceSection,
  loadFinanceDashboard,
  loadFinanceTable,
} from '../../rework/finance-dashboard.js'
import { toCsv } from '../../rework/report-csv.js'
import type { DenialsReport, ReportDimension } from '../../rework/reports.js'
import {
  cashReport,
  denialsReport,
  REPORT_DIMENSIONS,
  REPORT_VIEWS,
  recoveredReport,
} from '../../rework/reports.js'
import { today } from '../../today.js'
import { groupDigits } from '../amounts.js'
import { breakAfterUnderscores } from '../break-text.js'
import type { ChartSpec } from '../charts.js'
import { renderChartSvg } from '../charts.js'
import { DateField, FiltersForm } from '../filters-form.js'
import { sendPage } from '../page.js'
import type { RangeQuery } from '../report-query.js'
import { RANGE_PROPERTIES, rangeOf } from '../report-query.js'
import type { WebContext, WebModule } from '../web-context.js'

/** A bar chart of amounts in cents. */
function centsBars(title: string, categories: readonly string[], series: ChartSpec['series']): ChartSpec {
  return { title, type: 'bar', format: 'cents', categories, series }
}

/** Recovered, open at risk and closed unpaid, stacked: each bar is the key's denied amount. */
function outcomeChart(title: string, report: DenialsReport): ChartSpec {
  const { groups } = report
  return centsBars(
    title,
    groups.map((g) => g.key),
    [
      { name: 'recovered', values: groups.map((g) => g.recoveredAmountCents), stack: 'denied' },
      { name: 'open at risk', values: groups.map((g) => g.openAmountCents), stack: 'denied' },
      { name: 'closed unpaid', values: groups.map((g) => g.closedAmountCents), stack: 'denied' },
    ],
  )
}

/** The chart of one section (values: integer cents, or the denial rate as a ratio). */
export function financeChart(d: FinanceDashboard, section: FinanceSection): ChartSpec {
  const title = financeTable(d, section).title
  switch (section) {
    case 'denial-rate':
      return {
        title,
        type: 'line',
        format: 'percent',
        categories: d.byMonth.groups.map((g) => g.key),
        series: [{ name: 'denial rate', values: d.byMonth.groups.map((g) => g.denialRate) }],
      }
    case 'denied-recovered': {
      const months = deniedVsRecovered(d)
      return centsBars(
        title,
        months.map((m) => m.month),
        [
          { name: 'denied', values: months.map((m) => m.deniedAmountCents) },
          { name: 'recovered in month', values: months.map((m) => m.recoveredAmountCents) },
        ],
      )
    }
    case 'carc-family':
      return outcomeChart(title, d.byQueue)
    case 'payer':
      return outcomeChart(title, d.byPayer)
    case 'drug':
      return outcomeChart(title, d.byDrug)
    case 'at-risk':
      return centsBars(
        title,
        d.atRisk.buckets.map((b) => b.label),
        [{ name: 'open at risk', values: d.atRisk.buckets.map((b) => b.openAmountCents) }],
      )
  }
}

const NOTES: Readonly<Record<FinanceSection, string>> = {
  'denial-rate': 'Denied claims / adjudicated claims, by month of the remit.',
  'denied-recovered':
    'Denied: denials remitted in the month (denials view). Recovered: money recovered in the month, on denials of any month (cash view).',
  'carc-family':
    'Denials by the rework queue their CARC routes to; each bar is the denied amount: recovered + open at risk + closed unpaid.',
  payer: 'Denials by payer; each bar is the denied amount: recovered + open at risk + closed unpaid.',
  drug: 'Denials by drug (HCPCS); administration and other non-drug lines are (non-drug).',
  'at-risk':
    'Open amount at risk (open, assigned, corrected, appealed) by days left to each denied line’s deadline.',
}

function csvLink(section: FinanceSection, query: RangeQuery): string {
  const params = new URLSearchParams({ format: 'csv' })
  if (query.from) params.set('from', query.from)
  if (query.to) params.set('to', query.to)
  return `/api/reports/finance/${section}?${params.toString()}`
}

/** What the rows of a section are, for its first column on the page (CSV and API keep `key`). */
const ROW_LABELS: Readonly<Partial<Record<FinanceSection, string>>> = {
  'denial-rate': 'month',
  'carc-family': 'queue',
  payer: 'payer',
  drug: 'drug (HCPCS)',
}

function Section(props: { d: FinanceDashboard; section: FinanceSection; query: RangeQuery }) {
  const table = financeTable(props.d, props.section)
  const id = `fin-${props.section}`
  return (
    <section class="card" id={id} data-section={props.section}>
      <h2 id={`${id}-title`}>{table.title}</h2>
      <p class="muted">{NOTES[props.section]}</p>
      <figure class="chart" aria-labelledby={`${id}-title`}>
        {raw(renderChartSvg({ ...financeChart(props.d, props.section), width: 620, height: 280 }))}
      </figure>
      <div class="table-scroll">
        <table aria-labelledby={`${id}-title`}>
          <thead>
            <tr>
              {table.headers.map((h, i) => (
                <th scope="col" class={i === 0 ? undefined : 'num'}>
                  {(i === 0 && h === 'key' ? (ROW_LABELS[props.section] ?? h) : h).replaceAll('_', ' ')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr class={row[0] === 'TOTAL' ? 'total' : undefined}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th scope="row">{breakAfterUnderscores(cell)}</th>
                  ) : (
                    <td class="num">{groupDigits(cell)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={csvLink(props.section, props.query)} download={`finance-${props.section}.csv`}>
          Download CSV
        </a>
      </p>
    </section>
  )
}

async function financePage(
  context: WebContext,
  request: FastifyRequest<{ Querystring: RangeQuery }>,
  reply: FastifyReply,
) {
  const parsed = rangeOf(request.query)
  if ('error' in parsed) return reply.code(400).type('text/plain; charset=utf-8').send(parsed.error)
  const d = await loadFinanceDashboard(context.db, parsed.range, today())
  const q = request.query
  return sendPage(
    request,
    reply,
    { title: 'Finance', current: '/finance' },
    <>
      <h1>Finance</h1>
      <FiltersForm action="/finance" submit="Show">
        <DateField label="Remitted from" name="from" value={q.from ?? ''} />
        <DateField label="to" name="to" value={q.to ?? ''} />
      </FiltersForm>
      <p class="muted">
        The numbers of <code>onco-edi report recovered</code>: rows add up to TOTAL. Deadlines as of {d.asOf}.
      </p>
      <div class="grid finance">
        {FINANCE_SECTIONS.map((section) => (
          <Section d={d} section={section} query={q} />
        ))}
      </div>
    </>,
  )
}

const OBJECT = { type: 'object', additionalProperties: true } as const
const badRequest = (reply: FastifyReply, message: string) =>
  reply.code(400).send({ error: 'bad_request', message })

/** The finance page (charts, tables, CSV downloads) and the reports API. */
export const financeModule: WebModule = {
  name: 'finance',
  nav: [{ path: '/finance', label: 'Finance', access: 'reports' }],
  register(app, context) {
    app.get<{ Querystring: RangeQuery }>(
      '/finance',
      {
        config: { access: 'reports' },
        schema: {
          hide: true,
          querystring: { type: 'object', additionalProperties: false, properties: RANGE_PROPERTIES },
        },
      },
      (request, reply) => financePage(context, request, reply),
    )
    app.get<{ Querystring: RangeQuery }>(
      '/api/reports/finance',
      {
        config: { access: 'reports' },
        schema: {
          summary:
            'The finance dashboard: denials view by month, queue (CARC family), payer and drug, cash view by month, open amount at risk by deadline bucket',
          tags: ['reports'],
          querystring: { type: 'object', additionalProperties: false, properties: RANGE_PROPERTIES },
          response: { 200: OBJECT },
        },
      },
      async (request, reply) => {
        const parsed = rangeOf(request.query)
        if ('error' in parsed) return badRequest(reply, parsed.error)
        return loadFinanceDashboard(context.db, parsed.range, today())
      },
    )
    app.get<{ Params: { section: string }; Querystring: RangeQuery & { format?: 'json' | 'csv' } }>(
      '/api/reports/finance/:section',
      {
        config: { access: 'reports' },
        schema: {
          summary:
            'One section of the finance dashboard as a table ({title, headers, rows}), or CSV with format=csv',
          tags: ['reports'],
          params: {
            type: 'object',
            properties: { section: { type: 'string', enum: [...FINANCE_SECTIONS] } },
          },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { ...RANGE_PROPERTIES, format: { type: 'string', enum: ['json', 'csv'] } },
          },
          response: { 200: OBJECT },
        },
      },
      async (request, reply) => {
        const parsed = rangeOf(request.query)
        if ('error' in parsed) return badRequest(reply, parsed.error)
        const { section } = request.params
        if (!isFinanceSection(section)) return badRequest(reply, `No section ${section}`)
        const table = await loadFinanceTable(context.db, parsed.range, today(), section)
        if (request.query.format !== 'csv') return table
        const period = [parsed.range.from ?? 'start', parsed.range.to ?? 'now'].join('_')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="finance-${section}-${period}.csv"`)
          .send(toCsv(table.headers, table.rows))
      },
    )
    app.get<{ Querystring: RangeQuery & { by?: ReportDimension; view?: 'denials' | 'cash' } }>(
      '/api/reports/recovered',
      {
        config: { access: 'reports' },
        schema: {
          summary:
            'report recovered: denials view (default) or cash view, by carc, payer, queue, drug or month',
          tags: ['reports'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              ...RANGE_PROPERTIES,
              by: { type: 'string', enum: [...REPORT_DIMENSIONS] },
              view: { type: 'string', enum: [...REPORT_VIEWS] },
            },
          },
          response: { 200: OBJECT },
        },
      },
      async (request, reply) => {
        const parsed = rangeOf(request.query)
        if ('error' in parsed) return badRequest(reply, parsed.error)
        return request.query.view === 'cash'
          ? cashReport(context.db, parsed.range, request.query.by)
          : recoveredReport(context.db, parsed.range, request.query.by)
      },
    )
    app.get<{ Querystring: RangeQuery & { by?: ReportDimension } }>(
      '/api/reports/denials',
      {
        config: { access: 'reports' },
        schema: {
          summary: 'report denials: systematic denial causes by carc (default), payer, queue, drug or month',
          tags: ['reports'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { ...RANGE_PROPERTIES, by: { type: 'string', enum: [...REPORT_DIMENSIONS] } },
          },
          response: { 200: { type: 'array', items: OBJECT } },
        },
      },
      async (request, reply) => {
        const parsed = rangeOf(request.query)
        if ('error' in parsed) return badRequest(reply, parsed.error)
        return denialsReport(context.db, request.query.by ?? 'carc', parsed.range)
      },
    )
  },
}
