/**
 * Money is integer cents in a JS number.
 *
 * Why: X12 amounts (CLM02, CLP03/04, CAS03, BPR02) carry at most two decimals in practice, sums of
 * integers below 2^53 are exact (that is ±90 trillion dollars), arithmetic stays in the fast path
 * of V8, and PostgreSQL stores them as `bigint` cents with no conversion. A binary float total is
 * never formed: amounts are parsed from their decimal text straight into cents.
 */
export type Cents = number

/**
 * Parses an X12 decimal amount (`R` type: `"1234.5"`, `"-12"`, `".50"`) into integer cents.
 * Returns `undefined` for text that is not a decimal number or that has non-zero digits past the
 * second decimal place (those cannot be held as cents exactly).
 *
 * @example
 * ```ts
 * parseCents('1234.5') // 123450
 * parseCents('-0.07') // -7
 * ```
 */
export function parseCents(text: string): Cents | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim())
  if (match === null) return undefined
  const sign = match[1] === '-' ? -1 : 1
  const whole = match[2] ?? ''
  const fraction = match[3] ?? ''
  if (whole === '' && fraction === '') return undefined
  if (fraction.length > 2 && !/^0*$/.test(fraction.slice(2))) return undefined
  const cents = Number(whole === '' ? '0' : whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'))
  if (!Number.isSafeInteger(cents)) return undefined
  return sign * cents === 0 ? 0 : sign * cents
}

/** Formats cents as a decimal string with two places: `123450` → `"1234.50"`. */
export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const whole = Math.trunc(abs / 100)
  const fraction = String(abs % 100).padStart(2, '0')
  return `${sign}${whole}.${fraction}`
}

/**
 * Formats cents the way X12 writes amounts: no trailing zeros, no leading zero before a point.
 * `123450` → `"1234.5"`, `100` → `"1"`.
 */
export function formatX12Amount(cents: Cents): string {
  const text = formatCents(cents)
  return text.replace(/\.?0+$/, '').replace(/^(-?)$/, '$10') || '0'
}
