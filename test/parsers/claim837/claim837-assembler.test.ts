import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { createClaim837Assembler, MAX_SERVICE_UNITS } from '../../../parsers/claim837/claim837-assembler.js'
import type { EnvelopeContext } from '../../../parsers/x12/envelope.js'
import type { X12Issue } from '../../../parsers/x12/x12-error.js'
import type { X12Event } from '../../../parsers/x12-event.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import { readX12Events, x12Fixture } from '../../support/golden.js'
import { mutateSegments, runAssemblers, segmentsFromText } from '../../support/segments-from-text.js'

function claimsOf(events: X12Event[]): Claim837[] {
  return events.flatMap((e) => (e.type === 'claim837' ? [e.claim] : []))
}

function byId(claims: Claim837[], id: string): Claim837 {
  const claim = claims.find((c) => c.claimId === id)
  if (claim === undefined) throw new Error(`no claim ${id}`)
  return claim
}

const professional = claimsOf(readX12Events(x12Fixture('837p-oncology.x12')))
const institutional = claimsOf(readX12Events(x12Fixture('837i-oncology.x12')))

describe('837P fixture (005010X222A1) through the reader', () => {
  it('emits the four claims in file order', () => {
    expect(professional.map((c) => c.claimId)).toEqual([
      'ONC-P-1001',
      'ONC-P-1002',
      'ONC-P-1003',
      'ONC-P-1004',
    ])
    expect(professional.every((c) => c.kind === '837P')).toBe(true)
  })

  it('reads the carboplatin + paclitaxel claim: CLM, REF*G1, HI, rendering, lines', () => {
    const claim = byId(professional, 'ONC-P-1001')
    expect(claim.totalCharge).toBe(154000)
    expect([claim.facilityCode, claim.facilityQualifier, claim.frequencyCode]).toEqual(['11', 'B', '1'])
    expect(claim.typeOfBill).toBeUndefined()
    expect(claim.priorAuthorization).toBe('PA26000118')
    expect(claim.diagnoses).toEqual([
      { qualifier: 'ABK', code: 'Z5111' },
      { qualifier: 'ABF', code: 'C3411' },
    ])
    expect(claim.renderingProvider).toEqual({
      entity: '82',
      organizationName: undefined,
      idQualifier: 'XX',
      id: '1672098435',
    })
    expect(claim.billingProvider.id).toBe('1548267313')
    expect(claim.payer).toMatchObject({ organizationName: 'MEDICARE PART B EXAMPLE', id: '99012' })
    expect(claim.batchReference).toBe('RB20260120A')
    expect(
      claim.lines.map((l) => [l.lineNumber, l.procedureCode, l.modifiers.join(','), l.units, l.charge]),
    ).toEqual([
      [1, '96413', '', 1, 38500],
      [2, '96415', '', 1, 8000],
      [3, '96417', '', 1, 17500],
      [4, 'J9267', 'JZ', 300, 54000],
      [5, 'J9045', '', 10, 30000],
      [6, 'J9045', 'JW', 2, 6000],
    ])
    expect(claim.lines.reduce((sum, l) => sum + l.charge, 0)).toBe(claim.totalCharge)
    expect(claim.lines.every((l) => l.placeOfService === '11' && l.serviceFrom === '2026-01-08')).toBe(true)
    expect(claim.lines[0]?.diagnosisPointers).toEqual([1, 2])
    expect(claim.lines[2]?.notes).toEqual(['START 1015 STOP 1100'])
    expect(claim.lines.map((l) => l.lineControlNumber)).toEqual([
      'P1001-1',
      'P1001-2',
      'P1001-3',
      'P1001-4',
      'P1001-5',
      'P1001-6',
    ])
    // no 2300 DTP*472 on an 837P: the claim spans its lines' dates
    expect([claim.serviceFrom, claim.serviceTo]).toEqual(['2026-01-08', '2026-01-08'])
  })

  it('reads loop 2410 NDC, CTP04 quantity and CTP05 unit', () => {
    const lines = byId(professional, 'ONC-P-1001').lines
    expect(lines[0]?.drug).toBeUndefined()
    expect(lines[3]?.drug).toMatchObject({ qualifier: 'N4', ndc: '00703321801', quantity: 50, unit: 'ML' })
    expect(lines[5]?.drug).toMatchObject({ ndc: '16729029512', quantity: 10, quantityText: '10', unit: 'ML' })
    expect(lines[5]?.drug?.position.segmentId).toBe('LIN')
  })

  it('reads a replacement claim: CLM05-3 = 7 and REF*F8', () => {
    const claim = byId(professional, 'ONC-P-1002')
    expect(claim.frequencyCode).toBe('7')
    expect(claim.payerClaimControlNumber).toBe('2026010512345670044')
    expect(claim.lines[0]?.modifiers).toEqual(['25'])
    expect(claim.lines[0]?.placeOfService).toBeUndefined()
  })

  it('links the HL tree: subscriber-is-patient vs a 2000C patient loop', () => {
    const self = byId(professional, 'ONC-P-1001')
    expect(self.patient).toBeUndefined()
    expect(self.subscriber).toMatchObject({
      relationship: '18',
      claimFilingIndicator: 'MB',
      memberId: '1EG4TE5MK72',
    })
    expect(self.subscriber.person.birthDate).toBe('1952-03-14')
    expect(self.source.hierarchy.filter((s) => s.id === 'HL').map((s) => s.elements.slice(1, 5))).toEqual([
      ['1', '', '20', '1'],
      ['2', '1', '22', '0'],
    ])

    const dependent = byId(professional, 'ONC-P-1003')
    expect(dependent.subscriber).toMatchObject({
      relationship: '',
      groupNumber: 'GRP778812',
      memberId: 'EHP700112233',
    })
    expect(dependent.patient?.relationship).toBe('01')
    expect(dependent.patient?.person.firstName).toBe('CHARLIE')
    expect(dependent.patient?.person.birthDate).toBe('1963-09-11')
    expect(dependent.payer.id).toBe('99045')
    expect(
      dependent.source.hierarchy.filter((s) => s.id === 'HL').map((s) => s.elements.slice(1, 4)),
    ).toEqual([
      ['1', '', '20'],
      ['3', '1', '22'],
      ['4', '3', '23'],
    ])
    // the second claim under the same patient loop carries the same context
    expect(byId(professional, 'ONC-P-1004').patient).toEqual(dependent.patient)
  })

  it('keeps claim-level and line-level REF*G1 apart', () => {
    const cycle1 = byId(professional, 'ONC-P-1003')
    expect(cycle1.priorAuthorization).toBeUndefined()
    expect(cycle1.lines[1]?.priorAuthorization).toBe('EHPAUTH5521')
    expect(cycle1.lines[0]?.priorAuthorization).toBeUndefined()
    const cycle2 = byId(professional, 'ONC-P-1004')
    expect(cycle2.priorAuthorization).toBe('EHPAUTH5521')
    expect(cycle2.lines[1]?.priorAuthorization).toBeUndefined()
  })

  it('gives each claim its header, hierarchy and body segments', () => {
    const claim = byId(professional, 'ONC-P-1002')
    expect(claim.source.header.map((s) => s.id)).toEqual(['BHT', 'NM1', 'PER', 'NM1'])
    expect(claim.source.body[0]?.id).toBe('CLM')
    expect(claim.source.body.filter((s) => s.id === 'CLM')).toHaveLength(1)
    expect(claim.source.body.at(-1)?.id).toBe('CTP')
    expect(claim.source.body.some((s) => s.id === 'HL')).toBe(false)
    expect(claim.position).toMatchObject({ segmentId: 'CLM', segment: 57, stSegment: 55 })
  })
})

