import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Delimiters, Segment } from '../../../parsers/x12/segment.js'
import { SegmentTokenizer } from '../../../parsers/x12/segment-tokenizer.js'
import { formatIsa, formatSegment } from '../../../parsers/x12/segment-writer.js'
import { X12Error } from '../../../parsers/x12/x12-error.js'
import { CHUNK_SIZES, chunksOf, corpusEntries, fixtureFiles, repoRoot } from '../../support/x12-files.js'

const encoder = new TextEncoder()

type Outcome = { segments: Segment[]; error: { code: string; position: unknown } | undefined }

function tokenize(bytes: Uint8Array, size: number): Outcome {
  const tokenizer = new SegmentTokenizer()
  const segments: Segment[] = []
  try {
    for (const chunk of chunksOf(bytes, size)) segments.push(...tokenizer.write(chunk))
    segments.push(...tokenizer.end())
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    return { segments, error: { code: error.code, position: error.position } }
  }
  return { segments, error: undefined }
}

/** Tokenizes `bytes` cut at the given sorted points. */
function tokenizeAt(bytes: Uint8Array, points: number[]): Outcome {
  const tokenizer = new SegmentTokenizer()
  const segments: Segment[] = []
  try {
    let previous = 0
    for (const point of [...points, bytes.length]) {
      segments.push(...tokenizer.write(bytes.subarray(previous, point)))
      previous = point
    }
    segments.push(...tokenizer.end())
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    return { segments, error: { code: error.code, position: error.position } }
  }
  return { segments, error: undefined }
}

function tokenizeText(text: string): Segment[] {
  const outcome = tokenize(encoder.encode(text), Number.POSITIVE_INFINITY)
  if (outcome.error !== undefined) throw new Error(`unexpected ${outcome.error.code}`)
  return outcome.segments
}

function catchX12(run: () => unknown): X12Error {
  try {
    run()
  } catch (error) {
    if (error instanceof X12Error) return error
    throw error
  }
  throw new Error('expected an X12Error')
}

const ISA =
  'ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     *260115*1200*^*00501*000000001*0*T*:~'

