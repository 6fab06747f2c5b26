import type { Segment } from './segment.js'

/**
 * `text.split(separator)` for a non-empty separator, cut with `indexOf` and `slice`.
 *
 * Why: `String.prototype.split` goes through a V8 runtime call that costs more than cutting the
 * two or three components of an SVC01/SV101 composite by hand, and the assemblers do that for every
 * service line. The result is the same array `split` gives (tested against it).
 *
 * @example
 * ```ts
 * splitText('HC:J9267:JW', ':') // ['HC', 'J9267', 'JW']
 * ```
 */
export function splitText(text: string, separator: string): string[] {
  if (separator === '') return text.split(separator)
  const parts: string[] = []
  let start = 0
  let at = text.indexOf(separator)
  while (at >= 0) {
    parts.push(text.slice(start, at))
    start = at + separator.length
    at = text.indexOf(separator, start)
  }
  parts.push(start === 0 ? text : text.slice(start))
  return parts
}

/** Same result as `components()` from `segment.ts`, split with {@link splitText}. */
export function componentsOf(segment: Segment, n: number): string[] {
  const value = segment.elements[n]
  if (value === undefined || value === '') return []
  return splitText(value, segment.delimiters.component)
}

/**
 * Component `k` (0-based) of element `n`, or `''`: the same as `components(segment, n)[k] ?? ''`
 * without splitting the whole element (HI reads two components of up to twelve composites).
 */
export function componentAt(segment: Segment, n: number, k: number): string {
  const value = segment.elements[n]
  if (value === undefined || value === '') return ''
  const separator = segment.delimiters.component
  if (separator === '') return value.split(separator)[k] ?? ''
  let start = 0
  for (let i = 0; i < k; i++) {
    const at = value.indexOf(separator, start)
    if (at < 0) return ''
    start = at + separator.length
  }
  const end = value.indexOf(separator, start)
  return end < 0 ? (start === 0 ? value : value.slice(start)) : value.slice(start, end)
}

/**
 * `Number(text)`, read digit by digit when `text` is 1-15 ASCII digits (exact: below 2^53).
 *
 * Why: units, quantities, line numbers and HL ids are small integers on almost every line, and
 * `Number` on a string goes through a generic conversion; anything else (`1.5`, `''`, ` 3`) still
 * gets `Number(text)` itself, so the result is always the same.
 */
export function numberOf(text: string): number {
  const length = text.length
  if (length === 0 || length > 15) return Number(text)
  let value = 0
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return Number(text)
    value = value * 10 + digit
  }
  return value
}

/** A procedure composite (SVC01, SV101, SV202) as {@link readProcedure} leaves it. */
export interface ProcedureParts {
  /** Component 1 (`HC`), or `''`. */
  qualifier: string
  /** Component 2 (the code), or `''`. */
  code: string
  /** How many components the composite has (0 when the element is empty). */
  count: number
  /** Components 3-6, the modifiers, without the empty ones. */
  modifiers: string[]
}

/**
 * Reads a procedure composite into `into` (reused by the caller) without splitting it into an
 * array first: the same values as `componentsOf(segment, n)` gives for components 1-2, its length,
 * and the non-empty components 3-6. `into.modifiers` is a new array each time.
 */
export function readProcedure(segment: Segment, n: number, into: ProcedureParts): void {
  const value = segment.elements[n] ?? ''
  const separator = segment.delimiters.component
  into.modifiers = []
  if (value === '' || separator === '') {
    const parts = componentsOf(segment, n)
    into.qualifier = parts[0] ?? ''
    into.code = parts[1] ?? ''
    into.count = parts.length
    for (let i = 2; i < parts.length && i < 6; i++) {
      const modifier = parts[i] ?? ''
      if (modifier !== '') into.modifiers.push(modifier)
    }
    return
  }
  let at = value.indexOf(separator)
  if (at < 0) {
    into.qualifier = value
    into.code = ''
    into.count = 1
    return
  }
  into.qualifier = value.slice(0, at)
  let start = at + separator.length
  at = value.indexOf(separator, start)
  into.code = at < 0 ? value.slice(start) : value.slice(start, at)
  let count = 2
  while (at >= 0) {
    start = at + separator.length
    at = value.indexOf(separator, start)
    if (count < 6) {
      const modifier = at < 0 ? value.slice(start) : value.slice(start, at)
      if (modifier !== '') into.modifiers.push(modifier)
    }
    count++
  }
  into.count = count
}