describe('837I fixture (005010X223A2) through the reader', () => {
  it('reads TOB, statement dates, attending, revenue codes and NDCs', () => {
    expect(institutional.map((c) => c.claimId)).toEqual(['ONC-I-2001', 'ONC-I-2002'])
    const claim = byId(institutional, 'ONC-I-2001')
    expect(claim.kind).toBe('837I')
    expect(claim.typeOfBill).toBe('0131')
    expect([claim.facilityCode, claim.facilityQualifier]).toEqual(['13', 'A'])
    expect([claim.serviceFrom, claim.serviceTo]).toEqual(['2026-01-12', '2026-01-12'])
    expect(claim.attendingProvider?.id).toBe('1458930124')
    expect(claim.renderingProvider).toBeUndefined()
    expect(claim.totalCharge).toBe(223500)
    expect(
      claim.lines.map((l) => [l.revenueCode, l.procedureCode, l.modifiers.join(','), l.units, l.charge]),
    ).toEqual([
      ['0335', '96413', '', 1, 42000],
      ['0335', '96415', '', 1, 9500],
      ['0335', '96417', '', 1, 19000],
      ['0636', 'J9267', 'JZ', 300, 45000],
      ['0636', 'J9045', 'JZ', 9, 108000],
    ])
    expect(claim.lines.every((l) => l.placeOfService === undefined)).toBe(true)
    expect(claim.lines[3]?.drug).toMatchObject({ ndc: '25021025550', quantity: 50, unit: 'ML' })
    expect(byId(institutional, 'ONC-I-2002').priorAuthorization).toBe('MCRPA77310')
  })
})

