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
/** A reference checked per statement: `child.column` -> `parent.id`. */
interface Reference {
  child: string
  column: string
  parent: string
}

const REFERENCES: readonly Reference[] = [
  { child: 'submitted_line', column: 'submitted_claim_id', parent: 'submitted_claim' },
  { child: 'submitted_claim', column: 'file_id', parent: 'ingest_file' },
]

/** The two functions and four triggers of one reference (names and SQL from constants above). */
function referenceSql({ child, column, parent }: Reference): { up: string[]; down: string[] } {
  const check = `${child}_${column}_check`
  const kept = `${parent}_${child}_kept`
  return {
    up: [
      // Inserted or updated child rows: their parents exist, and are locked as a foreign key locks them.
      `create function ${check}() returns trigger language plpgsql
        set search_path from current as $$
        declare
          ids bigint[];
        begin
          select array_agg(distinct ${column}) into ids from new_rows;
          if ids is not null and cardinality(ids) <> (select count(*) from
              (select 1 from ${parent} where id = any(ids) for key share) as locked) then
            raise exception 'insert or update on table "${child}" references a ${parent} that does not exist'
              using errcode = 'foreign_key_violation';
          end if;
          return null;
        end $$`,
      `create trigger ${check}_insert after insert on ${child}
        referencing new table as new_rows for each statement execute function ${check}()`,
      `create trigger ${check}_update after update on ${child}
        referencing new table as new_rows for each statement execute function ${check}()`,
      // Deleted parents (or parents whose id changed): no child row is left without its parent.
      `create function ${kept}() returns trigger language plpgsql
        set search_path from current as $$
        declare
          gone bigint[];
        begin
          select array_agg(o.id) into gone from old_rows o
            where not exists (select 1 from ${parent} p where p.id = o.id);
          if gone is not null and exists (select 1 from ${child} where ${column} = any(gone)) then
            raise exception 'update or delete on table "${parent}" leaves ${child} rows without their ${parent}'
              using errcode = 'foreign_key_violation';
          end if;
          return null;
        end $$`,
      `create trigger ${kept}_delete after delete on ${parent}
        referencing old table as old_rows for each statement execute function ${kept}()`,
      `create trigger ${kept}_update after update on ${parent}
        referencing old table as old_rows for each statement execute function ${kept}()`,
    ],
    down: [
      `drop trigger if exists ${kept}_update on ${parent}`,
      `drop trigger if exists ${kept}_delete on ${parent}`,
      `drop trigger if exists ${check}_update on ${child}`,
      `drop trigger if exists ${check}_insert on ${child}`,
      `drop function if exists ${kept}()`,
      `drop function if exists ${check}()`,
      `alter table ${child} add constraint ${child}_${column}_fkey foreign key (${column}) references ${parent} (id)`,
    ],
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const reference of REFERENCES) {
    const { child, column } = reference
    await sql.raw(`alter table ${child} drop constraint if exists ${child}_${column}_fkey`).execute(db)
    for (const statement of referenceSql(reference).up) await sql.raw(statement).execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const reference of [...REFERENCES].reverse())
    for (const statement of referenceSql(reference).down) await sql.raw(statement).execute(db)
}
