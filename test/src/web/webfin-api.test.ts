import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { BATCH_QUEUE, startJobQueue } from '../../../src/batch/job-queue.js'
import { recoveredReport } from '../../../src/rework/reports.js'
import { listReworkItems } from '../../../src/rework/rework-repository.js'
import { parseAuthorizationsCsv, parseScheduleCsv } from '../../../src/scrub/authorization-csv.js'
import { saveAuthorizations, saveSchedule } from '../../../src/scrub/scrub-repository.js'
import type { Role } from '../../../src/web/roles.js'
import { ROLES } from '../../../src/web/roles.js'
import { describeEachDatabase } from '../../support/databases.js'
import type { RoleUsers, TestServer } from '../../support/web-server.js'
import { addRoleUsers, seedE2e, startTestServer, WebClient } from '../../support/web-server.js'

// The finance, authorization and admin endpoints, each called anonymously and as every role.
const AUTHS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'auths')
type Who = Role | 'anonymous'
const EVERYONE: Who[] = ['anonymous', ...ROLES]

/** The status each caller gets: 401 anonymous, 200 for the roles allowed, 403 for the others. */
const expectedStatus = (who: Who, allowed: readonly Role[]): number =>
  who === 'anonymous' ? 401 : allowed.includes(who) ? 200 : 403

const GETS: { path: string; allowed: readonly Role[] }[] = [
  { path: '/api/reports/finance', allowed: ['finance', 'admin'] },
  { path: '/api/reports/finance/payer', allowed: ['finance', 'admin'] },
  { path: '/api/reports/finance/at-risk?format=csv', allowed: ['finance', 'admin'] },
  { path: '/api/reports/recovered?by=month', allowed: ['finance', 'admin'] },
  { path: '/api/reports/recovered?view=cash&by=drug', allowed: ['finance', 'admin'] },
  { path: '/api/reports/denials?by=drug', allowed: ['finance', 'admin'] },
  { path: '/api/auths/due?asOf=2026-02-10', allowed: ROLES },
  { path: '/api/admin/users', allowed: ['admin'] },
  { path: '/api/admin/payers', allowed: ['admin'] },
  { path: '/api/admin/jobs?state=failed', allowed: ['admin'] },
  { path: '/api/codes/imports', allowed: ['coder', 'admin'] },
]

const CODES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'codes')

/** A multipart upload of a fixture file (and fields before it). */
function upload(dir: string, name: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.set(key, value)
  form.set('file', new Blob([readFileSync(join(dir, name))]), name)
  return form
}

