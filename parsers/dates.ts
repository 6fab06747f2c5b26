/**
 * Dates travel as ISO strings `YYYY-MM-DD` (what X12 D8 `CCYYMMDD` means), so they compare with
 * `<` and serialize to JSON without time zones.
 */
export type IsoDate = string

/**
 * Parses an X12 `D8` date (`CCYYMMDD`) into `YYYY-MM-DD`; `undefined` when it is not a real date.
 *
 * It runs for every date of every claim, so it reads char codes and checks the calendar with
 * arithmetic instead of a regular expression and a `Date` (proleptic Gregorian, as `Date` is).
 */
export function parseD8(text: string): IsoDate | undefined {
  const value = d8Number(text)
  return value < 0 ? undefined : isoOfD8(text, value)
}

/**
 * {@link parseD8} behind a cache keyed by the date as a number, for a parser that reads many dates:
 * an 835 or 837 repeats a handful of dates thousands of times, and a hit hands back the same ISO
 * string instead of building a new one. The cache is cleared past `limit` entries (memory stays flat).
 *
 * @example
 * ```ts
 * const dates = new D8Parser()
 * dates.parse('20260115') // '2026-01-15'
 * ```
 */
export class D8Parser {
  readonly #cache = new Map<number, IsoDate>()
  readonly #limit: number

  constructor(limit = 1024) {
    this.#limit = limit
  }

  /** Same result as {@link parseD8}. */
  parse(text: string): IsoDate | undefined {
    const value = d8Number(text)
    if (value < 0) return undefined
    const cache = this.#cache
    const hit = cache.get(value)
    if (hit !== undefined) return hit
    const iso = isoOfD8(text, value)
    // Only real dates are kept: a bad one is rare and is answered without allocating anyway.
    if (iso !== undefined) {
      if (cache.size >= this.#limit) cache.clear()
      cache.set(value, iso)
    }
    return iso
  }
}

/** The eight digits of a D8 as a number, or -1 when `text` is not exactly eight ASCII digits. */
function d8Number(text: string): number {
  if (text.length !== 8) return -1
  let value = 0
  for (let i = 0; i < 8; i++) {
    const digit = text.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/** `YYYY-MM-DD` of an eight-digit D8 whose number is `value`, when it names a real day. */
function isoOfD8(text: string, value: number): IsoDate | undefined {
  if (!isRealD8(value)) return undefined
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
}

/**
 * True when `value`, the eight digits of a D8 read as a number (`20260115`), names a real day: what
 * {@link parseD8} accepts, for a reader that reads the digits from bytes.
 */
export function isRealD8(value: number): boolean {
  const year = Math.floor(value / 10_000)
  const month = Math.floor(value / 100) % 100
  const day = value % 100
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Days in `month` (1-12) of `year` in the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** True when `iso` is `YYYY-MM-DD` and names a real calendar day. */
export function isValidIsoDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false
  const date = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso
}

/** Adds calendar days to an ISO date. */
export function addDays(iso: IsoDate, days: number): IsoDate {
  const date = new Date(`${iso}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** Adds calendar months, clamping to the month's last day (2025-01-31 + 1 month → 2025-02-28). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const [y, m, d] = iso.split('-').map(Number)
  const year = y ?? 1970
  const month = (m ?? 1) - 1 + months
  const target = new Date(Date.UTC(year, month, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d ?? 1, lastDay))
  return target.toISOString().slice(0, 10)
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)
  return Math.round(ms / 86_400_000)
}
