import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebAppInChromium } from '../../support/chromium.js'
import {
  hasChromium,
  signIn,
  startWebAppInChromium,
  watchPageProblems,
  withPage,
} from '../../support/chromium.js'
import type { RoleUsers } from '../../support/web-server.js'
import { seedWideData, WIDE_MANY_LINES_CLAIM } from '../../support/wide-data.js'

/** Set SCREENSHOTS=/tmp/web to keep a full-page PNG of every page and width (for looking at them). */
const SCREENSHOTS = process.env.SCREENSHOTS

/** A laptop split screen and a laptop. */
const WIDTHS = [800, 1360] as const

/**
 * What overflows the page sideways: the document's width, and the elements sticking out past the
 * right edge that are not inside a container that scrolls sideways itself (its own scroll bar).
 */
function pageOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.locator('html').evaluate((root) => {
    const view = root.ownerDocument.defaultView
    if (view === null) throw new Error('no window')
    const innerWidth = view.innerWidth
    const culprits: string[] = []
    const scrollsInside = (element: typeof root): boolean => {
      for (let e = element.parentElement; e !== null && e.tagName !== 'BODY'; e = e.parentElement) {
        const overflow = view.getComputedStyle(e).overflowX
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true
      }
      return false
    }
    for (const element of root.querySelectorAll('body *')) {
      const right = element.getBoundingClientRect().right + view.scrollX
      if (right > innerWidth + 0.5 && !scrollsInside(element as typeof root)) {
        const id = element.id === '' ? '' : `#${element.id}`
        const cls = element.getAttribute('class')
        culprits.push(
          `${element.tagName.toLowerCase()}${id}${cls === null ? '' : `.${cls.replaceAll(' ', '.')}`} right=${Math.round(right)}`,
        )
      }
    }
    return { scrollWidth: root.scrollWidth, innerWidth, culprits: culprits.slice(0, 12) }
  })
}

/**
 * The headers of the tables in `selector` that show whole without scrolling their box sideways
 * (the box as it opens: scrolled to its left edge), and the boxes that scroll at all.
 */
function headersInView(page: Page, selector: string): Promise<{ visible: string[]; scrolling: number }> {
  return page.locator('html').evaluate((root, selector) => {
    const view = root.ownerDocument.defaultView
    if (view === null) throw new Error('no window')
    const visible: string[] = []
    let scrolling = 0
    for (const box of root.querySelectorAll(`${selector} .table-scroll`)) {
      if (box.scrollWidth > box.clientWidth) scrolling++
      const right = Math.min(box.getBoundingClientRect().right, view.innerWidth)
      for (const th of box.querySelectorAll('thead th'))
        if (th.getBoundingClientRect().right <= right + 0.5) visible.push(th.textContent?.trim() ?? '')
    }
    return { visible, scrolling }
  }, selector)
}

/**
 * The columns that must stay in view on each page at both widths (a box may scroll for the rest),
 * and the tables that must fit whole (`whole`).
 */
const KEY_COLUMNS: Record<
  string,
  { selector: string; columns: string[]; whole?: boolean; absent?: string[] }[]
> = {
  '/worklist': [
    {
      selector: '#worklist',
      columns: ['Item', 'Deadline', 'Days left', 'Amount', 'Queue', 'Claim', 'Payer', 'Status'],
      whole: true,
    },
  ],
  item: [
    {
      selector: 'section[aria-labelledby=lines-h]',
      columns: ['#', 'Code', 'Modifiers', 'Units', 'DOS', 'Charge', 'Paid', 'RARC'],
    },
    {
      selector: 'section[aria-labelledby=adj-h]',
      columns: ['Level', 'Group-CARC', 'Meaning', 'Amount'],
      whole: true,
    },
  ],
  '/auths': [
    // No prices on the page (auths due --prices has them): no column of amounts at risk, always empty.
    {
      selector: '#expiring',
      columns: ['Date', 'Authorization', 'Payer', 'Drug', 'Detail'],
      absent: ['At risk'],
    },
    { selector: '#balances', columns: ['Authorization', 'Payer', 'Drug', 'Ends', 'Days left', 'left'] },
  ],
  '/finance': [
    // The first column says what its rows are (the CSV keeps `key`).
    {
      selector: '.finance',
      columns: ['month', 'queue', 'payer', 'drug (HCPCS)', 'denied', 'open at risk', 'denial rate'],
      whole: true,
      absent: ['key'],
    },
  ],
  '/admin': [{ selector: '#payers', columns: ['Payer', 'Name', 'Class'], whole: true }],
}

