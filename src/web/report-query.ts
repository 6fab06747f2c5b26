import { isValidIsoDate } from '../../parsers/dates.js'
import type { ReportRange } from '../rework/reports.js'

/** `from`/`to` of a report's query string: ISO dates, empty meaning an open end. */
export interface RangeQuery {
  from?: string | undefined
  to?: string | undefined
}

const DATE_OR_EMPTY = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' } as const

/** JSON schema of {@link RangeQuery}'s fields. */
export const RANGE_PROPERTIES = { from: DATE_OR_EMPTY, to: DATE_OR_EMPTY } as const

/** The report range of a query, or the reason it is not one (a date that does not exist, from after to). */
export function rangeOf(query: RangeQuery): { range: ReportRange } | { error: string } {
  const from = query.from === '' ? undefined : query.from
  const to = query.to === '' ? undefined : query.to
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (value !== undefined && !isValidIsoDate(value)) return { error: `${name} "${value}" is not a date` }
  if (from !== undefined && to !== undefined && from > to) return { error: `from ${from} is after to ${to}` }
  return { range: { from, to } }
}
