import type { ColumnType, Generated } from 'kysely'

/** An int8 as read: pg returns a string, PGlite a number; convert with `Number()`. */
type Int8 = string | number

/** One claimed file of the clearinghouse service (migration 0011). */
export interface BatchFileTable {
  id: Generated<Int8>
  claim_id: string
  sha256: string
  name: string
  output_base: string
  kind: string | null
  /** BatchStatus: accepted, rejected, partial, ingested, duplicate, failed. */
  status: string
  /** The claim id of the first file with the same bytes, for a duplicate. */
  duplicate_of: string | null
  claims: ColumnType<number, number | undefined, number>
  /** The file's result as JSON text, exactly as NAME.result.json holds it (re-published byte for byte). */
  result: ColumnType<unknown, string, string>
  /** The output files' suffixes (e.g. `999.x12`), as JSON text on write. */
  outputs: ColumnType<unknown, string, string>
  processed_at: ColumnType<Date, never, never>
}

/** The bytes of an enqueued file, until its job's row commits. */
export interface BatchUploadTable {
  claim_id: string
  name: string
  sha256: string
  bytes: Uint8Array
  created_at: ColumnType<Date, never, never>
}

/** An 837 interchange the service accepted (migration 0015): unique by sender and ISA13. */
export interface BatchInterchangeTable {
  id: Generated<Int8>
  /** ISA05, ISA06 (trimmed), ISA13. */
  sender_qualifier: string
  sender_id: string
  control: string
  /** ISA07, ISA08 (trimmed). */
  receiver_qualifier: string
  receiver_id: string
  /** The claim id of the file (`batch_file.claim_id`) that brought it. */
  claim_id: string
  received_at: ColumnType<Date, never, Date>
}

export interface BatchTables {
  batch_file: BatchFileTable
  batch_upload: BatchUploadTable
  batch_interchange: BatchInterchangeTable
}
