import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * The two foreign keys an 837 ingest pays for on every row, `submitted_line.submitted_claim_id ->
 * submitted_claim` and `submitted_claim.file_id -> ingest_file`, become statement-level checks with
 * the same rule. A foreign key checks each inserted row on its own (PostgreSQL runs one
 * `SELECT 1 … FOR KEY SHARE` per row from a row trigger: one per line); `EXPLAIN ANALYZE` of
 * inserting 20k claims and 70k lines put these checks at about 40% of the server's insert time.
 * Here each statement is checked once, over its transition table (PostgreSQL docs, CREATE TRIGGER:
 * "REFERENCING NEW TABLE"), with one index look-up and one `FOR KEY SHARE` lock per distinct claim
 * (or file) it references:
 * - inserting or updating lines: every `submitted_claim_id` must be a claim, and those claims are
 *   locked FOR KEY SHARE until the transaction ends, as a foreign key locks them, so a concurrent
 *   delete waits, then fails or is not seen (a claim deleted meanwhile is not locked: the count
 *   differs and the insert fails);
 * - inserting or updating claims: the same for `file_id` and ingest_file;
 * - deleting claims, or changing their id: no line may be left without its claim (NO ACTION);
 * - deleting files, or changing their id: no claim may be left without its file.
 * A violation raises SQLSTATE 23503 (foreign_key_violation) like the foreign key did. The checks run
 * when the statement ends, so a statement that inserts claims and their lines together (an 837
 * batch) passes. `search_path` is the migration's, so the checks read this schema's tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table submitted_line drop constraint if exists submitted_line_submitted_claim_id_fkey`.execute(
    db,
  )
  await sql`alter table submitted_claim drop constraint if exists submitted_claim_file_id_fkey`.execute(db)

  // Inserted or updated lines: their claims exist, and are locked as a foreign key locks them.
  await sql`create function submitted_line_claim_check() returns trigger language plpgsql
    set search_path from current as $$
    declare
      ids bigint[];
    begin
      select array_agg(distinct submitted_claim_id) into ids from new_lines;
      if ids is not null and cardinality(ids) <> (select count(*) from
          (select 1 from submitted_claim where id = any(ids) for key share) as locked) then
        raise exception 'insert or update on table "submitted_line" references a submitted_claim that does not exist'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger submitted_line_claim_insert after insert on submitted_line
    referencing new table as new_lines for each statement execute function submitted_line_claim_check()`.execute(
    db,
  )
  await sql`create trigger submitted_line_claim_update after update on submitted_line
    referencing new table as new_lines for each statement execute function submitted_line_claim_check()`.execute(
    db,
  )

  // Inserted or updated claims: their files exist and are locked.
  await sql`create function submitted_claim_file_check() returns trigger language plpgsql
    set search_path from current as $$
    declare
      ids bigint[];
    begin
      select array_agg(distinct file_id) into ids from new_claims;
      if ids is not null and cardinality(ids) <> (select count(*) from
          (select 1 from ingest_file where id = any(ids) for key share) as locked) then
        raise exception 'insert or update on table "submitted_claim" references an ingest_file that does not exist'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger submitted_claim_file_insert after insert on submitted_claim
    referencing new table as new_claims for each statement execute function submitted_claim_file_check()`.execute(
    db,
  )

  // Deleted claims (or claims whose id changed): no line is left without its claim.
  await sql`create function submitted_claim_lines_kept() returns trigger language plpgsql
    set search_path from current as $$
    declare
      gone bigint[];
    begin
      select array_agg(o.id) into gone from old_claims o
        where not exists (select 1 from submitted_claim c where c.id = o.id);
      if gone is not null and exists (select 1 from submitted_line where submitted_claim_id = any(gone)) then
        raise exception 'update or delete on table "submitted_claim" leaves submitted_line rows without their claim'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger submitted_claim_lines_delete after delete on submitted_claim
    referencing old table as old_claims for each statement execute function submitted_claim_lines_kept()`.execute(
    db,
  )
  // An update checks both sides, with the same two functions: the new rows' files, and the lines
  // of ids that changed.
  await sql`create trigger submitted_claim_update_file after update on submitted_claim
    referencing new table as new_claims
    for each statement execute function submitted_claim_file_check()`.execute(db)
  await sql`create trigger submitted_claim_update_lines after update on submitted_claim
    referencing old table as old_claims
    for each statement execute function submitted_claim_lines_kept()`.execute(db)

  // Deleted files (or files whose id changed): no claim is left without its file.
  await sql`create function ingest_file_claims_kept() returns trigger language plpgsql
    set search_path from current as $$
    declare
      gone bigint[];
    begin
      select array_agg(o.id) into gone from old_files o
        where not exists (select 1 from ingest_file f where f.id = o.id);
      if gone is not null and exists (select 1 from submitted_claim where file_id = any(gone)) then
        raise exception 'update or delete on table "ingest_file" leaves submitted_claim rows without their file'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger ingest_file_claims_delete after delete on ingest_file
    referencing old table as old_files for each statement execute function ingest_file_claims_kept()`.execute(
    db,
  )
  await sql`create trigger ingest_file_claims_update after update on ingest_file
    referencing old table as old_files for each statement execute function ingest_file_claims_kept()`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists ingest_file_claims_update on ingest_file`.execute(db)
  await sql`drop trigger if exists ingest_file_claims_delete on ingest_file`.execute(db)
  await sql`drop trigger if exists submitted_claim_update_lines on submitted_claim`.execute(db)
  await sql`drop trigger if exists submitted_claim_update_file on submitted_claim`.execute(db)
  await sql`drop trigger if exists submitted_claim_lines_delete on submitted_claim`.execute(db)
  await sql`drop trigger if exists submitted_claim_file_insert on submitted_claim`.execute(db)
  await sql`drop trigger if exists submitted_line_claim_update on submitted_line`.execute(db)
  await sql`drop trigger if exists submitted_line_claim_insert on submitted_line`.execute(db)
  await sql`drop function if exists ingest_file_claims_kept()`.execute(db)
  await sql`drop function if exists submitted_claim_lines_kept()`.execute(db)
  await sql`drop function if exists submitted_claim_file_check()`.execute(db)
  await sql`drop function if exists submitted_line_claim_check()`.execute(db)
  await sql`alter table submitted_claim add constraint submitted_claim_file_id_fkey
    foreign key (file_id) references ingest_file (id)`.execute(db)
  await sql`alter table submitted_line add constraint submitted_line_submitted_claim_id_fkey
    foreign key (submitted_claim_id) references submitted_claim (id)`.execute(db)
}
