import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * `recovery_pass_owed`: a stored file whose re-match and recovery pass after its commit (see
 * rematchAfterCommit in src/ingest/ingest-files.ts) has not run yet. The row is written in the
 * file's own transaction and deleted by the pass, in the pass's transaction: a pass that failed,
 * or a process that died between the commit and the pass, leaves it, and the next `ingest`,
 * `batch` or `worker` start runs the pass (`onco-edi rematch` does all of them and clears it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recovery_pass_owed')
    .addColumn('file_id', 'bigint', (c) => c.primaryKey().references('ingest_file.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owed_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recovery_pass_owed').ifExists().execute()
}
