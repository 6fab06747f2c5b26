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
