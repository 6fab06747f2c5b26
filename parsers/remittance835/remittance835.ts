import type { IsoDate } from '../dates.js'
import type { Cents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { X12Position } from '../x12/segment.js'

/**
 * CAS group codes. 5010 has CO, OA, PI and PR; CR was retired but old remits still carry it, so it
 * is accepted and flagged by consumers (005010X221A1 CAS01 lists CO, OA, PI and PR; CR was retired with 4010).
 */
export type CasGroup = 'CO' | 'OA' | 'PI' | 'PR' | 'CR'

/** One CAS triplet, normalized. */
export interface Adjustment835 {
  group: string
  /** Claim adjustment reason code, e.g. `4`, `B15`. */
  carc: string
  amount: Cents
  quantity: number | undefined
  position: X12Position
}

/** The 835 header: everything before the first LX/CLP, shared by the claims of one ST..SE. */
export interface RemittanceHeader835 {
  envelope: EnvelopeContext
  /** BPR01 transaction handling code (I remittance with payment, H notification…). */
  handlingCode: string
  /** BPR02. */
  totalPaid: Cents
  /** BPR03 C credit / D debit. */
  creditDebit: string
  /** BPR04: ACH, CHK, NON… */
  paymentMethod: string
  /** BPR16. */
  paymentDate: IsoDate | undefined
  /** TRN02, the check or EFT trace number. */
  traceNumber: string | undefined
  /** TRN03, the payer's id. */
  traceOriginator: string | undefined
  /** DTM*405. */
  productionDate: IsoDate | undefined
  /** N1*PR: name and N104 id (or REF*2U). */
  payer: { name: string | undefined; id: string | undefined }
  /** N1*PE: name and N104 id (NPI or TIN). */
  payee: { name: string | undefined; idQualifier: string | undefined; id: string | undefined }
  position: X12Position
}

/** Loop 2110: one service line payment (SVC). */
export interface ServiceLine835 {
  /** SVC01-1, e.g. `HC`. */
  productQualifier: string
  /** SVC01-2. */
  procedureCode: string
  /** SVC01-3..6. */
  modifiers: string[]
  /** SVC02. */
  charge: Cents
  /** SVC03. */
  paid: Cents
  /** SVC04, the NUBC revenue code when present. */
  revenueCode: string | undefined
  /** SVC05 units paid (default 1 when absent). */
  units: number
  /** SVC06 composite when the payer adjudicated a different code than was billed. */
  originalProcedureCode: string | undefined
  /** DTM*472 (single date) or DTM*150/151 (period). */
  serviceFrom: IsoDate | undefined
  serviceTo: IsoDate | undefined
  /** REF*6R, echoing the 837 line item control number. */
  lineControlNumber: string | undefined
  adjustments: Adjustment835[]
  /** LQ*HE remark codes. */
  rarcs: string[]
  /** AMT*B6 allowed amount. */
  allowed: Cents | undefined
  position: X12Position
}

/** Loop 2100: one CLP with its lines, and the header of its transaction so that it stands alone. */
export interface RemittanceClaim835 {
  header: RemittanceHeader835
  /** CLP01: the 837's CLM01 as sent. */
  claimId: string
  /** CLP02: 1/2/3 processed, 4 denied, 19/20/21 forwarded, 22 reversal, 23 not ours, 25 predetermination. */
  status: string
  /** CLP03. */
  charge: Cents
  /** CLP04. */
  paid: Cents
  /** CLP05 (0 when absent). */
  patientResponsibility: Cents
  /** CLP06 claim filing indicator (MB, MC, 12…). */
  filingIndicator: string | undefined
  /** CLP07 payer claim control number. */
  payerClaimNumber: string | undefined
  /** CLP08 facility code (POS or TOB first two digits). */
  facilityCode: string | undefined
  /** CLP09 claim frequency. */
  frequencyCode: string | undefined
  /** NM1*QC patient: PHI. */
  patient: { lastName: string | undefined; firstName: string | undefined; memberId: string | undefined }
  /** NM1*IL insured member id when present. PHI. */
  insuredMemberId: string | undefined
  /** NM1*82 rendering provider id. */
  renderingProviderId: string | undefined
  /** DTM*232/233 statement period, DTM*050 received date. */
  statementFrom: IsoDate | undefined
  statementTo: IsoDate | undefined
  receivedDate: IsoDate | undefined
  /** REF segments at claim level, by qualifier (1L group, EA medical record, F8…). */
  references: Record<string, string>
  /** MOA (outpatient) / MIA (inpatient) remark codes. */
  remarkCodes: string[]
  /** Claim-level CAS. */
  adjustments: Adjustment835[]
  lines: ServiceLine835[]
  position: X12Position
}

/** PLB: one provider-level adjustment pair. A positive amount is withheld from the payment. */
export interface ProviderAdjustment835 {
  /** PLB01. */
  providerId: string
  /** PLB02 fiscal period date. */
  fiscalPeriodDate: IsoDate | undefined
  /** PLB03-1 reason (WO, L6, FB, 72…). */
  reason: string
  /** PLB03-2 reference. */
  reference: string | undefined
  amount: Cents
  position: X12Position
}
