import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * The outbound control-number counter: one row per sender/receiver pair (ISA06/ISA08 of the
 * interchanges we write). `last_value` is the last number handed out; a reservation raises it
 * in one statement (src/db/control-number-repository.ts), so a number is never handed out twice.
 * ISA13 is at most 9 digits (X12 005010 ISA13, N0 9/9), hence the check.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('control_number')
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('receiver_id', 'text', (c) => c.notNull())
    .addColumn('last_value', 'bigint', (c) => c.notNull().check(sql`last_value between 0 and 999999999`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('control_number_pk', ['sender_id', 'receiver_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('control_number').ifExists().execute()
}
