import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendPage } from '../page.js'
import { authenticate } from '../user-repository.js'
import type { WebModule } from '../web-context.js'
import { userOf } from '../web-context.js'

/** The one message for every failed login: unknown user, wrong password or disabled alike. */
export const LOGIN_FAILED = 'Invalid username or password.'

/** A local path to return to after login (never another site: `//host` and `/\\host` are refused). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/'
}

function LoginForm(props: { next: string; error?: string | undefined; username?: string | undefined }) {
  return (
    <section class="login card">
      <h1>Sign in</h1>
      {props.error === undefined ? null : (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/login">
        <input type="hidden" name="next" value={props.next} />
        <label>
          Username
          <input name="username" autocomplete="username" required value={props.username ?? ''} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </section>
  )
}

function loginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  next: string,
  status = 200,
  error?: string,
  username?: string,
) {
  return sendPage(
    request,
    reply,
    { title: 'Sign in', status },
    <LoginForm next={next} error={error} username={username} />,
  )
}

/** Login, logout, the session API and the home page (which is the worklist). */
export const sessionModule: WebModule = {
  name: 'session',
  register(app, { db, loginLimit }) {
    app.get('/', { schema: { hide: true }, config: { access: 'signedIn' } }, async (request, reply) =>
      reply.redirect(
        userOf(request).role === 'finance'
          ? (app.nav.find((n) => n.access === 'reports')?.path ?? '/worklist')
          : '/worklist',
        303,
      ),
    )
    app.get<{ Querystring: { next?: string } }>(
      '/login',
      { schema: { hide: true } },
      async (request, reply) => loginPage(request, reply, safeNext(request.query.next)),
    )
    app.post<{ Body: { username?: string; password?: string; next?: string } }>(
      '/login',
      {
        config: { csrf: false, rateLimit: { max: loginLimit.max, timeWindow: loginLimit.windowMs } },
        schema: {
          summary: 'Sign in (form fields username, password): 303 with the session cookie, else 401',
          tags: ['session'],
          security: [],
          body: {
            type: 'object',
            properties: {
              username: { type: 'string', maxLength: 200 },
              password: { type: 'string', maxLength: 1000 },
              next: { type: 'string', maxLength: 2000 },
            },
          },
        },
      },
      async (request, reply) => {
        const username = (request.body?.username ?? '').trim()
        const password = request.body?.password ?? ''
        const next = safeNext(request.body?.next)
        const user =
          username === '' || password === '' ? undefined : await authenticate(db, username, password)
        if (user === undefined) {
          request.log.info({ event: 'login_failed' }, 'login failed')
          return loginPage(request, reply, next, 401, LOGIN_FAILED, username.slice(0, 64))
        }
        // A new session id at login: a session fixed before login is worth nothing after it.
        await request.session.regenerate()
        request.session.userId = user.id
        request.session.seenAt = Date.now()
        request.log.info({ event: 'login', userId: user.id }, 'login')
        return reply.redirect(next, 303)
      },
    )
    app.post(
      '/logout',
      {
        config: { access: 'signedIn' },
        schema: { summary: 'Sign out: 303 to /login', tags: ['session'] },
      },
      async (request, reply) => {
        await request.session.destroy()
        return reply.redirect('/login', 303)
      },
    )
    app.get(
      '/api/session',
      {
        config: { access: 'signedIn' },
        schema: {
          summary: 'The signed-in user, role and the CSRF token to send as x-csrf-token',
          tags: ['session'],
          response: {
            200: {
              type: 'object',
              properties: {
                user: { type: 'string' },
                role: { type: 'string' },
                csrfToken: { type: 'string' },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request)
        return { user: user.username, role: user.role, csrfToken: reply.generateCsrf() }
      },
    )
  },
}
