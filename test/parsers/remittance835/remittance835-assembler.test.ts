import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RemittanceClaim835, RemittanceHeader835 } from '../../../parsers/remittance835/remittance835.js'
import { createRemittance835Assembler } from '../../../parsers/remittance835/remittance835-assembler.js'
import type { X12Event } from '../../../parsers/x12-event.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import { readX12Events, x12Fixture } from '../../support/golden.js'
import { mutateSegments, runAssemblers, segmentsFromText } from '../../support/segments-from-text.js'

const fixtureText = readFileSync(x12Fixture('835-oncology.x12'), 'utf8')
const events = readX12Events(x12Fixture('835-oncology.x12'))

function claimsOf(list: X12Event[]): RemittanceClaim835[] {
  return list.flatMap((e) => (e.type === 'claim835' ? [e.claim] : []))
}
function headersOf(list: X12Event[]): RemittanceHeader835[] {
  return list.flatMap((e) => (e.type === 'remittance835-header' ? [e.header] : []))
}
const claims = claimsOf(events)
function claim(id: string, status?: string): RemittanceClaim835 {
  const found = claims.find((c) => c.claimId === id && (status === undefined || c.status === status))
  if (found === undefined) throw new Error(`no claim ${id}`)
  return found
}

describe('835 fixture (005010X221A1) through the reader', () => {
  it('emits each header before its claims, once per transaction set', () => {
    const order = events
      .filter((e) => ['remittance835-header', 'claim835', 'transaction-end'].includes(e.type))
      .map((e) => (e.type === 'claim835' ? e.claim.claimId : e.type))
    expect(order).toEqual([
      'remittance835-header',
      'ONC-P-1001',
      'ONC-P-1002',
      'transaction-end',
      'remittance835-header',
      'ONC-P-1003',
      'ONC-P-1004',
      'ONC-P-1004',
      'transaction-end',
      'remittance835-header',
      'ONC-I-2001',
      'ONC-I-2002',
      'transaction-end',
    ])
  })

  it('reads BPR, TRN, DTM*405, N1*PR (+REF*2U) and N1*PE', () => {
    const [medicare, commercial] = headersOf(events)
    expect(medicare).toMatchObject({
      handlingCode: 'I',
      totalPaid: 62835,
      creditDebit: 'C',
      paymentMethod: 'ACH',
      paymentDate: '2026-01-23',
      traceNumber: 'EFT20260123001',
      traceOriginator: '1990000012',
      productionDate: '2026-01-21',
      payer: { name: 'MEDICARE PART B EXAMPLE', id: '99012' },
      payee: { name: 'RIVERBEND ONCOLOGY ASSOCIATES', idQualifier: 'XX', id: '1548267313' },
    })
    expect(commercial).toMatchObject({ totalPaid: 44000, paymentMethod: 'CHK', paymentDate: '2026-02-20' })
    expect(claim('ONC-P-1003').header).toBe(commercial)
  })

  it('reads CLP01-09, NM1, MOA, DTM and REF of a paid claim', () => {
    const paid = claim('ONC-P-1001')
    expect(paid).toMatchObject({
      status: '1',
      charge: 154000,
      paid: 77600,
      patientResponsibility: 19400,
      filingIndicator: 'MB',
      payerClaimNumber: '2026011912345670001',
      facilityCode: '11',
      frequencyCode: '1',
      renderingProviderId: '1672098435',
      receivedDate: '2026-01-12',
      remarkCodes: ['MA01'],
    })
    expect(paid.patient.memberId).toBe('1EG4TE5MK72')
    expect(claim('ONC-P-1002').references).toEqual({ F8: '2026010512345670044' })
    expect(claim('ONC-I-2001')).toMatchObject({ statementFrom: '2026-01-12', statementTo: '2026-01-12' })
  })

  it('reads SVC lines: composite, charge, paid, revenue code, units, DTM, REF*6R, CAS, LQ*HE, AMT*B6', () => {
    const lines = claim('ONC-P-1001').lines
    expect(lines.map((l) => [l.procedureCode, l.modifiers.join(','), l.charge, l.paid, l.units])).toEqual([
      ['96413', '', 38500, 22400, 1],
      ['96415', '', 8000, 4800, 1],
      ['96417', '', 17500, 0, 1],
      ['J9267', 'JZ', 54000, 36000, 300],
      ['J9045', '', 30000, 12000, 10],
      ['J9045', 'JW', 6000, 2400, 2],
    ])
    expect(lines[0]).toMatchObject({
      productQualifier: 'HC',
      serviceFrom: '2026-01-08',
      serviceTo: '2026-01-08',
      lineControlNumber: 'P1001-1',
      allowed: 28000,
      rarcs: [],
    })
    expect(lines[2]).toMatchObject({ rarcs: ['M15'], allowed: undefined })
    expect(lines[2]?.adjustments.map((a) => [a.group, a.carc, a.amount])).toEqual([['CO', '97', 17500]])
    expect(claim('ONC-I-2001').lines[3]).toMatchObject({
      revenueCode: '0636',
      procedureCode: 'J9267',
      rarcs: ['N115'],
    })
    expect(claim('ONC-I-2002').lines[1]?.rarcs).toEqual(['N130', 'M80'])
  })

  it('finds the denials the rework queues need: CO-4, CO-97, CO-151, CO-50, CO-197', () => {
    const denials = claims.flatMap((c) =>
      [...c.adjustments, ...c.lines.flatMap((l) => l.adjustments)]
        .filter((a) => a.group === 'CO' && a.carc !== '45')
        .map((a) => `${c.claimId} CO-${a.carc}`),
    )
    expect(new Set(denials)).toEqual(
      new Set([
        'ONC-P-1001 CO-97',
        'ONC-P-1002 CO-4',
        'ONC-P-1003 CO-197',
        'ONC-I-2001 CO-151',
        'ONC-I-2001 CO-50',
      ]),
    )
    // CO-197 is a claim-level CAS on a claim without SVC lines
    expect(claim('ONC-P-1003')).toMatchObject({ status: '4', lines: [], remarkCodes: ['M62'] })
    expect(claim('ONC-P-1003').adjustments[0]).toMatchObject({ group: 'CO', carc: '197', amount: 1138500 })
  })

  it('normalizes six CAS triplets of one segment, with quantity and element positions', () => {
    const adjustments = claim('ONC-I-2002').lines[1]?.adjustments ?? []
    expect(adjustments.map((a) => [a.group, a.carc, a.amount, a.quantity])).toEqual([
      ['CO', '45', 150000, undefined],
      ['PR', '1', 50000, 1],
      ['PR', '2', 180000, undefined],
      ['PR', '3', 10000, undefined],
      ['PR', '66', 5000, undefined],
      ['PR', '122', 2500, undefined],
      ['PR', '187', 2500, undefined],
    ])
    const six = adjustments.slice(1)
    expect(new Set(six.map((a) => a.position.offset)).size).toBe(1)
    expect(six.map((a) => a.position.element)).toEqual([2, 5, 8, 11, 14, 17])
  })

  it('keeps a reversal (CLP02 = 22, negated) followed by its correction', () => {
    const reversal = claim('ONC-P-1004', '22')
    const correction = claim('ONC-P-1004', '1')
    expect(claims.indexOf(correction)).toBe(claims.indexOf(reversal) + 1)
    expect(reversal).toMatchObject({ charge: -1138500, paid: -906000, patientResponsibility: -4000 })
    expect(reversal.payerClaimNumber).toBe(correction.payerClaimNumber)
    expect(reversal.lines[1]?.adjustments[0]).toMatchObject({ group: 'CO', carc: '45', amount: -220000 })
    expect(correction).toMatchObject({ charge: 1138500, paid: 950000 })
    expect(reversal.paid + correction.paid).toBe(44000)
  })

  it('returns PLB pairs in the transaction summary', () => {
    const ends = events.flatMap((e) => (e.type === 'transaction-end' ? [e] : []))
    expect(ends.map((e) => e.quarantined)).toEqual([false, false, false])
    expect(ends.map((e) => e.issues)).toEqual([[], [], []])
    const plb = ends[0]?.remittance?.providerAdjustments ?? []
    expect(
      plb.map((p) => [p.providerId, p.fiscalPeriodDate, p.reason, p.reference, p.amount, p.position.element]),
    ).toEqual([
      ['1548267313', '2026-12-31', 'WO', 'ONCP0999A', 15000, 4],
      ['1548267313', '2026-12-31', 'L6', 'INT202601', -235, 6],
    ])
    expect(ends[1]?.remittance?.providerAdjustments).toEqual([])
    expect(ends[0]?.remittance?.header.totalPaid).toBe(62835)
  })

  it('splits composites on the file’s own component separator (ISA16)', () => {
    // The fixture uses ':'; the same file with '>' as ISA16 must read the same.
    const swapped = fixtureText.replaceAll(':', '>')
    const reader = new X12Reader()
    const other = claimsOf([...reader.write(new TextEncoder().encode(swapped)), ...reader.end()])
    expect(other.map((c) => c.lines.map((l) => `${l.procedureCode}/${l.modifiers.join(',')}`))).toEqual(
      claims.map((c) => c.lines.map((l) => `${l.procedureCode}/${l.modifiers.join(',')}`)),
    )
    expect(other[0]?.lines[3]?.modifiers).toEqual(['JZ'])
  })
})

