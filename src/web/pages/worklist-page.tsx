import type { FastifyReply, FastifyRequest } from 'fastify'
import { REWORK_QUEUES } from '../../../transforms/denials/denial-types.js'
import type { ReworkItemView } from '../../rework/rework-repository.js'
import { formatWorklistCursor, listReworkPage, REWORK_STATUSES } from '../../rework/rework-repository.js'
import { dollars } from '../amounts.js'
import { breakAfterUnderscores } from '../break-text.js'
import { FiltersForm } from '../filters-form.js'
import { swapOnSubmit } from '../htmx-swap.js'
import { assignItems, workerNames } from '../item-actions.js'
import { sendPage } from '../page.js'
import { allows } from '../roles.js'
import { num, TableHead } from '../table-head.js'
import type { WebContext, WebModule } from '../web-context.js'
import { userOf } from '../web-context.js'
import type { WorklistQuery } from '../worklist-query.js'
import { WORKLIST_QUERY_SCHEMA, worklistFilter } from '../worklist-query.js'

/** The class of a days-left cell: overdue (past the deadline), due soon (14 days or fewer). */
export function daysLeftClass(daysLeft: number | null): string | undefined {
  if (daysLeft === null) return undefined
  if (daysLeft < 0) return 'overdue'
  if (daysLeft <= 14) return 'due-soon'
  return undefined
}

function DaysLeft(props: { item: ReworkItemView }) {
  const { daysLeft } = props.item
  const cls = daysLeftClass(daysLeft)
  return (
    <td
      class={`num${cls === undefined ? '' : ` ${cls}`}`}
      data-days-left={daysLeft === null ? '' : String(daysLeft)}
    >
      {daysLeft === null ? '—' : daysLeft < 0 ? `${-daysLeft} overdue` : String(daysLeft)}
    </td>
  )
}