/** The whole page in pieces of 1000 px high (a tall page in one PNG is too small to read). */
async function screenshots(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS === undefined) return
  const { width, height } = await page
    .locator('html')
    .evaluate((root) => ({ width: root.scrollWidth, height: root.scrollHeight }))
  for (let y = 0, n = 0; y < height; y += 1000, n++)
    await page.screenshot({
      path: join(SCREENSHOTS, `web-${name}-${n}.png`),
      fullPage: true,
      clip: { x: 0, y, width, height: Math.min(1000, height - y) },
    })
}

/**
 * Every page at 800 px (a laptop split screen) and 1360 px, with a realistic month on top of the
 * e2e fixtures (test/support/wide-data.ts: 24 payers with long names and ids, 24 drugs, six-figure
 * amounts, long CARC/RARC paraphrases, a claim of 36 lines, 24 authorizations): the page never
 * scrolls sideways (wide tables scroll in their own box), the key columns stay in view, and no
 * page has a console error or a failed request.
 */
describe.skipIf(!hasChromium('page width browser tests'))('pages at 800 and 1360 px in Chromium', () => {
  let app: WebAppInChromium
  let manyLinesItem: number

  beforeAll(async () => {
    app = await startWebAppInChromium({ seed: async (handle) => void (await seedWideData(handle)) })
    const row = await app.handle.db
      .selectFrom('rework_item')
      .select('id')
      .where('claim_id', '=', WIDE_MANY_LINES_CLAIM)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    manyLinesItem = Number(row.id)
  }, 240_000)
  afterAll(async () => {
    await app?.close()
  })

  const pages: [keyof RoleUsers | 'anonymous', string[]][] = [
    ['anonymous', ['/login']],
    ['biller', ['/worklist', 'item', '/auths']],
    ['finance', ['/finance', 'item']],
    ['admin', ['/worklist', '/finance', '/admin', '/auths']],
  ]

  for (const width of WIDTHS)
    it(`no page scrolls sideways at ${width} px`, async () => {
      const seenOverflow: string[] = []
      for (const [role, paths] of pages) {
        const problems = await withPage(app.browser, { viewport: { width, height: 900 } }, async (page) => {
          const seen = watchPageProblems(page)
          if (role !== 'anonymous') await signIn(page, app, role)
          for (const path of paths) {
            const url = path === 'item' ? `/items/${manyLinesItem}` : path
            if (role !== 'anonymous' || path !== '/login') await page.goto(`${app.server.base}${url}`)
            else await page.goto(`${app.server.base}/login`)
            await page.waitForLoadState('networkidle')
            expect(new URL(page.url()).pathname).toBe(url)
            const overflow = await pageOverflow(page)
            if (SCREENSHOTS !== undefined)
              await screenshots(page, `${width}-${role}-${path.replace(/\W+/g, '')}`)
            for (const key of KEY_COLUMNS[path] ?? []) {
              const { visible, scrolling } = await headersInView(page, key.selector)
              const where = `${role} ${url} at ${width} px, ${key.selector}`
              expect(visible, where).toEqual(expect.arrayContaining(key.columns))
              if (key.whole === true) expect(scrolling, `${where}: tables that scroll sideways`).toBe(0)
              for (const column of key.absent ?? []) expect(visible, where).not.toContain(column)
            }
            if (overflow.scrollWidth > overflow.innerWidth)
              seenOverflow.push(
                `${role} ${url}: scrollWidth ${overflow.scrollWidth} > ${overflow.innerWidth}: ${overflow.culprits.join(', ')}`,
              )
          }
          return seen
        })
        expect(problems, `${role}:\n${problems.join('\n')}`).toEqual([])
      }
      expect(seenOverflow).toEqual([])
    })
})
