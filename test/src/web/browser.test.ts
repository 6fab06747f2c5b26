// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (rendered text, cells apart), not the DOM property
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { loadScrubContextFromDatabase } from '../../../src/scrub/load-scrub-context.js'
import { scrubClaim } from '../../../transforms/scrub/scrub-claim.js'
import type { WebAppInChromium } from '../../support/chromium.js'
import {
  hasChromium,
  launchChromium,
  signIn as signInAs,
  startWebAppInChromium,
  watchPageProblems,
  withPage,
} from '../../support/chromium.js'
import type { RoleUsers } from '../../support/web-server.js'

/** The README's screenshots are rewritten with UPDATE_SCREENSHOTS=1; otherwise they go to a temporary
 * folder, so that a test run leaves the checkout as it was. */
const DOCS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '..', '..', '..', 'docs')
    : mkdtempSync(join(tmpdir(), 'onco-edi-screenshots-'))
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures')

/**
 * The web app in a real browser, on one PGlite database and one server for the file: a biller's
 * day (log in, filter, open, correct, download, resolve), the roles, and CSRF. Screenshots of the
 * worklist and an item go to docs/ for the README.
 */
describe.skipIf(!hasChromium('browser tests'))('web app in Chromium', () => {
  let app: WebAppInChromium

  beforeAll(async () => {
    app = await startWebAppInChromium()
  }, 240_000)
  afterAll(async () => {
    await app?.close()
  })

  const signIn = (page: Page, role: keyof RoleUsers, next = '/worklist'): Promise<void> =>
    signInAs(page, app, role, next)

  it('an anonymous visit is redirected to the login page', async () => {
    await withPage(app.browser, {}, async (page) => {
      const response = await page.goto(`${app.server.base}/items/1`)
      expect(new URL(page.url()).pathname).toBe('/login')
      expect(response?.status()).toBe(200)
      await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
    })
  })

  it('a biller filters the worklist, corrects a claim until it scrubs clean, downloads it and resolves the item', async () => {
    await withPage(
      app.browser,
      {
        acceptDownloads: true,
        viewport: { width: 1360, height: 900 },
      },
      async (page) => {
        await signIn(page, 'biller')
        const rows = page.locator('#worklist tbody tr')
        expect(await rows.count()).toBeGreaterThan(5)
        // Days left are colour-coded (the e2e denials of 2026 are long overdue against today).
        expect(await page.locator('#worklist td.overdue, #worklist td.due-soon').count()).toBeGreaterThan(0)
        mkdirSync(DOCS, { recursive: true })
        await page.screenshot({ path: join(DOCS, 'web-worklist.png'), fullPage: true })

        // Filter (htmx swaps the table in place and pushes the URL).
        await page.getByLabel('Queue').selectOption('coding')
        await page.getByRole('button', { name: 'Filter' }).click()
        await page.waitForURL(/queue=coding/)
        await expect
          .poll(() => rows.allInnerTexts())
          .toEqual([expect.stringContaining('E2E-P-003'), expect.stringContaining('E2E-P-007')])
        for (const text of await rows.allInnerTexts()) expect(text).toContain('coding')

        // Open the item: the denial in words, the lines with NDC, the deadline rule.
        await page
          .getByRole('row', { name: /E2E-P-007/ })
          .getByRole('link')
          .click()
        await page.waitForURL(/\/items\/\d+$/)
        const itemPath = new URL(page.url()).pathname
        const itemId = Number(itemPath.split('/').at(-1))
        await expect(page.locator('#denial-h').isVisible()).resolves.toBe(true)
        expect(await page.locator('.guidance').innerText()).not.toBe('')
        expect(await page.locator('.deadline-rule').innerText()).toMatch(/^Rule: /)
        expect(await page.locator('section', { has: page.locator('#lines-h') }).innerText()).toContain(
          'J9271',
        )

        // The corrected claim as sent still fails the scrub (JW/JZ on the drug line): no download.
        const corrected = page.locator('#corrected')
        expect(await corrected.innerText()).toContain('jw-jz-modifier')
        expect(await page.locator('#download-corrected').count()).toBe(0)
        await page.getByLabel('Line 2 Modifiers').fill('JZ')
        await page.getByRole('button', { name: 'Re-scrub' }).click()
        await page.locator('#corrected .ok').waitFor()
        expect(await corrected.innerText()).toContain('Scrubs clean')
        expect(await corrected.innerText()).toMatch(/line 2 modifiers: \(none\) → JZ/)
        await page.screenshot({ path: join(DOCS, 'web-item.png'), fullPage: true })

        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('#download-corrected').click(),
        ])
        const file = join(mkdtempSync(join(tmpdir(), 'web-download-')), download.suggestedFilename())
        await download.saveAs(file)
        expect(download.suggestedFilename()).toBe(`corrected-claim-item-${itemId}.837`)
        // The downloaded file, parsed and scrubbed again here: frequency 7, the edit, no errors.
        const claims: Claim837[] = []
        for await (const events of readX12File(file))
          for (const event of events) if (event.type === 'claim837') claims.push(event.claim)
        expect(claims.map((c) => [c.claimId, c.frequencyCode])).toEqual([['E2E-P-007', '7']])
        const [claim] = claims
        if (claim === undefined) throw new Error('no claim in the download')
        expect(claim.lines.find((l) => l.lineNumber === 2)?.modifiers).toEqual(['JZ'])
        const scrub = scrubClaim(claim, await loadScrubContextFromDatabase(app.handle.db))
        expect(scrub.findings.filter((f) => f.severity === 'error')).toEqual([])

        // Resolve it: the status changes, the history shows it, and it leaves the open worklist.
        await page.goto(`${app.server.base}${itemPath}`)
        await page.getByLabel('Resolution').selectOption('corrected')
        await page
          .locator('form[data-action=resolve]')
          .getByLabel('Note')
          .fill('JZ added, corrected claim sent')
        await page.getByRole('button', { name: 'Resolve' }).click()
        await expect.poll(() => page.locator('#item').getAttribute('data-status')).toBe('corrected')
        const history = await page.locator('#history').innerText()
        expect(history).toMatch(/biller\s+corrected_claim_written/)
        expect(history).toMatch(
          /biller\s+resolve:corrected\s+open → corrected\s+JZ added, corrected claim sent/,
        )

        await page.goto(`${app.server.base}/worklist?queue=coding`)
        expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('E2E-P-003')])
        await page.goto(`${app.server.base}/worklist?status=corrected`)
        expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('E2E-P-007')])
      },
    )
  })

  it('finance reads an item but has no actions and cannot resolve (403)', async () => {
    await withPage(app.browser, {}, async (page) => {
      await signIn(page, 'finance')
      await page
        .getByRole('row', { name: /E2E-P-003/ })
        .getByRole('link')
        .click()
      await page.waitForURL(/\/items\/\d+$/)
      expect(await page.locator('#actions-h').count()).toBe(0)
      // Nobody has worked it yet: the history says so rather than showing an empty table.
      expect(await page.locator('#history').innerText()).toContain('Nothing done on this item yet.')
      expect(await page.locator('#corrected').count()).toBe(0)
      const id = new URL(page.url()).pathname.split('/').at(-1)
      const status = await page.evaluate(async (itemId) => {
        const session = (await (await fetch('/api/session')).json()) as { csrfToken: string }
        const response = await fetch(`/api/items/${itemId}/resolve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ action: 'written_off' }),
        })
        return response.status
      }, id)
      expect(status).toBe(403)
    })
  })

  it('a coder assigns two filtered items in bulk and stays on the filtered worklist', async () => {
    await withPage(app.browser, {}, async (page) => {
      await signIn(page, 'coder', '/worklist')
      await page.goto(`${app.server.base}/worklist?queue=authorization`)
      const rows = page.locator('#worklist tbody tr')
      for (const claim of ['E2E-C-101', 'E2E-C-102'])
        await page
          .getByRole('row', { name: new RegExp(claim) })
          .getByRole('checkbox')
          .check()
      await page.getByLabel('Assign selected to').selectOption('coder')
      await page.getByRole('button', { name: 'Assign', exact: true }).click()
      await expect
        .poll(() => page.getByRole('row', { name: /E2E-C-10[12]/ }).allInnerTexts())
        .toEqual([expect.stringContaining('assigned: coder'), expect.stringContaining('assigned: coder')])
      for (const text of await rows.allInnerTexts()) expect(text).toContain('authorization')
    })
  })

  it('a POST without the CSRF token is refused, with it accepted', async () => {
    await withPage(app.browser, {}, async (page) => {
      await signIn(page, 'coder')
      const statuses = await page.evaluate(async () => {
        const note = (headers: Record<string, string>) =>
          fetch('/api/items/1/notes', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ text: 'from the browser' }),
          }).then((r) => r.status)
        const session = (await (await fetch('/api/session')).json()) as { csrfToken: string }
        return [await note({}), await note({ 'x-csrf-token': session.csrfToken })]
      })
      expect(statuses).toEqual([403, 200])
    })
  })

  it('an admin imports payer profiles with JavaScript off: the upload form carries its CSRF token', async () => {
    await withPage(app.browser, { javaScriptEnabled: false }, async (page) => {
      await signIn(page, 'admin', '/admin')
      await page.getByLabel(/Payer profiles CSV/).setInputFiles(join(FIXTURES, 'e2e', 'payers.csv'))
      await page.getByRole('button', { name: 'Import payers' }).click()
      await page.waitForURL((url) => url.pathname === '/admin/payers')
      expect(await page.getByRole('status').innerText()).toMatch(/^Payers: \d+ added, \d+ updated/)
      expect(await page.getByRole('alert').count()).toBe(0)
    })
  })

  // A page that loads with an error in the console (a 404 favicon, a CSP refusal, a script error)
  // works, but the console hides the next real problem behind it. A browser of its own: Chromium
  // asks for /favicon.ico once per browser, and the tests above have already loaded pages.
  it('the main pages load for each role with no console error, page error or failed request', async () => {
    const pages = [
      ['admin', ['/worklist', 'item', '/auths', '/finance', '/admin']],
      ['biller', ['/worklist', 'item', '/auths']],
    ] as const
    const browser = await launchChromium()
    try {
      for (const [role, paths] of pages) {
        const problems = await withPage(browser, { viewport: { width: 1360, height: 900 } }, async (page) => {
          const seen = watchPageProblems(page)
          await signIn(page, role)
          for (const path of paths) {
            if (path === 'item') {
              await page.goto(`${app.server.base}/worklist`)
              await page
                .getByRole('row', { name: /E2E-P-003/ })
                .getByRole('link')
                .click()
              await page.waitForURL(/\/items\/\d+$/)
            } else await page.goto(`${app.server.base}${path}`)
            await page.waitForLoadState('networkidle')
            if (path !== 'item') expect(new URL(page.url()).pathname).toBe(path)
          }
          return seen
        })
        expect(problems, `${role}:\n${problems.join('\n')}`).toEqual([])
      }
    } finally {
      await browser.close()
    }
  })
})
