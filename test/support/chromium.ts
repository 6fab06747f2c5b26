import { existsSync } from 'node:fs'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { openTestDatabase } from './databases.js'
import type { RoleUsers, TestServer } from './web-server.js'
import { addRoleUsers, seedE2e, startTestServer } from './web-server.js'

/** Debian's Chromium (.ci/run installs it when missing); playwright's own download is not used. */
export const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Whether the browser tests can run; when not, says so on the test output (naming `what`). */
export function hasChromium(what: string): boolean {
  if (existsSync(CHROMIUM)) return true
  console.warn(`${what} NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does)`)
  return false
}

/** Launches Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** The web app served from a seeded database (fixtures/e2e, one user per role) and a browser. */
export interface WebAppInChromium {
  handle: DatabaseHandle
  server: TestServer
  users: RoleUsers
  browser: Browser
  /** Closes the browser, the server and the database. */
  close(): Promise<void>
}

/**
 * Opens a PGlite test database, seeds it (fixtures/e2e, then `options.seed`), starts the server on
 * it and launches Chromium.
 */
export async function startWebAppInChromium(
  options: { seed?: (handle: DatabaseHandle) => Promise<void> } = {},
): Promise<WebAppInChromium> {
  const { handle, cleanup } = await openTestDatabase(undefined)
  let server: TestServer | undefined
  try {
    await seedE2e(handle)
    await options.seed?.(handle)
    const users = await addRoleUsers(handle)
    server = await startTestServer(handle)
    const browser = await launchChromium()
    const started = server
    return {
      handle,
      server: started,
      users,
      browser,
      async close() {
        await browser.close()
        await started.close()
        await cleanup()
      },
    }
  } catch (error) {
    await server?.close()
    await cleanup()
    throw error
  }
}

/** Runs `use` on a page of a new browser context (its own cookies), closed afterwards. */
export async function withPage<T>(
  browser: Browser,
  options: BrowserContextOptions,
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options)
  try {
    return await use(await context.newPage())
  } finally {
    await context.close()
  }
}

/** Opens `next` as an anonymous user, is sent to the login page, signs in and lands on `next`. */
export async function signIn(
  page: Page,
  app: WebAppInChromium,
  role: keyof RoleUsers,
  next = '/worklist',
): Promise<void> {
  await page.goto(`${app.server.base}${next}`)
  await page.waitForURL(/\/login/)
  await page.getByLabel('Username').fill(app.users[role].username)
  await page.getByLabel('Password').fill(app.users[role].password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname === next)
}

/**
 * Collects what a user would see in the developer tools as a problem from now on: console errors
 * (a failed resource load, a CSP violation), uncaught page errors, responses of 400 and up, and
 * requests that failed. Each entry names the URL path it is about.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error')
      problems.push(`console error: ${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`)
  })
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${new URL(request.url()).pathname} (${request.failure()?.errorText})`),
  )
  return problems
}