describe('SegmentTokenizer delimiters', () => {
  it('reads the delimiters from the ISA and splits elements', () => {
    const segments = tokenizeText(`${ISA}GS*HC*A*B*20260115*1200*1*X*005010X222A1~`)
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS'])
    expect(segments[0]?.delimiters).toEqual({ element: '*', component: ':', repetition: '^', segment: '~' })
    expect(segments[0]?.elements).toHaveLength(17)
    expect(segments[0]?.elements[16]).toBe(':')
    expect(segments[1]?.elements).toEqual([
      'GS',
      'HC',
      'A',
      'B',
      '20260115',
      '1200',
      '1',
      'X',
      '005010X222A1',
    ])
  })

  it('counts separators instead of trusting fixed offsets (ISA not space-padded)', () => {
    const text =
      'ISA|00||00||ZZ|S|ZZ|R|260115|1200|{|00501|1|0|P|!\nGS|HC|S|R|20260115|1200|1|X|005010X222A1\n'
    const segments = tokenizeText(text)
    expect(segments[0]?.delimiters).toEqual({ element: '|', component: '!', repetition: '{', segment: '\n' })
    expect(segments[1]?.offset).toBe(text.indexOf('GS'))
    expect(segments[1]?.elements[8]).toBe('005010X222A1')
  })

  it('has no repetition separator for ISA11 = U, before 00501, or when ISA11 repeats ISA16', () => {
    const u = tokenizeText(ISA.replace('*^*00501', '*U*00501'))
    expect(u[0]?.delimiters.repetition).toBeUndefined()
    const old = tokenizeText(ISA.replace('*^*00501', '*^*00401'))
    expect(old[0]?.delimiters.repetition).toBeUndefined()
    const same = tokenizeText(ISA.replace('*^*00501', '*:*00501'))
    expect(same[0]?.delimiters.repetition).toBeUndefined()
  })

  it('takes CR or LF after ISA16 as the terminator itself and strips CR before an LF terminator', () => {
    const isa = ISA.slice(0, -1)
    const cr = tokenizeText(`${isa}\r\nGS*HC\r\nGE*0*1\r\n`)
    expect(cr[0]?.delimiters.segment).toBe('\r')
    expect(cr.map((s) => s.elements)).toEqual([expect.any(Array), ['GS', 'HC'], ['GE', '0', '1']])
    const lf = tokenizeText(`${isa}\nGS*HC\r\nGE*0*1\n`)
    expect(lf[0]?.delimiters.segment).toBe('\n')
    expect(lf[1]?.elements).toEqual(['GS', 'HC'])
  })

  it('skips a UTF-8 BOM, leading white space, line breaks and indentation, keeping byte offsets', () => {
    const text = `\uFEFF \r\n${ISA}\r\n  GS*HC~\r\n\r\n\tGE*0*1~\n`
    const bytes = encoder.encode(text)
    const segments = tokenizeText(text)
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'GE'])
    // The BOM is 3 bytes in UTF-8, then " \r\n".
    expect(segments[0]?.offset).toBe(6)
    const gsOffset = segments[1]?.offset ?? -1
    expect(String.fromCharCode(bytes[gsOffset] ?? 0, bytes[gsOffset + 1] ?? 0)).toBe('GS')
  })

  it('reads several interchanges with different delimiters and resets the segment index', () => {
    const second =
      'ISA|00|          |00|          |ZZ|S2             |ZZ|R2             |260115|1200|U|00501|000000002|0|T|>\n'
    const segments = tokenizeText(
      `${ISA}GS*HC~GE*0*1~IEA*1*000000001~\n${second}GS|HC|X>Y\nGE|0|2\nIEA|1|000000002\n`,
    )
    expect(segments.map((s) => `${s.id}:${s.index}`)).toEqual([
      'ISA:1',
      'GS:2',
      'GE:3',
      'IEA:4',
      'ISA:1',
      'GS:2',
      'GE:3',
      'IEA:4',
    ])
    expect(segments[5]?.delimiters).toEqual({
      element: '|',
      component: '>',
      repetition: undefined,
      segment: '\n',
    })
    expect(segments[5]?.elements).toEqual(['GS', 'HC', 'X>Y'])
  })

  it('numbers segments from ST (ST = 1, SE included, 0 outside a set)', () => {
    const segments = tokenizeText(`${ISA}GS*HC~ST*837*1~BHT*1~SE*3*1~ST*837*2~SE*2*2~GE*2*1~IEA*1*000000001~`)
    expect(segments.map((s) => `${s.id}${s.stIndex}`)).toEqual([
      'ISA0',
      'GS0',
      'ST1',
      'BHT2',
      'SE3',
      'ST1',
      'SE2',
      'GE0',
      'IEA0',
    ])
  })

  it('keeps byte offsets (not string indexes) with multi-byte UTF-8 text, at every chunk size', () => {
    const text = `${ISA}GS*HC~NM1*85*2*CLINIQUE DU CŒUR ÉTÉ~N3*RUE 😀 1~GE*0*1~`
    const bytes = encoder.encode(text)
    for (const size of CHUNK_SIZES) {
      const { segments } = tokenize(bytes, size)
      const n3 = segments.find((s) => s.id === 'N3')
      expect(n3?.elements[1]).toBe('RUE 😀 1')
      const ge = segments.find((s) => s.id === 'GE')
      const geOffset = ge?.offset ?? -1
      expect(new TextDecoder().decode(bytes.subarray(geOffset, geOffset + 2))).toBe('GE')
    }
  })

  it('keeps each segment’s text when asked (segmentText): its elements joined, at every chunk size', () => {
    const text = `${ISA}\r\nGS*HC~  NM1*85*2*CLINIQUE DU CŒUR ÉTÉ\r\n~N3*RUE 😀 1~\nREF*EI*12 34~GE*0*1~`
    const cases: Uint8Array[] = [
      encoder.encode(text),
      // Latin-1 bytes take the tokenizer's byte path.
      new Uint8Array([...encoder.encode(`${ISA}GS*HC~NM1*85*2*CAF`), 0xe9, ...encoder.encode('*X~GE*0*1~')]),
      ...fixtureFiles().map((file) => new Uint8Array(readFileSync(file))),
    ]
    let checked = 0
    for (const bytes of cases)
      for (const size of [1, 7, 64, 4096, Number.POSITIVE_INFINITY]) {
        const tokenizer = new SegmentTokenizer({ segmentText: true })
        const plain = new SegmentTokenizer()
        let kept: Segment[]
        let without: Segment[]
        try {
          kept = chunksOf(bytes, size).flatMap((chunk) => tokenizer.write(chunk))
          kept.push(...tokenizer.end())
          without = chunksOf(bytes, size).flatMap((chunk) => plain.write(chunk))
          without.push(...plain.end())
        } catch (error) {
          if (error instanceof X12Error) continue
          throw error
        }
        expect(kept.length).toBe(without.length)
        for (const [i, segment] of kept.entries()) {
          expect(segment.text).toBe(segment.elements.join(segment.delimiters.element))
          // Without the option a segment has the fields it always had.
          expect(Object.keys(without[i] as Segment)).not.toContain('text')
          expect({ ...segment, text: undefined }).toEqual(without[i])
          checked++
        }
      }
    expect(checked).toBeGreaterThan(1000)
  })

  it('reads bytes that are not UTF-8 as Latin-1 without losing offsets', () => {
    const head = encoder.encode(`${ISA}GS*HC~NM1*85*2*CAF`)
    const tail = encoder.encode('~GE*0*1~')
    const bytes = new Uint8Array([...head, 0xe9, ...tail])
    const { segments } = tokenize(bytes, 7)
    expect(segments.find((s) => s.id === 'NM1')?.elements[3]).toBe('CAFé')
    expect(segments.find((s) => s.id === 'GE')?.offset).toBe(head.length + 2)
  })
})

