import type { ColumnType } from 'kysely'
import type { Int8 } from './core-tables.js'

type Id = ColumnType<Int8, never, never>
type Ref = ColumnType<Int8, number, number>
type NullableRef = ColumnType<Int8 | null, number | null, number | null>

/** One stored 999 or 277CA transaction set (migration 0010). */
export interface AcknowledgmentTable {
  id: Id
  file_id: Ref
  /** `999` or `277CA`. */
  kind: string
  /** ISA06 / ISA08 of the acknowledgment (its receiver is the 837's sender). */
  sender_id: string
  receiver_id: string
  interchange_control: string
  group_control: string
  transaction_control: string
  /** 999: AK102, the GS06 of the 837 group it answers. */
  acknowledged_group_control: string | null
  /** 999: AK901; 277CA: ''. */
  status: ColumnType<string, string | undefined, string>
  /** The typed 999 (Ack999) or a 277CA's claim counts, as JSON. No patient names or member ids. */
  detail: ColumnType<unknown, string, string>
  created_at: ColumnType<Date, never, never>
}

/** One claim an acknowledgment speaks of (migration 0010). */
export interface ClaimAcknowledgmentTable {
  id: Id
  acknowledgment_id: Ref
  submitted_claim_id: NullableRef
  /** CLM01 (999: from the stored 837 set; 277CA: TRN02 of 2200D). */
  claim_id: string
  /** `accepted`, `rejected` or `pending`. */
  outcome: string
  /** 277CA: the first STC category (`A7`); 999: IK501. */
  category: string | null
  /** 277CA: `A7:562:85` per status code; 999: IK502-IK506 and AK905-AK909 codes. */
  codes: string[]
  payer_claim_control: string | null
  status_date: string | null
  charge: ColumnType<Int8 | null, number | null, number | null>
  rework_item_id: NullableRef
}

/** The latest acknowledgment status of a submitted claim (migration 0010). */
export interface SubmittedClaimStatusTable {
  submitted_claim_id: Ref
  /** `accepted`, `rejected` or `pending`. */
  status: string
  /** `999` or `277CA`. */
  source: string
  claim_acknowledgment_id: Ref
  updated_at: ColumnType<Date, never, Date>
}

/** Tables of acknowledgments (migration 0010). */
export type AcknowledgmentTables = {
  acknowledgment: AcknowledgmentTable
  claim_acknowledgment: ClaimAcknowledgmentTable
  submitted_claim_status: SubmittedClaimStatusTable
}
