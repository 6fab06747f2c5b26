import type { IsoDate } from '../dates.js'
import type { Cents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment, X12Position } from '../x12/segment.js'

/** `837P` (005010X222A1, professional) or `837I` (005010X223A2, institutional). */
export type Claim837Kind = '837P' | '837I'

/** An NM1 party reduced to its ids. Organization names are kept; person names are PHI. */
export interface Party837 {
  /** NM101 entity code, e.g. `85` billing provider, `82` rendering, `71` attending, `PR` payer. */
  entity: string
  /** NM103 for an organization (NM102 = 2). People's names live only in {@link Person837}. */
  organizationName: string | undefined
  /** NM109 with its qualifier NM108 (XX = NPI, PI = payer id, MI = member id). */
  idQualifier: string | undefined
  id: string | undefined
}

/** A person from 2010BA/2010CA. Every field here is PHI: never log it or put it in a message. */
export interface Person837 {
  lastName: string | undefined
  firstName: string | undefined
  /** DMG02 as YYYY-MM-DD. */
  birthDate: IsoDate | undefined
  /** DMG03. */
  gender: string | undefined
}

/** Loop 2000B/2010BA: the subscriber and their coverage. */
export interface Subscriber837 {
  /** NM109 of 2010BA (member id). PHI. */
  memberId: string
  /** SBR01: P primary, S secondary, T tertiary… */
  payerResponsibility: string
  /** SBR02: 18 when the subscriber is the patient. */
  relationship: string
  /** SBR03. */
  groupNumber: string | undefined
  /** SBR09 claim filing indicator: MB Medicare Part B, MA Part A, MC Medicaid, CI commercial… */
  claimFilingIndicator: string | undefined
  person: Person837
}

/** Loop 2000C/2010CA, present only when the patient is not the subscriber. */
export interface Patient837 {
  /** PAT01 relationship to the subscriber. */
  relationship: string
  person: Person837
}

/** Loop 2410: the drug identification under a service line. */
export interface Drug837 {
  /** LIN02 qualifier, `N4` for an NDC. */
  qualifier: string
  /** LIN03 as sent (should be 11 digits, 5-4-2 without hyphens). */
  ndc: string
  /** CTP04 quantity; `undefined` when absent or not a number. */
  quantity: number | undefined
  /** CTP04 as sent. */
  quantityText: string
  /** CTP05-1 unit: F2, GR, ME, ML or UN. */
  unit: string
  /** REF*XZ prescription number / REF*VY link sequence, when present. */
  reference: string | undefined
  position: X12Position
}

/** Loop 2400: one service line (SV1 for 837P, SV2 for 837I). */
export interface ServiceLine837 {
  /** LX01. */
  lineNumber: number
  /** SV2-01 revenue code (837I only). */
  revenueCode: string | undefined
  /** SV1-01-1 / SV2-02-1 product qualifier, usually `HC` (HCPCS/CPT). */
  productQualifier: string | undefined
  /** SV1-01-2 / SV2-02-2: the HCPCS or CPT code. */
  procedureCode: string | undefined
  /** SV1-01-3..6 / SV2-02-3..6. */
  modifiers: string[]
  /** SV1-02 / SV2-03. */
  charge: Cents
  /** SV1-03 / SV2-04: UN units, MJ minutes. */
  unitBasis: string
  /** SV1-04 / SV2-05. */
  units: number
  /** SV1-07 diagnosis code pointers (1-based into the claim's HI codes), when sent (837P only). */
  diagnosisPointers?: number[]
  /** SV1-05 place of service (837P only; falls back to the claim's in consumers). */
  placeOfService: string | undefined
  /** DTP*472 at line level: from and to (to = from for a single date). */
  serviceFrom: IsoDate | undefined
  serviceTo: IsoDate | undefined
  /** REF*6R, the line item control number the 835 echoes. */
  lineControlNumber: string | undefined
  /** 2400 REF*G1 line-level prior authorization. */
  priorAuthorization: string | undefined
  /** NTE02 texts (may carry infusion start/stop times). */
  notes: string[]
  /** Loop 2410, when present. */
  drug: Drug837 | undefined
  /** Position of the SV1/SV2 segment. */
  position: X12Position
}

/** The segments a claim came from, kept so that the claim can be written back out unchanged. */
export interface Claim837Source {
  /** BHT and loops 1000A/1000B. */
  header: Segment[]
  /** The HL chain above the claim: 2000A (+2010AA/AB), 2000B (+2010BA/BB), 2000C (+2010CA). */
  hierarchy: Segment[]
  /** CLM and everything after it up to the next HL or SE. */
  body: Segment[]
}

/**
 * One claim (loop 2300) of an 837P or 837I, with enough context to stand alone.
 * Emitted one at a time; no whole-file tree is built.
 */
export interface Claim837 {
  kind: Claim837Kind
  envelope: EnvelopeContext
  /** BHT03, the originator's batch reference. */
  batchReference: string | undefined
  /** 2010AA. */
  billingProvider: Party837
  /** 2010BB. */
  payer: Party837
  subscriber: Subscriber837
  patient: Patient837 | undefined
  /** CLM01, the patient control number: the 835's CLP01 echoes it. */
  claimId: string
  /** CLM02. */
  totalCharge: Cents
  /** CLM05-1: place of service (837P) or facility type code (837I, first two digits of the TOB). */
  facilityCode: string
  /** CLM05-2: B (place of service) or A (uniform billing TOB). */
  facilityQualifier: string
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode: string
  /** 837I: facility code + frequency, e.g. `0131`. `undefined` on an 837P. */
  typeOfBill: string | undefined
  /** DTP*434 statement dates (837I) or DTP*472 claim-level service dates. */
  serviceFrom: IsoDate | undefined
  serviceTo: IsoDate | undefined
  /** 2300 REF*G1. */
  priorAuthorization: string | undefined
  /** 2300 REF*9F. */
  referralNumber: string | undefined
  /** 2300 REF*F8, the payer's claim control number on a replacement or void. */
  payerClaimControlNumber: string | undefined
  /** HI codes in order; the first is the principal (ABK/BK) diagnosis. */
  diagnoses: { qualifier: string; code: string }[]
  renderingProvider: Party837 | undefined
  attendingProvider: Party837 | undefined
  lines: ServiceLine837[]
  /** Position of the CLM segment. */
  position: X12Position
  source: Claim837Source
}
