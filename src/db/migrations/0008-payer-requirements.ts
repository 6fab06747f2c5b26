import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * One payer profile for scrub and denials: the claim requirements scrub reads join the deadline
 * settings of `payer_profile`. NULL means "the payer class default" (transforms/denials/payer-profile.ts
 * `payerRequirements`), so the rows imported before this migration keep their meaning.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table payer_profile
    add column requires_ndc boolean,
    add column jw_jz_required boolean,
    add column drug_prior_auth text check (drug_prior_auth in ('none', 'list'))`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table payer_profile
    drop column if exists requires_ndc,
    drop column if exists jw_jz_required,
    drop column if exists drug_prior_auth`.execute(db)
}
