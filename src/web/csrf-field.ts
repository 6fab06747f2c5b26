import Tokens from '@fastify/csrf'
import type { FastifyRequest } from 'fastify'

/**
 * Tokens as @fastify/csrf-protection makes them (its default options, which create-server.ts
 * keeps): the secret in the session, the token in a header or a form field.
 */
const tokens = Tokens()

/** The request headers @fastify/csrf-protection reads a token from. */
const CSRF_HEADERS = ['csrf-token', 'xsrf-token', 'x-csrf-token', 'x-xsrf-token'] as const

/**
 * Whether the CSRF check of this request waits for its multipart field `_csrf`: a route that
 * allows it (`config.csrf: 'multipart-field'`), a multipart body and no token header. A form
 * without JavaScript cannot set a header, and its multipart body is read only by the handler, after
 * the preValidation hook that checks the other requests.
 */
export function csrfInMultipartField(request: FastifyRequest): boolean {
  return (
    request.routeOptions.config.csrf === 'multipart-field' &&
    (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data') &&
    CSRF_HEADERS.every((name) => request.headers[name] === undefined)
  )
}

/** Whether `token` (the `_csrf` field) is a valid CSRF token of the request's session. */
export function isValidCsrfField(request: FastifyRequest, token: string | undefined): boolean {
  const secret = request.session._csrf
  return secret !== undefined && token !== undefined && tokens.verify(secret, token)
}
