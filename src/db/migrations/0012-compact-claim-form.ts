import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { toStoredClaim837 } from '../../../parsers/claim837/claim837-stored-form.js'

/** Rows converted per statement. */
const BATCH = 500

/**
 * The submitted claim is stored in a compact form: `claim_x12`, its own X12 segments as text (the
 * set header, the HL chain above it and its body), and `claim_envelope`, a small JSON text with the
 * envelope context and delimiters (parsers/claim837/claim837-stored-form.ts). It replaces
 * `claim_json`, the whole Claim837 as jsonb (about 10 KB a claim with its per-segment positions),
 * which PostgreSQL parsed on every insert: most of an 837 ingest's time. Existing rows are
 * converted in batches (keyset by id), then `claim_json` is dropped. A row whose JSON has no source
 * segments (none is written by ingest) gets empty text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table submitted_claim add column claim_envelope text, add column claim_x12 text`.execute(db)
  let after = 0
  for (;;) {
    const { rows } = await sql<{ id: string | number; claim: string }>`
      select id, claim_json::text as claim from submitted_claim
      where id > ${after} order by id limit ${BATCH}`.execute(db)
    if (rows.length === 0) break
    const ids: number[] = []
    const envelopes: string[] = []
    const texts: string[] = []
    for (const row of rows) {
      const claim = JSON.parse(row.claim) as Partial<Claim837>
      const stored =
        claim.source?.body !== undefined && claim.source.body.length > 0
          ? toStoredClaim837(claim as Claim837)
          : { envelope: '{}', x12: '' }
      ids.push(Number(row.id))
      envelopes.push(stored.envelope)
      texts.push(stored.x12)
    }
    await sql`update submitted_claim as s set claim_envelope = v.e, claim_x12 = v.x
      from unnest(${ids}::bigint[], ${envelopes}::text[], ${texts}::text[]) as v(id, e, x)
      where s.id = v.id`.execute(db)
    after = ids[ids.length - 1] ?? after
  }
  await sql`alter table submitted_claim
    alter column claim_envelope set not null,
    alter column claim_x12 set not null,
    drop column claim_json`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The JSON form cannot be rebuilt in SQL; a down migration keeps the compact columns.
  await sql`alter table submitted_claim add column if not exists claim_json jsonb`.execute(db)
}
