import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Duplicates are decided by content, not by control numbers.
 *
 * - `interchange` drops its unique (sender, ISA13): a sender may reuse an ISA13 for different
 *   content (a corrected resend, or a generator that restarts at 1). Such a file is stored, with
 *   an `X12_DUPLICATE_CONTROL_NUMBER` warning; the index stays for that look-up.
 * - `transaction_set` records every stored ST..SE set by a SHA-256 of its content (sender,
 *   ST01 and the segments between ST and SE), unique: a set already stored from another file is
 *   not stored again, so a file whose quarantined sets were fixed can be sent again whole. The
 *   unique index decides under concurrency (INSERT ... ON CONFLICT), never the order of reads.
 * - `ingest_file` gets the file's warnings (X12 issues as JSON) and its count of sets that were
 *   already stored from another file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table interchange drop constraint if exists interchange_sender_id_control_key`.execute(db)
  await db.schema
    .createIndex('interchange_sender_control')
    .on('interchange')
    .columns(['sender_id', 'control'])
    .execute()
  await db.schema
    .createTable('transaction_set')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('file_id', 'bigint', (c) => c.notNull().references('ingest_file.id'))
    .addColumn('content_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('transaction_type', 'text', (c) => c.notNull())
    .addColumn('interchange_control', 'text', (c) => c.notNull())
    .addColumn('group_control', 'text', (c) => c.notNull())
    .addColumn('transaction_control', 'text', (c) => c.notNull())
    .addColumn('claim_count', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .alterTable('ingest_file')
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('duplicate_set_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('transaction_set_file').on('transaction_set').column('file_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('transaction_set').ifExists().execute()
  await db.schema.alterTable('ingest_file').dropColumn('warnings').dropColumn('duplicate_set_count').execute()
  await db.schema.dropIndex('interchange_sender_control').ifExists().execute()
  await sql`alter table interchange add constraint interchange_sender_id_control_key unique (sender_id, control)`.execute(
    db,
  )
}
