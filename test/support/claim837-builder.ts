import type { Claim837, Claim837Kind, ServiceLine837 } from '../../parsers/claim837/claim837.js'
import type { EnvelopeContext } from '../../parsers/x12/envelope.js'
import type { Delimiters, Segment } from '../../parsers/x12/segment.js'
import { positionOf } from '../../parsers/x12/segment.js'

/** A service line for {@link buildClaim837}. Dates are YYYY-MM-DD. */
export interface LineSpec {
  code: string
  units?: number
  modifiers?: string[]
  dos?: string
  pos?: string
  chargeCents?: number
  revenueCode?: string
  ndc?: string
  ndcQualifier?: string
  ndcQuantity?: string
  ndcUnit?: string
  auth?: string
  notes?: string[]
}

/** A claim for {@link buildClaim837}: made-up people only. */
export interface ClaimSpec {
  kind?: Claim837Kind
  claimId?: string
  memberId?: string
  payerId?: string
  /** SBR09: MB Medicare Part B, MC Medicaid, CI commercial. */
  filing?: string
  /** 837P place of service (CLM05-1). */
  pos?: string
  /** 837I type of bill, e.g. `0131`. */
  tob?: string
  dos?: string
  auth?: string
  referral?: string
  lines: LineSpec[]
}

export const TEST_DELIMITERS: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' }

/**
 * Builds a Claim837 and the source segments it would have come from, so that fixes edit real
 * segments and positions point at them. Subscriber "DOE, JANE" is made up.
 */
export function buildClaim837(spec: ClaimSpec): Claim837 {
  const kind = spec.kind ?? '837P'
  const claimId = spec.claimId ?? 'PCN0001'
  const dos = spec.dos ?? '2026-02-10'
  let offset = 1000
  let index = 20
  let stIndex = 18
  const body: Segment[] = []
  const seg = (...elements: string[]): Segment => {
    const segment: Segment = {
      id: elements[0] ?? '',
      elements,
      offset,
      index,
      stIndex,
      delimiters: TEST_DELIMITERS,
    }
    offset += elements.join('*').length + 1
    index++
    stIndex++
    body.push(segment)
    return segment
  }
  const facility = kind === '837P' ? (spec.pos ?? '11') : (spec.tob ?? '0131').slice(0, 3).replace(/^0/, '')
  const frequency = kind === '837P' ? '1' : (spec.tob ?? '0131').slice(-1)
  const total = spec.lines.reduce((sum, line) => sum + (line.chargeCents ?? 10000), 0)
  const clm = seg(
    'CLM',
    claimId,
    (total / 100).toFixed(2),
    '',
    '',
    `${facility}:${kind === '837P' ? 'B' : 'A'}:${frequency}`,
  )
  if (kind === '837I') seg('DTP', '434', 'RD8', `${dos.replaceAll('-', '')}-${dos.replaceAll('-', '')}`)
  if (spec.auth !== undefined) seg('REF', 'G1', spec.auth)
  if (spec.referral !== undefined) seg('REF', '9F', spec.referral)
  const lines: ServiceLine837[] = spec.lines.map((line, i) => {
    const lineDos = line.dos ?? dos
    seg('LX', String(i + 1))
    const composite = ['HC', line.code, ...(line.modifiers ?? [])].join(':')
    const units = line.units ?? 1
    const charge = ((line.chargeCents ?? 10000) / 100).toFixed(2)
    const service =
      kind === '837P'
        ? seg('SV1', composite, charge, 'UN', String(units), line.pos ?? '', '', '1')
        : seg('SV2', line.revenueCode ?? '0636', composite, charge, 'UN', String(units))
    seg('DTP', '472', 'D8', lineDos.replaceAll('-', ''))
    if (line.auth !== undefined) seg('REF', 'G1', line.auth)
    for (const note of line.notes ?? []) seg('NTE', 'ADD', note)
    let drug: ServiceLine837['drug']
    if (line.ndc !== undefined) {
      const lin = seg('LIN', '', line.ndcQualifier ?? 'N4', line.ndc)
      const quantityText = line.ndcQuantity ?? '1'
      seg('CTP', '', '', '', quantityText, `${line.ndcUnit ?? 'UN'}`)
      const quantity = Number(quantityText)
      drug = {
        qualifier: line.ndcQualifier ?? 'N4',
        ndc: line.ndc,
        quantity: quantityText === '' || Number.isNaN(quantity) ? undefined : quantity,
        quantityText,
        unit: line.ndcUnit ?? 'UN',
        reference: undefined,
        position: positionOf(lin),
      }
    }
    return {
      lineNumber: i + 1,
      revenueCode: kind === '837I' ? (line.revenueCode ?? '0636') : undefined,
      productQualifier: 'HC',
      procedureCode: line.code,
      modifiers: line.modifiers ?? [],
      charge: line.chargeCents ?? 10000,
      unitBasis: 'UN',
      units,
      placeOfService: line.pos,
      serviceFrom: lineDos,
      serviceTo: lineDos,
      lineControlNumber: undefined,
      priorAuthorization: line.auth,
      notes: line.notes ?? [],
      drug,
      position: positionOf(service),
    }
  })
  const envelope: EnvelopeContext = {
    senderId: 'SENDER01',
    receiverId: 'RECEIVER01',
    interchangeControl: '000000001',
    usageIndicator: 'T',
    interchangeDate: '2026-02-11',
    groupControl: '1',
    version: kind === '837P' ? '005010X222A1' : '005010X223A2',
    transactionType: '837',
    transactionControl: '0001',
    implementation: kind === '837P' ? '005010X222A1' : '005010X223A2',
    position: { offset: 106, segment: 3, stSegment: 1, segmentId: 'ST' },
  }
  return {
    kind,
    envelope,
    batchReference: 'BATCH1',
    billingProvider: {
      entity: '85',
      organizationName: 'SAMPLE ONCOLOGY',
      idQualifier: 'XX',
      id: '1234567893',
    },
    payer: {
      entity: 'PR',
      organizationName: 'SAMPLE PAYER',
      idQualifier: 'PI',
      id: spec.payerId ?? 'SKCOM1',
    },
    subscriber: {
      memberId: spec.memberId ?? 'MBR0001',
      payerResponsibility: 'P',
      relationship: '18',
      groupNumber: undefined,
      claimFilingIndicator: spec.filing ?? 'CI',
      person: { lastName: 'DOE', firstName: 'JANE', birthDate: '1960-01-01', gender: 'F' },
    },
    patient: undefined,
    claimId,
    totalCharge: total,
    facilityCode: facility,
    facilityQualifier: kind === '837P' ? 'B' : 'A',
    frequencyCode: frequency,
    typeOfBill: kind === '837I' ? (spec.tob ?? '0131') : undefined,
    serviceFrom: dos,
    serviceTo: dos,
    priorAuthorization: spec.auth,
    referralNumber: spec.referral,
    payerClaimControlNumber: undefined,
    diagnoses: [{ qualifier: 'ABK', code: 'C50911' }],
    renderingProvider: undefined,
    attendingProvider: undefined,
    lines,
    position: positionOf(clm),
    source: { header: [], hierarchy: [], body },
  }
}
