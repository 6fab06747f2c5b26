/**
 * Normalizes an NDC to the 11-digit 5-4-2 form billed on the 837 (LIN03 with LIN02 = N4), without
 * hyphens. The FDA's 10-digit forms are padded with a leading zero on the short group: 4-4-2 →
 * 0xxxx-xxxx-xx, 5-3-2 → xxxxx-0xxx-xx, 5-4-1 → xxxxx-xxxx-0x (CMS "NDC billing format" and
 * CMS ASP NDC-HCPCS crosswalk NDC2 column; 005010X222A1 loop 2410 LIN03). An unhyphenated 11-digit value is taken as is; anything else (an unhyphenated
 * 10-digit value is ambiguous, device and skin-substitute ids in the ASP crosswalk) is `undefined`.
 *
 * @example
 * normalizeNdc('0069-0076-01') // '00069007601'
 * normalizeNdc('00069-0076-01') // '00069007601'
 * normalizeNdc('NSD-020404') // undefined
 */
export function normalizeNdc(text: string): string | undefined {
  const value = text.trim()
  if (/^\d{11}$/.test(value)) return value
  const groups = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(value)
  if (groups === null) return undefined
  const [, labeler = '', product = '', pack = ''] = groups
  const padded = `${labeler.padStart(5, '0')}${product.padStart(4, '0')}${pack.padStart(2, '0')}`
  // Only one group may be short: 4-3-2 or 4-4-1 are not FDA configurations.
  const shortGroups = Number(labeler.length === 4) + Number(product.length === 3) + Number(pack.length === 1)
  return shortGroups <= 1 ? padded : undefined
}
