import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Acknowledgments of the claims we sent (999 X231, 277CA X214) and what they say of them:
 * - `ingest_file.kind` also takes `999` and `277`;
 * - `acknowledgment`: one row per 999 or 277CA transaction set stored;
 * - `claim_acknowledgment`: one row per claim an acknowledgment speaks of (999: every claim of an
 *   accepted or rejected 837 set; 277CA: each claim status), matched to its `submitted_claim`;
 * - `submitted_claim_status`: the latest acknowledgment status of a submitted claim (`accepted`,
 *   `rejected` or `pending`) and where it came from;
 * - `rework_item.remit_claim_id` becomes optional: a front-end rejection (277CA) opens an item in
 *   the `rejection` queue with no remit behind it.
 */
const UP = [
  `alter table ingest_file drop constraint ingest_file_kind_check`,
  `alter table ingest_file add constraint ingest_file_kind_check check (kind in ('837', '835', '999', '277'))`,
  `create table acknowledgment (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    kind text not null check (kind in ('999', '277CA')),
    sender_id text not null,
    receiver_id text not null,
    interchange_control text not null,
    group_control text not null,
    transaction_control text not null,
    acknowledged_group_control text,
    status text not null default '',
    detail jsonb not null,
    created_at timestamptz not null default now()
  )`,
  `create index acknowledgment_file on acknowledgment (file_id)`,
  `alter table rework_item alter column remit_claim_id drop not null`,
  `create table claim_acknowledgment (
    id bigserial primary key,
    acknowledgment_id bigint not null references acknowledgment (id) on delete cascade,
    submitted_claim_id bigint references submitted_claim (id),
    claim_id text not null,
    outcome text not null check (outcome in ('accepted', 'rejected', 'pending')),
    category text,
    codes text[] not null default '{}',
    payer_claim_control text,
    status_date text,
    charge bigint,
    rework_item_id bigint references rework_item (id)
  )`,
  `create index claim_acknowledgment_claim on claim_acknowledgment (submitted_claim_id)`,
  `create index claim_acknowledgment_claim_id on claim_acknowledgment (claim_id)`,
  `create table submitted_claim_status (
    submitted_claim_id bigint primary key references submitted_claim (id),
    status text not null check (status in ('accepted', 'rejected', 'pending')),
    source text not null check (source in ('999', '277CA')),
    claim_acknowledgment_id bigint not null references claim_acknowledgment (id),
    updated_at timestamptz not null default now()
  )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table if exists submitted_claim_status').execute(db)
  await sql.raw('drop table if exists claim_acknowledgment').execute(db)
  await sql.raw('drop table if exists acknowledgment').execute(db)
  await sql.raw('delete from rework_item where remit_claim_id is null').execute(db)
  await sql.raw('alter table rework_item alter column remit_claim_id set not null').execute(db)
  await sql.raw("delete from ingest_file where kind in ('999', '277')").execute(db)
  await sql.raw('alter table ingest_file drop constraint ingest_file_kind_check').execute(db)
  await sql
    .raw("alter table ingest_file add constraint ingest_file_kind_check check (kind in ('837', '835'))")
    .execute(db)
}
