import fastifyMultipart from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Child } from 'hono/jsx'
import { isQuarter } from '../../../transforms/codes/quarter.js'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import { payerRequirements } from '../../../transforms/denials/payer-profile.js'
import type { JobRow, JobsOverview } from '../../batch/job-queue.js'
import type { CodeImportResult } from '../../codes/code-table-repository.js'
import { listCodeImports, lookupHcpcs } from '../../codes/code-table-repository.js'
import { CodesError } from '../../codes/codes-error.js'
import { DbError } from '../../db/db-error.js'
import { listPayerProfiles } from '../../rework/payer-repository.js'
import type { PayerUploadResult } from '../admin-actions.js'
import { importUploadedCodeFile, importUploadedPayers, UploadTooLarge } from '../admin-actions.js'
import { csrfInMultipartField, isValidCsrfField } from '../csrf-field.js'
import { swapOnSubmit } from '../htmx-swap.js'
import { sendPage } from '../page.js'
import type { Role } from '../roles.js'
import { isRole, ROLES } from '../roles.js'
import { num, TableHead } from '../table-head.js'
import { addUser, disableUser, listUsers, USERNAME_PATTERN } from '../user-repository.js'
import type { WebContext, WebModule, WebUser } from '../web-context.js'
import { userOf } from '../web-context.js'

/** Largest CMS code file accepted (the HCPCS fixed-width file is a few MB; the xlsx less). */
const CODE_FILE_LIMIT = 64 * 1024 * 1024
/** Largest payer-profile CSV accepted. */
const PAYER_FILE_LIMIT = 1024 * 1024

/** A failure of an admin action, with the status and code the API answers. */
class AdminFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Maps what an import or a user change can refuse to an {@link AdminFailure}; rethrows the rest. */
function failureOf(error: unknown): AdminFailure {
  if (error instanceof AdminFailure) return error
  if (error instanceof CodesError || error instanceof DenialError)
    return new AdminFailure(400, error.code, error.message)
  if (error instanceof UploadTooLarge) return new AdminFailure(413, 'too_large', error.message)
  if (error instanceof DbError && (error.code === 'DB_CONFLICT' || error.code === 'DB_NOT_FOUND'))
    return new AdminFailure(error.code === 'DB_CONFLICT' ? 409 : 404, error.code, error.message)
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('FST_'))
    return new AdminFailure(
      code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400,
      code === 'FST_REQ_FILE_TOO_LARGE' ? 'too_large' : 'bad_request',
      (error as Error).message,
    )
  throw error
}

/**
 * Reads a multipart upload: its text fields (those before the file) and its one `file` part,
 * handed to `onFile` while it streams. No file: 400. A form without JavaScript sends its CSRF
 * token as the first field, `_csrf`: checked before the file is read (403 when missing or wrong).
 */
async function withUpload<T>(
  request: FastifyRequest,
  fileSize: number,
  onFile: (
    part: {
      filename: string
      file: NodeJS.ReadableStream & { truncated?: boolean }
      toBuffer(): Promise<Buffer>
    },
    fields: Map<string, string>,
  ) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart())
    throw new AdminFailure(400, 'bad_request', 'Expected a multipart/form-data upload')
  const fields = new Map<string, string>()
  let csrfChecked = !csrfInMultipartField(request)
  const checkCsrf = () => {
    if (csrfChecked) return
    if (!isValidCsrfField(request, fields.get('_csrf')))
      throw new AdminFailure(
        403,
        'csrf',
        'Missing or invalid CSRF token (send the _csrf field before the file)',
      )
    csrfChecked = true
  }
  let result: { value: T } | undefined
  for await (const part of request.parts({ limits: { fileSize, files: 1, fields: 10 } })) {
    if (part.type === 'field') fields.set(part.fieldname, String(part.value))
    else if (part.fieldname === 'file' && result === undefined) {
      checkCsrf()
      result = { value: await onFile(part, fields) }
    } else await part.toBuffer()
  }
  checkCsrf()
  if (result === undefined) throw new AdminFailure(400, 'bad_request', 'Expected a file in the "file" field')
  return result.value
}

async function uploadCodes(context: WebContext, request: FastifyRequest): Promise<CodeImportResult> {
  const user = userOf(request)
  return withUpload(request, CODE_FILE_LIMIT, async (part, fields) => {
    const quarter = (fields.get('quarter') ?? '').trim()
    if (quarter !== '' && !isQuarter(quarter))
      throw new AdminFailure(400, 'bad_request', `quarter "${quarter}" is not YYYY-MM with MM 01/04/07/10`)
    return importUploadedCodeFile(
      context.db,
      user,
      { filename: part.filename, file: part.file as never },
      quarter === '' ? undefined : quarter,
    )
  })
}