const envelope = (implementation: string): EnvelopeContext => ({
  senderId: 'S',
  receiverId: 'R',
  interchangeControl: '000000001',
  usageIndicator: 'T',
  interchangeDate: '2026-01-01',
  groupControl: '1',
  version: implementation,
  transactionType: '837',
  transactionControl: '0001',
  implementation,
  position: { offset: 0, segment: 3, stSegment: 1, segmentId: 'ST' },
})

/** A minimal valid 837P body (between ST and SE); tests break one thing at a time. */
const HEAD = [
  'ISA*00*          *00*          *ZZ*S              *ZZ*R              *260101*1200*^*00501*000000001*0*T*:~',
  'GS*HC*S*R*20260101*1200*1*X*005010X222A1~',
  'ST*837*0001*005010X222A1~',
  'BHT*0019*00*B1*20260101*1200*CH~',
  'HL*1**20*1~',
  'NM1*85*2*CLINIC*****XX*1548267313~',
  'HL*2*1*22*0~',
  'SBR*P*18*******MB~',
  'NM1*IL*1*DOE*JANE****MI*M1~',
  'NM1*PR*2*PAYER*****PI*P1~',
]
const CLAIM = ['CLM*C1*100***11:B:1*Y*A*Y*Y~', 'LX*1~', 'SV1*HC:96413*100*UN*1***1~', 'DTP*472*D8*20260105~']
const TAIL = ['SE*99*0001~', 'GE*1*1~', 'IEA*1*000000001~']

function assemble(lines: string[]): { claims: Claim837[]; issues: X12Issue[] } {
  const [set] = runAssemblers(lines.join('\n'), createClaim837Assembler)
  if (set === undefined) throw new Error('no set')
  return { claims: claimsOf(set.events), issues: set.issues }
}

