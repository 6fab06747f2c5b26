import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySession from '@fastify/session'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Fastify, { LogController } from 'fastify'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { JobQueue } from '../batch/job-queue.js'
import type { DatabaseHandle } from '../db/create-database.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import { silentLogger } from '../logger.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import { APP_CSS } from './app-css.js'
import { csrfInMultipartField } from './csrf-field.js'
import { webModules } from './modules.js'
import { allows } from './roles.js'
import { KyselySessionStore } from './session-store.js'
import { findUserById } from './user-repository.js'
import type { WebContext, WebModule } from './web-context.js'

/** Options of {@link createWebServer}. */
export interface WebServerOptions {
  db: Kysely<Database>
  engine: 'postgres' | 'pglite'
  /** Operational logs (no PHI: one line per request with the route pattern, never its values). */
  logger?: Logger | undefined
  /** Sessions end after this many minutes without a request (default 30). */
  idleMinutes?: number | undefined
  /** Login attempts per client address and window (default 10 a minute). */
  loginRateLimit?: { max: number; windowMs: number } | undefined
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For (the cookie is then Secure). */
  trustProxy?: boolean | undefined
  outbound?: OutboundEnvelopeConfig | undefined
  /** The database handle whose batch job queue (pg-boss) the admin page shows; started on first use. */
  queue?: DatabaseHandle | undefined
  /** The modules to serve (default every module of src/web/modules.ts). */
  modules?: readonly WebModule[] | undefined
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const require = createRequire(import.meta.url)

/**
 * The web application: fastify with helmet (security headers, CSP without inline scripts),
 * sessions in the database, CSRF on every state-changing request, login rate limit, the page and
 * API modules, and the OpenAPI document at /api/openapi.json. Call `listen` on the result.
 */
export async function createWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = options.logger ?? silentLogger()
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's own request lines carry the URL (query values); ours below carry the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy === true,
    bodyLimit: 1024 * 1024,
  })
  const idleMs = (options.idleMinutes ?? 30) * 60_000
  const touchMs = Math.min(60_000, idleMs / 4)
  const modules = options.modules ?? webModules
  app.decorate(
    'nav',
    modules.flatMap((m) => m.nav ?? []),
  )
  app.decorateRequest('user', undefined)

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        // Plain HTTP on a LAN address must keep working; TLS is the proxy's choice.
        'upgrade-insecure-requests': null,
      },
    },
  })
  await app.register(fastifyRateLimit, { global: false })
  await app.register(fastifyFormbody)
  await app.register(fastifyCookie)
  await app.register(fastifySession, {
    secret: await sessionSecret(options.db),
    cookieName: 'onco_edi_session',
    store: new KyselySessionStore(options.db, idleMs),
    saveUninitialized: false,
    // The idle timeout is renewed by `seenAt` below at most every `touchMs`, not by a write of
    // the session on every request (rolling), which costs a database write per page.
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/', maxAge: idleMs },
  })
  // Default token options: src/web/csrf-field.ts checks an upload's _csrf field with the same.
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' })
  await app.register(fastifyStatic, { root: dirname(require.resolve('htmx.org')), serve: false })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'onco-edi',
        version: '0.1.0',
        description:
          'The web API of onco-edi: session cookie from POST /login; every POST sends x-csrf-token (GET /api/session).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'onco_edi_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [] }],
    },
  })

  // Who is signed in, and may they call this route: before CSRF, so an anonymous POST is a 401.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    if (access === undefined) return
    const userId = request.session.userId
    const user = userId === undefined ? undefined : await findUserById(options.db, userId)
    if (user === undefined || user.disabled) {
      if (isApi(request)) return reply.code(401).send({ error: 'unauthorized', message: 'Sign in first' })
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : ''
      return reply.redirect(`/login${next}`, 303)
    }
    request.user = { id: user.id, username: user.username, role: user.role }
    // Activity renews the idle timeout: the session (and its cookie) is saved again with a new
    // expiry when it was last renewed more than touchMs ago.
    const now = Date.now()
    const seenAt = request.session.seenAt
    if (typeof seenAt !== 'number' || now - seenAt >= touchMs) request.session.seenAt = now
    if (!allows(access, user.role)) {
      const message = `The ${user.role} role cannot do this`
      if (isApi(request)) return reply.code(403).send({ error: 'forbidden', message })
      return reply.code(403).type('text/plain; charset=utf-8').send(message)
    }
  })
  // CSRF at preValidation: form bodies are parsed by then, so a form's _csrf field counts too; a
  // multipart upload's _csrf field is not, and is checked by its handler before the file.
  app.addHook('preValidation', (request, reply, done) => {
    if (
      SAFE_METHODS.has(request.method) ||
      request.routeOptions.config.csrf === false ||
      csrfInMultipartField(request)
    )
      return done()
    app.csrfProtection(request, reply, done)
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(none)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        userId: request.user?.id,
      },
      'request',
    )
  })
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply))
  app.setNotFoundHandler((request, reply) =>
    isApi(request)
      ? reply.code(404).send({ error: 'not_found', message: 'No such endpoint' })
      : reply.code(404).type('text/plain; charset=utf-8').send('Not found'),
  )

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }))
  // Pages declare no icon (`<link rel="icon" href="data:,">`), but a plain-text answer (403, 404)
  // has no <head>, and Chromium then asks for /favicon.ico: No Content, not a 404 in the console.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  )
  app.get('/static/app.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(APP_CSS),
  )
  app.get('/static/htmx.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').sendFile('htmx.min.js'),
  )
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'signedIn' } }, async () =>
    app.swagger(),
  )

  // pg-boss is started only when a page or endpoint asks for jobs, and stopped with the server.
  let started: Promise<JobQueue> | undefined
  const queueHandle = options.queue
  const jobQueue =
    queueHandle?.queueAccess === undefined
      ? undefined
      : (): Promise<JobQueue> => {
          started ??= import('../batch/job-queue.js')
            .then(({ startJobQueue }) => startJobQueue(queueHandle, { logger: options.logger }))
            .catch((error: unknown) => {
              started = undefined
              throw error
            })
          return started
        }
  app.addHook('onClose', async () => {
    const queue = await started?.catch(() => undefined)
    await queue?.stop()
  })

  const context: WebContext = {
    db: options.db,
    engine: options.engine,
    outbound: options.outbound,
    jobQueue,
    loginLimit: options.loginRateLimit ?? { max: 10, windowMs: 60_000 },
  }
  for (const module of modules) await app.register(async (scope) => module.register(scope, context))
  return app
}