const HEAD = [
  'ISA*00*          *00*          *ZZ*P              *ZZ*R              *260101*1200*^*00501*000000001*0*T*:~',
  'GS*HP*P*R*20260101*1200*1*X*005010X221A1~',
  'ST*835*0001~',
  'BPR*I*60*C*CHK************20260110~',
  'TRN*1*T1*1999999999~',
  'N1*PR*PAYER~',
  'N1*PE*CLINIC*XX*1548267313~',
  'LX*1~',
]
const CLAIM = ['CLP*C1*1*100*60**MB*PCN1*11*1~', 'SVC*HC:96413*100*60**1~', 'CAS*CO*45*40~']
const TAIL = ['SE*99*0001~', 'GE*1*1~', 'IEA*1*000000001~']

function assemble(lines: string[]) {
  const [set] = runAssemblers(lines.join('\n'), createRemittance835Assembler)
  if (set === undefined) throw new Error('no set')
  return set
}

describe('remittance835 assembler: balancing and bad input', () => {
  it('accepts a balanced minimal remittance with no issues', () => {
    const set = assemble([...HEAD, ...CLAIM, ...TAIL])
    expect(set.issues).toEqual([])
    expect(claimsOf(set.events)).toHaveLength(1)
  })

  it('warns (X12_UNBALANCED) when a line, a claim or the transaction does not balance', () => {
    const set = assemble([
      ...HEAD,
      'CLP*C1*1*100*60**MB*PCN1*11*1~',
      'SVC*HC:96413*100*60**1~',
      'CAS*CO*45*30~',
      ...TAIL,
    ])
    expect(set.issues.map((i) => [i.code, i.severity, i.position?.segmentId, i.position?.element])).toEqual([
      ['X12_UNBALANCED', 'warning', 'SVC', 3],
      ['X12_UNBALANCED', 'warning', 'CLP', 4],
    ])
    const bpr = assemble([...HEAD.map((s) => s.replace('BPR*I*60', 'BPR*I*61')), ...CLAIM, ...TAIL])
    expect(bpr.issues).toEqual([
      expect.objectContaining({
        code: 'X12_UNBALANCED',
        severity: 'warning',
        position: expect.objectContaining({ segmentId: 'BPR', element: 2 }),
      }),
    ])
  })

  it('balances BPR02 against CLP04 minus PLB', () => {
    const set = assemble([
      ...HEAD.map((s) => s.replace('BPR*I*60', 'BPR*I*50')),
      ...CLAIM,
      'PLB*1548267313*20261231*WO:X1*12.5*L6:I1*-2.5~',
      ...TAIL,
    ])
    expect(set.issues).toEqual([])
    expect(set.summary.remittance?.providerAdjustments.map((p) => p.amount)).toEqual([1250, -250])
  })

  it('accepts the retired group CR with a warning and rejects an unknown group', () => {
    const cr = assemble([...HEAD, ...CLAIM.map((s) => s.replace('CAS*CO', 'CAS*CR')), ...TAIL])
    expect(cr.issues).toEqual([
      expect.objectContaining({
        code: 'X12_BAD_ELEMENT',
        severity: 'warning',
        position: expect.objectContaining({ segmentId: 'CAS', element: 1 }),
      }),
    ])
    expect(claimsOf(cr.events)[0]?.lines[0]?.adjustments[0]?.group).toBe('CR')
    const bad = assemble([...HEAD, ...CLAIM.map((s) => s.replace('CAS*CO', 'CAS*ZZ')), ...TAIL])
    expect(bad.issues[0]).toMatchObject({
      code: 'X12_BAD_ELEMENT',
      severity: 'error',
      position: { element: 1 },
    })
  })

  it('quarantines a bad CAS amount at its element (the third triplet is CAS09)', () => {
    const set = assemble([
      ...HEAD,
      'CLP*C1*1*100*60**MB*PCN1*11*1~',
      'SVC*HC:96413*100*60**1~',
      'CAS*CO*45*20**253*10**59*1O~',
      ...TAIL,
    ])
    expect(set.issues[0]).toMatchObject({
      code: 'X12_BAD_AMOUNT',
      severity: 'error',
      position: { segmentId: 'CAS', element: 9, stSegment: 9 },
    })
    expect(set.issues[0]?.message).toContain('CAS09')
  })

  it('quarantines a bad CLP04 and a missing BPR; a bad BPR16 only warns', () => {
    const clp = assemble([...HEAD, ...CLAIM.map((s) => s.replace('*100*60**MB', '*100*6O**MB')), ...TAIL])
    expect(clp.issues[0]).toMatchObject({
      code: 'X12_BAD_AMOUNT',
      position: { segmentId: 'CLP', element: 4 },
    })
    const bpr16 = assemble([...HEAD.map((s) => s.replace('20260110', '20261310')), ...CLAIM, ...TAIL])
    expect(bpr16.issues[0]).toMatchObject({
      code: 'X12_BAD_DATE',
      severity: 'warning',
      position: { segmentId: 'BPR', element: 16 },
    })
    const noBpr = assemble([...HEAD.filter((s) => !s.startsWith('BPR')), ...CLAIM, ...TAIL])
    expect(noBpr.issues.map((i) => [i.code, i.severity, i.position?.segmentId])).toEqual([
      ['X12_MISSING_SEGMENT', 'error', 'LX'],
    ])
  })

  it('reports an SVC outside a claim (before any CLP)', () => {
    const set = assemble([...HEAD, ...CLAIM.slice(1), ...TAIL])
    expect(claimsOf(set.events)).toEqual([])
    expect(set.issues[0]).toMatchObject({
      code: 'X12_MISSING_SEGMENT',
      severity: 'error',
      position: { segmentId: 'SVC', stSegment: 7 },
    })
  })

  it('emits the header at end even when the set has no claims', () => {
    const set = assemble([...HEAD.slice(0, -1), ...TAIL].map((s) => s.replace('BPR*I*60', 'BPR*H*0')))
    expect(headersOf(set.events)).toHaveLength(1)
    expect(set.summary.remittance?.header.handlingCode).toBe('H')
    expect(set.issues).toEqual([])
  })

  it('reads SVC06 (original code) and DTM*150/151 periods', () => {
    const set = assemble([
      ...HEAD,
      'CLP*C1*1*100*60**MB*PCN1*11*1~',
      'SVC*HC:J9045:JZ*100*60**2*HC:J9999~',
      'DTM*150*20260101~',
      'DTM*151*20260103~',
      'CAS*CO*45*40~',
      ...TAIL,
    ])
    expect(claimsOf(set.events)[0]?.lines[0]).toMatchObject({
      procedureCode: 'J9045',
      modifiers: ['JZ'],
      units: 2,
      originalProcedureCode: 'J9999',
      serviceFrom: '2026-01-01',
      serviceTo: '2026-01-03',
    })
  })
})

