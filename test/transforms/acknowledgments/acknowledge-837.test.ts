import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Ack999 } from '../../../parsers/acknowledgment/ack999.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import type { AckEnvelopeNumbers, AckRequest } from '../../../transforms/acknowledgments/acknowledge-837.js'
import { acknowledge837, planAcknowledgments } from '../../../transforms/acknowledgments/acknowledge-837.js'
import { analyzeInbound } from '../../../transforms/acknowledgments/inbound-interchange.js'
import { repoRoot } from '../../support/x12-files.js'

const fixture = readFileSync(path.join(repoRoot, 'fixtures/x12/837p-oncology.x12'), 'latin1')

/** The fixture's envelope and its one set, split so that tests can build files of several sets. */
function parts(): { isa: string; gs: string; set: string[] } {
  const segments = fixture
    .split('~')
    .map((s) => s.replace(/^\s+/, ''))
    .filter((s) => s !== '')
  const st = segments.findIndex((s) => s.startsWith('ST*'))
  const se = segments.findIndex((s) => s.startsWith('SE*'))
  return { isa: segments[0] ?? '', gs: segments[1] ?? '', set: segments.slice(st, se + 1) }
}

function withControl(set: string[], control: string): string[] {
  return set.map((s) =>
    s.replace(/^ST\*837\*\d+/, `ST*837*${control}`).replace(/^SE\*(\d+)\*\d+/, `SE*$1*${control}`),
  )
}

/** An 837 interchange with the given sets (each a list of segments), counts recomputed. */
function interchange(sets: string[][], options: { isaControl?: string; ieaControl?: string } = {}): string {
  const { isa, gs } = parts()
  const control = options.isaControl ?? '000000101'
  const head = isa.replace(/\*\d{9}\*/, `*${control}*`)
  const body = sets.flat()
  return `${[head, gs, ...body, `GE*${sets.length}*101`, `IEA*1*${options.ieaControl ?? control}`].join('~')}~`
}

function counter(): (request: AckRequest) => AckEnvelopeNumbers {
  let next = 500
  return (request) => {
    const first = next
    next += 1 + request.shape.groups + request.shape.transactions
    return {
      interchangeControl: first,
      firstGroupControl: first + 1,
      firstTransactionControl: first + 1 + request.shape.groups,
    }
  }
}

const when = { date: '20260121', time: '0800' }
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const segmentsOf = (text: string): string[] => text.split('~').filter((s) => s !== '')

