import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isAppealAction } from '../../../transforms/appeals/appeal-letter.js'
import { writeAppealPacket } from '../../rework/appeal-packet.js'
import { buildCorrectedClaim, previewCorrectedClaim } from '../../rework/corrected-claim.js'
import type { Resolution, ReworkItemDetail } from '../../rework/rework-repository.js'
import { getReworkItemDetail, RESOLUTIONS } from '../../rework/rework-repository.js'
import { today } from '../../today.js'
import { dollars } from '../amounts.js'
import { asUser } from '../as-user.js'
import type { CodeWords } from '../code-words.js'
import { loadCodeWords } from '../code-words.js'
import type { CorrectionQuery } from '../corrected-claim-view.js'
import { CorrectedClaimSection, correctionView, ScrubContextCache } from '../corrected-claim-view.js'
import { FindingsTable } from '../findings-table.js'
import { swapOnSubmit } from '../htmx-swap.js'
import { addNote, assignItem, resolveItem, WebRequestError, workerNames } from '../item-actions.js'
import { sendPage } from '../page.js'
import { allows } from '../roles.js'
import { num, TableHead } from '../table-head.js'
import type { WebContext, WebModule, WebUser } from '../web-context.js'
import { userOf } from '../web-context.js'
import { daysLeftClass } from './worklist-page.js'

const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const

const RESOLUTION_NAMES = Object.keys(RESOLUTIONS) as Resolution[]

const RESOLUTION_LABELS: Record<Resolution, string> = {
  corrected: 'Corrected claim sent',
  appealed: 'Appealed',
  written_off: 'Written off',
  patient_billed: 'Billed to the patient',
}

