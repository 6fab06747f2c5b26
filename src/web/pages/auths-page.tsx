import type { FastifyReply, FastifyRequest } from 'fastify'
import { isValidIsoDate } from '../../../parsers/dates.js'
import { formatCents } from '../../../parsers/money.js'
import type { AuthDueKind } from '../../../transforms/scrub/auths-due.js'
import type { AuthsReview } from '../../scrub/auths-review.js'
import { loadAuthsReview } from '../../scrub/auths-review.js'
import { today } from '../../today.js'
import { dollars } from '../amounts.js'
import { DateField, FiltersForm } from '../filters-form.js'
import { sendPage } from '../page.js'
import type { Column } from '../table-head.js'
import { HeadCells, num, TableHead } from '../table-head.js'
import type { WebContext, WebModule } from '../web-context.js'

/** Query of the authorizations page and GET /api/auths/due. */
export interface AuthsQuery {
  within?: string | number | undefined
  asOf?: string | undefined
}

const AUTHS_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    within: {
      anyOf: [
        { type: 'string', maxLength: 0 },
        { type: 'integer', minimum: 0, maximum: 3650 },
      ],
    },
    asOf: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' },
  },
} as const

function optionsOf(query: AuthsQuery): { asOf: string; withinDays: number } | { error: string } {
  const asOf = query.asOf === undefined || query.asOf === '' ? today() : query.asOf
  if (!isValidIsoDate(asOf)) return { error: `asOf "${asOf}" is not a date` }
  const withinDays = query.within === undefined || query.within === '' ? 14 : Number(query.within)
  return { asOf, withinDays }
}

const KIND_LABELS: Readonly<Record<AuthDueKind, string>> = {
  expiring: 'expiring',
  'units-short': 'units short',
  'cycles-short': 'cycles short',
  'uncovered-infusion': 'no authorization',
}

const dash = (value: number | string | undefined): string => (value === undefined ? '—' : String(value))

/** The columns of one ledger (units or cycles, in the group row above): authorized, billed, scheduled, left. */
const LEDGER_COLUMNS: Column[] = [num('auth.'), num('billed'), num('sched.'), num('left')]

/** One ledger's cells; what is left is red when the schedule needs more than that. */
function LedgerCells(props: {
  authorized: number | undefined
  billed: number
  scheduled: number
  left: number | undefined
}) {
  const { left } = props
  return (
    <>
      <td class="num">{dash(props.authorized)}</td>
      <td class="num">{props.billed}</td>
      <td class="num">{props.scheduled}</td>
      <td class={left !== undefined && left < 0 ? 'num overdue' : 'num'}>{dash(left)}</td>
    </>
  )
}

