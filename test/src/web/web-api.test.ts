import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { createLogger } from '../../../src/logger.js'
import type { Access, Role } from '../../../src/web/roles.js'
import { allows, ROLES } from '../../../src/web/roles.js'
import { engines, openTestDatabase } from '../../support/databases.js'
import type { RoleUsers, TestServer } from '../../support/web-server.js'
import { addRoleUsers, seedE2e, startTestServer, WebClient } from '../../support/web-server.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

/** Names, member ids and birth dates of the synthetic patients (NM1*IL / NM1*QC, DMG). */
function fixturePhi(): string[] {
  const phi = new Set<string>()
  for (const name of [
    '837p-medicare-2026-01.x12',
    '837p-commercial-2026-01.x12',
    '837i-medicare-2026-01.x12',
  ]) {
    for (const segment of readFileSync(join(E2E, name), 'utf8').split('~')) {
      const e = segment.trim().split('*')
      if (e[0] === 'NM1' && (e[1] === 'IL' || e[1] === 'QC'))
        for (const i of [3, 4, 9]) if (e[i]) phi.add(e[i])
      if (e[0] === 'DMG' && e[2]) phi.add(e[2])
    }
  }
  return [...phi]
}

type Who = Role | 'anonymous'
const EVERYONE: Who[] = [...ROLES, 'anonymous']