describe('claim837 assembler: streaming and kind', () => {
  it('emits a claim as soon as the next CLM shows it is complete, and keeps none', () => {
    const assembler = createClaim837Assembler(envelope('005010X222A1'))
    const segments = segmentsFromText(
      [...HEAD, ...CLAIM, ...CLAIM.map((s) => s.replace('C1', 'C2')), ...TAIL].join(''),
    )
    const out: X12Event[] = []
    const inner = segments.filter((s) => !['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA'].includes(s.id))
    const secondClm = inner.findIndex((s, i) => s.id === 'CLM' && i > inner.findIndex((t) => t.id === 'CLM'))
    for (const [i, segment] of inner.entries()) {
      assembler.push(segment, out)
      if (i === secondClm - 1) expect(out).toHaveLength(0)
      if (i === secondClm) expect(claimsOf(out).map((c) => c.claimId)).toEqual(['C1'])
    }
    assembler.end(out)
    expect(claimsOf(out).map((c) => c.claimId)).toEqual(['C1', 'C2'])
    expect(assembler.issues).toEqual([])
  })

  it('takes the kind from SV2 when the version does not say', () => {
    const assembler = createClaim837Assembler(envelope('005010'))
    const text = [
      ...HEAD,
      'CLM*I1*100***13:A:1**A*Y*Y~',
      'LX*1~',
      'SV2*0335*HC:96413*100*UN*1~',
      'DTP*472*D8*20260105~',
      ...TAIL,
    ]
    const out: X12Event[] = []
    for (const s of segmentsFromText(text.join(''))) {
      if (!['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA'].includes(s.id)) assembler.push(s, out)
    }
    assembler.end(out)
    const [claim] = claimsOf(out)
    expect(claim?.kind).toBe('837I')
    expect(claim?.typeOfBill).toBe('0131')
    expect(claim?.lines[0]?.revenueCode).toBe('0335')
  })

  it('accepts a minimal claim without optional segments and reports nothing', () => {
    const { claims, issues } = assemble([...HEAD, ...CLAIM, ...TAIL])
    expect(issues).toEqual([])
    expect(claims[0]).toMatchObject({
      claimId: 'C1',
      priorAuthorization: undefined,
      referralNumber: undefined,
    })
    expect(claims[0]?.lines[0]?.drug).toBeUndefined()
  })

  it('reads REF*9F and ignores REF/NM1 of 2310/2320/2330 loops', () => {
    const { claims, issues } = assemble([
      ...HEAD,
      'CLM*C1*100***11:B:1*Y*A*Y*Y~',
      'REF*9F*REFERRAL7~',
      'NM1*82*1*DOC*A****XX*1672098435~',
      'REF*G1*NOT-CLAIM-LEVEL~',
      'SBR*S*18*******CI~',
      'NM1*82*1*OTHER*B****XX*1111111112~',
      ...CLAIM.slice(1),
      ...TAIL,
    ])
    expect(issues).toEqual([])
    expect(claims[0]?.referralNumber).toBe('REFERRAL7')
    expect(claims[0]?.priorAuthorization).toBeUndefined()
    expect(claims[0]?.renderingProvider?.id).toBe('1672098435')
  })
})

