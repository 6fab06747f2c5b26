import type { Kysely } from 'kysely'
import type { Claim837 } from '../../parsers/claim837/claim837.js'
import type { StoredClaim837 } from '../../parsers/claim837/claim837-stored-form.js'
import { readStoredClaim837 } from '../../parsers/claim837/claim837-stored-form.js'
import type { Database } from '../db/database.js'

/**
 * The typed claims of stored 837 claims (`submitted_claim`), by row id, in batches. Every reader
 * of a submitted claim's full form (corrected claims, appeal packets, `report preventable`) goes
 * through here, so the stored form (its X12 segments as text, migrations 0012 and 0021) is read in
 * one place.
 */
export async function loadSubmittedClaims(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, Claim837>> {
  const out = new Map<number, Claim837>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('submitted_claim as c')
      .leftJoin('submitted_claim_prefix as p', (join) =>
        join.onRef('p.file_id', '=', 'c.file_id').onRef('p.prefix_no', '=', 'c.prefix_no'),
      )
      .select([
        'c.id',
        'c.claim_envelope',
        'c.claim_x12',
        'p.claim_envelope as prefix_envelope',
        'p.prefix_x12',
      ])
      .where('c.id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const row of rows) out.set(Number(row.id), readStoredClaim837(storedFormOf(row)))
  }
  return out
}

/**
 * A row's stored form: a claim stored since migration 0021 is its prefix's envelope and text
 * followed by its own text; one stored before carries all of it.
 */
function storedFormOf(row: {
  claim_envelope: string | null
  claim_x12: string
  prefix_envelope: string | null
  prefix_x12: string | null
}): StoredClaim837 {
  const envelope = row.prefix_envelope ?? row.claim_envelope
  // The check of migration 0021 keeps one of the two on every row.
  if (envelope === null) throw new Error('a stored claim has neither its envelope nor its prefix')
  return { envelope, x12: (row.prefix_x12 ?? '') + row.claim_x12 }
}

/** The typed claim of one stored 837 claim, or `undefined` when there is no such row. */
export async function loadSubmittedClaim(db: Kysely<Database>, id: number): Promise<Claim837 | undefined> {
  return (await loadSubmittedClaims(db, [id])).get(id)
}
