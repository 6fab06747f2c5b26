import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { upsertPayerProfiles } from '../../src/rework/payer-repository.js'
import type { WebServerOptions } from '../../src/web/create-server.js'
import { createWebServer } from '../../src/web/create-server.js'
import type { Role } from '../../src/web/roles.js'
import { ROLES } from '../../src/web/roles.js'
import { addUser } from '../../src/web/user-repository.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'

const E2E = join(import.meta.dirname, '..', '..', 'fixtures', 'e2e')

/** The synthetic month of fixtures/e2e: its 837s and February 835s (rework items to work). */
export async function seedE2e(handle: DatabaseHandle): Promise<void> {
  const { profiles } = parsePayerProfilesCsv(readFileSync(join(E2E, 'payers.csv'), 'utf8'))
  await upsertPayerProfiles(handle.db, profiles, 'seed')
  const files = [
    '837p-medicare-2026-01.x12',
    '837p-commercial-2026-01.x12',
    '837i-medicare-2026-01.x12',
    '835-medicare-2026-02-02.x12',
    '835-commercial-2026-02-05.x12',
    '835-medicare-parta-2026-02-06.x12',
  ].map((name) => join(E2E, name))
  await ingestFiles(files, { handle, user: 'seed' })
}

/** One user per role, named after it (`biller`, ...), with their generated passwords. */
export type RoleUsers = Record<Role, { username: string; password: string }>

export async function addRoleUsers(handle: DatabaseHandle): Promise<RoleUsers> {
  const users: Partial<RoleUsers> = {}
  for (const role of ROLES) {
    const { password } = await addUser(handle.db, role, role, 'seed')
    users[role] = { username: role, password }
  }
  return users as RoleUsers
}

/** A running server on 127.0.0.1 and a random port. */
export interface TestServer {
  app: FastifyInstance
  base: string
  close(): Promise<void>
}

export async function startTestServer(
  handle: DatabaseHandle,
  options: Partial<WebServerOptions> & { logger?: Logger } = {},
): Promise<TestServer> {
  const app = await createWebServer({ db: handle.db, engine: handle.engine, queue: handle, ...options })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { app, base: `http://127.0.0.1:${port}`, close: () => app.close() }
}

/** An HTTP client with a cookie jar (the session), for API tests: redirects are not followed. */
export class WebClient {
  #cookies = new Map<string, string>()
  csrfToken: string | undefined

  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    init: {
      body?: unknown
      form?: Record<string, string>
      csrf?: boolean
      headers?: Record<string, string>
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers }
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let body: string | FormData | undefined
    if (init.body instanceof FormData) {
      // multipart/form-data: fetch sets the content type with its boundary.
      body = init.body
    } else if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
    } else if (init.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.body)
    }
    if (init.csrf !== false && this.csrfToken !== undefined && method !== 'GET')
      headers['x-csrf-token'] = this.csrfToken
    const response = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    return response
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, headers === undefined ? {} : { headers })
  }

  post(path: string, body?: unknown, csrf = true): Promise<Response> {
    return this.request('POST', path, { body: body ?? {}, csrf })
  }

  /** Signs in and fetches the CSRF token; returns the login response's status. */
  async login(username: string, password: string): Promise<number> {
    const response = await this.request('POST', '/login', { form: { username, password } })
    if (response.status === 303) {
      const session = await this.get('/api/session')
      this.csrfToken = ((await session.json()) as { csrfToken: string }).csrfToken
    }
    return response.status
  }
}
