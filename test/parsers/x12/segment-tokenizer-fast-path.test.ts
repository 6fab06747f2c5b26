import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../../parsers/x12/segment.js'
import { SegmentTokenizer } from '../../../parsers/x12/segment-tokenizer.js'

/**
 * The ASCII fast path cuts elements straight out of a chunk's text and hands out shared strings for
 * segment ids. This checks it against the plainest reading of an interchange: split the text on the
 * terminator, drop the white space before a segment and the line breaks before its terminator, split
 * on the element separator.
 */

const encoder = new TextEncoder()
const ISA =
  'ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     *260115*1200*^*00501*000000001*0*T*:~'

/** Segment ids: known ones, unknown but valid ones, and text that is not an id at all. */
const idArb = fc.oneof(
  fc.constantFrom('CLP', 'CAS', 'SVC', 'NM1', 'DTM', 'REF', 'ST', 'SE', 'LX', 'HL', 'CLM', 'SV1'),
  fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'), minLength: 2, maxLength: 3 }),
  fc.string({ unit: fc.constantFrom(...'Aab9-. '), maxLength: 5 }).filter((id) => !id.startsWith(' ')),
)
const valueArb = fc.string({ unit: fc.constantFrom(...'AZ09 .-:^'), maxLength: 15 })
const segmentArb = fc
  .tuple(idArb, fc.array(valueArb, { maxLength: 6 }))
  .map(([id, values]) => [id, ...values])
const documentArb = fc.record({
  segments: fc.array(segmentArb, { maxLength: 40 }),
  before: fc.array(fc.constantFrom('', '', '\n', '\r\n', '  ', '\t'), { maxLength: 40 }),
  after: fc.array(fc.constantFrom('', '', '\r', '\n', '\r\n'), { maxLength: 40 }),
  cuts: fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }),
})

function reference(text: string): Array<Pick<Segment, 'id' | 'elements' | 'offset'>> {
  const out: Array<Pick<Segment, 'id' | 'elements' | 'offset'>> = []
  let at = ISA.length
  for (const piece of text.slice(ISA.length).split('~')) {
    let start = 0
    while (start < piece.length && piece.charCodeAt(start) <= 0x20) start++
    let stop = piece.length
    while (stop > start && (piece[stop - 1] === '\r' || piece[stop - 1] === '\n')) stop--
    if (start < piece.length) {
      const elements = piece.slice(start, stop).split('*')
      out.push({ id: elements[0] ?? '', elements, offset: at + start })
    }
    at += piece.length + 1
  }
  return out
}

describe('SegmentTokenizer ASCII fast path', () => {
  it('cuts the same elements, ids and offsets as split() would, at any chunking', () => {
    fc.assert(
      fc.property(documentArb, ({ segments, before, after, cuts }) => {
        let text = ISA
        segments.forEach((elements, i) => {
          text += `${before[i] ?? ''}${elements.join('*')}${after[i] ?? ''}~`
        })
        const bytes = encoder.encode(text)
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const tokenizer = new SegmentTokenizer()
        const out: Segment[] = []
        let previous = 0
        for (const point of [...points, bytes.length]) {
          out.push(...tokenizer.write(bytes.subarray(previous, point)))
          previous = point
        }
        out.push(...tokenizer.end())
        expect(out.slice(1).map(({ id, elements, offset }) => ({ id, elements, offset }))).toEqual(
          reference(text),
        )
        for (const segment of out) expect(segment.id).toBe(segment.elements[0])
      }),
      { numRuns: 1000 },
    )
  })
})
