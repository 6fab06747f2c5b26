import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../../parsers/x12/segment.js'
import { components } from '../../../parsers/x12/segment.js'
import { componentAt, componentsOf, splitText } from '../../../parsers/x12/split-text.js'

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