describeEachDatabase('web API: finance, authorizations, admin', (ctx) => {
  let server: TestServer
  let users: RoleUsers
  const clients = new Map<Who, WebClient>()
  beforeAll(async () => {
    await seedE2e(ctx.handle)
    await saveAuthorizations(
      ctx.handle.db,
      parseAuthorizationsCsv(readFileSync(join(AUTHS, 'sample-auths.csv')), 'auths').authorizations,
    )
    await saveSchedule(
      ctx.handle.db,
      parseScheduleCsv(readFileSync(join(AUTHS, 'sample-schedule.csv')), 'schedule').entries,
    )
    users = await addRoleUsers(ctx.handle)
    server = await startTestServer(ctx.handle)
    clients.set('anonymous', new WebClient(server.base))
    for (const role of ROLES) {
      const client = new WebClient(server.base)
      expect(await client.login(users[role].username, users[role].password)).toBe(303)
      clients.set(role, client)
    }
  })
  afterAll(() => server?.close())
  const as = (who: Who): WebClient => {
    const client = clients.get(who)
    if (client === undefined) throw new Error(`no client for ${who}`)
    return client
  }

  it('answers every read endpoint by role: 401 anonymous, 403 the wrong role', async () => {
    const got: string[] = []
    const want: string[] = []
    for (const { path, allowed } of GETS)
      for (const who of EVERYONE) {
        got.push(`${path} ${who} ${(await as(who).get(path)).status}`)
        want.push(`${path} ${who} ${expectedStatus(who, allowed)}`)
      }
    expect(got).toEqual(want)
  })

  it('serves the reconciled numbers of report recovered', async () => {
    const response = await as('finance').get('/api/reports/recovered?by=payer')
    expect(await response.json()).toEqual(await recoveredReport(ctx.handle.db, {}, 'payer'))
    const dashboard = (await (await as('finance').get('/api/reports/finance')).json()) as {
      atRisk: { totals: { openAmountCents: number } }
      byMonth: { totals: { openAmountCents: number; deniedAmount: string } }
    }
    expect(dashboard.atRisk.totals.openAmountCents).toBe(dashboard.byMonth.totals.openAmountCents)
    expect(dashboard.byMonth.totals.deniedAmount).toBe(
      (await recoveredReport(ctx.handle.db)).totals.deniedAmount,
    )
  })

  it('downloads each section as CSV whose rows add up to TOTAL', async () => {
    const response = await as('finance').get(
      '/api/reports/finance/payer?format=csv&from=2026-02-01&to=2026-02-28',
    )
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="finance-payer-2026-02-01_2026-02-28.csv"',
    )
    const lines = (await response.text()).trimEnd().split('\n')
    expect(lines[0]).toBe(
      'key,items,denied,recovered,open_at_risk,closed_unpaid,denied_claims,adjudicated_claims,denial_rate',
    )
    const cents = (line: string) => Math.round(Number(line.split(',')[2]) * 100)
    const total = lines.at(-1) ?? ''
    expect(total.startsWith('TOTAL,')).toBe(true)
    expect(lines.slice(1, -1).reduce((s, l) => s + cents(l), 0)).toBe(cents(total))
  })

  it('refuses a bad range and an unknown section with 400', async () => {
    expect((await as('finance').get('/api/reports/finance?from=2026-02-30')).status).toBe(400)
    expect((await as('finance').get('/api/reports/finance?from=2026-03-01&to=2026-02-01')).status).toBe(400)
    expect((await as('finance').get('/api/reports/finance/nope')).status).toBe(400)
  })

  it('lets finance read items but not resolve them (403)', async () => {
    const [item] = await listReworkItems(ctx.handle.db, { asOf: '2026-02-10' })
    if (item === undefined) throw new Error('no item')
    expect((await as('finance').get(`/api/items/${item.id}`)).status).toBe(200)
    const refused = await as('finance').post(`/api/items/${item.id}/resolve`, {
      action: 'written_off',
      note: 'no',
    })
    expect(refused.status).toBe(403)
    expect((await listReworkItems(ctx.handle.db, { asOf: '2026-02-10' })).map((i) => i.id)).toContain(item.id)
  })

  it('shows the finance page with an SVG chart and a table per section to finance, not to a biller', async () => {
    const page = await as('finance').get('/finance')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html.match(/<svg role="img"/g)?.length).toBe(6)
    expect(html).toContain('aria-label="Denial rate by month"')
    expect(html.match(/<table/g)?.length).toBe(6)
    expect(html).not.toMatch(/ style=/)
    expect((await as('biller').get('/finance')).status).toBe(403)
    expect((await as('anonymous').get('/finance')).status).toBe(303)
  })

  it('reviews the authorizations: expiring, uncovered, units and cycles left (member ids masked)', async () => {
    const review = (await (await as('biller').get('/api/auths/due?asOf=2026-02-10&within=14')).json()) as {
      items: { kind: string; authNumber?: string; memberId: string; date: string }[]
      balances: { authNumber: string; memberId: string; unitsLeft?: number; cyclesLeft?: number }[]
    }
    // EHPAUTH5521 ends 2026-02-20; its member's infusion of 2026-02-24 is after that.
    expect(review.items.map((i) => [i.kind, i.authNumber ?? null, i.date])).toEqual([
      ['expiring', 'EHPAUTH5521', '2026-02-20'],
      ['uncovered-infusion', null, '2026-02-24'],
    ])
    expect(review.balances.map((b) => [b.authNumber, b.unitsLeft, b.cyclesLeft])).toEqual([
      ['EHPAUTH5521', 600, 3],
      ['MCRPA77310', 0, 0],
      ['PA26000118', 1500, 5],
    ])
    for (const row of [...review.items, ...review.balances]) expect(row.memberId).toMatch(/^\*\*\*.{4}$/)
    const page = await (await as('coder').get('/auths?asOf=2026-02-10')).text()
    expect(page).toContain('Scheduled infusions with no authorization (1)')
    expect(page).toContain('data-auth="PA26000118"')
    expect(page).not.toContain('EHP700112233')
    expect((await as('coder').get('/auths?asOf=2026-02-31')).status).toBe(400)
  })

  it('lets only admin add and disable users; the new password signs in until the user is disabled', async () => {
    const got: string[] = []
    for (const who of EVERYONE) {
      const response = await as(who).post('/api/admin/users', { username: `new-${who}`, role: 'biller' })
      got.push(`${who} ${response.status}`)
    }
    expect(got).toEqual(
      EVERYONE.map((who) => `${who} ${expectedStatus(who, ['admin'])}`.replace(/ 200$/, ' 201')),
    )
    // The admin's call above added new-admin.
    const added = (await (await as('admin').get('/api/admin/users')).json()) as { username: string }[]
    expect(added.map((u) => u.username)).toContain('new-admin')
    const again = await as('admin').post('/api/admin/users', { username: 'dora', role: 'coder' })
    expect(again.status).toBe(201)
    const { password } = (await again.json()) as { password: string }
    expect(await new WebClient(server.base).login('dora', password)).toBe(303)
    expect((await as('admin').post('/api/admin/users', { username: 'dora', role: 'coder' })).status).toBe(409)
    expect((await as('admin').post('/api/admin/users', { username: 'bad name', role: 'coder' })).status).toBe(
      400,
    )
    expect((await as('finance').post('/api/admin/users/dora/disable')).status).toBe(403)
    expect((await as('admin').post('/api/admin/users/dora/disable')).status).toBe(200)
    expect(await new WebClient(server.base).login('dora', password)).toBe(401)
    expect((await as('admin').post('/api/admin/users/admin/disable')).status).toBe(409)
    expect((await as('admin').post('/api/admin/users/nobody/disable')).status).toBe(404)
    // The page's form (works without JavaScript: the _csrf field) shows the password once.
    const form = await as('admin').request('POST', '/admin/users', {
      form: { username: 'fred', role: 'finance', _csrf: as('admin').csrfToken ?? '' },
      csrf: false,
    })
    expect(form.status).toBe(200)
    const shown = /id="new-password">([^<]+)</.exec(await form.text())?.[1] ?? ''
    expect(await new WebClient(server.base).login('fred', shown)).toBe(303)
    // Without the CSRF token: refused.
    expect(
      (await as('admin').post('/api/admin/users', { username: 'eve', role: 'admin' }, false)).status,
    ).toBe(403)
  })

  it('imports an uploaded CMS code file through codes import, showing its quarter and rows; only admin', async () => {
    const post = (who: Who) =>
      as(who).request('POST', '/api/admin/codes', { body: upload(CODES, 'mue-practitioner-2026-04.csv') })
    for (const who of ['anonymous', 'biller', 'coder', 'finance'] as const)
      expect((await post(who)).status, who).toBe(who === 'anonymous' ? 401 : 403)
    const first = await post('admin')
    expect(first.status).toBe(200)
    const result = (await first.json()) as Record<string, unknown>
    expect(result).toMatchObject({
      path: 'mue-practitioner-2026-04.csv',
      kind: 'mue-practitioner',
      quarter: '2026-04',
      alreadyImported: false,
    })
    expect(result.rows).toBeGreaterThan(100)
    const repeat = (await (await post('admin')).json()) as Record<string, unknown>
    expect(repeat).toMatchObject({ alreadyImported: true, rows: result.rows })
    const log = (await (await as('coder').get('/api/codes/imports')).json()) as {
      fileName: string
      quarter: string
      rows: number
    }[]
    expect(log[0]).toMatchObject({
      fileName: 'mue-practitioner-2026-04.csv',
      quarter: '2026-04',
      rows: result.rows,
    })
    // Not a CMS file: 400 with the codes error code; no file: 400.
    const bad = await as('admin').request('POST', '/api/admin/codes', {
      body: upload(AUTHS, 'sample-auths.csv'),
    })
    expect(bad.status).toBe(400)
    const refusal = (await bad.json()) as { error: string; message: string }
    expect(refusal.error).toMatch(/^CODES_/)
    // Named as uploaded, not by the server's temporary copy.
    expect(refusal.message).toMatch(/^sample-auths\.csv /)
    expect(refusal.message).not.toContain('onco-edi-upload-')
    const none = new FormData()
    none.set('quarter', '2026-04')
    expect((await as('admin').request('POST', '/api/admin/codes', { body: none })).status).toBe(400)
    // Coders read the code tables: the MUE file holds no HCPCS, so J9271 has no version yet.
    const lookup = async (who: Who) => as(who).get('/api/codes/hcpcs/J9271')
    expect((await lookup('biller')).status).toBe(403)
    expect(await (await lookup('coder')).json()).toEqual({ code: 'J9271', versions: [], crosswalk: [] })
    expect((await as('coder').get('/api/codes/hcpcs/J92')).status).toBe(400)
    // Audited with the admin's name.
    const audit = await ctx.handle.db
      .selectFrom('audit_event')
      .select(['actor', 'note'])
      .where('action', '=', 'codes:import')
      .execute()
    expect(audit).toEqual([{ actor: 'admin', note: expect.stringContaining('mue-practitioner 2026-04') }])
    // The page's upload (htmx sends the CSRF header) answers the page with the quarter and rows.
    const viaPage = await as('admin').request('POST', '/admin/codes', {
      body: upload(CODES, 'ncci-add-on-codes-2026-04.xlsx'),
    })
    expect(viaPage.status).toBe(200)
    expect(await viaPage.text()).toMatch(
      /ncci-add-on-codes-2026-04\.xlsx: .*quarter 2026-04 .*\d+ rows imported/,
    )
    const hcpcs = await as('admin').request('POST', '/api/admin/codes', {
      body: upload(CODES, 'hcpcs-2026-01-anweb.txt'),
    })
    expect(await hcpcs.json()).toMatchObject({ kind: 'hcpcs', quarter: '2026-01', alreadyImported: false })
    const j9271 = (await (await lookup('coder')).json()) as {
      versions: { quarter: string; shortDescription: string }[]
    }
    expect(j9271.versions).toEqual([expect.objectContaining({ quarter: '2026-01' })])
    // The page shows the import log.
    const page = await (await as('admin').get('/admin')).text()
    expect(page).toContain('mue-practitioner-2026-04.csv')
    expect((await as('finance').get('/admin')).status).toBe(403)
  })

  it('imports payer profiles from an upload (as payers import) and lists them', async () => {
    const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures')
    const response = await as('admin').request('POST', '/api/admin/payers', {
      body: upload(fixtures, 'payers.csv'),
    })
    expect(response.status).toBe(200)
    const result = (await response.json()) as { inserted: number; updated: number; rejects: unknown[] }
    expect(result.inserted + result.updated).toBeGreaterThan(0)
    expect(result.rejects).toEqual([])
    const payers = (await (await as('admin').get('/api/admin/payers')).json()) as {
      payerId: string
      requirements: unknown
    }[]
    expect(payers.length).toBeGreaterThanOrEqual(result.inserted + result.updated)
    expect(payers[0]?.requirements).toBeDefined()
    expect(
      (await as('coder').request('POST', '/api/admin/payers', { body: upload(fixtures, 'payers.csv') }))
        .status,
    ).toBe(403)
  })

  it('takes the page uploads without JavaScript: the CSRF token as the _csrf field before the file', async () => {
    const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures')
    const admin = as('admin')
    const token = admin.csrfToken ?? ''
    const post = (path: string, body: FormData) => admin.request('POST', path, { body, csrf: false })
    const file = 'mue-outpatient-hospital-2026-04.csv'
    const imports = async () => ((await (await admin.get('/api/codes/imports')).json()) as unknown[]).length
    const before = await imports()
    // No token, a wrong one, or the token after the file: 403, and nothing is imported.
    const late = upload(CODES, file)
    late.set('_csrf', token)
    for (const body of [upload(CODES, file), upload(CODES, file, { _csrf: 'forged' }), late]) {
      const refused = await post('/admin/codes', body)
      expect(refused.status).toBe(403)
      expect(await refused.text()).toContain('csrf: Missing or invalid CSRF token')
    }
    expect(await imports()).toBe(before)
    // The forms as the page sends them: 200 with the outcome.
    const codes = await post('/admin/codes', upload(CODES, file, { _csrf: token, quarter: '' }))
    expect(codes.status).toBe(200)
    expect(await codes.text()).toMatch(
      /mue-outpatient-hospital-2026-04\.csv: .*quarter 2026-04 .*rows imported/,
    )
    expect(await imports()).toBe(before + 1)
    const payers = await post('/admin/payers', upload(fixtures, 'payers.csv', { _csrf: token }))
    expect(payers.status).toBe(200)
    expect(await payers.text()).toMatch(/Payers: \d+ added, \d+ updated/)
    // The API still wants the header.
    const api = await post('/api/admin/payers', upload(fixtures, 'payers.csv', { _csrf: token }))
    expect(api.status).toBe(403)
  })

  it('lists the endpoints in the OpenAPI document', async () => {
    const doc = (await (await as('admin').get('/api/openapi.json')).json()) as {
      paths: Record<string, unknown>
    }
    for (const path of [
      '/api/reports/finance',
      '/api/reports/finance/{section}',
      '/api/reports/recovered',
      '/api/reports/denials',
      '/api/auths/due',
      '/api/admin/users',
      '/api/admin/users/{username}/disable',
      '/api/admin/payers',
      '/api/admin/codes',
      '/api/admin/jobs',
      '/api/codes/imports',
      '/api/codes/hcpcs/{code}',
    ])
      expect(Object.keys(doc.paths)).toContain(path)
  })
})

