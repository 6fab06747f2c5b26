import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * `submitted_claim_prefix`: the text a batch of stored claims share, kept once instead of on every
 * claim. A claim's stored form (migration 0012) was its envelope JSON and all its segments: the set
 * header (BHT, submitter, receiver) and the billing provider's loop came again on every claim of a
 * set, about half of each row (435 + ~300 of ~1,350 bytes in the 837 bench file), and writing them
 * was most of the server's work in an 837 ingest. Now:
 * - `submitted_claim_prefix (file_id, prefix_no)` holds the envelope JSON and the shared segments
 *   (the set header and the HL chain above the claim's subscriber), one row per batch of claims
 *   that share them (src/ingest/store-837.ts);
 * - a claim stored since then has `prefix_no` and, in `claim_x12`, only the segments after the
 *   prefix; its `claim_envelope` is null. Its stored form is the prefix's envelope and
 *   `prefix_x12 || claim_x12` (src/rework/submitted-claim-reader.ts).
 * - A claim stored before keeps its whole form (`prefix_no` null, `claim_envelope` set); a check
 *   keeps every row in exactly one of the two forms.
 * The reference from a claim to its prefix is checked per statement, as 0013 checks the claim's
 * file (PostgreSQL docs, CREATE TRIGGER, "REFERENCING NEW TABLE"): the distinct prefixes a
 * statement's claims name must exist, and are locked FOR KEY SHARE; a prefix still named by a
 * claim cannot be deleted or renumbered.
 */
const UP = [
  `create table submitted_claim_prefix (
    file_id bigint not null references ingest_file (id),
    prefix_no integer not null,
    claim_envelope text not null,
    prefix_x12 text not null,
    primary key (file_id, prefix_no)
  )`,
  `alter table submitted_claim
    add column prefix_no integer,
    alter column claim_envelope drop not null,
    add constraint submitted_claim_stored_form check ((prefix_no is null) = (claim_envelope is not null))`,
  // One pass over the statement's rows: the distinct prefixes they name, then those that exist (locked).
  `create function submitted_claim_prefix_check() returns trigger language plpgsql
    set search_path from current as $$
    declare
      wanted bigint;
      found bigint;
    begin
      with named as materialized (
        select distinct file_id, prefix_no from new_rows where prefix_no is not null)
      select (select count(*) from named),
        (select count(*) from (select 1 from submitted_claim_prefix p
          join named n on n.file_id = p.file_id and n.prefix_no = p.prefix_no for key share of p) as locked)
      into wanted, found;
      if wanted <> found then
        raise exception 'insert or update on table "submitted_claim" references a submitted_claim_prefix that does not exist'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`,
  `create trigger submitted_claim_prefix_check_insert after insert on submitted_claim
    referencing new table as new_rows for each statement execute function submitted_claim_prefix_check()`,
  `create trigger submitted_claim_prefix_check_update after update on submitted_claim
    referencing new table as new_rows for each statement execute function submitted_claim_prefix_check()`,
  `create function submitted_claim_prefix_kept() returns trigger language plpgsql
    set search_path from current as $$
    begin
      if exists (select 1 from old_rows o
          join submitted_claim c on c.file_id = o.file_id and c.prefix_no = o.prefix_no
          where not exists (select 1 from submitted_claim_prefix p
            where p.file_id = o.file_id and p.prefix_no = o.prefix_no)) then
        raise exception 'update or delete on table "submitted_claim_prefix" leaves submitted_claim rows without their prefix'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`,
  `create trigger submitted_claim_prefix_kept_delete after delete on submitted_claim_prefix
    referencing old table as old_rows for each statement execute function submitted_claim_prefix_kept()`,
  `create trigger submitted_claim_prefix_kept_update after update on submitted_claim_prefix
    referencing old table as old_rows for each statement execute function submitted_claim_prefix_kept()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db)
}

/** Back to the whole form on every claim: each claim's prefix is put back in front of its text. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table submitted_claim drop constraint if exists submitted_claim_stored_form`.execute(db)
  for (const trigger of ['submitted_claim_prefix_check_insert', 'submitted_claim_prefix_check_update'])
    await sql.raw(`drop trigger if exists ${trigger} on submitted_claim`).execute(db)
  for (const trigger of ['submitted_claim_prefix_kept_delete', 'submitted_claim_prefix_kept_update'])
    await sql.raw(`drop trigger if exists ${trigger} on submitted_claim_prefix`).execute(db)
  await sql`update submitted_claim as c
    set claim_envelope = p.claim_envelope, claim_x12 = p.prefix_x12 || c.claim_x12, prefix_no = null
    from submitted_claim_prefix as p
    where p.file_id = c.file_id and p.prefix_no = c.prefix_no`.execute(db)
  await sql`alter table submitted_claim drop column prefix_no, alter column claim_envelope set not null`.execute(
    db,
  )
  await sql`drop table submitted_claim_prefix`.execute(db)
  await sql`drop function if exists submitted_claim_prefix_check()`.execute(db)
  await sql`drop function if exists submitted_claim_prefix_kept()`.execute(db)
}
