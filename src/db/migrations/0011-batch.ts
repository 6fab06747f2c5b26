import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * The clearinghouse service (`onco-edi batch`, `worker`, `enqueue`):
 * - `batch_file`: one row per claimed file (a drop into the inbox, or an enqueued file), keyed by
 *   its claim id, written in the same transaction as the file's work, so a file whose row exists
 *   is done and a file without one is done again from the start. `sha256` is unique among the
 *   originals (`duplicate_of` null): the same bytes dropped twice give a second row that points at
 *   the first and is acknowledged as a duplicate. `output_base` names the file's outputs in the
 *   outbox (unique, so a second drop of the same name never overwrites the first's result).
 * - `batch_upload`: the bytes of a file enqueued with `onco-edi enqueue`, so a worker on any
 *   machine reads them from PostgreSQL (no shared input folder); deleted when the job's row commits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('batch_file')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().unique())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('output_base', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'text')
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('outputs', 'jsonb', (c) => c.notNull())
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index batch_file_original_sha256 on batch_file (sha256) where duplicate_of is null`.execute(
    db,
  )
  await db.schema
    .createTable('batch_upload')
    .addColumn('claim_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('batch_upload').ifExists().execute()
  await db.schema.dropTable('batch_file').ifExists().execute()
}
