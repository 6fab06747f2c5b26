/**
 * `"2283950.56"` → `"2,283,950.56"`: a plain decimal (as formatCents writes amounts and the
 * report tables write counts) with its thousands grouped, for reading on a page. Anything else
 * (`50.00%`, `—`, a key) comes back unchanged. CSV and the API keep the plain form.
 */
export function groupDigits(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text)
  if (match === null) return text
  const [, sign = '', whole = '', fraction = ''] = match
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`
}

/** `"2283950.56"` → `"$2,283,950.56"`, `"-12.00"` → `"-$12.00"`: an amount of formatCents on a page. */
export function dollars(amount: string): string {
  const grouped = groupDigits(amount)
  return grouped.startsWith('-') ? `-$${grouped.slice(1)}` : `$${grouped}`
}