function isApi(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/')
}

/** Maps a failure to a status; messages of our codes are ours (ids, no PHI); others are generic. */
function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500
  let code = 'internal'
  let message = 'Internal error (details in the server log)'
  if (error instanceof DbError) {
    status =
      error.code === 'DB_NOT_FOUND'
        ? 404
        : error.code === 'DB_INVALID_TRANSITION' || error.code === 'DB_CONFLICT'
          ? 409
          : 500
    code = error.code
    message = status === 500 ? message : error.message
  } else if (error.code === 'APPEAL_NOT_APPEALABLE') {
    status = 409
    code = error.code
    message = error.message
  } else if (error.code?.startsWith('CORRECTION_')) {
    // A bad LINE.FIELD=VALUE edit, or a corrected claim that the scrub still refuses.
    status = error.code === 'CORRECTION_SCRUB_ERRORS' ? 422 : 400
    code = error.code
    message = error.message
  } else if (error.validation !== undefined) {
    status = 400
    code = 'bad_request'
    message = error.message
  } else if (error.code?.startsWith('FST_CSRF')) {
    status = 403
    code = 'csrf'
    message = 'Missing or invalid CSRF token (send x-csrf-token from GET /api/session)'
  } else if (status === 429) {
    code = 'rate_limited'
    message = 'Too many attempts; wait a minute'
  } else if (status < 500) {
    code = error.code ?? 'bad_request'
    message = error.message
  }
  if (status >= 500)
    request.log.error({ code: error.code, name: error.name, stack: error.stack }, 'request failed')
  const findings =
    'findings' in error && Array.isArray(error.findings) && error.findings.length > 0
      ? error.findings
      : undefined
  if (isApi(request) || request.headers.accept?.includes('application/json') === true)
    return reply.code(status).send({ error: code, message, ...(findings === undefined ? {} : { findings }) })
  return reply.code(status).type('text/plain; charset=utf-8').send(message)
}

/** The cookie-signing secret, made once and kept in the database (web_secret). */
async function sessionSecret(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('web_secret')
    .values({ name: 'session', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await db
    .selectFrom('web_secret')
    .select('value')
    .where('name', '=', 'session')
    .executeTakeFirstOrThrow()
  return row.value
}
