import type { ColumnType } from 'kysely'
import type { Int8 } from './core-tables.js'

/**
 * One stored ST..SE transaction set (migration 0005). `content_sha256` is unique: a set already
 * stored from another file (a resend) is not stored again.
 */
export interface TransactionSetTable {
  id: ColumnType<Int8, never, never>
  file_id: ColumnType<Int8, number, number>
  /** SHA-256 of the sender (ISA06), ST01 and the segments between ST and SE. */
  content_sha256: string
  sender_id: string
  transaction_type: string
  interchange_control: string
  group_control: string
  transaction_control: string
  /** Claims stored from the set (CLM or CLP). */
  claim_count: number
}

/** Tables of the ingest layer added after 0001. */
export type IngestTables = {
  transaction_set: TransactionSetTable
}
