import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCents } from '../../parsers/money.js'

/**
 * The reading `parseCents` had before it became a char-code loop, kept here as the reference: a
 * regular expression, `Number` on the parts, and the same rules (two decimals at most unless the
 * rest are zeros, a safe integer, no negative zero).
 */
function referenceParseCents(text: string): number | undefined {
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

/** Text shaped like an X12 amount, with the edge cases around it (signs, points, zeros, spaces). */
const amountLikeArb = fc
  .tuple(
    fc.constantFrom('', '', '', '-', '+', ' ', '--', '-+'),
    fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 }),
    fc.constantFrom('', '', '.', '.', 'e', ','),
    fc.string({ unit: fc.constantFrom(...'0000123456789'), maxLength: 5 }),
    fc.constantFrom('', '', '', ' ', '\t', 'x', '.', '\u00a0'),
  )
  .map(([sign, whole, point, fraction, tail]) => `${sign}${whole}${point}${fraction}${tail}`)

describe('parseCents', () => {
  it('reads X12 decimal amounts into integer cents', () => {
    expect(parseCents('1234.5')).toBe(123450)
    expect(parseCents('-0.07')).toBe(-7)
    expect(parseCents('.50')).toBe(50)
    expect(parseCents('+12')).toBe(1200)
    expect(parseCents('5.')).toBe(500)
    expect(parseCents('1.100')).toBe(110)
    expect(parseCents(' 42 ')).toBe(4200)
    expect(Object.is(parseCents('-0.00'), 0)).toBe(true)
  })

  it('rejects text that is not an amount or that cents cannot hold exactly', () => {
    for (const text of ['', '-', '.', '+.', '1.001', '1e3', '1,5', '12a', '- 1', '90071992547410'])
      expect(parseCents(text)).toBeUndefined()
    expect(parseCents('90071992547409.91')).toBe(9007199254740991)
  })

  it('gives the reference result on amount-like text', () => {
    fc.assert(
      fc.property(amountLikeArb, (text) => {
        expect(parseCents(text)).toBe(referenceParseCents(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('gives the reference result on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        expect(parseCents(text)).toBe(referenceParseCents(text))
      }),
      { numRuns: 2000 },
    )
  })
})
