import type { IsoDate } from '../dates.js'
import { formatX12Amount } from '../money.js'
import type { Delimiters, Segment } from '../x12/segment.js'
import type { Claim837, Party837, Person837, ServiceLine837 } from './claim837.js'

/** The submitter (1000A) and receiver (1000B) written above claims built from their typed fields. */
export interface Claim837Parties {
  submitter?: {
    name?: string | undefined
    id?: string | undefined
    contact?: { name?: string | undefined; qualifier?: string | undefined; number?: string | undefined }
  }
  receiver?: { name?: string | undefined; id?: string | undefined }
}

/** The delimiters of built segments; the writer translates them to its output delimiters. */
const DELIMITERS: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' }

/** HI holds at most 12 diagnosis composites (005010X222A1 2300 HI01..HI12). */
const HI_MAX = 12

/**
 * The segments of a claim built from its typed fields, for {@link writeClaims837}: what a claim
 * that did not come from X12 (a JSON claim record) is written from. Segments follow the 5010
 * guides' order (005010X222A1 / 005010X223A2): header BHT, 1000A NM1*41 + PER, 1000B NM1*40;
 * 2000A HL + NM1*85; 2000B HL + SBR + NM1*IL + DMG + NM1*PR; 2000C HL + PAT + NM1*QC + DMG when
 * the patient is not the subscriber; 2300 CLM, DTP*434 (837I statement dates), REF*9F/G1/F8, HI,
 * NM1*71 (837I attending) / NM1*82 (rendering); 2400 LX, SV1 or SV2, DTP*472, REF*G1/6R, NTE;
 * 2410 LIN, CTP, REF*XZ. Reading the written 837 back gives the same typed claim.
 *
 * The typed model carries no addresses, tax ids or people's names of providers: the N3/N4,
 * REF*EI and provider person names the guides require are not written.
 *
 * @example
 * ```ts
 * const source = claim837SourceOf(claim, { submitter: { name: 'CLINIC', id: '123' } }, '2026-03-01')
 * writeClaims837([{ ...claim, source }], options)
 * ```
 */
export function claim837SourceOf(
  claim: Omit<Claim837, 'source'>,
  parties: Claim837Parties,
  date: IsoDate,
): Claim837['source'] {
  const submitter = parties.submitter ?? {}
  const header = [
    segment([
      'BHT',
      '0019',
      '00',
      claim.batchReference ?? claim.claimId,
      date.replaceAll('-', ''),
      '0000',
      'CH',
    ]),
    segment([
      'NM1',
      '41',
      '2',
      submitter.name ?? '',
      '',
      '',
      '',
      '',
      '46',
      submitter.id ?? claim.envelope.senderId,
    ]),
  ]
  const contact = submitter.contact
  if (contact !== undefined && (contact.name !== undefined || contact.number !== undefined))
    header.push(segment(['PER', 'IC', contact.name ?? '', contact.qualifier ?? '', contact.number ?? '']))
  header.push(
    segment([
      'NM1',
      '40',
      '2',
      parties.receiver?.name ?? '',
      '',
      '',
      '',
      '',
      '46',
      parties.receiver?.id ?? claim.envelope.receiverId,
    ]),
  )

  const subscriber = claim.subscriber
  const hierarchy = [segment(['HL', '', '', '20', '']), party(claim.billingProvider)]
  hierarchy.push(
    segment(['HL', '', '', '22', '']),
    segment([
      'SBR',
      subscriber.payerResponsibility,
      subscriber.relationship,
      subscriber.groupNumber ?? '',
      '',
      '',
      '',
      '',
      '',
      subscriber.claimFilingIndicator ?? '',
    ]),
    person('IL', subscriber.person, subscriber.memberId),
  )
  const subscriberDmg = dmg(subscriber.person)
  if (subscriberDmg !== undefined) hierarchy.push(subscriberDmg)
  hierarchy.push(party(claim.payer))
  if (claim.patient !== undefined) {
    hierarchy.push(
      segment(['HL', '', '', '23', '']),
      segment(['PAT', claim.patient.relationship]),
      person('QC', claim.patient.person, undefined),
    )
    const patientDmg = dmg(claim.patient.person)
    if (patientDmg !== undefined) hierarchy.push(patientDmg)
  }

  const institutional = claim.kind === '837I'
  const body = [
    segment([
      'CLM',
      claim.claimId,
      formatX12Amount(claim.totalCharge),
      '',
      '',
      [claim.facilityCode, claim.facilityQualifier, claim.frequencyCode].join(':'),
      // CLM06 provider signature (837P only), CLM07 assignment, CLM08 benefits, CLM09 release:
      // required by both guides, not in the model; the usual values are written.
      institutional ? '' : 'Y',
      'A',
      'Y',
      'Y',
    ]),
  ]
  // 837I 2300 DTP*434 statement dates are required (005010X223A2); an 837P claim's dates come
  // from its lines, and a 2300 DTP*472 is written only when they would not give the same period.
  if (claim.serviceFrom !== undefined && claim.serviceTo !== undefined) {
    const fromLines = linePeriod(claim.lines)
    if (institutional) body.push(period('434', claim.serviceFrom, claim.serviceTo))
    else if (fromLines.from !== claim.serviceFrom || fromLines.to !== claim.serviceTo)
      body.push(period('472', claim.serviceFrom, claim.serviceTo))
  }
  if (claim.referralNumber !== undefined) body.push(segment(['REF', '9F', claim.referralNumber]))
  if (claim.priorAuthorization !== undefined) body.push(segment(['REF', 'G1', claim.priorAuthorization]))
  if (claim.payerClaimControlNumber !== undefined)
    body.push(segment(['REF', 'F8', claim.payerClaimControlNumber]))
  for (let at = 0; at < claim.diagnoses.length; at += HI_MAX) {
    const codes = claim.diagnoses.slice(at, at + HI_MAX).map((d) => `${d.qualifier}:${d.code}`)
    body.push(segment(['HI', ...codes]))
  }
  if (claim.attendingProvider !== undefined) body.push(party(claim.attendingProvider))
  if (claim.renderingProvider !== undefined) body.push(party(claim.renderingProvider))
  for (const line of claim.lines) body.push(...lineSegments(line, institutional))
  return { header, hierarchy, body }
}

