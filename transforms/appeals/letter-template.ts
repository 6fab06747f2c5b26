import { AppealError } from './appeal-error.js'

/** A value a template can read: text, or a list of scopes for a `{{#section}}`. */
export type TemplateValue = string | readonly TemplateScope[]

/** Named values; a section's scope is searched first, then the enclosing ones. */
export interface TemplateScope {
  readonly [name: string]: TemplateValue
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; line: number; column: number }
  | { kind: 'section'; name: string; inverted: boolean; line: number; column: number; body: Node[] }

const TAG = /\{\{\s*([#^/!]?)\s*([^}]*?)\s*\}\}/g

/**
 * Renders a letter template. The syntax is a small, logic-free subset of Mustache, so that a
 * user can edit a letter without code:
 *
 * - `{{name}}` is replaced by a text value (names may contain dots: `{{claim.id}}`);
 * - `{{#list}}…{{/list}}` repeats its body for each element of a list, whose fields are read
 *   first (`{{code}}`), then the enclosing values;
 * - `{{^list}}…{{/list}}` is rendered once when the list is empty (or the text is blank);
 * - `{{! note }}` is a comment.
 *
 * A section or comment tag alone on its line takes the line with it. Nothing is escaped: values
 * are inserted as given. An unknown name, a list used as text, or an unclosed or stray section
 * throws `APPEAL_TEMPLATE` with the 1-based line and column of the tag.
 *
 * @example
 * ```ts
 * renderTemplate('{{#lines}}- {{code}}\n{{/lines}}', { lines: [{ code: 'J9271' }] }, 'letter.md')
 * // '- J9271\n'
 * ```
 */
export function renderTemplate(template: string, values: TemplateScope, name: string): string {
  const nodes = parseTemplate(template, name)
  const out: string[] = []
  renderNodes(nodes, [values], name, out)
  return out.join('')
}

/** Parses a template into its nodes; throws APPEAL_TEMPLATE on unbalanced sections. */
function parseTemplate(template: string, name: string): Node[] {
  const root: Node[] = []
  const stack: { node: Extract<Node, { kind: 'section' }>; parent: Node[] }[] = []
  let current = root
  let cursor = 0
  const where = (offset: number): { line: number; column: number } => {
    const before = template.slice(0, offset)
    const line = before.split('\n').length
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 }
  }
  TAG.lastIndex = 0
  for (let match = TAG.exec(template); match !== null; match = TAG.exec(template)) {
    const sigil = match[1] ?? ''
    const tagName = match[2] ?? ''
    let start = match.index
    let end = match.index + match[0].length
    if (sigil !== '') {
      // A standalone section or comment tag takes its whole line, newline included.
      const lineStart = template.lastIndexOf('\n', start - 1) + 1
      const newline = template.indexOf('\n', end)
      const lineEnd = newline < 0 ? template.length : newline + 1
      if (
        lineStart >= cursor &&
        template.slice(lineStart, start).trim() === '' &&
        template.slice(end, lineEnd).trim() === ''
      ) {
        start = lineStart
        end = lineEnd
      }
    }
    if (start > cursor) current.push({ kind: 'text', text: template.slice(cursor, start) })
    cursor = end
    TAG.lastIndex = Math.max(TAG.lastIndex, end)
    const position = where(match.index)
    if (sigil === '!') continue
    if (tagName === '')
      throw new AppealError(
        'APPEAL_TEMPLATE',
        `${name} line ${position.line} column ${position.column}: empty tag`,
        position,
      )
    if (sigil === '') {
      current.push({ kind: 'var', name: tagName, ...position })
    } else if (sigil === '#' || sigil === '^') {
      const node: Extract<Node, { kind: 'section' }> = {
        kind: 'section',
        name: tagName,
        inverted: sigil === '^',
        ...position,
        body: [],
      }
      current.push(node)
      stack.push({ node, parent: current })
      current = node.body
    } else {
      const open = stack.pop()
      if (open === undefined || open.node.name !== tagName)
        throw new AppealError(
          'APPEAL_TEMPLATE',
          `${name} line ${position.line} column ${position.column}: {{/${tagName}}} closes ${open === undefined ? 'no open section' : `{{#${open.node.name}}} (line ${open.node.line})`}`,
          position,
        )
      current = open.parent
    }
  }
  const unclosed = stack.at(-1)
  if (unclosed !== undefined)
    throw new AppealError(
      'APPEAL_TEMPLATE',
      `${name} line ${unclosed.node.line} column ${unclosed.node.column}: {{#${unclosed.node.name}}} is never closed`,
      { line: unclosed.node.line, column: unclosed.node.column },
    )
  if (cursor < template.length) current.push({ kind: 'text', text: template.slice(cursor) })
  return root
}

function lookup(scopes: readonly TemplateScope[], name: string): TemplateValue | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i]
    if (scope !== undefined && Object.hasOwn(scope, name)) return scope[name]
  }
  return undefined
}

function renderNodes(
  nodes: readonly Node[],
  scopes: readonly TemplateScope[],
  name: string,
  out: string[],
): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.text)
      continue
    }
    const value = lookup(scopes, node.name)
    const at = `${name} line ${node.line} column ${node.column}`
    if (value === undefined)
      throw new AppealError('APPEAL_TEMPLATE', `${at}: unknown placeholder "${node.name}"`, node)
    if (node.kind === 'var') {
      if (typeof value !== 'string')
        throw new AppealError(
          'APPEAL_TEMPLATE',
          `${at}: "${node.name}" is a list; repeat it with {{#${node.name}}}…{{/${node.name}}}`,
          node,
        )
      out.push(value)
      continue
    }
    const empty = typeof value === 'string' ? value.trim() === '' : value.length === 0
    if (node.inverted) {
      if (empty) renderNodes(node.body, scopes, name, out)
    } else if (typeof value === 'string') {
      if (!empty) renderNodes(node.body, scopes, name, out)
    } else {
      for (const element of value) renderNodes(node.body, [...scopes, element], name, out)
    }
  }
}
