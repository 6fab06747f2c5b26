import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import type { WriteClaims837Options } from '../../../parsers/claim837/claim837-writer.js'
import { envelopeShape837, writeClaims837 } from '../../../parsers/claim837/claim837-writer.js'
import type { Segment } from '../../../parsers/x12/segment.js'
import { X12Error } from '../../../parsers/x12/x12-error.js'
import type { X12Event } from '../../../parsers/x12-event.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import { readX12Events, x12Fixture } from '../../support/golden.js'

function claimsOf(events: X12Event[]): Claim837[] {
  return events.flatMap((e) => (e.type === 'claim837' ? [e.claim] : []))
}

function read(text: string): X12Event[] {
  const reader = new X12Reader()
  return [...reader.write(new TextEncoder().encode(text)), ...reader.end()]
}

/** A claim without what legitimately changes on a rewrite: envelope ids, positions, source segments. */
function comparable(claim: Claim837): unknown {
  return JSON.parse(
    JSON.stringify({ ...claim, envelope: undefined, source: undefined }, (key, value) =>
      key === 'position' ? undefined : value,
    ),
  )
}

const professional = claimsOf(readX12Events(x12Fixture('837p-oncology.x12')))
const institutional = claimsOf(readX12Events(x12Fixture('837i-oncology.x12')))
const options = {
  senderId: 'RIVERBENDONC',
  receiverId: 'EXAMPLECH',
  interchangeControl: 777,
  date: '2026-03-02',
  time: '0815',
}

function segmentLines(text: string): string[] {
  return text.split('~\n').filter((s) => s !== '')
}

function expectCleanEnvelopes(events: X12Event[]): void {
  const problems = events.flatMap((e) =>
    e.type === 'transaction-end' || e.type === 'interchange-end'
      ? e.issues
      : e.type === 'issue'
        ? [e.issue]
        : [],
  )
  expect(problems).toEqual([])
}

function find(claims: Claim837[], id: string): Claim837 {
  const claim = claims.find((c) => c.claimId === id)
  if (claim === undefined) throw new Error(`no claim ${id}`)
  return claim
}