/** The denial: codes in words, what to do, the deadline and the rule that set it. */
function Denial(props: { detail: ReworkItemDetail; words: CodeWords }) {
  const { item } = props.detail
  const cls = daysLeftClass(item.daysLeft)
  return (
    <section class="card" aria-labelledby="denial-h">
      <h2 id="denial-h">Denial</h2>
      <dl class="facts">
        <dt>Reasons</dt>
        <dd>
          <ul>
            {item.carcs.map((carc) => (
              <li>
                <strong>{carc}</strong> {props.words.carc(carc, item.rarcs) ?? '(not in carc-rules.csv)'}
              </li>
            ))}
            {item.rarcs.map((rarc) => (
              <li>
                <strong>{rarc}</strong> {props.words.rarc(rarc) ?? '(no paraphrase in rarc-paraphrases.csv)'}
              </li>
            ))}
          </ul>
        </dd>
        <dt>What to do</dt>
        <dd class="guidance">{item.guidance}</dd>
        <dt>Queue / action</dt>
        <dd>
          {item.queue} / {item.action}
        </dd>
        <dt>Amount at risk</dt>
        <dd>{dollars(item.amount)}</dd>
        <dt>Deadline</dt>
        <dd>
          <span class={cls ?? ''}>
            {item.deadline ?? 'none'}
            {item.daysLeft === null
              ? ''
              : item.daysLeft < 0
                ? ` (${-item.daysLeft} days overdue)`
                : ` (${item.daysLeft} days left)`}
          </span>
          <div class="muted deadline-rule">Rule: {item.deadlineBasis}</div>
        </dd>
        <dt>Status</dt>
        <dd class="status">
          {item.status}
          {item.assignee === null ? '' : ` (${item.assignee})`}
        </dd>
        {item.flags.length > 0 ? (
          <>
            <dt>Flags</dt>
            <dd>{item.flags.join(', ')}</dd>
          </>
        ) : null}
        {item.linkedItemIds.length > 0 ? (
          <>
            <dt>Same claim in other queues</dt>
            <dd>
              {item.linkedItemIds.map((id) => (
                <>
                  <a href={`/items/${id}`}>#{id}</a>{' '}
                </>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  )
}

/** The lines as submitted: what a biller reads first (code, units, money, RARC) on the left, the NDC and authorization after, so that a narrow window scrolls only those. */
function ClaimLines(props: { detail: ReworkItemDetail }) {
  const { detail } = props
  return (
    <section class="card" aria-labelledby="lines-h">
      <h2 id="lines-h">Submitted claim lines</h2>
      {detail.claim === undefined ? (
        <p class="muted">No submitted 837 matched this remit.</p>
      ) : (
        <p class="muted">
          {detail.claim.kind} claim, frequency {detail.claim.frequencyCode}, DOS{' '}
          {detail.claim.serviceFrom ?? '?'}..
          {detail.claim.serviceTo ?? '?'}, charge {dollars(detail.claim.totalCharge)}, prior authorization{' '}
          {detail.claim.priorAuthorization ?? 'none'}
        </p>
      )}
      <div class="table-scroll">
        <table>
          <TableHead
            columns={[
              '#',
              'Code',
              'Modifiers',
              num('Units'),
              'DOS',
              num('Charge'),
              num('Paid'),
              'RARC',
              'NDC',
              num('NDC qty'),
              'Authorization',
            ]}
            scoped={false}
          />
          <tbody>
            {detail.lines.map((l) => (
              <tr>
                <td>{l.submittedLineNumber === null ? '-' : String(l.submittedLineNumber)}</td>
                <td>{l.procedureCode}</td>
                <td>{l.modifiers.join(':')}</td>
                <td class="num">{l.units === null ? '' : String(l.units)}</td>
                <td class="nowrap">{l.serviceFrom ?? ''}</td>
                <td class="num">{dollars(l.charge)}</td>
                <td class="num">{dollars(l.paid)}</td>
                <td>{l.rarcs.join(' ')}</td>
                <td>{l.ndc ?? ''}</td>
                <td class="num">{l.ndcQuantity === null ? '' : `${l.ndcQuantity} ${l.ndcUnit ?? ''}`}</td>
                <td>{l.priorAuthorization ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function Adjustments(props: { detail: ReworkItemDetail; words: CodeWords }) {
  return (
    <section class="card" aria-labelledby="adj-h">
      <h2 id="adj-h">835 adjustments</h2>
      <div class="table-scroll">
        <table>
          <TableHead columns={['Level', 'Group-CARC', 'Meaning', num('Amount')]} scoped={false} />
          <tbody>
            {props.detail.adjustments.map((a) => (
              <tr>
                <td>{a.lineSeq === null ? 'claim' : `line ${a.lineSeq}`}</td>
                <td>
                  {a.group}-{a.carc}
                </td>
                <td>{props.words.carc(a.carc, props.detail.item.rarcs) ?? ''}</td>
                <td class="num">{dollars(a.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.detail.remit === undefined ? (
        <p class="muted">Remit: none (rejected before adjudication: see the 277CA codes in the guidance)</p>
      ) : (
        <p class="muted">
          Remit: CLP02 {props.detail.remit.status}, charge {dollars(props.detail.remit.charge)}, paid{' '}
          {dollars(props.detail.remit.paid)}, patient {dollars(props.detail.remit.patientResponsibility)},
          remit date {props.detail.remit.remitDate ?? '?'}
        </p>
      )}
    </section>
  )
}

function ScrubFindings(props: { detail: ReworkItemDetail }) {
  const findings = props.detail.scrubFindings
  return (
    <section class="card" aria-labelledby="scrub-h">
      <h2 id="scrub-h">Scrub findings</h2>
      {findings.length === 0 ? (
        <p class="muted">The claim had no scrub findings (or was not scrubbed here).</p>
      ) : (
        <FindingsTable findings={findings.map((f) => ({ ...f, line: f.lineNumber }))} />
      )}
    </section>
  )
}

function History(props: { detail: ReworkItemDetail }) {
  return (
    <section class="card" aria-labelledby="history-h">
      <h2 id="history-h">Audit history</h2>
      <div class="table-scroll">
        <table id="history">
          <TableHead columns={['When (UTC)', 'Who', 'What', 'Status', 'Note']} scoped={false} />
          <tbody>
            {props.detail.history.length === 0 ? (
              <tr>
                <td colspan={5} class="muted">
                  Nothing done on this item yet.
                </td>
              </tr>
            ) : null}
            {props.detail.history.map((h) => (
              <tr>
                <td class="nowrap">{h.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{h.actor}</td>
                <td>{h.action}</td>
                <td>
                  {h.beforeStatus ?? ''}
                  {h.beforeStatus === h.afterStatus ? '' : ` → ${h.afterStatus ?? ''}`}
                </td>
                <td>{h.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** An action form that posts without htmx too (303 back here) and with htmx swaps #item. */
function ActionForm(props: { id: number; action: string; csrfToken: string; children?: unknown }) {
  const url = `/items/${props.id}/${props.action}`
  return (
    <form
      class="inline"
      method="post"
      action={url}
      {...swapOnSubmit('post', url, 'item')}
      data-action={props.action}
    >
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children as never}
    </form>
  )
}

function Actions(props: { detail: ReworkItemDetail; workers: string[]; csrfToken: string }) {
  const { item } = props.detail
  const working = item.status === 'open' || item.status === 'assigned'
  return (
    <section class="card" aria-labelledby="actions-h">
      <h2 id="actions-h">Actions</h2>
      {working ? (
        <ActionForm id={item.id} action="assign" csrfToken={props.csrfToken}>
          <label>
            Assign to
            <select name="to">
              {props.workers.map((name) => (
                <option value={name} selected={name === item.assignee}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Assign</button>
        </ActionForm>
      ) : null}
      <ActionForm id={item.id} action="notes" csrfToken={props.csrfToken}>
        <label>
          Note
          <input name="text" size={40} required maxLength={2000} />
        </label>
        <button type="submit">Add note</button>
      </ActionForm>
      {working ? (
        <ActionForm id={item.id} action="resolve" csrfToken={props.csrfToken}>
          <label>
            Resolution
            <select name="action">
              {RESOLUTION_NAMES.map((r) => (
                <option value={r}>{RESOLUTION_LABELS[r]}</option>
              ))}
            </select>
          </label>
          <label>
            Note
            <input name="note" size={30} maxLength={2000} />
          </label>
          <button type="submit">Resolve</button>
        </ActionForm>
      ) : null}
      {isAppealAction(item.action) ? (
        <p>
          Appeal letter:{' '}
          <a id="appeal-pdf" href={`/api/items/${item.id}/appeal`} download={`appeal-item-${item.id}.pdf`}>
            PDF
          </a>{' '}
          <a href={`/api/items/${item.id}/appeal?format=md`} download={`appeal-item-${item.id}.md`}>
            Markdown
          </a>
        </p>
      ) : null}
    </section>
  )
}

async function itemPage(
  context: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  id: number,
  message?: { error?: string; ok?: string },
  correctionQuery: CorrectionQuery = {},
) {
  const detail = await getReworkItemDetail(context.db, id)
  const user = userOf(request)
  const words = await loadCodeWords()
  const canWork = allows('workItems', user.role)
  const { item } = detail
  // The corrected-claim editor, for those who work items, when there is a claim to correct.
  const correctable = canWork && detail.claim !== undefined && item.payerClaimNumber !== null
  const correction = correctable
    ? await correctionView(context.db, await scrubContexts(context).get(), id, correctionQuery)
    : undefined
  return sendPage(
    request,
    reply,
    { title: `Item ${id}`, current: '/worklist', status: message?.error === undefined ? 200 : 409 },
    <div id="item" data-status={item.status}>
      <h1>
        Item #{item.id}: claim {item.claimId}, payer {item.payerId ?? '?'} (
        {item.payerClaimNumber ?? 'no payer claim number'})
      </h1>
      {message?.error === undefined ? null : (
        <p class="error" role="alert">
          {message.error}
        </p>
      )}
      <div class="grid item-top">
        <Denial detail={detail} words={words} />
        {canWork ? (
          <Actions detail={detail} workers={await workerNames(context.db)} csrfToken={reply.generateCsrf()} />
        ) : null}
      </div>
      {correction === undefined ? null : <CorrectedClaimSection id={id} view={correction} />}
      <ClaimLines detail={detail} />
      <Adjustments detail={detail} words={words} />
      <ScrubFindings detail={detail} />
      <History detail={detail} />
    </div>,
  )
}

/** Builds the corrected claim (re-scrubbed; refused while it has scrub errors) and audits it. */
function correctedClaimText(
  context: WebContext,
  user: WebUser,
  id: number,
  edits: CorrectionApiQuery = {},
): Promise<{ x12: string }> {
  return scrubContexts(context)
    .get()
    .then((scrub) =>
      asUser(context.db, user, (conn) =>
        buildCorrectedClaim(conn, id, {
          context: scrub,
          applyFixes: edits.applyFixes === true,
          set: edits.set ?? [],
          user: user.username,
          date: today(),
          envelope: context.outbound,
        }),
      ),
    )
}

type IdRequest = FastifyRequest<{ Params: { id: number } }>

/** One scrub-context cache per server (its database). */
const contextCaches = new WeakMap<object, ScrubContextCache>()
function scrubContexts(context: WebContext): ScrubContextCache {
  let cache = contextCaches.get(context.db)
  if (cache === undefined) {
    cache = new ScrubContextCache(context.db)
    contextCaches.set(context.db, cache)
  }
  return cache
}

const CORRECTION_QUERY = {
  type: 'object',
  properties: {
    applyFixes: { type: 'boolean', default: false },
    set: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 200 },
  },
} as const

/** The query of the corrected-claim API: `applyFixes=true`, `set=LINE.FIELD=VALUE` (repeated). */
interface CorrectionApiQuery {
  applyFixes?: boolean
  set?: string[]
}

/** The item page, its actions, and /api/items/:id with assign, notes, resolve and the corrected claim. */
export const itemModule: WebModule = {
  name: 'item',
  register(app, context) {
    const { db } = context
    app.get<{ Params: { id: number } }>(
      '/items/:id',
      { config: { access: 'readItems' }, schema: { hide: true, params: ID_PARAMS } },
      (request, reply) => itemPage(context, request, reply, request.params.id),
    )
    app.get<{ Params: { id: number }; Querystring: CorrectionQuery }>(
      '/items/:id/corrected-claim',
      { config: { access: 'workItems' }, schema: { hide: true, params: ID_PARAMS } },
      (request, reply) => itemPage(context, request, reply, request.params.id, undefined, request.query),
    )
    // Page actions: form posts (303 back to the item) that htmx also sends, swapping #item.
    const pageAction = <B,>(path: string, act: (user: WebUser, id: number, body: B) => Promise<unknown>) =>
      app.post<{ Params: { id: number }; Body: B }>(
        `/items/:id/${path}`,
        { config: { access: 'workItems' }, schema: { hide: true, params: ID_PARAMS } },
        async (request, reply) => {
          const id = request.params.id
          try {
            await act(userOf(request), id, request.body as B)
          } catch (error) {
            if (
              error instanceof WebRequestError ||
              (error instanceof Error && 'code' in error && String(error.code).startsWith('DB_INVALID'))
            )
              return itemPage(context, request, reply, id, { error: error.message })
            throw error
          }
          return reply.redirect(`/items/${id}`, 303)
        },
      )
    pageAction<{ to?: string }>('assign', (user, id, body) => assignItem(db, user, id, body.to ?? ''))
    pageAction<{ text?: string }>('notes', (user, id, body) => addNote(db, user, id, body.text ?? ''))
    pageAction<{ action?: string; note?: string }>('resolve', (user, id, body) =>
      resolveItem(db, user, id, resolutionOf(body.action), body.note),
    )

    app.get<{ Params: { id: number } }>(
      '/api/items/:id',
      {
        config: { access: 'readItems' },
        schema: {
          summary:
            'One rework item: the denial, claim lines, 835 adjustments, scrub findings, deadline rule, history',
          tags: ['items'],
          params: ID_PARAMS,
        },
      },
      (request: IdRequest) => getReworkItemDetail(db, request.params.id),
    )
    app.post<{ Params: { id: number }; Body: { to: string } }>(
      '/api/items/:id/assign',
      {
        config: { access: 'workItems' },
        schema: {
          summary: 'Assign the item to a biller or coder',
          tags: ['items'],
          params: ID_PARAMS,
          body: { type: 'object', required: ['to'], properties: { to: { type: 'string', minLength: 1 } } },
        },
      },
      (request) => assignItem(db, userOf(request), request.params.id, request.body.to),
    )
    app.post<{ Params: { id: number }; Body: { text: string } }>(
      '/api/items/:id/notes',
      {
        config: { access: 'workItems' },
        schema: {
          summary: "Add a note to the item's history",
          tags: ['items'],
          params: ID_PARAMS,
          body: {
            type: 'object',
            required: ['text'],
            properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } },
          },
        },
      },
      (request) => addNote(db, userOf(request), request.params.id, request.body.text),
    )
    app.post<{ Params: { id: number }; Body: { action: Resolution; note?: string } }>(
      '/api/items/:id/resolve',
      {
        config: { access: 'workItems' },
        schema: {
          summary: 'Record what was done: corrected, appealed, written_off or patient_billed',
          tags: ['items'],
          params: ID_PARAMS,
          body: {
            type: 'object',
            required: ['action'],
            properties: {
              action: { type: 'string', enum: RESOLUTION_NAMES },
              note: { type: 'string', maxLength: 2000 },
            },
          },
        },
      },
      (request) =>
        resolveItem(db, userOf(request), request.params.id, request.body.action, request.body.note),
    )
    app.get<{ Params: { id: number }; Querystring: { format?: 'pdf' | 'md' } }>(
      '/api/items/:id/appeal',
      {
        config: { access: 'workItems' },
        schema: {
          summary:
            'The appeal letter of an appeal or records item (as queue appeal writes it), PDF or Markdown; 409 APPEAL_NOT_APPEALABLE for other items. Audited',
          tags: ['items'],
          params: ID_PARAMS,
          querystring: {
            type: 'object',
            properties: { format: { type: 'string', enum: ['pdf', 'md'], default: 'pdf' } },
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request)
        const id = request.params.id
        const dir = await mkdtemp(join(tmpdir(), 'onco-edi-appeal-'))
        try {
          const written = await asUser(db, user, (conn) =>
            writeAppealPacket(conn, id, { outDir: join(dir, 'out'), user: user.username, date: today() }),
          )
          const md = request.query.format === 'md'
          const body = await readFile(md ? written.markdownPath : written.pdfPath)
          return reply
            .type(md ? 'text/markdown; charset=utf-8' : 'application/pdf')
            .header('content-disposition', `attachment; filename="appeal-item-${id}.${md ? 'md' : 'pdf'}"`)
            .send(body)
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      },
    )
    app.get<{ Params: { id: number }; Querystring: CorrectionApiQuery }>(
      '/api/items/:id/corrected-claim/preview',
      {
        config: { access: 'workItems' },
        schema: {
          summary:
            'The corrected claim without writing or auditing anything: its changes and scrub findings (accepted: no errors)',
          tags: ['items'],
          params: ID_PARAMS,
          querystring: CORRECTION_QUERY,
        },
      },
      async (request) => {
        const preview = await previewCorrectedClaim(db, request.params.id, {
          context: await scrubContexts(context).get(),
          applyFixes: request.query.applyFixes === true,
          set: request.query.set ?? [],
        })
        return {
          itemId: preview.itemId,
          claimId: preview.claimId,
          payerClaimNumber: preview.payerClaimNumber,
          accepted: preview.accepted,
          changes: preview.changes,
          findings: preview.findings.map((f) => ({
            line: f.line ?? null,
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            suggestion: f.suggestion ?? null,
          })),
        }
      },
    )
    app.get<{ Params: { id: number }; Querystring: CorrectionApiQuery }>(
      '/api/items/:id/corrected-claim',
      {
        config: { access: 'workItems' },
        schema: {
          summary:
            'The corrected claim as an 837 file (frequency 7, REF*F8) with the scrub fixes (applyFixes=true) and LINE.FIELD=VALUE edits (set, repeated), scrubbed again: 422 with the findings while it has errors. Audited',
          tags: ['items'],
          params: ID_PARAMS,
          querystring: CORRECTION_QUERY,
        },
      },
      async (request, reply) => {
        const { x12 } = await correctedClaimText(context, userOf(request), request.params.id, request.query)
        return reply
          .type('application/edi-x12')
          .header(
            'content-disposition',
            `attachment; filename="corrected-claim-item-${request.params.id}.837"`,
          )
          .send(x12)
      },
    )
  },
}

function resolutionOf(action: string | undefined): Resolution {
  if (action === undefined || !Object.hasOwn(RESOLUTIONS, action))
    throw new WebRequestError(400, 'bad_request', `Expected a resolution: ${RESOLUTION_NAMES.join(', ')}`)
  return action as Resolution
}