describe('remittance835 assembler robustness (property)', () => {
  it('never throws on mutated input, and every issue has a position', () => {
    const inner = segmentsFromText(fixtureText).filter((s) => !['ISA', 'GS', 'GE', 'IEA'].includes(s.id))
    const firstSet = inner.slice(
      1,
      inner.findIndex((s) => s.id === 'SE'),
    )
    const step = fc.record({
      kind: fc.constantFrom('delete', 'duplicate', 'move', 'blank', 'garble'),
      at: fc.nat(),
      to: fc.nat(),
      element: fc.nat(),
    })
    const envelope = events.find((e) => e.type === 'transaction-start')
    if (envelope?.type !== 'transaction-start') throw new Error('no transaction-start')
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const assembler = createRemittance835Assembler(envelope.envelope)
        const out: X12Event[] = []
        for (const segment of mutateSegments(firstSet, steps)) assembler.push(segment, out)
        const summary = assembler.end(out)
        for (const issue of assembler.issues) expect(issue.position).toBeDefined()
        expect(out.filter((e) => e.type === 'remittance835-header')).toHaveLength(1)
        for (const c of claimsOf(out)) expect(Number.isSafeInteger(c.paid)).toBe(true)
        expect(summary.remittance).toBeDefined()
      }),
      { numRuns: 300 },
    )
  })
})
