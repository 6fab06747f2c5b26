import type { Cents } from '../../parsers/money.js'

/**
 * The rows remit processing produces, one interface per table, field names as the columns.
 * `src/db` checks each against its table when it declares the bulk insert.
 */

/** One CLP (loop 2100) as stored in remit_claim. */
export interface RemitClaimRow {
  id: number
  remittance_id: number
  file_id: number
  claim_id: string
  payer_id: string | null
  status: string
  charge: Cents
  paid: Cents
  patient_responsibility: Cents
  filing_indicator: string | null
  payer_claim_number: string | null
  facility_code: string | null
  frequency_code: string | null
  statement_from: string | null
  statement_to: string | null
  remit_date: string | null
  /** MOA/MIA remarks joined with `,`. */
  remark_codes: string
  submitted_claim_id: number | null
  match_status: 'matched' | 'unmatched'
  is_reversal: boolean
}

/** One SVC (loop 2110) as stored in remit_line. */
export interface RemitLineRow {
  id: number
  remit_claim_id: number
  line_seq: number
  procedure_code: string
  /** `A:B`. */
  modifiers: string
  charge: Cents
  paid: Cents
  units: number
  service_from: string | null
  service_to: string | null
  line_control: string | null
  /** LQ*HE joined with `,`. */
  rarcs: string
  allowed: Cents | null
  submitted_line_id: number | null
}

/** One CAS triplet (claim level when `remit_line_id` is null) as stored in remit_adjustment. */
export interface RemitAdjustmentRow {
  remit_claim_id: number
  remit_line_id: number | null
  group_code: string
  carc: string
  amount: Cents
  quantity: number | null
}

/**
 * One claim's denials in one queue as stored in rework_item (status, assignee and recovery take
 * their defaults); its lines are {@link ReworkItemLineRow}s.
 */
export interface ReworkItemRow {
  id: number
  file_id: number
  remit_claim_id: number
  remit_line_id: number | null
  submitted_claim_id: number | null
  submitted_line_id: number | null
  level: 'claim' | 'line'
  claim_id: string
  payer_id: string | null
  payer_claim_number: string | null
  procedure_code: string | null
  service_date: string | null
  remit_date: string | null
  queue: string
  action: string
  carcs: string[]
  rarcs: string[]
  amount: Cents
  deadline: string | null
  deadline_basis: string
  low_confidence: boolean
  appealable: boolean
  flags: string[]
  guidance: string
}

/** One denied line (or the claim-level CAS) of a rework item, as stored in rework_item_line. */
export interface ReworkItemLineRow {
  rework_item_id: number
  remit_line_id: number | null
  submitted_line_id: number | null
  level: 'claim' | 'line'
  procedure_code: string | null
  modifiers: string
  units: number | null
  service_date: string | null
  carcs: string[]
  rarcs: string[]
  amount: Cents
  action: string
  deadline: string | null
  deadline_basis: string
  low_confidence: boolean
  appealable: boolean
  flags: string[]
  guidance: string
}