describe('SegmentTokenizer failures', () => {
  it('fails with X12_NO_ISA and the position of what it found', () => {
    const error = catchX12(() => {
      const t = new SegmentTokenizer()
      t.write(encoder.encode('\n\n  GS*HC*A~'))
      t.end()
    })
    expect(error.code).toBe('X12_NO_ISA')
    expect(error.position).toEqual({ offset: 4, segment: 0, stSegment: 0, segmentId: 'GS' })
  })

  it('fails with X12_NO_ISA on empty or white-space input, at its end', () => {
    const error = catchX12(() => {
      const t = new SegmentTokenizer()
      t.write(encoder.encode(' \r\n'))
      t.end()
    })
    expect(error.code).toBe('X12_NO_ISA')
    expect(error.position?.offset).toBe(3)
  })

  it('recognizes UTF-16 input instead of misreading it', () => {
    const utf16 = new Uint8Array([...'ISA*00*'].flatMap((c) => [c.charCodeAt(0), 0]))
    const error = catchX12(() => new SegmentTokenizer().write(utf16))
    expect(error.code).toBe('X12_NO_ISA')
    expect(error.position?.offset).toBe(0)
    expect(error.message).toContain('UTF-16')
  })

  it('fails with X12_TRUNCATED at the start of the unfinished segment', () => {
    const text = `${ISA}GS*HC~ST*837*1~CLM*A`
    const error = catchX12(() => {
      const t = new SegmentTokenizer()
      t.write(encoder.encode(text))
      t.end()
    })
    expect(error.code).toBe('X12_TRUNCATED')
    expect(error.position).toEqual({
      offset: text.indexOf('CLM'),
      segment: 4,
      stSegment: 2,
      segmentId: 'CLM',
    })
  })

  it('fails with X12_TRUNCATED inside the ISA', () => {
    const error = catchX12(() => {
      const t = new SegmentTokenizer()
      t.write(encoder.encode(ISA.slice(0, 50)))
      t.end()
    })
    expect(error.code).toBe('X12_TRUNCATED')
    expect(error.position).toEqual({ offset: 0, segment: 1, stSegment: 0, segmentId: 'ISA' })
  })

  it('accepts a white-space tail, and a last line without a newline when the terminator is a line break', () => {
    expect(tokenizeText(`${ISA}GS*HC~ \r\n\t`).map((s) => s.id)).toEqual(['ISA', 'GS'])
    const lines = tokenizeText(`${ISA.slice(0, -1)}\r\nGS*HC\r\nIEA*1*000000001`)
    expect(lines.map((s) => s.elements)).toEqual([expect.any(Array), ['GS', 'HC'], ['IEA', '1', '000000001']])
  })

  it('fails with X12_BAD_ISA on an ISA with fewer than 16 elements', () => {
    const text = 'ISA*00*          *00*          *ZZ*S*ZZ*R*260115*1200*^*00501*000000001~\nGS*HC~'
    const error = catchX12(() => new SegmentTokenizer().write(encoder.encode(text)))
    expect(error.code).toBe('X12_BAD_ISA')
    expect(error.position).toEqual({ offset: 0, segment: 1, stSegment: 0, segmentId: 'ISA' })
  })

  it('fails with X12_BAD_ISA when the terminator is a letter or a digit', () => {
    const error = catchX12(() => new SegmentTokenizer().write(encoder.encode(`${ISA.slice(0, -1)}GS*HC~`)))
    expect(error.code).toBe('X12_BAD_ISA')
    expect(error.position?.offset).toBe(0)
  })

  it('fails with X12_BAD_SEGMENT when no terminator comes within maxSegmentBytes', () => {
    const t = new SegmentTokenizer({ maxSegmentBytes: 100 })
    t.write(encoder.encode(`${ISA}GS*HC~`))
    const error = catchX12(() => {
      for (let i = 0; i < 20; i++) t.write(encoder.encode('NTE*ADD*xxxxxxxxxxxxxxxxxxxxxx'))
    })
    expect(error.code).toBe('X12_BAD_SEGMENT')
    expect(error.position).toEqual({ offset: ISA.length + 6, segment: 3, stSegment: 0, segmentId: '' })
  })
})

