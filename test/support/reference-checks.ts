import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/database.js'

/**
 * The SQLSTATE a statement failed with, or `undefined` when it succeeded (pg and PGlite both put
 * it in `code`): for the reference-check migrations' refusals (23503, 23514).
 */
export async function sqlState(statement: Promise<unknown>): Promise<string | undefined> {
  try {
    await statement
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

/** A bare ingested 837 file row named by `sha256`, for claims to reference; its id. */
export async function insertIngestFile(db: Kysely<Database>, sha256: string): Promise<number> {
  const row = await db
    .insertInto('ingest_file')
    .values({ sha256, name: `${sha256}.837`, kind: '837', byte_size: 1, status: 'ingested' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}
