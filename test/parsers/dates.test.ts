import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { D8Parser, parseD8 } from '../../parsers/dates.js'

/** The reading `parseD8` had before it became arithmetic: a regular expression and a `Date` round trip. */
function referenceParseD8(text: string): string | undefined {
  if (!/^\d{8}$/.test(text)) return undefined
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  const date = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined
}

/** Eight digits around real and unreal days: month 00-13, day 00-32, leap and century years. */
const d8LikeArb = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400, 0)),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(
    ([year, month, day]) =>
      `${String(year).padStart(4, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
  )

describe('parseD8', () => {
  it('reads CCYYMMDD into YYYY-MM-DD and rejects days that do not exist', () => {
    expect(parseD8('20260115')).toBe('2026-01-15')
    expect(parseD8('20240229')).toBe('2024-02-29')
    expect(parseD8('20000229')).toBe('2000-02-29')
    expect(parseD8('21000229')).toBeUndefined()
    expect(parseD8('20250431')).toBeUndefined()
    expect(parseD8('20251301')).toBeUndefined()
    expect(parseD8('2025011')).toBeUndefined()
    expect(parseD8('2025-1-1')).toBeUndefined()
    expect(parseD8('２０２５０１０１')).toBeUndefined()
  })

  it('gives the reference result on eight-digit dates, real or not', () => {
    fc.assert(
      fc.property(d8LikeArb, (text) => {
        expect(parseD8(text)).toBe(referenceParseD8(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('gives the reference result on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (text) => {
        expect(parseD8(text)).toBe(referenceParseD8(text))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('D8Parser', () => {
  it('answers as parseD8, through its cache and after the cache is cleared', () => {
    const dates = new D8Parser(8)
    fc.assert(
      fc.property(fc.array(fc.oneof(d8LikeArb, fc.string({ maxLength: 9 })), { maxLength: 40 }), (texts) => {
        for (const text of [...texts, ...texts]) expect(dates.parse(text)).toBe(parseD8(text))
      }),
      { numRuns: 300 },
    )
  })
})
