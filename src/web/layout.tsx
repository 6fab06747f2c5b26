import type { Child } from 'hono/jsx'
import { allows } from './roles.js'
import type { NavEntry, WebUser } from './web-context.js'

/** What the layout needs to draw a page for a signed-in (or anonymous) user. */
export interface LayoutProps {
  title: string
  user: WebUser | undefined
  /** The CSRF token htmx sends as x-csrf-token on every request (`hx-headers:inherited`). */
  csrfToken: string | undefined
  nav: readonly NavEntry[]
  /** The path of the page, to mark its navigation entry. */
  current?: string
  children?: Child
}

/**
 * The page frame: navigation (the entries the user's role may open), who is signed in, and the
 * content. htmx is served from the package (/static/htmx.min.js); the CSRF header is set on
 * <body> with `hx-headers:inherited` (htmx 4 inherits only attributes marked so).
 */
export function Layout(props: LayoutProps) {
  const { user } = props
  const headers =
    props.csrfToken === undefined ? undefined : JSON.stringify({ 'x-csrf-token': props.csrfToken })
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
        <title>{`${props.title} · onco-edi`}</title>
        {/* No icon: without this link the browser asks for /favicon.ico, a 404 in its console. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/htmx.min.js" defer></script>
      </head>
      <body {...(headers === undefined ? {} : { 'hx-headers:inherited': headers })}>
        <header class="top">
          <a class="brand" href="/">
            onco-edi
          </a>
          {user === undefined ? null : (
            <nav aria-label="Main">
              {props.nav
                .filter((entry) => allows(entry.access, user.role))
                .map((entry) => (
                  <a href={entry.path} {...(entry.path === props.current ? { 'aria-current': 'page' } : {})}>
                    {entry.label}
                  </a>
                ))}
            </nav>
          )}
          {user === undefined ? null : (
            <form class="who" method="post" action="/logout">
              <span>
                {user.username} ({user.role})
              </span>
              {props.csrfToken === undefined ? null : (
                <input type="hidden" name="_csrf" value={props.csrfToken} />
              )}
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  )
}
