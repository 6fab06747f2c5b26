import type { IsoDate } from '../parsers/dates.js'

/** Today's date in UTC: the default of every `--as-of` and of deadline arithmetic. */
export function today(): IsoDate {
  return new Date().toISOString().slice(0, 10)
}