describe('SegmentTokenizer chunk invariance', () => {
  const files = [
    ...fixtureFiles(),
    ...corpusEntries()
      .map((e) => e.path)
      .filter((p) => !p.endsWith('.py')),
  ]

  it('has fixtures to test', () => {
    expect(fixtureFiles().length).toBeGreaterThanOrEqual(3)
  })

  for (const file of files) {
    it(`gives the same segments at chunk sizes ${CHUNK_SIZES.join(', ')}: ${path.relative(repoRoot, file)}`, () => {
      const bytes = readFileSync(file)
      const whole = tokenize(bytes, Number.POSITIVE_INFINITY)
      for (const size of CHUNK_SIZES) expect(tokenize(bytes, size)).toEqual(whole)
    })
  }
})

// ---------------------------------------------------------------------------------------------
// Property tests: random delimiters, random segments, random splits, serialize → parse.

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'].concat(['\n', '\r', '\x1d', '\x1e', '\x1f'])

const delimitersArb: fc.Arbitrary<Delimiters> = fc
  .shuffledSubarray(PUNCTUATION, { minLength: 4, maxLength: 4 })
  .filter((d) => !['\n', '\r'].includes(d[0] ?? '') && !['\n', '\r'].includes(d[1] ?? ''))
  .filter((d) => !['\n', '\r'].includes(d[2] ?? ''))
  .chain(([element = '*', component = ':', repetition = '^', segment = '~']) =>
    fc.boolean().map((withRepetition) => ({
      element,
      component,
      repetition: withRepetition ? repetition : undefined,
      segment,
    })),
  )

