import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import { readStoredClaim837 } from '../../parsers/claim837/claim837-stored-form.js'
import type { Database } from '../db/database.js'

/**
 * The typed claims of stored 837 claims (`submitted_claim`), by row id, in batches. Every reader
 * of a submitted claim's full form (corrected claims, appeal packets, `report preventable`) goes
 * through here, so the stored form (its X12 segments as text, migration 0012) is read in one place.
 */
export async function loadSubmittedClaims(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, Claim837>> {
  const out = new Map<number, Claim837>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('submitted_claim')
      .select(['id', 'claim_envelope', 'claim_x12'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const row of rows)
      out.set(Number(row.id), readStoredClaim837({ envelope: row.claim_envelope, x12: row.claim_x12 }))
  }
  return out
}

/** The typed claim of one stored 837 claim, or `undefined` when there is no such row. */
export async function loadSubmittedClaim(db: Kysely<Database>, id: number): Promise<Claim837 | undefined> {
  return (await loadSubmittedClaims(db, [id])).get(id)
}