describe('writeClaims837', () => {
  it('round-trips the 837P fixture: parse → write → parse gives equal claims and clean envelopes', () => {
    const text = writeClaims837(professional, options)
    const events = read(text)
    expectCleanEnvelopes(events)
    expect(claimsOf(events).map(comparable)).toEqual(professional.map(comparable))
    // the same HL tree as the original: 4 HLs, the patient loop under the second subscriber
    expect(segmentLines(text).filter((s) => s.startsWith('HL*'))).toEqual([
      'HL*1**20*1',
      'HL*2*1*22*0',
      'HL*3*1*22*1',
      'HL*4*3*23*0',
    ])
  })

  it('round-trips the 837I fixture', () => {
    const events = read(writeClaims837(institutional, { ...options, usage: 'T' }))
    expectCleanEnvelopes(events)
    expect(claimsOf(events).map(comparable)).toEqual(institutional.map(comparable))
    const start = events.find((e) => e.type === 'transaction-start')
    expect(start?.type === 'transaction-start' && start.envelope.implementation).toBe('005010X223A2')
  })

  it('writes a fixed-width ISA and correct SE01/GE01/IEA01 counts and control numbers', () => {
    const text = writeClaims837([...professional, ...institutional], options)
    const lines = segmentLines(text)
    const isa = lines[0] ?? ''
    expect(isa).toHaveLength(105)
    expect(isa).toBe(
      'ISA*00*          *00*          *ZZ*RIVERBENDONC   *ZZ*EXAMPLECH      *260302*0815*^*00501*000000777*0*P*:',
    )
    expect(lines.filter((s) => s.startsWith('GS*'))).toEqual([
      'GS*HC*RIVERBENDONC*EXAMPLECH*20260302*0815*1*X*005010X222A1',
      'GS*HC*RIVERBENDONC*EXAMPLECH*20260302*0815*2*X*005010X223A2',
    ])
    expect(lines.filter((s) => /^(ST|SE|GE|IEA)\*/.test(s))).toEqual([
      'ST*837*0001*005010X222A1',
      'SE*115*0001',
      'GE*1*1',
      'ST*837*0002*005010X223A2',
      'SE*64*0002',
      'GE*1*2',
      'IEA*2*000000777',
    ])
    const events = read(text)
    expectCleanEnvelopes(events)
    expect(claimsOf(events).map((c) => `${c.kind} ${c.claimId}`)).toEqual([
      '837P ONC-P-1001',
      '837P ONC-P-1002',
      '837P ONC-P-1003',
      '837P ONC-P-1004',
      '837I ONC-I-2001',
      '837I ONC-I-2002',
    ])
  })

  it('renumbers HLs for a subset and keeps claims under a shared loop together', () => {
    const subset = [find(professional, 'ONC-P-1003'), find(professional, 'ONC-P-1004')]
    const text = writeClaims837(subset, options)
    expect(segmentLines(text).filter((s) => s.startsWith('HL*'))).toEqual([
      'HL*1**20*1',
      'HL*2*1*22*1',
      'HL*3*2*23*0',
    ])
    const claims = claimsOf(read(text))
    expect(claims.map((c) => c.patient?.relationship)).toEqual(['01', '01'])

    // a subscriber-is-patient claim written after a patient-loop claim gets a fresh subscriber HL
    const mixed = writeClaims837(
      [find(professional, 'ONC-P-1003'), find(professional, 'ONC-P-1001')],
      options,
    )
    expect(segmentLines(mixed).filter((s) => s.startsWith('HL*'))).toEqual([
      'HL*1**20*1',
      'HL*2*1*22*1',
      'HL*3*2*23*0',
      'HL*4*1*22*0',
    ])
    expect(claimsOf(read(mixed)).map((c) => [c.claimId, c.patient === undefined])).toEqual([
      ['ONC-P-1003', false],
      ['ONC-P-1001', true],
    ])
  })

  it('writes edited body segments: a replacement with CLM05-3 = 7, REF*F8 and a fixed J-code', () => {
    const original = find(professional, 'ONC-P-1001')
    const body: Segment[] = []
    for (const segment of original.source.body) {
      const elements = [...segment.elements]
      if (segment.id === 'CLM') elements[5] = '11:B:7'
      if (segment.id === 'SV1' && elements[1] === 'HC:J9267:JZ') elements[1] = 'HC:J9264:JZ'
      body.push({ ...segment, elements })
      if (segment.id === 'CLM')
        body.push({ ...segment, id: 'REF', elements: ['REF', 'F8', '2026011912345670001'] })
    }
    const edited: Claim837 = { ...original, source: { ...original.source, body } }
    const events = read(writeClaims837([edited], options))
    expectCleanEnvelopes(events)
    const [claim] = claimsOf(events)
    expect(claim?.frequencyCode).toBe('7')
    expect(claim?.payerClaimControlNumber).toBe('2026011912345670001')
    expect(claim?.lines[3]?.procedureCode).toBe('J9264')
    expect(claim?.lines[3]?.drug?.ndc).toBe('00703321801')
  })

  it('writes other delimiters, translating composites', () => {
    const text = writeClaims837(professional, {
      ...options,
      delimiters: { element: '|', component: '}', repetition: '!', segment: '\n' },
    })
    expect(text.split('\n')[0]?.endsWith('|}')).toBe(true)
    expect(text).toContain('SV1|HC}J9267}JZ|540|UN|300|11||1}2\n')
    const events = read(text)
    expectCleanEnvelopes(events)
    expect(claimsOf(events).map(comparable)).toEqual(professional.map(comparable))
  })

  it('writes GS02/GS03 and counts GS06/ST02 up from the given first numbers, as envelopeShape837 says', () => {
    const claims = [...professional, ...institutional]
    const shape = envelopeShape837(claims)
    expect(shape).toEqual({ groups: 2, transactions: 2 })
    const text = writeClaims837(claims, {
      ...options,
      applicationSenderCode: 'GSSENDER',
      applicationReceiverCode: 'GSRECEIVER',
      interchangeControl: 40,
      firstGroupControl: 41,
      firstTransactionControl: 123456789,
    })
    const lines = segmentLines(text)
    expect(lines[0]).toContain('*RIVERBENDONC   *ZZ*EXAMPLECH      *')
    expect(
      lines.filter((l) => /^(GS|GE|ST|SE|IEA)\*/.test(l)).map((l) => l.replace(/\*2026\d+\*0815/, '')),
    ).toEqual([
      'GS*HC*GSSENDER*GSRECEIVER*41*X*005010X222A1',
      'ST*837*123456789*005010X222A1',
      expect.stringMatching(/^SE\*\d+\*123456789$/),
      'GE*1*41',
      'GS*HC*GSSENDER*GSRECEIVER*42*X*005010X223A2',
      'ST*837*123456790*005010X223A2',
      expect.stringMatching(/^SE\*\d+\*123456790$/),
      'GE*1*42',
      'IEA*2*000000040',
    ])
    expectCleanEnvelopes(read(text))
    // Defaults: GS02/GS03 = ISA06/ISA08, GS06 from 1, ST02 from 0001.
    const plain = segmentLines(writeClaims837(professional, options))
    expect(plain.filter((l) => /^(GS|ST)\*/.test(l))).toEqual([
      'GS*HC*RIVERBENDONC*EXAMPLECH*20260302*0815*1*X*005010X222A1',
      'ST*837*0001*005010X222A1',
    ])
  })

  it('rejects bad options with X12_WRITE_OPTION', () => {
    const attempt = (o: Partial<WriteClaims837Options>) => () =>
      writeClaims837(professional, { ...options, ...o })
    const bads: Partial<WriteClaims837Options>[] = [
      { interchangeControl: '1234567890' },
      { senderId: 'A_SENDER_ID_THAT_IS_TOO_LONG' },
      { date: '2026-02-30' },
      { time: '2460' },
      { delimiters: { element: ':' } },
      { delimiters: { repetition: '\n' } },
      { applicationSenderCode: '' },
      { applicationReceiverCode: 'A_RECEIVER_CODE_TOO_LONG' },
      { firstGroupControl: 0 },
      { firstTransactionControl: 1.5 },
    ]
    for (const bad of bads) {
      expect(attempt(bad)).toThrow(expect.objectContaining({ code: 'X12_WRITE_OPTION' }))
    }
    // One set fits at 999999999; the second set (837I) would need 1000000000.
    expect(writeClaims837(professional, { ...options, firstTransactionControl: 999_999_999 })).toContain(
      'ST*837*999999999*',
    )
    expect(() =>
      writeClaims837([...professional, ...institutional], {
        ...options,
        firstTransactionControl: 999_999_999,
      }),
    ).toThrow(expect.objectContaining({ code: 'X12_WRITE_OPTION' }))
  })

  it('rejects a value that contains an output delimiter, with the source position', () => {
    const original = find(professional, 'ONC-P-1002')
    const body = original.source.body.map((s) =>
      s.id === 'REF' && s.elements[1] === 'F8' ? { ...s, elements: ['REF', 'F8', 'A|B'] } : s,
    )
    const broken: Claim837 = { ...original, source: { ...original.source, body } }
    try {
      writeClaims837([broken], { ...options, delimiters: { element: '|' } })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(X12Error)
      expect(error).toMatchObject({ code: 'X12_BAD_ELEMENT', position: { segmentId: 'REF', element: 2 } })
    }
  })

  it('round-trips any subset of the fixture claims, in any order, with any delimiters (property)', () => {
    const all = [...professional, ...institutional]
    // Characters that never occur inside the fixtures' values (which use letters, digits, space, - and .).
    const pool = [...'*|^~!}{#$%&;@><=+?:']
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: 1 }),
        fc.shuffledSubarray(pool, { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (
          claims,
          [element = '*', component = ':', repetition = '^', terminator = '~'],
          lineBreakTerminator,
        ) => {
          // a line break may only be the segment terminator
          const segment = lineBreakTerminator ? '\n' : terminator
          const text = writeClaims837(claims, {
            ...options,
            delimiters: { element, component, repetition, segment },
          })
          const events = read(text)
          expectCleanEnvelopes(events)
          const written = claimsOf(events)
          // claims come back grouped by implementation guide (one GS each, in order of first appearance)
          const kinds = [...new Set(claims.map((c) => c.kind))]
          const ordered = kinds.flatMap((kind) => claims.filter((c) => c.kind === kind))
          expect(written.map(comparable)).toEqual(ordered.map(comparable))
        },
      ),
      { numRuns: 60 },
    )
  })
})