describe('claim837 assembler: bad input', () => {
  it('quarantines a bad CLM02 with X12_BAD_AMOUNT at element 2', () => {
    const { issues } = assemble([
      ...HEAD,
      ...CLAIM.map((s) => s.replace('CLM*C1*100', 'CLM*C1*1O0')),
      ...TAIL,
    ])
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'X12_BAD_AMOUNT',
        severity: 'error',
        position: expect.objectContaining({ segmentId: 'CLM', element: 2, stSegment: 9, segment: 11 }),
      }),
    ])
  })

  it('quarantines a bad line charge at SV102 and a bad service date at DTP03', () => {
    const { issues } = assemble([
      ...HEAD,
      'CLM*C1*100***11:B:1*Y*A*Y*Y~',
      'LX*1~',
      'SV1*HC:96413*1,00*UN*1***1~',
      'DTP*472*D8*20260230~',
      ...TAIL,
    ])
    expect(issues.map((i) => [i.code, i.severity, i.position?.segmentId, i.position?.element])).toEqual([
      ['X12_BAD_AMOUNT', 'error', 'SV1', 2],
      ['X12_BAD_DATE', 'error', 'DTP', 3],
    ])
    // a date can be PHI: the message does not echo it
    expect(issues[1]?.message).not.toContain('20260230')
  })

  it.each(['1e308', '10000000', '-1', 'Infinity', '0x10', '1.5.2'])(
    'refuses SV104 units "%s" (not a decimal from 0 to MAX_SERVICE_UNITS) as X12_BAD_ELEMENT at element 4',
    (units) => {
      const { issues } = assemble([
        ...HEAD,
        'CLM*C1*100***11:B:1*Y*A*Y*Y~',
        'LX*1~',
        `SV1*HC:96413*100*UN*${units}***1~`,
        'DTP*472*D8*20260210~',
        ...TAIL,
      ])
      expect(issues).toEqual([
        expect.objectContaining({
          code: 'X12_BAD_ELEMENT',
          severity: 'error',
          position: expect.objectContaining({ segmentId: 'SV1', element: 4 }),
        }),
      ])
      expect(issues[0]?.message).toContain(`from 0 to ${MAX_SERVICE_UNITS}`)
    },
  )

  it('accepts units up to MAX_SERVICE_UNITS, with decimals', () => {
    for (const units of ['9999999', '0.5', '.25', '12.'])
      expect(
        assemble([
          ...HEAD,
          'CLM*C1*100***11:B:1*Y*A*Y*Y~',
          'LX*1~',
          `SV1*HC:96413*100*UN*${units}***1~`,
          'DTP*472*D8*20260210~',
          ...TAIL,
        ]).issues,
      ).toEqual([])
  })

  it('quarantines the transaction set of a line with 1e308 units (through the reader)', () => {
    const text = readFileSync(x12Fixture('837p-oncology.x12'), 'latin1').replace(
      /(SV1\*HC:[^*]+\*[^*]*\*UN\*)[^*~]+/,
      '$11e308',
    )
    const reader = new X12Reader()
    const events = [...reader.write(Buffer.from(text, 'latin1')), ...reader.end()]
    const ends = events.flatMap((e) => (e.type === 'transaction-end' ? [e] : []))
    expect(ends.some((e) => e.quarantined && e.issues.some((i) => i.code === 'X12_BAD_ELEMENT'))).toBe(true)
  })

  it('reports an HL02 that points nowhere as X12_BAD_HL at element 2', () => {
    const { issues } = assemble([
      ...HEAD.map((s) => s.replace('HL*2*1*22*0', 'HL*2*9*22*0')),
      ...CLAIM,
      ...TAIL,
    ])
    expect(issues[0]).toMatchObject({
      code: 'X12_BAD_HL',
      severity: 'error',
      position: { segmentId: 'HL', element: 2, stSegment: 5 },
    })
  })

  it('warns when HL01 does not go up by one, and rejects a billing provider HL with a parent', () => {
    const skipped = assemble([...HEAD.map((s) => s.replace('HL*2*1*22*0', 'HL*5*1*22*0')), ...CLAIM, ...TAIL])
    expect(skipped.issues).toEqual([
      expect.objectContaining({
        code: 'X12_BAD_HL',
        severity: 'warning',
        position: expect.objectContaining({ segmentId: 'HL', element: 1, stSegment: 5 }),
      }),
    ])
    expect(skipped.claims[0]?.subscriber.memberId).toBe('M1')
    const nested = assemble([...HEAD.map((s) => s.replace('HL*2*1*22*0', 'HL*2*1*20*1')), ...CLAIM, ...TAIL])
    expect(
      nested.issues.map((i) => [i.code, i.severity, i.position?.segmentId, i.position?.element]),
    ).toContainEqual(['X12_BAD_HL', 'error', 'HL', 2])
  })

  it('reports a patient HL under the billing provider as X12_BAD_HL', () => {
    const { issues } = assemble([
      ...HEAD.map((s) => s.replace('HL*2*1*22*0', 'HL*2*1*23*0')),
      ...CLAIM,
      ...TAIL,
    ])
    expect(issues.map((i) => [i.code, i.position?.segmentId, i.position?.element])).toContainEqual([
      'X12_BAD_HL',
      'HL',
      2,
    ])
    expect(issues.every((i) => i.severity === 'error')).toBe(true)
  })

  it('reports an LX without SV1 and a claim without lines as X12_MISSING_SEGMENT', () => {
    const { issues } = assemble([
      ...HEAD,
      'CLM*C1*100***11:B:1*Y*A*Y*Y~',
      'LX*1~',
      'DTP*472*D8*20260105~',
      ...TAIL,
    ])
    expect(issues.map((i) => [i.code, i.severity, i.position?.segmentId])).toEqual([
      ['X12_MISSING_SEGMENT', 'error', 'LX'],
      ['X12_MISSING_SEGMENT', 'error', 'CLM'],
    ])
  })

  it('reads an SV1 that lacks its LX but reports X12_MISSING_SEGMENT at the SV1', () => {
    const { claims, issues } = assemble([...HEAD, ...CLAIM.filter((s) => s !== 'LX*1~'), ...TAIL])
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'X12_MISSING_SEGMENT',
        severity: 'error',
        position: expect.objectContaining({ segmentId: 'SV1', stSegment: 10 }),
      }),
    ])
    expect(claims[0]?.lines.map((l) => [l.procedureCode, l.serviceFrom])).toEqual([['96413', '2026-01-05']])
  })

  it('reports service lines without a CLM at the LX', () => {
    const { claims, issues } = assemble([...HEAD, ...CLAIM.slice(1), ...TAIL])
    expect(claims).toEqual([])
    expect(issues[0]).toMatchObject({
      code: 'X12_MISSING_SEGMENT',
      severity: 'error',
      position: { segmentId: 'LX', stSegment: 9 },
    })
  })

  it('reports a missing payer loop (NM1*PR) at the CLM', () => {
    const { issues } = assemble([...HEAD.filter((s) => !s.startsWith('NM1*PR')), ...CLAIM, ...TAIL])
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'X12_MISSING_SEGMENT',
        severity: 'error',
        position: expect.objectContaining({ segmentId: 'CLM' }),
      }),
    ])
  })

  it('only warns on a bad birth date or NDC quantity (optional data)', () => {
    const { claims, issues } = assemble([
      ...HEAD.map((s) => (s.startsWith('NM1*IL') ? `${s}DMG*D8*19521399*F~` : s)),
      ...CLAIM,
      'LIN**N4*00703321801~',
      'CTP****0*ML~',
      ...TAIL,
    ])
    expect(issues.map((i) => [i.code, i.severity, i.position?.segmentId, i.position?.element])).toEqual([
      ['X12_BAD_DATE', 'warning', 'DMG', 2],
      ['X12_BAD_ELEMENT', 'warning', 'CTP', 4],
    ])
    expect(issues[0]?.message).not.toContain('19521399')
    expect(claims[0]?.lines[0]?.drug).toMatchObject({
      ndc: '00703321801',
      quantity: undefined,
      quantityText: '0',
    })
  })

  it('warns (X12_UNBALANCED at CLM02) when the line charges do not add up to CLM02', () => {
    const { claims, issues } = assemble([
      ...HEAD,
      ...CLAIM.map((s) => s.replace('CLM*C1*100', 'CLM*C1*100.01')),
      ...TAIL,
    ])
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'X12_UNBALANCED',
        severity: 'warning',
        position: expect.objectContaining({ segmentId: 'CLM', element: 2 }),
      }),
    ])
    expect(claims[0]?.totalCharge).toBe(10001)
  })

  it('reports an SV1 on an 837I', () => {
    const lines = [...HEAD, ...CLAIM, ...TAIL].map((s) => s.replaceAll('005010X222A1', '005010X223A2'))
    const { issues } = assemble(lines)
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'X12_BAD_SEGMENT',
        position: expect.objectContaining({ segmentId: 'SV1' }),
      }),
    ])
  })
})