function lineSegments(line: ServiceLine837, institutional: boolean): Segment[] {
  const out = [segment(['LX', String(line.lineNumber)])]
  const composite =
    line.productQualifier === undefined && line.procedureCode === undefined
      ? ''
      : [line.productQualifier ?? 'HC', line.procedureCode ?? '', ...line.modifiers].join(':')
  const units = formatDecimal(line.units)
  if (institutional) {
    out.push(
      segment([
        'SV2',
        line.revenueCode ?? '',
        composite,
        formatX12Amount(line.charge),
        line.unitBasis,
        units,
      ]),
    )
  } else {
    out.push(
      segment([
        'SV1',
        composite,
        formatX12Amount(line.charge),
        line.unitBasis,
        units,
        line.placeOfService ?? '',
        '',
        (line.diagnosisPointers ?? []).join(':'),
      ]),
    )
  }
  if (line.serviceFrom !== undefined)
    out.push(period('472', line.serviceFrom, line.serviceTo ?? line.serviceFrom))
  if (line.priorAuthorization !== undefined) out.push(segment(['REF', 'G1', line.priorAuthorization]))
  if (line.lineControlNumber !== undefined) out.push(segment(['REF', '6R', line.lineControlNumber]))
  for (const note of line.notes) out.push(segment(['NTE', 'ADD', note]))
  const drug = line.drug
  if (drug !== undefined) {
    out.push(segment(['LIN', '', drug.qualifier, drug.ndc]))
    const quantity =
      drug.quantityText !== ''
        ? drug.quantityText
        : drug.quantity === undefined
          ? ''
          : formatDecimal(drug.quantity)
    if (quantity !== '' || drug.unit !== '') out.push(segment(['CTP', '', '', '', quantity, drug.unit]))
    if (drug.reference !== undefined) out.push(segment(['REF', 'XZ', drug.reference]))
  }
  return out
}

/** The period an 837 reader derives from the lines when the claim has no 2300 date. */
function linePeriod(lines: readonly ServiceLine837[]): { from: string | undefined; to: string | undefined } {
  let from: string | undefined
  let to: string | undefined
  for (const line of lines) {
    if (line.serviceFrom !== undefined && (from === undefined || line.serviceFrom < from))
      from = line.serviceFrom
    if (line.serviceTo !== undefined && (to === undefined || line.serviceTo > to)) to = line.serviceTo
  }
  return { from, to }
}

/** DTP with D8 for one date, RD8 for a period. */
function period(qualifier: string, from: IsoDate, to: IsoDate): Segment {
  const d8 = (date: IsoDate): string => date.replaceAll('-', '')
  return from === to
    ? segment(['DTP', qualifier, 'D8', d8(from)])
    : segment(['DTP', qualifier, 'RD8', `${d8(from)}-${d8(to)}`])
}

/** NM1 of a provider or payer: NM102 2 (organization) when it has a name, else 1 (person). */
function party(p: Party837): Segment {
  return segment([
    'NM1',
    p.entity,
    p.organizationName === undefined ? '1' : '2',
    p.organizationName ?? '',
    '',
    '',
    '',
    '',
    p.idQualifier ?? '',
    p.id ?? '',
  ])
}

/** NM1*IL (member id with MI) or NM1*QC of a person (NM102 1). */
function person(entity: string, p: Person837, memberId: string | undefined): Segment {
  return segment([
    'NM1',
    entity,
    '1',
    p.lastName ?? '',
    p.firstName ?? '',
    '',
    '',
    '',
    memberId === undefined ? '' : 'MI',
    memberId ?? '',
  ])
}

function dmg(p: Person837): Segment | undefined {
  if (p.birthDate === undefined && p.gender === undefined) return undefined
  return segment([
    'DMG',
    p.birthDate === undefined ? '' : 'D8',
    p.birthDate?.replaceAll('-', '') ?? '',
    p.gender ?? '',
  ])
}

/** A decimal without exponent: X12 R elements have no exponent notation. */
function formatDecimal(value: number): string {
  const text = String(value)
  if (!text.includes('e')) return text
  return value.toFixed(20).replace(/\.?0+$/, '')
}

function segment(elements: string[]): Segment {
  // Trailing empty elements are dropped by the writer.
  return { id: elements[0] ?? '', elements, offset: 0, index: 0, stIndex: 0, delimiters: DELIMITERS }
}
