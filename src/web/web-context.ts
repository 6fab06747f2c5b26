import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { JobQueue } from '../batch/job-queue.js'
import type { Database } from '../db/database.js'
import type { OutboundEnvelopeConfig } from '../outbound-envelope.js'
import type { Access, Role } from './roles.js'

/** The signed-in user of a request (loaded from app_user on every request). */
export interface WebUser {
  id: number
  username: string
  role: Role
}

/** What every route module gets: the database and the server's settings. */
export interface WebContext {
  db: Kysely<Database>
  engine: 'postgres' | 'pglite'
  /** ISA06/ISA08/GS02/GS03 of the files the web writes (corrected claims). */
  outbound?: OutboundEnvelopeConfig | undefined
  /**
   * The batch job queue (pg-boss), started on first use and stopped when the server closes;
   * undefined when the server was made without a database handle (then the admin page says so).
   */
  jobQueue?: (() => Promise<JobQueue>) | undefined
  /** Login attempts per client address and window. */
  loginLimit: { max: number; windowMs: number }
}

/** One entry of the navigation bar. */
export interface NavEntry {
  path: string
  label: string
  /** Shown to roles this access allows. */
  access: Access
}

/**
 * A part of the web app: its navigation entries and its routes (pages and /api). Add a module to
 * `webModules` in src/web/modules.ts and it is served and, with `nav`, linked from the layout.
 * Each route says who may call it with `config: { access: 'workItems' }` (src/web/roles.ts);
 * a route without `access` is public.
 */
export interface WebModule {
  name: string
  nav?: NavEntry[]
  register(app: FastifyInstance, context: WebContext): void | Promise<void>
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (src/web/roles.ts); absent: public. */
    access?: Access
    /**
     * false: a state-changing route that needs no CSRF token (only POST /login).
     * 'multipart-field': an upload whose form may send the token as its first field, `_csrf`,
     * instead of a header; the handler checks it before the file (src/web/csrf-field.ts).
     */
    csrf?: boolean | 'multipart-field'
  }
  interface FastifyRequest {
    /** The signed-in user, set by the access hook for routes with `access`. */
    user: WebUser | undefined
  }
  interface Session {
    userId?: number
    /** When the session's idle timeout was last renewed (ms since the epoch). */
    seenAt?: number
    _csrf?: string
  }
}

/** The signed-in user of a route that declared `access` (the hook has checked it). */
export function userOf(request: FastifyRequest): WebUser {
  const user = request.user
  if (user === undefined) throw new Error('userOf() called on a route without access')
  return user
}

/** Whether the request came from htmx (then a fragment is swapped in rather than a page). */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true'
}

/** Sends HTML. */
export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}
