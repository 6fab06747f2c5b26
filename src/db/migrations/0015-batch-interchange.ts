import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * `batch_interchange`: every 837 interchange the clearinghouse service accepted (its TA1 did not
 * reject it), keyed by its sender (ISA05 qualifier + ISA06) and ISA13, with its receiver (ISA07 +
 * ISA08) and the claim id of the file that brought it. The row is written in that file's
 * transaction; the unique key makes a second file with the same sender and ISA13 (other bytes: the
 * same bytes are a duplicate file) wait for the first's transaction, then find the row and answer
 * the interchange with TA1 025, so two workers never both accept one interchange.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('batch_interchange')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('sender_qualifier', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('control', 'text', (c) => c.notNull())
    .addColumn('receiver_qualifier', 'text', (c) => c.notNull())
    .addColumn('receiver_id', 'text', (c) => c.notNull())
    .addColumn('claim_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('batch_interchange_sender_control', ['sender_qualifier', 'sender_id', 'control'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('batch_interchange').ifExists().execute()
}
