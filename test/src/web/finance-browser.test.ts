import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { recoveredReport } from '../../../src/rework/reports.js'
import { openTestDatabase } from '../../support/databases.js'
import type { RoleUsers, TestServer } from '../../support/web-server.js'
import { addRoleUsers, seedE2e, startTestServer } from '../../support/web-server.js'

/** Debian's Chromium (.ci/run installs it when missing); playwright's own download is not used. */
const CHROMIUM = '/usr/bin/chromium'
const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs')
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
]

if (!existsSync(CHROMIUM))
  console.warn(
    `finance browser test NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does)`,
  )

/**
 * The finance page in a real browser (one PGlite database and server for the file): the charts are
 * server-drawn SVG that the page's CSP lets render, each with its table and CSV; finance cannot
 * resolve an item. The screenshot docs/web-finance.png in the README is taken here.
 */
describe.skipIf(!existsSync(CHROMIUM))('finance page in Chromium', () => {
  let handle: DatabaseHandle
  let cleanup = async (): Promise<void> => {}
  let server: TestServer
  let users: RoleUsers
  let browser: Browser

  beforeAll(async () => {
    ;({ handle, cleanup } = await openTestDatabase(undefined))
    await seedE2e(handle)
    users = await addRoleUsers(handle)
    server = await startTestServer(handle)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await cleanup()
  })

  it('finance sees the charts as SVG with their tables, downloads a CSV, and cannot resolve (403)', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1360, height: 900 },
    })
    const page = await context.newPage()
    const cspViolations: string[] = []
    page.on('pageerror', (e) => cspViolations.push(String(e)))
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text())
    })
    try {
      await page.goto(`${server.base}/finance`)
      await page.waitForURL(/\/login/)
      await page.getByLabel('Username').fill('finance')
      await page.getByLabel('Password').fill(users.finance.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL((url) => url.pathname === '/finance')

      const charts = page.locator('figure.chart svg[role="img"]')
      expect(await charts.count()).toBe(6)
      const denied = page.getByRole('img', { name: 'Denied vs recovered by month' })
      expect(await denied.isVisible()).toBe(true)
      const box = await denied.boundingBox()
      expect(box?.width).toBeGreaterThan(300)
      // Drawn on the server: the month on the axis, bars as paths, no script in the chart.
      expect(await denied.locator('text', { hasText: '2026-02' }).count()).toBeGreaterThan(0)
      expect(await denied.locator('path').count()).toBeGreaterThan(3)
      expect(await page.locator('figure.chart script').count()).toBe(0)
      // The fonts come from presentation attributes the CSP allows: the labels render at 12px.
      const fontSize = await denied
        .locator('text', { hasText: '2026-02' })
        .first()
        .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).fontSize)
      expect(fontSize).toBe('12px')

      // The table behind the chart: the denials view's TOTAL.
      const totals = await recoveredReport(handle.db)
      const totalRow = page.locator('#fin-denied-recovered tr.total')
      expect(await totalRow.textContent()).toContain(totals.totals.deniedAmount)

      // CSV download of a section.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#fin-payer').getByRole('link', { name: 'Download CSV' }).click(),
      ])
      const csv = readFileSync((await download.path()) ?? '', 'utf8')
      expect(csv.split('\n')[0]).toBe(
        'key,items,denied,recovered,open_at_risk,closed_unpaid,denied_claims,adjudicated_claims,denial_rate',
      )
      expect(csv).toContain(`TOTAL,${totals.totals.items},${totals.totals.deniedAmount},`)

      mkdirSync(DOCS, { recursive: true })
      await page.screenshot({ path: join(DOCS, 'web-finance.png'), fullPage: true })

      // Read-only on items: resolving is refused.
      const status = await page.evaluate(async () => {
        const session = (await (await fetch('/api/session')).json()) as { csrfToken: string }
        const response = await fetch('/api/items/1/resolve', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ action: 'written_off', note: 'finance tries' }),
        })
        return response.status
      })
      expect(status).toBe(403)
      expect(cspViolations, cspViolations.join('\n')).toEqual([])
      // No admin link in finance's navigation; Authorizations and Finance are there.
      const nav = await page.getByRole('navigation', { name: 'Main' }).textContent()
      expect(nav).toContain('Finance')
      expect(nav).toContain('Authorizations')
      expect(nav).not.toContain('Admin')
    } finally {
      await context.close()
    }
  })
})
