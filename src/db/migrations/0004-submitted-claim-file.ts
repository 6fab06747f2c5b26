import type { Kysely } from 'kysely'

/**
 * The submitted claims of an 837 file, by file: re-matching the remits that came before the file
 * (src/ingest/rematch-remits.ts) looks up the file's CLM01s with it, instead of holding them all
 * in memory while the file streams.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('submitted_claim_file').on('submitted_claim').column('file_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('submitted_claim_file').ifExists().execute()
}
