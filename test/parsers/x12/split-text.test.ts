import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../../parsers/x12/segment.js'
import { components } from '../../../parsers/x12/segment.js'
import type { ProcedureParts } from '../../../parsers/x12/split-text.js'
import {
  componentAt,
  componentsOf,
  numberOf,
  readProcedure,
  splitText,
} from '../../../parsers/x12/split-text.js'

const textArb = fc.string({ unit: fc.constantFrom(...'AB:^*~ 1é'), maxLength: 20 })

describe('splitText', () => {
  it('cuts a composite into its components', () => {
    expect(splitText('HC:J9267:JW', ':')).toEqual(['HC', 'J9267', 'JW'])
    expect(splitText('', ':')).toEqual([''])
    expect(splitText('::', ':')).toEqual(['', '', ''])
  })

  it('gives what String.prototype.split gives, for one- and several-character separators', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.string({ unit: fc.constantFrom(...':^*A'), maxLength: 3 }),
        (text, separator) => {
          expect(splitText(text, separator)).toEqual(text.split(separator))
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('componentsOf', () => {
  it('gives what components() gives for any element', () => {
    fc.assert(
      fc.property(fc.array(textArb, { maxLength: 6 }), fc.nat({ max: 8 }), (values, n) => {
        const segment: Segment = {
          id: 'SV1',
          elements: ['SV1', ...values],
          offset: 0,
          index: 1,
          stIndex: 1,
          delimiters: { element: '*', component: ':', repetition: '^', segment: '~' },
        }
        expect(componentsOf(segment, n)).toEqual(components(segment, n))
      }),
      { numRuns: 1000 },
    )
  })
})

describe('componentAt', () => {
  it('gives components()[k] ?? "" for any element and index', () => {
    fc.assert(
      fc.property(
        fc.array(textArb, { maxLength: 6 }),
        fc.nat({ max: 8 }),
        fc.nat({ max: 4 }),
        fc.constantFrom(':', '^', 'AB'),
        (values, n, k, component) => {
          const segment: Segment = {
            id: 'HI',
            elements: ['HI', ...values],
            offset: 0,
            index: 1,
            stIndex: 1,
            delimiters: { element: '*', component, repetition: undefined, segment: '~' },
          }
          expect(componentAt(segment, n, k)).toBe(components(segment, n)[k] ?? '')
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('readProcedure', () => {
  const segmentOf = (value: string | undefined, component: string): Segment => ({
    id: 'SVC',
    elements: value === undefined ? ['SVC'] : ['SVC', value],
    offset: 0,
    index: 1,
    stIndex: 1,
    delimiters: { element: '*', component, repetition: undefined, segment: '~' },
  })

  it('reads the qualifier, the code and the non-empty modifiers 3-6', () => {
    const into: ProcedureParts = { qualifier: '', code: '', count: 0, modifiers: [] }
    readProcedure(segmentOf('HC:J9267::JW:X:Y:Z', ':'), 1, into)
    expect(into).toEqual({ qualifier: 'HC', code: 'J9267', count: 7, modifiers: ['JW', 'X', 'Y'] })
    const previous = into.modifiers
    readProcedure(segmentOf('HC', ':'), 1, into)
    expect(into).toEqual({ qualifier: 'HC', code: '', count: 1, modifiers: [] })
    expect(previous).toEqual(['JW', 'X', 'Y'])
  })

  it('agrees with components() for any composite', () => {
    fc.assert(
      fc.property(
        fc.option(textArb, { nil: undefined }),
        fc.constantFrom(':', '^', 'AB'),
        (value, component) => {
          const segment = segmentOf(value, component)
          const parts = components(segment, 1)
          const into: ProcedureParts = { qualifier: 'old', code: 'old', count: -1, modifiers: ['old'] }
          readProcedure(segment, 1, into)
          expect(into).toEqual({
            qualifier: parts[0] ?? '',
            code: parts[1] ?? '',
            count: parts.length,
            modifiers: parts.slice(2, 6).filter((modifier) => modifier !== ''),
          })
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('numberOf', () => {
  it('reads digit strings and leaves everything else to Number', () => {
    expect(numberOf('300')).toBe(300)
    expect(numberOf('007')).toBe(7)
    expect(numberOf('')).toBe(0)
    expect(numberOf('1.5')).toBe(1.5)
    expect(numberOf(' 3')).toBe(3)
    expect(numberOf('12345678901234567890')).toBe(1.2345678901234567e19)
    expect(numberOf('x')).toBeNaN()
  })

  it('gives what Number gives for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.-+e x'), maxLength: 18 }), (text) => {
        expect(Object.is(numberOf(text), Number(text))).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })
})
