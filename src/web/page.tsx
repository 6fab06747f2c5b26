import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Child } from 'hono/jsx'
import { Layout } from './layout.js'
import { renderDocument } from './render.js'
import type { NavEntry } from './web-context.js'
import { sendHtml } from './web-context.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every module's navigation entries, in module order (src/web/modules.ts). */
    nav: NavEntry[]
  }
}

/** Options of {@link sendPage}. */
export interface PageOptions {
  title: string
  /** The navigation entry to mark as current. */
  current?: string
  status?: number
}

/** Renders `content` in the shared layout for the request's user (with a CSRF token) and sends it. */
export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PageOptions,
  content: Child,
): Promise<FastifyReply> {
  const user = request.user
  const csrfToken = user === undefined ? undefined : reply.generateCsrf()
  const html = await renderDocument(
    <Layout
      title={options.title}
      user={user}
      csrfToken={csrfToken}
      nav={request.server.nav}
      {...(options.current === undefined ? {} : { current: options.current })}
    >
      {content}
    </Layout>,
  )
  return sendHtml(reply, html, options.status)
}

/** A hidden `_csrf` field for forms that also work without htmx (the plugin reads it from the body). */
export function CsrfField(props: { reply: FastifyReply }) {
  return <input type="hidden" name="_csrf" value={props.reply.generateCsrf()} />
}
