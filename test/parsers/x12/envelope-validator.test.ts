import { describe, expect, it } from 'vitest'
import { EnvelopeValidator, SUPPORTED_TRANSACTIONS } from '../../../parsers/x12/envelope-validator.js'
import { SegmentTokenizer } from '../../../parsers/x12/segment-tokenizer.js'
import type { X12Issue } from '../../../parsers/x12/x12-error.js'
import type { X12Event } from '../../../parsers/x12-event.js'

const ISA =
  'ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     *260115*1200*^*00501*000000007*0*T*:~'

function validate(text: string, validator = new EnvelopeValidator()): X12Event[] {
  const tokenizer = new SegmentTokenizer()
  const out: X12Event[] = []
  for (const segment of [...tokenizer.write(new TextEncoder().encode(text)), ...tokenizer.end()]) {
    validator.push(segment, out)
  }
  validator.end(out)
  return out
}

function issues(events: X12Event[]): X12Issue[] {
  return events.flatMap((e) =>
    e.type === 'issue'
      ? [e.issue]
      : e.type === 'transaction-end' || e.type === 'interchange-end'
        ? e.issues
        : [],
  )
}

function codes(text: string): string[] {
  return issues(validate(text)).map((i) => `${i.code}@${i.position?.segmentId}${i.position?.element ?? ''}`)
}

const GS = 'GS*HP*S*R*20260115*1200*12*X*005010X221A1~'
const SET = 'ST*835*0001~BPR*I*0*C*NON~SE*3*0001~'

describe('EnvelopeValidator', () => {
  it('accepts a well-formed interchange, and control numbers that are numerically equal', () => {
    expect(codes(`${ISA}${GS}${SET}GE*1*12~IEA*1*7~`)).toEqual([])
  })

  it('checks IEA01 against the number of groups and GE01 against the number of sets', () => {
    expect(codes(`${ISA}${GS}${SET}${SET.replaceAll('0001', '0002')}GE*1*12~IEA*2*000000007~`)).toEqual([
      'X12_GE_COUNT@GE1',
      'X12_IEA_COUNT@IEA1',
    ])
  })

  it('checks GE02 against GS06 and IEA02 against ISA13', () => {
    expect(codes(`${ISA}${GS}${SET}GE*1*13~IEA*1*000000008~`)).toEqual([
      'X12_GE_CONTROL@GE2',
      'X12_IEA_CONTROL@IEA2',
    ])
  })

  it('rejects transaction types and guides onco-edi does not read', () => {
    const text = `${ISA}GS*HS*S*R*20260115*1200*12*X*005010X279A1~ST*270*0001*005010X279A1~BHT*0022*13*1*20260115~SE*3*0001~GE*1*12~IEA*1*000000007~`
    const events = validate(text)
    expect(codes(text)).toEqual(['X12_UNSUPPORTED_TRANSACTION@ST1'])
    const end = events.find((e) => e.type === 'transaction-end')
    expect(end?.type === 'transaction-end' && end.quarantined).toBe(true)
    expect(Object.keys(SUPPORTED_TRANSACTIONS).sort()).toEqual(['277', '835', '837', '999'])
  })

  it('flags an empty mandatory element (NM101) and quarantines the set', () => {
    const text = `${ISA}${GS}ST*835*0001~NM1**1*X~SE*3*0001~GE*1*12~IEA*1*000000007~`
    const found = issues(validate(text))
    expect(found).toEqual([
      expect.objectContaining({
        code: 'X12_BAD_ELEMENT',
        position: {
          offset: ISA.length + GS.length + 12,
          segment: 4,
          stSegment: 2,
          segmentId: 'NM1',
          element: 1,
        },
      }),
    ])
  })

  it('allows TA1 between ISA and GS, but not other segments outside a set', () => {
    expect(codes(`${ISA}TA1*1*260115*1200*A*000~IEA*0*000000007~`)).toEqual([])
    expect(codes(`${ISA}${GS}${SET}REF*EV*1~GE*1*12~IEA*1*000000007~`)).toEqual(['X12_ENVELOPE_ORDER@REF'])
  })

  it('reports a GS without GE and an ISA without IEA when the next ISA comes', () => {
    const text = `${ISA}${GS}${SET}${ISA}${GS}${SET}GE*1*12~IEA*1*000000007~`
    expect(codes(text)).toEqual(['X12_MISSING_TRAILER@GS', 'X12_MISSING_TRAILER@ISA'])
  })

  it('warns when ISA11 repeats ISA16', () => {
    const found = issues(validate(`${ISA.replace('*^*00501', '*:*00501')}IEA*0*000000007~`))
    expect(found).toEqual([expect.objectContaining({ code: 'X12_BAD_ISA', severity: 'warning' })])
  })
})