describeEachDatabase('web admin: dead-letter jobs', (ctx) => {
  let server: TestServer
  let admin: WebClient
  // A job whose error has no code of ours may carry any text: the web shows only its code.
  const UNCODED = 'cannot parse member ZZ900000001 born 1950-01-01'
  beforeAll(async () => {
    // Two jobs failed for good (no retries left), as a worker fails them, before the server starts.
    const queue = await startJobQueue(ctx.handle)
    try {
      const failures = [
        {
          name: 'deadletter-a.x12',
          output: { code: 'BATCH_NO_UPLOAD', message: 'no bytes for job upload u-1' },
        },
        { name: 'deadletter-b.x12', output: { code: 'BATCH_JOB_FAILED', message: UNCODED } },
      ]
      for (const [i, failure] of failures.entries()) {
        const data = { claimId: `u-${i + 1}`, name: failure.name, sha256: String(i).repeat(64) }
        const id = await queue.boss.send(BATCH_QUEUE, data, { retryLimit: 0 })
        if (id === null) throw new Error('the job was not created')
        const [job] = await queue.boss.fetch(BATCH_QUEUE)
        expect(job?.id).toBe(id)
        await queue.boss.fail(BATCH_QUEUE, id, failure.output)
      }
      await queue.boss.send(BATCH_QUEUE, { claimId: 'u-3', name: 'waiting.x12', sha256: 'f'.repeat(64) })
    } finally {
      await queue.stop()
    }
    const users = await addRoleUsers(ctx.handle)
    server = await startTestServer(ctx.handle)
    admin = new WebClient(server.base)
    expect(await admin.login(users.admin.username, users.admin.password)).toBe(303)
  })
  afterAll(() => server?.close())

  it('shows the dead-lettered jobs in GET /api/admin/jobs and on the admin page, without uncoded messages', async () => {
    const response = await admin.get('/api/admin/jobs?state=failed')
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      counts: { queued: number; active: number; failed: number }
      jobs: {
        file: string
        attempts: number
        error: { code: string; message: string | null }
        deadLettered: boolean
        failedOn: string | null
      }[]
    }
    expect(body.counts).toEqual({ queued: 1, active: 0, failed: 2 })
    expect(body.jobs.map((j) => [j.file, j.attempts, j.error, j.deadLettered])).toEqual([
      ['deadletter-b.x12', 1, { code: 'BATCH_JOB_FAILED', message: null }, true],
      ['deadletter-a.x12', 1, { code: 'BATCH_NO_UPLOAD', message: 'no bytes for job upload u-1' }, true],
    ])
    expect(body.jobs.every((j) => j.failedOn !== null)).toBe(true)
    expect((await admin.get('/api/admin/jobs?state=active')).status).toBe(400)

    const page = await admin.get('/admin')
    expect(page.status).toBe(200)
    const html = await page.text()
    const jobs = html.slice(html.indexOf('id="jobs"'))
    expect(jobs).toContain('<span data-count="failed">2</span>')
    expect(jobs).toContain('<span data-count="queued">1</span>')
    for (const text of [
      'deadletter-a.x12',
      'deadletter-b.x12',
      'BATCH_NO_UPLOAD',
      'no bytes for job upload u-1',
    ])
      expect(jobs).toContain(text)
    expect(html).not.toContain('ZZ900000001')
    expect(JSON.stringify(body)).not.toContain('ZZ900000001')
  })
})