describe('acknowledge837', () => {
  it('accepts a clean 837 with one 999 (IK5*A, AK9*A) addressed back to the sender', () => {
    const { set } = parts()
    const result = acknowledge837(bytes(interchange([set])), counter(), when)
    expect(result.ta1).toBeUndefined()
    expect(result.acks999).toHaveLength(1)
    const segs = segmentsOf(result.acks999[0] ?? '')
    expect(segs[0]).toMatch(
      /^ISA\*00\* {10}\*00\* {10}\*ZZ\*EXAMPLECH {6}\*ZZ\*RIVERBENDONC {3}\*260121\*0800\*\^\*00501\*000000500\*0\*T\*:$/,
    )
    expect(segs.slice(1)).toEqual([
      'GS*FA*EXAMPLECH*RIVERBENDONC*20260121*0800*501*X*005010X231A1',
      'ST*999*0502*005010X231A1',
      'AK1*HC*101*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      'AK9*A*1*1*1',
      'SE*6*0502',
      'GE*1*501',
      'IEA*1*000000500',
    ])
    expect(result.accepted.map((s) => s.transactionControl)).toEqual(['0001'])
    expect(result.accepted[0]?.claimIds.length).toBeGreaterThan(0)
    expect(result.rejected).toEqual([])
  })

  it('rejects the corrupt set of a batch (IK3/IK4, IK5*R, AK9*P) and accepts the others', () => {
    const { set } = parts()
    const good1 = withControl(set, '0001')
    // A bad date of service (DTP03 2026-13-45) and an SV1 without its LX.
    const bad = withControl(set, '0002').map((s) => (s === 'DTP*472*D8*20260108' ? 'DTP*472*D8*20261345' : s))
    const firstLx = bad.findIndex((s) => s.startsWith('LX*'))
    bad.splice(firstLx, 1)
    bad[bad.length - 1] = (bad.at(-1) ?? '').replace(/^SE\*\d+/, `SE*${bad.length}`)
    const good2 = withControl(set, '0003')
    const result = acknowledge837(bytes(interchange([good1, bad, good2])), counter(), when)
    const segs = segmentsOf(result.acks999[0] ?? '')
    const ak2 = segs.indexOf('AK2*837*0002*005010X222A1')
    expect(ak2).toBeGreaterThan(0)
    const answer = segs.slice(ak2, segs.indexOf('AK2*837*0003*005010X222A1'))
    expect(answer.some((s) => /^IK3\*DTP\*\d+\*\*8$/.test(s))).toBe(true)
    expect(answer).toContain('IK4*3**8*20261345')
    // Each IK3 names the claim it is in (CTX*CLM01, loop 2100): the bad date is in the first claim.
    expect(answer[answer.findIndex((s) => /^IK3\*DTP\*\d+\*\*8$/.test(s)) + 1]).toBe('CTX*CLM01:ONC-P-1001')
    expect(answer.some((s) => /^IK3\*LX\*\d+\*2400\*3$/.test(s))).toBe(true)
    expect(answer.at(-1)).toBe('IK5*R*I5')
    expect(segs).toContain('AK9*P*3*3*2')
    expect(result.accepted.map((s) => s.transactionControl)).toEqual(['0001', '0003'])
    expect(result.rejected.map((s) => s.transactionControl)).toEqual(['0002'])
    expect(result.rejected[0]?.claimIds.length).toBeGreaterThan(0)
  })

  it('rejects a set whose SE01 is wrong (IK5*R*4) and the group when it was the only one (AK9*R)', () => {
    const { set } = parts()
    const bad = set.map((s) => s.replace(/^SE\*\d+/, 'SE*3'))
    const result = acknowledge837(bytes(interchange([bad])), counter(), when)
    const segs = segmentsOf(result.acks999[0] ?? '')
    expect(segs).toContain('IK5*R*4')
    expect(segs).toContain('AK9*R*1*1*0')
  })

  it('rejects a group whose GE01 is wrong (AK9*R with code 5)', () => {
    const { set } = parts()
    const text = interchange([set]).replace('GE*1*101', 'GE*2*101')
    const result = acknowledge837(bytes(text), counter(), when)
    expect(segmentsOf(result.acks999[0] ?? '')).toContain('AK9*R*2*1*0*5')
    expect(result.rejected).toHaveLength(1)
  })

  it('answers a duplicate interchange with TA1 code 025 and no 999', () => {
    const { set } = parts()
    const result = acknowledge837(bytes(interchange([set])), counter(), {
      ...when,
      isDuplicate: ({ senderId, control }) => senderId === 'RIVERBENDONC' && control === '000000101',
    })
    expect(result.acks999).toEqual([])
    expect(segmentsOf(result.ta1 ?? '')).toEqual([
      expect.stringMatching(/^ISA\*.*\*000000500\*0\*T\*:$/),
      'TA1*000000101*260120*0930*R*025',
      'IEA*0*000000500',
    ])
    expect(result.rejected).toHaveLength(1)
    expect(result.accepted).toEqual([])
  })

  it('rejects an interchange whose IEA02 differs from ISA13 (TA1 001)', () => {
    const { set } = parts()
    const result = acknowledge837(bytes(interchange([set], { ieaControl: '000000999' })), counter(), when)
    expect(segmentsOf(result.ta1 ?? '')[1]).toBe('TA1*000000101*260120*0930*R*001')
    expect(result.acks999).toEqual([])
  })

  it('rejects a truncated interchange (TA1 023)', () => {
    const { set } = parts()
    const text = interchange([set])
    const result = acknowledge837(bytes(text.slice(0, text.indexOf('GE*'))), counter(), when)
    expect(segmentsOf(result.ta1 ?? '')[1]).toBe('TA1*000000101*260120*0930*R*023')
  })

  it('sends TA1 A 000 when ISA14 asks for one, with the 999', () => {
    const { set } = parts()
    const text = interchange([set]).replace('*000000101*0*T*', '*000000101*1*T*')
    const result = acknowledge837(bytes(text), counter(), when)
    expect(segmentsOf(result.ta1 ?? '')[1]).toBe('TA1*000000101*260120*0930*A*000')
    expect(result.acks999).toHaveLength(1)
  })

  it('asks for one block of numbers per acknowledgment interchange', () => {
    const { set } = parts()
    const text = interchange([set]).replace('*000000101*0*T*', '*000000101*1*T*')
    const plan = planAcknowledgments(analyzeInbound(bytes(text)))
    expect(plan.requests).toEqual([
      {
        kind: 'ta1',
        pair: { senderId: 'EXAMPLECH', receiverId: 'RIVERBENDONC' },
        shape: { groups: 0, transactions: 0 },
      },
      {
        kind: '999',
        pair: { senderId: 'EXAMPLECH', receiverId: 'RIVERBENDONC' },
        shape: { groups: 1, transactions: 1 },
      },
    ])
  })

  it('reports a file with no ISA as unreadable, with nothing to send', () => {
    const result = acknowledge837(bytes('hello'), counter(), when)
    expect(result.unreadable?.code).toBe('X12_NO_ISA')
    expect(result.acks999).toEqual([])
    expect(result.ta1).toBeUndefined()
  })

  it('writes 999s that our reader reads back the same, without an error', () => {
    const { set } = parts()
    const bad = withControl(set, '0002').map((s) => (s === 'DTP*472*D8*20260108' ? 'DTP*472*D8*20261345' : s))
    bad.splice(
      bad.findIndex((s) => s.startsWith('LX*')),
      1,
    )
    bad[bad.length - 1] = (bad.at(-1) ?? '').replace(/^SE\*\d+/, `SE*${bad.length}`)
    const result = acknowledge837(bytes(interchange([withControl(set, '0001'), bad])), counter(), {
      ...when,
      lineBreak: '\n',
    })
    const reader = new X12Reader()
    const events = [...reader.write(bytes(result.acks999[0] ?? '')), ...reader.end()]
    const read: Ack999[] = events.flatMap((e) => (e.type === 'ack999' ? [e.ack] : []))
    const issues = events.flatMap((e) =>
      e.type === 'transaction-end' || e.type === 'interchange-end' ? e.issues : [],
    )
    expect(issues).toEqual([])
    expect(read.map((a) => ({ ...a, envelope: undefined }))).toEqual(result.interchanges[0]?.acks)
    expect(read[0]?.envelope).toMatchObject({
      transactionType: '999',
      implementation: '005010X231A1',
      senderId: 'EXAMPLECH',
    })
  })
})