describe('claim837 assembler on the fixtures through the test splitter', () => {
  it('gives the same claims as through the real reader', () => {
    const sets = runAssemblers(readFileSync(x12Fixture('837p-oncology.x12'), 'utf8'), createClaim837Assembler)
    const viaSplitter = claimsOf(sets.flatMap((s) => s.events))
    const strip = (c: Claim837) => ({ ...c, envelope: undefined, source: undefined })
    expect(viaSplitter.map(strip)).toEqual(professional.map(strip))
  })
})

describe('claim837 assembler robustness (property)', () => {
  it('never throws on mutated input, and every issue has a position', () => {
    const inner = segmentsFromText(readFileSync(x12Fixture('837p-oncology.x12'), 'utf8')).filter(
      (s) => !['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA'].includes(s.id),
    )
    const step = fc.record({
      kind: fc.constantFrom('delete', 'duplicate', 'move', 'blank', 'garble'),
      at: fc.nat(),
      to: fc.nat(),
      element: fc.nat(),
    })
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const assembler = createClaim837Assembler(envelope('005010X222A1'))
        const out: X12Event[] = []
        for (const segment of mutateSegments(inner, steps)) assembler.push(segment, out)
        assembler.end(out)
        for (const issue of assembler.issues) expect(issue.position).toBeDefined()
        for (const claim of claimsOf(out)) {
          expect(claim.source.body[0]?.id).toBe('CLM')
          expect(Number.isSafeInteger(claim.totalCharge)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
