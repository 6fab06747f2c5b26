import fastJson from 'fast-json-stringify'
import { describe, expect, it } from 'vitest'
import { writeClaim835Record } from '../../../parsers/json/claim835-record-bytes.js'
import { JsonBytes } from '../../../parsers/json/json-bytes.js'
import { PARSE_RECORD_SCHEMAS, ParseRecordWriter } from '../../../parsers/json/parse-records.js'
import type { RemittanceClaim835 } from '../../../parsers/remittance835/remittance835.js'
import { parseRecordsOf } from '../../support/parse-records.js'
import { corpusEntries, fixtureFiles } from '../../support/x12-files.js'

/** The claim schema as `parse` compiles it without --positions: no `required`, no `position`. */
function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' || key === '$schema' || key === '$id') continue
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      const { position: _position, ...rest } = value as Record<string, unknown>
      out[key] = prune(rest)
      continue
    }
    out[key] = prune(value)
  }
  return out
}

const compiled = fastJson(prune(PARSE_RECORD_SCHEMAS.claim835) as Parameters<typeof fastJson>[0])

/** What the compiled serializer writes for the record of `claim`, as an NDJSON line. */
function expected(headerId: number, claim: RemittanceClaim835): string {
  const { header: _header, ...rest } = claim
  return `${compiled({ type: 'claim', header: headerId, ...rest })}\n`
}

/** What writeClaim835Record writes (after other text, as in a batch), or undefined when it declines. */
function written(headerId: number, claim: RemittanceClaim835): string | undefined {
  const out = new JsonBytes(16)
  out.ascii('before\n')
  const ok = writeClaim835Record(out, headerId, claim)
  const text = Buffer.from(out.take()).toString('utf8')
  if (!ok) {
    expect(text).toBe('before\n')
    return undefined
  }
  expect(text.startsWith('before\n')).toBe(true)
  return text.slice('before\n'.length)
}

const files = [
  ...fixtureFiles(),
  ...corpusEntries()
    .filter((e) => e.expect !== 'OOS' && /^835 /.test(e.type))
    .map((e) => e.path),
]

/** 837s too, for writeNdjson. */
const allFiles = [
  ...fixtureFiles(),
  ...corpusEntries()
    .filter((e) => e.expect !== 'OOS' && /^83[57] /.test(e.type))
    .map((e) => e.path),
]

function baseClaim(): RemittanceClaim835 {
  const { events } = parseRecordsOf(fixtureFiles().find((f) => f.endsWith('835-oncology.x12')) ?? '')
  const event = events.find((e) => e.type === 'claim835')
  if (event?.type !== 'claim835') throw new Error('fixture 835-oncology.x12 has no claim')
  return event.claim
}

describe('835 claim record bytes', () => {
  it('is the compiled serializer’s text for every claim of the fixtures and the corpus', () => {
    let claims = 0
    const failures: string[] = []
    for (const file of files) {
      for (const event of parseRecordsOf(file).events) {
        if (event.type !== 'claim835') continue
        claims++
        const text = written(3, event.claim)
        if (text !== expected(3, event.claim)) failures.push(`${file}: ${text}`)
      }
    }
    console.log(`835 claim record bytes: ${claims} claims of ${files.length} files compared`)
    expect(claims).toBeGreaterThan(10)
    expect(failures).toEqual([])
  })

  it('escapes as JSON.stringify does and leaves undefined fields out', () => {
    const claim = baseClaim()
    const odd: RemittanceClaim835 = {
      ...claim,
      claimId: 'A"B\\C',
      status: 'tab\there',
      payerClaimNumber: '\u0001',
      facilityCode: 'é😀\ud800',
      frequencyCode: undefined,
      patient: { lastName: undefined, firstName: undefined, memberId: undefined },
      references: { 'Q"': 'x', '1L': '', EA: 'a\nb' },
      remarkCodes: ['M15', 'N"1', '', 'a', 'b', 'c', 'd', 'e', 'f'],
      lines: [
        ...claim.lines,
        {
          ...(claim.lines[0] ?? ({} as RemittanceClaim835['lines'][number])),
          units: 1.5,
          modifiers: [],
          adjustments: [],
          allowed: undefined,
        },
      ],
      adjustments: [{ group: 'CO', carc: '45', amount: -0, quantity: 2.25, position: claim.position }],
    }
    expect(written(12, odd)).toBe(expected(12, odd))
  })

  it('leaves values the schema does not name to the compiled serializer, writing nothing', () => {
    const claim = baseClaim()
    for (const odd of [
      { ...claim, charge: 10.5 },
      { ...claim, status: 4 as unknown as string },
      { ...claim, patient: null as unknown as RemittanceClaim835['patient'] },
      { ...claim, remarkCodes: [null as unknown as string] },
      { ...claim, adjustments: [{ group: 'CO', carc: '45', amount: 100, quantity: Number.NaN }] },
    ] as RemittanceClaim835[]) {
      expect(written(1, odd)).toBeUndefined()
    }
  })
})

describe('JsonBytes', () => {
  it('writes numbers as String() does and grows past its first buffer', () => {
    const out = new JsonBytes(16)
    const values = [0, -0, 7, 10, 99, 100, 123456789, Number.MAX_SAFE_INTEGER, -5, 1.5, 1e21, 2 ** 60]
    for (const value of values) {
      out.number(value)
      out.ascii(',')
    }
    out.string('naïve "q" \\ \u0007 😀')
    expect(Buffer.from(out.take()).toString('utf8')).toBe(
      `${values.map((v) => `${v},`).join('')}${JSON.stringify('naïve "q" \\ \u0007 😀')}`,
    )
    expect(out.length).toBe(0)
  })
})

describe('ParseRecordWriter.writeNdjson', () => {
  it('writes the NDJSON lines of write() for every fixture and corpus file, with and without positions', () => {
    const failures: string[] = []
    for (const positions of [false, true]) {
      for (const file of allFiles) {
        const { events, texts } = parseRecordsOf(file, { positions })
        const writer = new ParseRecordWriter({ positions })
        const out = new JsonBytes(64)
        for (const event of events) writer.writeNdjson(event, out)
        const ndjson = Buffer.from(out.take()).toString('utf8')
        if (ndjson !== texts.map((t) => `${t}\n`).join('')) failures.push(`${file} positions=${positions}`)
      }
    }
    expect(failures).toEqual([])
  })
})