async function uploadPayers(context: WebContext, request: FastifyRequest): Promise<PayerUploadResult> {
  const user = userOf(request)
  return withUpload(request, PAYER_FILE_LIMIT, async (part) =>
    importUploadedPayers(context.db, user, await part.toBuffer()),
  )
}

async function addUserChecked(context: WebContext, actor: WebUser, username: string, role: string) {
  if (!USERNAME_PATTERN.test(username))
    throw new AdminFailure(
      400,
      'bad_request',
      'A user name is a letter or digit, then letters, digits, . _ @ -',
    )
  if (!isRole(role)) throw new AdminFailure(400, 'bad_request', `role is one of ${ROLES.join(', ')}`)
  return addUser(context.db, username, role as Role, actor.username)
}

async function disableChecked(context: WebContext, actor: WebUser, username: string) {
  if (username === actor.username) throw new AdminFailure(409, 'DB_CONFLICT', 'You cannot disable yourself')
  return disableUser(context.db, username, actor.username)
}

/** What the page shows after an action: a message, and the one-time password of a new user. */
interface Flash {
  ok?: string
  error?: string
  password?: { username: string; password: string }
}

const describeImport = (r: CodeImportResult): string =>
  r.alreadyImported
    ? `${r.path}: already imported (${r.kind}, quarter ${r.quarter}, ${r.rows} rows); nothing changed.`
    : `${r.path}: ${r.kind} (${r.format}), quarter ${r.quarter} (from the ${r.quarterSource}), ${r.rows} rows imported, ${r.skippedCount} skipped.`

/** Failed jobs shown on the page and, by default, answered by the API. */
const FAILED_JOBS_SHOWN = 50

/**
 * A failed job's last error for the web: its code, and its message only for a coded error of
 * ours (whose messages carry ids and positions, never PHI). A job that failed without a code
 * (BATCH_JOB_FAILED) or with a driver's code (SQLSTATE) may carry any text, so only the code is
 * shown; the worker's log has the rest.
 */
function jobError(output: unknown): { code: string; message: string | null } | null {
  if (typeof output !== 'object' || output === null || !('code' in output)) return null
  const code = String(output.code)
  const ours = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(code) && code !== 'BATCH_JOB_FAILED'
  const message = ours && 'message' in output && typeof output.message === 'string' ? output.message : null
  return { code, message }
}

/** A failed job as the admin page and API show it: file name, attempts, last error, times. */
function failedJobView(job: JobRow) {
  return {
    id: job.id,
    file: job.file,
    attempts: job.retries + 1,
    error: jobError(job.output),
    createdOn: job.createdOn,
    failedOn: job.completedOn,
    deadLettered: job.deadLettered,
  }
}

/** The job queue's counts and newest failed jobs; an unreachable queue answers jobs_unavailable. */
async function jobsOf(context: WebContext, limit: number): Promise<JobsOverview> {
  if (context.jobQueue === undefined)
    throw new AdminFailure(503, 'jobs_unavailable', 'This server was started without the job queue')
  let queue: Awaited<ReturnType<NonNullable<WebContext['jobQueue']>>>
  try {
    queue = await context.jobQueue()
  } catch {
    throw new AdminFailure(503, 'jobs_unavailable', 'The job queue (pg-boss) could not be started')
  }
  const { jobsOverview } = await import('../../batch/job-queue.js')
  return jobsOverview(queue.boss, { limit })
}

const shortTime = (iso: string | null): string => (iso === null ? '' : iso.slice(0, 19).replace('T', ' '))