function Review(props: { review: AuthsReview }) {
  const { review } = props
  const expiring = review.items.filter((i) => i.kind === 'expiring')
  const uncovered = review.items.filter((i) => i.kind === 'uncovered-infusion')
  const short = review.items.filter((i) => i.kind === 'units-short' || i.kind === 'cycles-short')
  // The page has no drug prices (`auths due --prices` has): the amount at risk is then never
  // known, and an always empty column only takes width from the others.
  const priced = review.items.some((item) => item.atRisk !== undefined)
  const dueRows = (items: typeof review.items) =>
    items.map((item) => (
      <tr data-kind={item.kind}>
        <td class="nowrap">{item.date}</td>
        <td>{KIND_LABELS[item.kind]}</td>
        <td>{item.authNumber ?? '—'}</td>
        <td>{item.payerId}</td>
        <td>{item.memberId}</td>
        <td>{item.hcpcs ?? 'any'}</td>
        {priced ? (
          <td class="num">{item.atRisk === undefined ? '' : dollars(formatCents(item.atRisk))}</td>
        ) : null}
        <td>{item.detail}</td>
      </tr>
    ))
  const dueTable = (id: string, title: string, items: typeof review.items, empty: string) => (
    <section class="card" id={id}>
      <h2>
        {title} ({items.length})
      </h2>
      {items.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <TableHead
              columns={[
                'Date',
                'Why',
                'Authorization',
                'Payer',
                'Member',
                'Drug',
                ...(priced ? [num('At risk')] : []),
                'Detail',
              ]}
            />
            <tbody>{dueRows(items)}</tbody>
          </table>
        </div>
      )}
    </section>
  )
  return (
    <>
      {dueTable(
        'expiring',
        `Expiring within ${review.withinDays} days`,
        expiring,
        'No authorization expires in that window.',
      )}
      {dueTable(
        'uncovered',
        'Scheduled infusions with no authorization',
        uncovered,
        'Every scheduled infusion is covered.',
      )}
      {dueTable(
        'short',
        'Short of the schedule',
        short,
        'No authorization runs out of units or cycles before its infusions.',
      )}
      <section class="card" id="balances">
        <h2>Units and cycles left against the schedule ({review.balances.length} active)</h2>
        <div class="table-scroll">
          <table>
            {/* Units and Cycles over their four columns each, so that "left" says of what. */}
            <thead>
              <tr>
                <td colspan={6}></td>
                <th scope="colgroup" colspan={4}>
                  Units
                </th>
                <th scope="colgroup" colspan={4}>
                  Cycles
                </th>
              </tr>
              <HeadCells
                columns={[
                  'Authorization',
                  'Payer',
                  'Member',
                  'Drug',
                  'Ends',
                  num('Days left'),
                  ...LEDGER_COLUMNS,
                  ...LEDGER_COLUMNS,
                ]}
              />
            </thead>
            <tbody>
              {review.balances.map((b) => (
                <tr data-auth={b.authNumber}>
                  <td>{b.authNumber}</td>
                  <td>{b.payerId}</td>
                  <td>{b.memberId}</td>
                  <td>{b.hcpcs ?? 'any'}</td>
                  <td class="nowrap">{b.endDate ?? 'open'}</td>
                  <td
                    class={
                      b.daysLeft !== undefined && b.daysLeft <= review.withinDays ? 'num due-soon' : 'num'
                    }
                  >
                    {dash(b.daysLeft)}
                  </td>
                  <LedgerCells
                    authorized={b.unitsAuthorized}
                    billed={b.unitsBilled}
                    scheduled={b.unitsScheduled}
                    left={b.unitsLeft}
                  />
                  <LedgerCells
                    authorized={b.cyclesAuthorized}
                    billed={b.cyclesBilled}
                    scheduled={b.cyclesScheduled}
                    left={b.cyclesLeft}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}

async function authsPage(
  context: WebContext,
  request: FastifyRequest<{ Querystring: AuthsQuery }>,
  reply: FastifyReply,
) {
  const options = optionsOf(request.query)
  if ('error' in options) return reply.code(400).type('text/plain; charset=utf-8').send(options.error)
  const review = await loadAuthsReview(context.db, options)
  return sendPage(
    request,
    reply,
    { title: 'Authorizations', current: '/auths' },
    <>
      <h1>Authorizations</h1>
      <FiltersForm action="/auths" submit="Show">
        <DateField label="As of" name="asOf" value={review.asOf} />
        <label>
          Expiring within (days)
          <input type="number" name="within" min="0" size={4} value={String(review.withinDays)} />
        </label>
      </FiltersForm>
      <p class="muted">
        The daily review of <code>onco-edi auths due</code>; member ids show their last 4 characters.
      </p>
      <Review review={review} />
    </>,
  )
}

/** The authorizations page and GET /api/auths/due. */
export const authsModule: WebModule = {
  name: 'auths',
  nav: [{ path: '/auths', label: 'Authorizations', access: 'auths' }],
  register(app, context) {
    app.get<{ Querystring: AuthsQuery }>(
      '/auths',
      { config: { access: 'auths' }, schema: { hide: true, querystring: AUTHS_QUERY_SCHEMA } },
      (request, reply) => authsPage(context, request, reply),
    )
    app.get<{ Querystring: AuthsQuery }>(
      '/api/auths/due',
      {
        config: { access: 'auths' },
        schema: {
          summary:
            'auths due: authorizations expiring within N days (default 14), short of units or cycles, uncovered infusions; units and cycles left per active authorization (member ids masked)',
          tags: ['authorizations'],
          querystring: AUTHS_QUERY_SCHEMA,
          response: { 200: { type: 'object', additionalProperties: true } },
        },
      },
      async (request, reply) => {
        const options = optionsOf(request.query)
        if ('error' in options) return reply.code(400).send({ error: 'bad_request', message: options.error })
        return loadAuthsReview(context.db, options)
      },
    )
  },
}
