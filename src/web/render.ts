import type { Child } from 'hono/jsx'

/** Renders JSX (hono/jsx: text and attributes escaped) to an HTML string. */
export async function renderHtml(node: Child): Promise<string> {
  return String(await (node ?? ''))
}

/** A whole page: the doctype and the rendered layout. */
export async function renderDocument(node: Child): Promise<string> {
  return `<!doctype html>${await renderHtml(node)}`
}
