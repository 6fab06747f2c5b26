/**
 * Dates travel as ISO strings `YYYY-MM-DD` (what X12 D8 `CCYYMMDD` means), so they compare with
 * `<` and serialize to JSON without time zones.
 */
export type IsoDate = string

/** Parses an X12 `D8` date (`CCYYMMDD`) into `YYYY-MM-DD`; `undefined` when it is not a real date. */
export function parseD8(text: string): IsoDate | undefined {
  if (!/^\d{8}$/.test(text)) return undefined
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  return isValidIsoDate(iso) ? iso : undefined
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
