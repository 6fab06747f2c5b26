import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * `recovery_allocation`: which remit claim (a CLP that paid) gave how many cents to which rework
 * item when a later payment recovered a denial. One row per allocation, written in the same
 * transaction as the item's recovered amount and its `recovered` audit event; the cents a stored
 * payment has left for other items are its net CLP04 less the sum of its rows.
 *
 * Backfill: before this table the allocation was only written as the note of the item's
 * `recovered` audit event, `paid <cents> cents by remit claim <id>`. Those notes are parsed here,
 * once; nothing reads them for money afterwards. An event of an item merged into another by
 * migration 0006 counts for its survivor (`rework_item_merge`); events whose item or remit claim
 * no longer exists, and notes of another form, are skipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table recovery_allocation (
    id bigserial primary key,
    remit_claim_id bigint not null references remit_claim (id),
    rework_item_id bigint not null references rework_item (id) on delete cascade,
    amount bigint not null,
    created_at timestamptz not null default now()
  )`.execute(db)
  await sql`create index recovery_allocation_remit_claim on recovery_allocation (remit_claim_id)`.execute(db)
  await sql`create index recovery_allocation_rework_item on recovery_allocation (rework_item_id)`.execute(db)
  await sql`insert into recovery_allocation (remit_claim_id, rework_item_id, amount, created_at)
    select rc.id, ri.id, p.parts[1]::bigint, p.at
    from (
      select ae.id, ae.at, ae.entity_id,
        regexp_match(ae.note, '^paid (-?[0-9]{1,18}) cents by remit claim ([0-9]{1,18})$') as parts
      from audit_event ae
      where ae.entity = 'rework_item' and ae.action = 'recovered'
    ) as p
    left join rework_item_merge m on m.merged_id::text = p.entity_id
    join rework_item ri on ri.id::text = coalesce(m.rework_item_id::text, p.entity_id)
    join remit_claim rc on rc.id = p.parts[2]::bigint
    where p.parts is not null
    order by p.id`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists recovery_allocation`.execute(db)
}