for (const engine of engines) {
  describe(`web API [${engine.name}]`, () => {
    let handle: DatabaseHandle
    let cleanup = async (): Promise<void> => {}
    let server: TestServer
    let users: RoleUsers
    let log = ''
    const clients = {} as Record<Who, WebClient>
    const itemOf = new Map<string, number>()
    const item = (claimId: string): number => {
      const id = itemOf.get(claimId)
      if (id === undefined) throw new Error(`no item for ${claimId}`)
      return id
    }

    beforeAll(async () => {
      ;({ handle, cleanup } = await openTestDatabase(engine.url))
      await seedE2e(handle)
      users = await addRoleUsers(handle)
      const logger = createLogger('info', {
        write(line: string) {
          log += line
        },
      })
      server = await startTestServer(handle, { logger, loginRateLimit: { max: 1000, windowMs: 60_000 } })
      for (const who of EVERYONE) {
        clients[who] = new WebClient(server.base)
        if (who !== 'anonymous') expect(await clients[who].login(who, users[who].password)).toBe(303)
      }
      const rows = await handle.db.selectFrom('rework_item').select(['id', 'claim_id']).execute()
      for (const row of rows) itemOf.set(row.claim_id, Number(row.id))
    }, 240_000)
    afterAll(async () => {
      await server?.close()
      await cleanup()
    })

    /** Each endpoint, who may call it, and a call that succeeds for an allowed role. */
    const endpoints: {
      name: string
      access: Access
      call(client: WebClient, who: Who): Promise<Response>
      ok: number
    }[] = [
      { name: 'GET /api/session', access: 'signedIn', call: (c) => c.get('/api/session'), ok: 200 },
      { name: 'GET /api/openapi.json', access: 'signedIn', call: (c) => c.get('/api/openapi.json'), ok: 200 },
      {
        name: 'GET /api/worklist',
        access: 'readItems',
        call: (c) => c.get('/api/worklist?limit=5&queue=coding'),
        ok: 200,
      },
      {
        name: 'GET /api/items/:id',
        access: 'readItems',
        call: (c) => c.get(`/api/items/${item('E2E-P-007')}`),
        ok: 200,
      },
      { name: 'GET /worklist (page)', access: 'readItems', call: (c) => c.get('/worklist'), ok: 200 },
      {
        name: 'GET /items/:id (page)',
        access: 'readItems',
        call: (c) => c.get(`/items/${item('E2E-P-007')}`),
        ok: 200,
      },
      {
        name: 'POST /api/items/:id/assign',
        access: 'workItems',
        call: (c, who) =>
          c.post(`/api/items/${item(who === 'coder' ? 'E2E-P-008' : 'E2E-P-005')}/assign`, { to: 'biller' }),
        ok: 200,
      },
      {
        name: 'POST /api/worklist/assign',
        access: 'workItems',
        call: (c) => c.post('/api/worklist/assign', { ids: [item('E2E-P-002')], to: 'coder' }),
        ok: 200,
      },
      {
        name: 'POST /api/items/:id/notes',
        access: 'workItems',
        call: (c, who) => c.post(`/api/items/${item('E2E-P-007')}/notes`, { text: `checked by ${who}` }),
        ok: 200,
      },
      {
        name: 'GET /api/items/:id/corrected-claim/preview',
        access: 'workItems',
        call: (c) => c.get(`/api/items/${item('E2E-P-007')}/corrected-claim/preview?set=2.modifiers%3DJZ`),
        ok: 200,
      },
      {
        name: 'GET /api/items/:id/corrected-claim',
        access: 'workItems',
        call: (c, who) =>
          c.get(`/api/items/${item(who === 'coder' ? 'E2E-P-008' : 'E2E-P-005')}/corrected-claim`),
        ok: 200,
      },
      {
        name: 'GET /api/items/:id/appeal',
        access: 'workItems',
        call: (c) => c.get(`/api/items/${item('E2E-P-004')}/appeal`),
        ok: 200,
      },
      {
        name: 'POST /api/items/:id/resolve',
        access: 'workItems',
        call: (c, who) =>
          c.post(`/api/items/${item(who === 'coder' ? 'E2E-P-008' : 'E2E-P-005')}/resolve`, {
            action: 'corrected',
            note: `sent by ${who}`,
          }),
        ok: 200,
      },
    ]

    for (const endpoint of endpoints) {
      it(`${endpoint.name}: ${EVERYONE.map((w) => w).join(', ')}`, async () => {
        const got: Record<string, number> = {}
        const want: Record<string, number> = {}
        for (const who of EVERYONE) {
          const response = await endpoint.call(clients[who], who)
          await response.arrayBuffer()
          got[who] = response.status
          const isPage = !endpoint.name.includes(' /api/')
          want[who] =
            who === 'anonymous' ? (isPage ? 303 : 401) : allows(endpoint.access, who) ? endpoint.ok : 403
        }
        expect(got).toEqual(want)
      })
    }

    it('POST /logout ends the session for every role (303 to /login); anonymous is sent to /login', async () => {
      const fresh = new WebClient(server.base)
      const anonymous = await fresh.post('/logout')
      expect(anonymous.status).toBe(303)
      expect(anonymous.headers.get('location')).toBe('/login')
      for (const role of ROLES) {
        const client = new WebClient(server.base)
        expect(await client.login(role, users[role].password)).toBe(303)
        const out = await client.post('/logout')
        expect(out.status).toBe(303)
        expect(out.headers.get('location')).toBe('/login')
        expect((await client.get('/api/session')).status).toBe(401)
      }
    })

    it('GET /api/session names the user, the role and a CSRF token', async () => {
      const body = (await (await clients.coder.get('/api/session')).json()) as Record<string, unknown>
      expect(body).toEqual({ user: 'coder', role: 'coder', csrfToken: expect.any(String) })
    })

    it('a login failure is 401 with one generic message, for a wrong password and an unknown user alike', async () => {
      const wrong = new WebClient(server.base)
      const unknown = new WebClient(server.base)
      const a = await wrong.request('POST', '/login', { form: { username: 'biller', password: 'nope' } })
      const b = await unknown.request('POST', '/login', { form: { username: 'nobody', password: 'nope' } })
      expect([a.status, b.status]).toEqual([401, 401])
      const text = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1]
      expect(text(await a.text())).toBe('Invalid username or password.')
      expect(text(await b.text())).toBe('Invalid username or password.')
      expect(a.headers.getSetCookie()).toEqual([])
    })

    it('the session cookie is HttpOnly, SameSite=Lax, with an idle expiry; Secure only over TLS', async () => {
      const response = await new WebClient(server.base).request('POST', '/login', {
        form: { username: 'biller', password: users.biller.password },
      })
      const [cookie = ''] = response.headers.getSetCookie()
      expect(cookie).toMatch(/^onco_edi_session=/)
      expect(cookie).toMatch(/; HttpOnly/i)
      expect(cookie).toMatch(/; SameSite=Lax/i)
      expect(cookie).toMatch(/; Expires=/i)
      expect(cookie).not.toMatch(/; Secure/i)
      const behindProxy = await startTestServer(handle, { trustProxy: true })
      try {
        const tls = await new WebClient(behindProxy.base).request('POST', '/login', {
          form: { username: 'biller', password: users.biller.password },
          headers: { 'x-forwarded-proto': 'https' },
        })
        expect(tls.status).toBe(303)
        expect(tls.headers.getSetCookie()[0]).toMatch(/; Secure/i)
      } finally {
        await behindProxy.close()
      }
    })

    it('a session ends after the idle timeout', async () => {
      const short = await startTestServer(handle, { idleMinutes: 1.5 / 60 })
      try {
        const client = new WebClient(short.base)
        expect(await client.login('finance', users.finance.password)).toBe(303)
        expect((await client.get('/api/session')).status).toBe(200)
        await sleep(1000)
        // A request within the timeout renews it (rolling).
        expect((await client.get('/api/session')).status).toBe(200)
        await sleep(2000)
        expect((await client.get('/api/session')).status).toBe(401)
      } finally {
        await short.close()
      }
    })

    it('refuses a state change without the CSRF token, or with a wrong one (403), and changes nothing', async () => {
      const id = item('E2E-P-003')
      const before = (await (await clients.biller.get(`/api/items/${id}`)).json()) as { history: unknown[] }
      const none = await clients.biller.post(`/api/items/${id}/notes`, { text: 'no token' }, false)
      expect(none.status).toBe(403)
      expect(((await none.json()) as { error: string }).error).toBe('csrf')
      const wrong = await clients.biller.request('POST', `/api/items/${id}/notes`, {
        body: { text: 'bad token' },
        csrf: false,
        headers: { 'x-csrf-token': 'forged' },
      })
      expect(wrong.status).toBe(403)
      const page = await clients.biller.request('POST', `/items/${id}/notes`, {
        form: { text: 'no token' },
        csrf: false,
      })
      expect(page.status).toBe(403)
      const after = (await (await clients.biller.get(`/api/items/${id}`)).json()) as { history: unknown[] }
      expect(after.history).toEqual(before.history)
    })

    it('anonymous pages redirect to /login (keeping the page to return to); /api answers 401', async () => {
      const page = await clients.anonymous.get('/worklist?queue=coding')
      expect(page.status).toBe(303)
      expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/worklist?queue=coding')}`)
      expect((await clients.anonymous.get('/api/worklist')).status).toBe(401)
      expect((await clients.anonymous.get('/healthz')).status).toBe(200)
      expect((await clients.anonymous.get('/static/htmx.min.js')).status).toBe(200)
      // Chromium asks for it after a plain-text page (a 403): answered, so no 404 in its console.
      expect((await clients.anonymous.get('/favicon.ico')).status).toBe(204)
    })

    it('pages carry the CSRF header for htmx on <body> (hx-headers:inherited) and load htmx from the server', async () => {
      const html = await (await clients.biller.get('/worklist')).text()
      const match = /<body hx-headers:inherited="([^"]*)"/.exec(html)
      const headers = JSON.parse((match?.[1] ?? '').replaceAll('&quot;', '"')) as Record<string, string>
      const token = headers['x-csrf-token'] ?? ''
      expect(token).not.toBe('')
      expect(html).toContain('<script src="/static/htmx.min.js" defer=""></script>')
      expect(html).not.toMatch(/<script>|https?:\/\/(?!127)/)
      // The token in the page is accepted as the header.
      const note = await clients.biller.request('POST', `/api/items/${item('E2E-P-003')}/notes`, {
        body: { text: 'from the page token' },
        csrf: false,
        headers: { 'x-csrf-token': token },
      })
      expect(note.status).toBe(200)
    })

    it('sends security headers on pages and API answers', async () => {
      for (const response of [
        await clients.anonymous.get('/login'),
        await clients.biller.get('/api/session'),
      ]) {
        const csp = response.headers.get('content-security-policy') ?? ''
        expect(csp).toContain("default-src 'self'")
        expect(csp).toContain("script-src 'self'")
        expect(csp).toContain("frame-ancestors 'none'")
        expect(csp).not.toContain('unsafe')
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
        expect(response.headers.get('referrer-policy')).toBe('no-referrer')
        expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
      }
    })

    it('rate-limits logins per address (429 after the limit)', async () => {
      const limited = await startTestServer(handle, { loginRateLimit: { max: 3, windowMs: 60_000 } })
      try {
        const statuses: number[] = []
        for (let i = 0; i < 5; i++) {
          const client = new WebClient(limited.base)
          statuses.push(
            (await client.request('POST', '/login', { form: { username: 'biller', password: `guess-${i}` } }))
              .status,
          )
        }
        expect(statuses).toEqual([401, 401, 401, 429, 429])
        // The right password does not get through while limited either.
        expect(await new WebClient(limited.base).login('biller', users.biller.password)).toBe(429)
      } finally {
        await limited.close()
      }
    })

    it('the worklist pages by keyset and filters; bad filters are 400', async () => {
      const first = (await (await clients.finance.get('/api/worklist?limit=3')).json()) as {
        items: { id: number }[]
        next: string
      }
      expect(first.items).toHaveLength(3)
      const second = (await (
        await clients.finance.get(`/api/worklist?limit=3&after=${encodeURIComponent(first.next)}`)
      ).json()) as { items: { id: number }[] }
      expect(second.items.map((i) => i.id)).not.toContain(first.items[0]?.id)
      const coding = (await (await clients.finance.get('/api/worklist?queue=coding&carc=16')).json()) as {
        items: { claimId: string }[]
        next: null
      }
      expect(coding.items.map((i) => i.claimId)).toEqual(['E2E-P-007'])
      expect(coding.next).toBeNull()
      expect((await clients.finance.get('/api/worklist?queue=nope')).status).toBe(400)
      expect((await clients.finance.get('/api/worklist?after=nope')).status).toBe(400)
      expect((await clients.finance.get('/api/worklist?limit=0')).status).toBe(400)
    })

    it('the corrected claim is refused (422, with the findings) until the edit makes it scrub clean; the download is audited with the user', async () => {
      const id = item('E2E-P-007')
      const refused = await clients.biller.get(`/api/items/${id}/corrected-claim`)
      expect(refused.status).toBe(422)
      const body = (await refused.json()) as { error: string; findings: { rule: string }[] }
      expect(body.error).toBe('CORRECTION_SCRUB_ERRORS')
      expect(body.findings.map((f) => f.rule)).toContain('jw-jz-modifier')
      expect((await clients.biller.get(`/api/items/${id}/corrected-claim?set=9.units%3D1`)).status).toBe(400)
      const ok = await clients.biller.get(`/api/items/${id}/corrected-claim?set=2.modifiers%3DJZ`)
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-disposition')).toContain(`corrected-claim-item-${id}.837`)
      const x12 = await ok.text()
      expect(x12).toMatch(/^ISA\*/)
      expect(x12).toMatch(/CLM\*E2E-P-007\*[^~]*:7\*/)
      expect(x12).toContain('REF*F8*')
      expect(x12).toMatch(/SV1\*HC:J9271:JZ\*/)
      const events = await handle.db
        .selectFrom('audit_event')
        .select(['actor', 'action', 'user_id'])
        .where('entity', '=', 'rework_item')
        .where('entity_id', '=', String(id))
        .where('action', '=', 'corrected_claim_written')
        .execute()
      const billerId = await handle.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'biller')
        .executeTakeFirstOrThrow()
      expect(events.map((e) => [e.actor, Number(e.user_id)])).toEqual([['biller', Number(billerId.id)]])
    })

    it('the appeal letter comes as PDF or Markdown for an appeal item, 409 for another', async () => {
      const pdf = await clients.coder.get(`/api/items/${item('E2E-P-004')}/appeal`)
      expect(pdf.headers.get('content-type')).toBe('application/pdf')
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-')
      const md = await clients.coder.get(`/api/items/${item('E2E-P-004')}/appeal?format=md`)
      expect(md.status).toBe(200)
      expect(await md.text()).toContain('E2E-P-004')
      const other = await clients.coder.get(`/api/items/${item('E2E-P-007')}/appeal`)
      expect(other.status).toBe(409)
      expect(((await other.json()) as { error: string }).error).toBe('APPEAL_NOT_APPEALABLE')
    })

    it('every state change through the web is audited with the user (name and id)', async () => {
      const rows = await handle.db
        .selectFrom('audit_event')
        .innerJoin('app_user', 'app_user.id', 'audit_event.user_id')
        .select(['audit_event.actor', 'app_user.username', 'audit_event.action'])
        .where('audit_event.entity', '=', 'rework_item')
        .execute()
      expect(rows.length).toBeGreaterThan(5)
      for (const row of rows) expect(row.actor).toBe(row.username)
      const actions = new Set(rows.map((r) => r.action))
      for (const action of ['assign', 'note', 'resolve:corrected', 'corrected_claim_written'])
        expect(actions).toContain(action)
      const cli = await handle.db
        .selectFrom('audit_event')
        .select('user_id')
        .where('actor', '=', 'seed')
        .execute()
      expect(cli.every((r) => r.user_id === null)).toBe(true)
    })

    it('the OpenAPI document describes every /api endpoint', async () => {
      const doc = (await (await clients.admin.get('/api/openapi.json')).json()) as {
        openapi: string
        paths: Record<string, unknown>
      }
      expect(doc.openapi).toMatch(/^3\./)
      for (const path of [
        '/login',
        '/logout',
        '/api/session',
        '/api/worklist',
        '/api/worklist/assign',
        '/api/items/{id}',
        '/api/items/{id}/assign',
        '/api/items/{id}/notes',
        '/api/items/{id}/resolve',
        '/api/items/{id}/corrected-claim',
        '/api/items/{id}/corrected-claim/preview',
        '/api/items/{id}/appeal',
      ])
        expect(Object.keys(doc.paths)).toContain(path)
    })

    it('logs no PHI and no password: one line per request with the route pattern only', () => {
      expect(log).toContain('"route":"/api/items/:id"')
      expect(log).not.toContain('/api/items/1')
      const phi = fixturePhi()
      expect(phi.length).toBeGreaterThan(10)
      for (const value of [...phi, ...ROLES.map((r) => users[r].password)]) expect(log).not.toContain(value)
      expect(log).not.toContain('queue=coding')
    })
  })
}