function Filters(props: { query: WorklistQuery }) {
  const q = props.query
  const value = (v: string | number | undefined): string => (v === undefined ? '' : String(v))
  return (
    <FiltersForm action="/worklist" swap="worklist" submit="Filter">
      <label>
        Queue
        <select name="queue">
          <option value="">any</option>
          {REWORK_QUEUES.map((queue) => (
            <option value={queue} selected={q.queue === queue}>
              {queue}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select name="status">
          <option value="">open or assigned</option>
          {REWORK_STATUSES.map((status) => (
            <option value={status} selected={q.status === status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        Payer
        <input name="payer" size={10} value={value(q.payer)} />
      </label>
      <label>
        CARC
        <input name="carc" size={7} placeholder="CO-197" value={value(q.carc)} />
      </label>
      <label>
        Assignee
        <input name="assignee" size={10} value={value(q.assignee)} />
      </label>
      <label>
        Due within (days)
        <input name="dueWithin" type="number" min="0" size={4} value={value(q.dueWithin)} />
      </label>
    </FiltersForm>
  )
}

/** The worklist page of these filters and cursor, or with `after` the page after that cursor. */
function worklistPath(query: WorklistQuery, after?: string): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query))
    if ((after === undefined || key !== 'after') && value !== undefined && String(value) !== '')
      params.set(key, String(value))
  if (after !== undefined) params.set('after', after)
  const search = params.toString()
  return search === '' ? '/worklist' : `/worklist?${search}`
}

function WorklistTable(props: {
  items: ReworkItemView[]
  next: string | undefined
  query: WorklistQuery
  canWork: boolean
  workers: string[]
  csrfToken: string
}) {
  const { items } = props
  return (
    <div id="worklist">
      {props.canWork ? (
        <form
          id="bulk"
          class="inline"
          method="post"
          action="/worklist/assign"
          {...swapOnSubmit('post', '/worklist/assign', 'worklist')}
        >
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="back" value={worklistPath(props.query)} />
          <label>
            Assign selected to
            <select name="to">
              {props.workers.map((name) => (
                <option value={name}>{name}</option>
              ))}
            </select>
          </label>
          <button type="submit">Assign</button>
        </form>
      ) : null}
      <div class="table-scroll">
        <table>
          <TableHead
            columns={[
              ...(props.canWork ? ['Select'] : []),
              'Item',
              'Deadline',
              num('Days left'),
              num('Amount'),
              'Queue',
              'Reasons',
              'Claim',
              'Lines',
              'Payer',
              'Status',
            ]}
          />
          <tbody>
            {items.map((item) => (
              <tr data-item-id={String(item.id)}>
                {props.canWork ? (
                  <td>
                    <input
                      type="checkbox"
                      name="ids"
                      value={String(item.id)}
                      form="bulk"
                      aria-label={`Select item ${item.id}`}
                    />
                  </td>
                ) : null}
                <td>
                  <a href={`/items/${item.id}`}>#{item.id}</a>
                </td>
                <td class="nowrap">{item.deadline ?? '—'}</td>
                <DaysLeft item={item} />
                <td class="num">{dollars(item.amount)}</td>
                <td>{breakAfterUnderscores(item.queue)}</td>
                <td>{[...item.carcs, ...item.rarcs].join(' ')}</td>
                <td>{item.claimId}</td>
                <td>{item.lines.map((l) => l.procedureCode ?? 'claim').join(' ')}</td>
                <td>{item.payerId ?? ''}</td>
                <td>
                  {item.status}
                  {item.assignee === null ? null : (
                    <>
                      : <span class="assignee">{item.assignee}</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">
        {items.length === 0 ? 'No items match.' : `${items.length} item(s) on this page.`}{' '}
        {props.next === undefined ? null : (
          <a href={worklistPath(props.query, props.next)} rel="next">
            Next page
          </a>
        )}
      </p>
    </div>
  )
}

async function worklistPage(
  context: WebContext,
  request: FastifyRequest<{ Querystring: WorklistQuery }>,
  reply: FastifyReply,
  status = 200,
) {
  const parsed = worklistFilter(request.query)
  if ('error' in parsed) return reply.code(400).type('text/plain; charset=utf-8').send(parsed.error)
  const page = await listReworkPage(context.db, parsed.filter)
  const user = userOf(request)
  const canWork = allows('workItems', user.role)
  return sendPage(
    request,
    reply,
    { title: 'Worklist', current: '/worklist', status },
    <>
      <h1>Worklist</h1>
      <Filters query={request.query} />
      <WorklistTable
        items={page.items}
        next={page.next === undefined ? undefined : formatWorklistCursor(page.next)}
        query={request.query}
        canWork={canWork}
        workers={canWork ? await workerNames(context.db) : []}
        csrfToken={reply.generateCsrf()}
      />
    </>,
  )
}

/** Back to the worklist page the bulk assign came from (its filters), never elsewhere. */
function worklistReturn(back: string | undefined): string {
  return back !== undefined && /^\/worklist(\?[\x21-\x7e]*)?$/.test(back) ? back : '/worklist'
}

const ITEM_SCHEMA = { type: 'object', additionalProperties: true } as const

/** The worklist page and GET /api/worklist (claim-level rework items, keyset-paged). */
export const worklistModule: WebModule = {
  name: 'worklist',
  nav: [{ path: '/worklist', label: 'Worklist', access: 'readItems' }],
  register(app, context) {
    app.get<{ Querystring: WorklistQuery }>(
      '/worklist',
      { config: { access: 'readItems' }, schema: { hide: true, querystring: WORKLIST_QUERY_SCHEMA } },
      (request, reply) => worklistPage(context, request, reply),
    )
    app.post<{ Body: { ids?: string | string[]; to?: string; back?: string } }>(
      '/worklist/assign',
      {
        config: { access: 'workItems' },
        schema: {
          hide: true,
          body: {
            type: 'object',
            properties: {
              ids: {
                anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 500 }],
              },
              to: { type: 'string' },
              back: { type: 'string', maxLength: 2000 },
            },
          },
        },
      },
      async (request, reply) => {
        const raw = request.body.ids
        const ids = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw])
          .map(Number)
          .filter((n) => n > 0)
        await assignItems(context.db, userOf(request), ids, request.body.to ?? '')
        return reply.redirect(worklistReturn(request.body.back), 303)
      },
    )
    app.get<{ Querystring: WorklistQuery }>(
      '/api/worklist',
      {
        config: { access: 'readItems' },
        schema: {
          summary: 'Open rework items by deadline then amount (keyset paging: pass next as after)',
          tags: ['worklist'],
          querystring: WORKLIST_QUERY_SCHEMA,
          response: {
            200: {
              type: 'object',
              properties: {
                items: { type: 'array', items: ITEM_SCHEMA },
                next: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const parsed = worklistFilter(request.query)
        if ('error' in parsed) return reply.code(400).send({ error: 'bad_request', message: parsed.error })
        const page = await listReworkPage(context.db, parsed.filter)
        return { items: page.items, next: page.next === undefined ? null : formatWorklistCursor(page.next) }
      },
    )
    app.post<{ Body: { ids: number[]; to: string } }>(
      '/api/worklist/assign',
      {
        config: { access: 'workItems' },
        schema: {
          summary: 'Assign several items to one user (bulk assign)',
          tags: ['worklist'],
          body: {
            type: 'object',
            required: ['ids', 'to'],
            properties: {
              ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 500 },
              to: { type: 'string', minLength: 1 },
            },
          },
        },
      },
      async (request) => ({
        items: await assignItems(context.db, userOf(request), request.body.ids, request.body.to),
      }),
    )
  },
}
