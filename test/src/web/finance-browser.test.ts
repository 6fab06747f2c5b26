import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recoveredReport } from '../../../src/rework/reports.js'
import { groupDigits } from '../../../src/web/amounts.js'
import type { WebAppInChromium } from '../../support/chromium.js'
import { hasChromium, signIn, startWebAppInChromium, withPage } from '../../support/chromium.js'

/** The README's screenshots are rewritten with UPDATE_SCREENSHOTS=1; otherwise they go to a temporary
 * folder, so that a test run leaves the checkout as it was. */
const DOCS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '..', '..', '..', 'docs')
    : mkdtempSync(join(tmpdir(), 'onco-edi-screenshots-'))

/**
 * The finance page in a real browser (one PGlite database and server for the file): the charts are
 * server-drawn SVG that the page's CSP lets render, each with its table and CSV; finance cannot
 * resolve an item. The screenshot docs/web-finance.png in the README is taken here.
 */
describe.skipIf(!hasChromium('finance browser test'))('finance page in Chromium', () => {
  let app: WebAppInChromium

  beforeAll(async () => {
    app = await startWebAppInChromium()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('finance sees the charts as SVG with their tables, downloads a CSV, and cannot resolve (403)', async () => {
    await withPage(
      app.browser,
      {
        acceptDownloads: true,
        viewport: { width: 1360, height: 900 },
      },
      async (page) => {
        const cspViolations: string[] = []
        page.on('pageerror', (e) => cspViolations.push(String(e)))
        page.on('console', (message) => {
          if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text())
        })
        await signIn(page, app, 'finance', '/finance')

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

        // Each table fits its card (one card a row at 1360 px): no sideways scrolling.
        const overflows = await page
          .locator('.finance .table-scroll')
          .evaluateAll((divs) =>
            divs.filter((d) => d.scrollWidth > d.clientWidth).map((d) => d.parentElement?.id),
          )
        expect(overflows).toEqual([])
        // The table behind the chart: the denials view's TOTAL.
        const totals = await recoveredReport(app.handle.db)
        const totalRow = page.locator('#fin-denied-recovered tr.total')
        expect(await totalRow.textContent()).toContain(groupDigits(totals.totals.deniedAmount))

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
      },
    )
  })
})