function JobsSection(props: { jobs: JobsOverview | AdminFailure }) {
  const { jobs } = props
  if (jobs instanceof AdminFailure)
    return (
      <section class="card" id="jobs">
        <h2>Jobs</h2>
        <p class="muted">
          {jobs.code}: {jobs.message}
        </p>
      </section>
    )
  const failed = jobs.failed.map(failedJobView).reverse()
  return (
    <section class="card" id="jobs">
      <h2>Jobs</h2>
      <p>
        <span data-count="queued">{jobs.counts.queued}</span> queued,{' '}
        <span data-count="active">{jobs.counts.active}</span> active,{' '}
        <span data-count="failed">{jobs.counts.failed}</span> failed (as <code>jobs list --failed</code>)
      </p>
      {failed.length === 0 ? (
        <p class="muted">No failed jobs.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <TableHead columns={['File', num('Attempts'), 'Last error', 'Failed', 'Queued']} />
            <tbody>
              {failed.map((job) => (
                <tr data-job={job.id}>
                  <td>{job.file}</td>
                  <td class="num">{job.attempts}</td>
                  <td>
                    {job.error === null ? '' : <code>{job.error.code}</code>}
                    {typeof job.error?.message === 'string' ? ` ${job.error.message}` : ''}
                  </td>
                  <td>{shortTime(job.failedOn)}</td>
                  <td>{shortTime(job.createdOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/**
 * A file upload (multipart) that swaps the page's main content for the answer's. Its CSRF token
 * is its first field, so that it works without JavaScript too (see withUpload).
 */
function UploadForm(props: { action: string; submit: string; csrf: string; children?: Child }) {
  return (
    <form
      method="post"
      action={props.action}
      enctype="multipart/form-data"
      {...swapOnSubmit('post', props.action, 'main')}
      class="inline"
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
      <button type="submit">{props.submit}</button>
    </form>
  )
}

async function adminPage(
  context: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  flash: Flash = {},
  status = 200,
) {
  const [users, payers, imports, jobs] = await Promise.all([
    listUsers(context.db),
    listPayerProfiles(context.db),
    listCodeImports(context.db),
    jobsOf(context, FAILED_JOBS_SHOWN).catch((error: unknown) => {
      if (error instanceof AdminFailure) return error
      request.log.error({ name: (error as Error)?.name }, 'job queue listing failed')
      return new AdminFailure(503, 'jobs_unavailable', 'The job queue could not be read')
    }),
  ])
  const me = userOf(request)
  const csrf = reply.generateCsrf()
  return sendPage(
    request,
    reply,
    { title: 'Admin', current: '/admin', status },
    <>
      <h1>Admin</h1>
      {flash.error === undefined ? null : (
        <p class="error" role="alert">
          {flash.error}
        </p>
      )}
      {flash.ok === undefined ? null : (
        <p class="ok" role="status">
          {flash.ok}
        </p>
      )}
      {flash.password === undefined ? null : (
        <p class="ok" role="status">
          Password for {flash.password.username} (shown once):{' '}
          <code id="new-password">{flash.password.password}</code>
        </p>
      )}
      <section class="card" id="users">
        <h2>Users</h2>
        <div class="table-scroll">
          <table>
            <TableHead columns={['User', 'Role', 'Status', 'Created', 'Action']} />
            <tbody>
              {users.map((u) => (
                <tr data-user={u.username}>
                  <td>{u.username}</td>
                  <td>{u.role}</td>
                  <td>{u.disabled ? 'disabled' : 'active'}</td>
                  <td>{u.createdAt.slice(0, 10)}</td>
                  <td>
                    {u.disabled || u.username === me.username ? null : (
                      <form
                        method="post"
                        action={`/admin/users/${encodeURIComponent(u.username)}/disable`}
                        class="inline"
                      >
                        <input type="hidden" name="_csrf" value={csrf} />
                        <button type="submit" aria-label={`Disable ${u.username}`}>
                          Disable
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/admin/users" class="inline">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            New user
            <input name="username" required pattern="[A-Za-z0-9][A-Za-z0-9._@\-]{0,63}" size={16} />
          </label>
          <label>
            Role
            <select name="role">
              {ROLES.map((role) => (
                <option value={role}>{role}</option>
              ))}
            </select>
          </label>
          <button type="submit">Add user</button>
        </form>
      </section>
      <section class="card" id="payers">
        <h2>Payer profiles ({payers.length})</h2>
        <div class="table-scroll">
          <table>
            <TableHead
              columns={[
                'Payer',
                'Name',
                'Class',
                num('Filing days'),
                num('Corrected days'),
                num('Appeal days'),
                'NDC',
                'JW/JZ',
                'Drug auth',
              ]}
            />
            <tbody>
              {payers.map((p) => {
                const req = payerRequirements(p)
                return (
                  <tr data-payer={p.payerId}>
                    <td>{p.payerId}</td>
                    <td>{p.name}</td>
                    <td>{p.payerClass}</td>
                    <td class="num">{p.timelyFilingDays ?? 'default'}</td>
                    <td class="num">{p.correctedClaimDays ?? 'default'}</td>
                    <td class="num">{p.appealDays ?? 'default'}</td>
                    <td>{req.requiresNdc ? 'yes' : 'no'}</td>
                    <td>{req.jwJzRequired ? 'yes' : 'no'}</td>
                    <td>{req.drugAuthorization}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        <UploadForm action="/admin/payers" submit="Import payers" csrf={csrf}>
          <label>
            Payer profiles CSV (as <code>payers import</code>)
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
        </UploadForm>
      </section>
      <section class="card" id="codes">
        <h2>Code tables</h2>
        <UploadForm action="/admin/codes" submit="Import" csrf={csrf}>
          <label>
            Quarter (only when the file and its name do not say)
            <input name="quarter" placeholder="2026-04" size={8} pattern="(\d{4}-(01|04|07|10))?" />
          </label>
          <label>
            CMS file (HCPCS txt/xlsx, ASP crosswalk csv, NCCI add-on xlsx, MUE csv)
            <input type="file" name="file" required />
          </label>
        </UploadForm>
        <div class="table-scroll">
          <table>
            <TableHead columns={['File', 'Kind', 'Quarter', num('Rows'), 'Imported']} />
            <tbody>
              {imports.map((i) => (
                <tr>
                  <td>{i.fileName}</td>
                  <td>{i.kind}</td>
                  <td>{i.quarter}</td>
                  <td class="num">{i.rows}</td>
                  <td>{i.importedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted">The API takes the same uploads (POST /api/admin/codes, /api/admin/payers).</p>
      </section>
      <JobsSection jobs={jobs} />
    </>,
  )
}

/** Runs a page action and shows the admin page with its outcome (a refusal in red, status kept). */
async function pageAction(
  context: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  action: () => Promise<Flash>,
) {
  let flash: Flash
  let status = 200
  try {
    flash = await action()
  } catch (error) {
    const failure = failureOf(error)
    flash = { error: `${failure.code}: ${failure.message}` }
    status = failure.status
  }
  return adminPage(context, request, reply, flash, status)
}

async function apiAction<T>(reply: FastifyReply, action: () => Promise<T>, status = 200) {
  try {
    const value = await action()
    return reply.code(status).send(value)
  } catch (error) {
    const failure = failureOf(error)
    return reply.code(failure.status).send({ error: failure.code, message: failure.message })
  }
}

const OBJECT = { type: 'object', additionalProperties: true } as const
const UPLOAD_BODY = {
  description: 'multipart/form-data: `file` (and for code files an optional `quarter` field before it)',
}

/** The admin page (users, payer profiles, code-table imports) and its API. */
export const adminModule: WebModule = {
  name: 'admin',
  nav: [{ path: '/admin', label: 'Admin', access: 'admin' }],
  async register(app, context) {
    await app.register(fastifyMultipart, { limits: { fileSize: CODE_FILE_LIMIT, files: 1 } })
    app.get('/admin', { config: { access: 'admin' }, schema: { hide: true } }, (request, reply) =>
      adminPage(context, request, reply),
    )
    app.post<{ Body: { username?: string; role?: string } }>(
      '/admin/users',
      { config: { access: 'admin' }, schema: { hide: true } },
      (request, reply) =>
        pageAction(context, request, reply, async () => {
          const username = (request.body?.username ?? '').trim()
          const { password } = await addUserChecked(
            context,
            userOf(request),
            username,
            request.body?.role ?? '',
          )
          return { ok: `Added ${username}.`, password: { username, password } }
        }),
    )
    app.post<{ Params: { username: string } }>(
      '/admin/users/:username/disable',
      { config: { access: 'admin' }, schema: { hide: true } },
      (request, reply) =>
        pageAction(context, request, reply, async () => {
          await disableChecked(context, userOf(request), request.params.username)
          return { ok: `Disabled ${request.params.username}; their sessions ended.` }
        }),
    )
    const upload = { config: { access: 'admin', csrf: 'multipart-field' }, schema: { hide: true } } as const
    app.post('/admin/payers', upload, (request, reply) =>
      pageAction(context, request, reply, async () => {
        const r = await uploadPayers(context, request)
        const rejected =
          r.rejects.length === 0
            ? ''
            : ` ${r.rejects.length} row(s) rejected: ${r.rejects.map((x) => `line ${x.line} ${x.code}`).join('; ')}.`
        return {
          ok: `Payers: ${r.inserted} added, ${r.updated} updated; deadlines of ${r.recomputedItems} open item(s) recomputed.${rejected}`,
        }
      }),
    )
    app.post('/admin/codes', upload, (request, reply) =>
      pageAction(context, request, reply, async () => ({
        ok: describeImport(await uploadCodes(context, request)),
      })),
    )

    app.get(
      '/api/admin/users',
      {
        config: { access: 'admin' },
        schema: {
          summary: 'Every user (never a password hash)',
          tags: ['admin'],
          response: { 200: { type: 'array', items: OBJECT } },
        },
      },
      async () => listUsers(context.db),
    )
    app.post<{ Body: { username: string; role: string } }>(
      '/api/admin/users',
      {
        config: { access: 'admin' },
        schema: {
          summary:
            'Add a user with a generated password (returned once): 201 {user, password}; 409 when the name is taken',
          tags: ['admin'],
          body: {
            type: 'object',
            required: ['username', 'role'],
            properties: {
              username: { type: 'string', maxLength: 64 },
              role: { type: 'string', enum: [...ROLES] },
            },
          },
          response: { 201: OBJECT },
        },
      },
      (request, reply) =>
        apiAction(
          reply,
          () => addUserChecked(context, userOf(request), request.body.username, request.body.role),
          201,
        ),
    )
    app.post<{ Params: { username: string } }>(
      '/api/admin/users/:username/disable',
      {
        config: { access: 'admin' },
        schema: {
          summary: 'Disable a user and end their sessions (not yourself: 409)',
          tags: ['admin'],
          params: { type: 'object', properties: { username: { type: 'string', maxLength: 64 } } },
          response: { 200: OBJECT },
        },
      },
      (request, reply) =>
        apiAction(reply, () => disableChecked(context, userOf(request), request.params.username)),
    )
    app.get(
      '/api/admin/payers',
      {
        config: { access: 'admin' },
        schema: {
          summary: 'The payer profiles (payers list --json) with their effective requirements',
          tags: ['admin'],
          response: { 200: { type: 'array', items: OBJECT } },
        },
      },
      async () =>
        (await listPayerProfiles(context.db)).map((p) => ({ ...p, requirements: payerRequirements(p) })),
    )
    app.post(
      '/api/admin/payers',
      {
        config: { access: 'admin' },
        schema: {
          summary:
            'Import a payer-profile CSV (as payers import): {inserted, updated, recomputedItems, rejects}',
          tags: ['admin'],
          ...UPLOAD_BODY,
          response: { 200: OBJECT },
        },
      },
      (request, reply) => apiAction(reply, () => uploadPayers(context, request)),
    )
    app.get<{ Querystring: { state?: 'failed'; limit?: number } }>(
      '/api/admin/jobs',
      {
        config: { access: 'admin' },
        schema: {
          summary:
            'The batch job queue (as jobs list --failed): {counts: {queued, active, failed}, jobs: the newest failed jobs, newest first, each {id, file, attempts, error: {code, message}, createdOn, failedOn, deadLettered}}; 503 jobs_unavailable without the queue',
          tags: ['admin'],
          querystring: {
            type: 'object',
            properties: {
              state: { type: 'string', enum: ['failed'], default: 'failed' },
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: FAILED_JOBS_SHOWN },
            },
            additionalProperties: false,
          },
          response: { 200: OBJECT },
        },
      },
      (request, reply) =>
        apiAction(reply, async () => {
          const jobs = await jobsOf(context, request.query.limit ?? FAILED_JOBS_SHOWN)
          return { counts: jobs.counts, jobs: jobs.failed.map(failedJobView).reverse() }
        }),
    )
    app.get(
      '/api/codes/imports',
      {
        config: { access: 'readCodes' },
        schema: {
          summary: 'The code-table import log, newest first (file, kind, quarter, rows)',
          tags: ['codes'],
          response: { 200: { type: 'array', items: OBJECT } },
        },
      },
      async () => listCodeImports(context.db),
    )
    app.get<{ Params: { code: string } }>(
      '/api/codes/hcpcs/:code',
      {
        config: { access: 'readCodes' },
        schema: {
          summary:
            "A HCPCS code's version in every imported quarter and its ASP NDC crosswalk rows (read-only)",
          tags: ['codes'],
          params: {
            type: 'object',
            properties: { code: { type: 'string', pattern: '^[A-Za-z0-9]{5}$' } },
          },
          response: { 200: OBJECT },
        },
      },
      async (request) => lookupHcpcs(context.db, request.params.code),
    )
    app.post(
      '/api/admin/codes',
      {
        config: { access: 'admin' },
        schema: {
          summary:
            'Import a CMS code file (as codes import): {kind, format, quarter, quarterSource, rows, skippedCount, skipped, alreadyImported}; 400 with the CODES_ code for a file that is not one',
          tags: ['admin'],
          ...UPLOAD_BODY,
          response: { 200: OBJECT },
        },
      },
      (request, reply) => apiAction(reply, () => uploadCodes(context, request)),
    )
  },
}