/** Element text: letters, digits, spaces inside, and some Unicode; never a delimiter or a line break. */
function valueArb(delimiters: Delimiters): fc.Arbitrary<string> {
  const used = new Set([
    delimiters.element,
    delimiters.component,
    delimiters.repetition,
    delimiters.segment,
    '\r',
    '\n',
  ])
  const char = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') },
    { weight: 1, arbitrary: fc.constantFrom(' ', '.', '-', 'é', 'Œ', '😀', ...PUNCTUATION) },
  )
  return fc
    .string({ unit: char, maxLength: 12 })
    .filter((s) => ![...used].some((d) => d !== undefined && s.includes(d)))
}

const segmentIdArb = fc.constantFrom(
  'BHT',
  'NM1',
  'N3',
  'N4',
  'CLM',
  'HI',
  'LX',
  'SV1',
  'DTP',
  'REF',
  'CLP',
  'CAS',
  'SVC',
)

const interchangeArb = delimitersArb.chain((delimiters) =>
  fc.record({
    delimiters: fc.constant(delimiters),
    segments: fc.array(
      fc
        .tuple(segmentIdArb, fc.array(valueArb(delimiters), { maxLength: 8 }))
        .map(([id, values]) => [id, ...values]),
      { maxLength: 30 },
    ),
    separator: fc.constantFrom('', '\n', '\r\n', '\n  '),
  }),
)

function serialize(delimiters: Delimiters, segments: string[][], separator: string): string {
  const lineBreak = delimiters.segment === '\n' || delimiters.segment === '\r' ? '' : separator
  let text = formatIsa(
    { senderId: 'SUBMITTER', receiverId: 'RECEIVER', date: '260115', time: '1200', control: '1' },
    delimiters,
    { lineBreak },
  )
  for (const elements of segments) text += formatSegment(elements, delimiters, { lineBreak })
  return text
}

describe('SegmentTokenizer properties', () => {
  it('parses what the writer serialized, whatever the delimiters and the split', () => {
    fc.assert(
      fc.property(
        interchangeArb,
        fc.array(fc.nat({ max: 400 }), { maxLength: 12 }),
        ({ delimiters, segments, separator }, cuts) => {
          const text = serialize(delimiters, segments, separator)
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
          expect(out[0]?.delimiters).toEqual(delimiters)
          expect(out.slice(1).map((s) => s.elements)).toEqual(segments)
          // Offsets point at the segment id in the bytes.
          for (const segment of out) {
            const at = new TextDecoder().decode(
              bytes.subarray(segment.offset, segment.offset + segment.id.length),
            )
            expect(at).toBe(segment.id)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('gives identical output for any split of a fixture', () => {
    const files = fixtureFiles()
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(fc.nat(), { maxLength: 40 }), (file, cuts) => {
        const bytes = readFileSync(file)
        const whole = tokenize(bytes, Number.POSITIVE_INFINITY)
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        expect(tokenizeAt(bytes, points)).toEqual(whole)
      }),
      { numRuns: 100 },
    )
  })
})

describe('SegmentTokenizer writeTo', () => {
  it('hands a sink the same segments, in order, that write and end return, at every chunk size', () => {
    const files = fixtureFiles().filter((file) => /\.(x12|835|837|edi|txt)$/i.test(file))
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const size of CHUNK_SIZES) {
        const expected = tokenize(bytes, size)
        const tokenizer = new SegmentTokenizer()
        const received: Segment[] = []
        const sink = { push: (segment: Segment) => received.push(segment) }
        let code: string | undefined
        try {
          for (const chunk of chunksOf(bytes, size)) tokenizer.writeTo(chunk, sink)
          tokenizer.endTo(sink)
        } catch (error) {
          if (!(error instanceof X12Error)) throw error
          code = error.code
        }
        expect(code, `${path.basename(file)} at ${size}`).toBe(expected.error?.code)
        // A failing chunk may have passed on segments before the failure; `write` drops them.
        expect(received.slice(0, expected.segments.length), `${path.basename(file)} at ${size}`).toEqual(
          expected.segments,
        )
        if (code === undefined) expect(received).toHaveLength(expected.segments.length)
      }
    }
  })
})
