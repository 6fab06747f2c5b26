import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Rework items become one per remit claim (CLP) and queue, with their denied lines in
 * `rework_item_line`: a biller fixes and resubmits a claim once, not each of its lines.
 *
 * Existing items (one per denied line or claim-level CAS) are converted in place:
 * - the items of one remit claim and queue merge into the one with the lowest id (the survivor);
 *   every merged item becomes a line of it, with its amount, CARCs, RARCs and deadline;
 * - the survivor's amount and recovered amount are the sums, its deadline and service date the
 *   earliest, its CARCs, RARCs and flags the union; its deadline basis and action are those of the
 *   line with the earliest deadline;
 * - conflicting statuses resolve to the LEAST advanced one (open < assigned < corrected <
 *   appealed < patient_billed < written_off < partially_recovered < recovered), so that no line
 *   still to be worked disappears from the worklist; an item left `open` with an assignee becomes
 *   `assigned`;
 * - conflicting assignees resolve to the MOST RECENT one (latest `updated_at`), and notes are
 *   kept, all of them, oldest first, one per line;
 * - audit events are append-only and stay where they are; `rework_item_merge` maps each merged
 *   id to its survivor so that an item's history includes its merged items' events, and each
 *   survivor gets a `merged` audit event naming the ids merged into it, its status before and after.
 *
 * Also: status `partially_recovered` (a later payment covered part of the item), and the
 * worklist indexes for keyset paging by deadline (none last), amount (larger first) and id.
 */
const UP = [
  `create table rework_item_line (
    id bigserial primary key,
    rework_item_id bigint not null references rework_item (id) on delete cascade,
    remit_line_id bigint references remit_line (id),
    submitted_line_id bigint references submitted_line (id),
    level text not null check (level in ('claim', 'line')),
    procedure_code text,
    modifiers text not null default '',
    units double precision,
    service_date text,
    carcs text[] not null,
    rarcs text[] not null default '{}',
    amount bigint not null,
    action text not null,
    deadline text,
    deadline_basis text not null,
    low_confidence boolean not null default false,
    appealable boolean not null default true,
    flags text[] not null default '{}',
    guidance text not null default '',
    recovered_amount bigint not null default 0
  )`,
  `create index rework_item_line_item on rework_item_line (rework_item_id)`,
  `create index rework_item_line_remit_line on rework_item_line (remit_line_id)`,
  `create table rework_item_merge (
    merged_id bigint primary key,
    rework_item_id bigint not null references rework_item (id) on delete cascade
  )`,
  `create index rework_item_merge_item on rework_item_merge (rework_item_id)`,
  `alter table rework_item drop constraint rework_item_status_check`,
  `alter table rework_item add constraint rework_item_status_check check (status in
    ('open', 'assigned', 'corrected', 'appealed', 'written_off', 'patient_billed', 'partially_recovered', 'recovered'))`,
  // Every existing item becomes a line of the survivor of its (remit claim, queue).
  `create temporary table rework_item_0006 as
    select id, min(id) over (partition by remit_claim_id, queue) as keep from rework_item`,
  `insert into rework_item_line (rework_item_id, remit_line_id, submitted_line_id, level, procedure_code,
      modifiers, units, service_date, carcs, rarcs, amount, action, deadline, deadline_basis,
      low_confidence, appealable, flags, guidance, recovered_amount)
    select m.keep, ri.remit_line_id, ri.submitted_line_id, ri.level, ri.procedure_code,
      coalesce(rl.modifiers, ''), rl.units, ri.service_date, ri.carcs, ri.rarcs, ri.amount, ri.action,
      ri.deadline, ri.deadline_basis, ri.low_confidence, ri.appealable, ri.flags, ri.guidance,
      ri.recovered_amount
    from rework_item ri
    join rework_item_0006 m on m.id = ri.id
    left join remit_line rl on rl.id = ri.remit_line_id
    order by m.keep, ri.id`,
  `insert into rework_item_merge (merged_id, rework_item_id)
    select id, keep from rework_item_0006 where id <> keep`,
  `create temporary table rework_item_0006_merged as
    select m.keep,
      count(*) as members,
      sum(ri.amount) as amount,
      sum(ri.recovered_amount) as recovered_amount,
      max(ri.recovered_date) as recovered_date,
      min(ri.deadline) as deadline,
      min(ri.service_date) as service_date,
      (array_agg(ri.deadline_basis order by ri.deadline nulls last, ri.id))[1] as deadline_basis,
      (array_agg(ri.low_confidence order by ri.deadline nulls last, ri.id))[1] as low_confidence,
      (array_agg(ri.appealable order by ri.deadline nulls last, ri.id))[1] as appealable,
      (array_agg(ri.action order by ri.deadline nulls last, ri.id))[1] as action,
      (array_agg(ri.guidance order by ri.deadline nulls last, ri.id))[1] as guidance,
      (array_agg(ri.procedure_code order by ri.id))[1] as procedure_code,
      (array_agg(ri.status order by case ri.status
          when 'open' then 0 when 'assigned' then 1 when 'corrected' then 2 when 'appealed' then 3
          when 'patient_billed' then 4 when 'written_off' then 5 when 'partially_recovered' then 6
          else 7 end, ri.id))[1] as status,
      (array_agg(ri.assignee order by ri.updated_at desc, ri.id desc) filter (where ri.assignee is not null))[1] as assignee,
      string_agg(ri.note, E'\\n' order by ri.id) filter (where ri.note is not null) as note,
      string_agg(ri.id::text, ', ' order by ri.id) filter (where ri.id <> m.keep) as merged_ids,
      max(ri.updated_at) as updated_at
    from rework_item ri join rework_item_0006 m on m.id = ri.id
    group by m.keep`,
  `insert into audit_event (actor, entity, entity_id, action, before_status, after_status, note)
    select 'migration 0006', 'rework_item', g.keep::text, 'merged', ri.status,
      case when g.status = 'open' and g.assignee is not null then 'assigned' else g.status end,
      'line items ' || g.merged_ids || ' merged into claim item ' || g.keep
        || ' (least advanced status, most recent assignee)'
    from rework_item_0006_merged g join rework_item ri on ri.id = g.keep
    where g.members > 1
    order by g.keep`,
  `update rework_item ri set
      level = 'claim',
      remit_line_id = null,
      submitted_line_id = null,
      amount = g.amount,
      recovered_amount = g.recovered_amount,
      recovered_date = g.recovered_date,
      deadline = g.deadline,
      service_date = g.service_date,
      deadline_basis = g.deadline_basis,
      low_confidence = g.low_confidence,
      appealable = g.appealable,
      action = g.action,
      guidance = g.guidance,
      procedure_code = g.procedure_code,
      carcs = array(select distinct c from rework_item x join rework_item_0006 m on m.id = x.id,
        unnest(x.carcs) as c where m.keep = g.keep order by c),
      rarcs = array(select distinct c from rework_item x join rework_item_0006 m on m.id = x.id,
        unnest(x.rarcs) as c where m.keep = g.keep order by c),
      flags = array(select distinct c from rework_item x join rework_item_0006 m on m.id = x.id,
        unnest(x.flags) as c where m.keep = g.keep order by c),
      status = case when g.status = 'open' and g.assignee is not null then 'assigned' else g.status end,
      assignee = g.assignee,
      note = g.note,
      updated_at = g.updated_at
    from rework_item_0006_merged g
    where ri.id = g.keep`,
  `delete from rework_item where id in (select merged_id from rework_item_merge)`,
  `drop table rework_item_0006_merged`,
  `drop table rework_item_0006`,
  // Worklist order and keyset paging: deadline (none last), larger amount first, then id.
  `drop index rework_item_queue_order`,
  `create index rework_item_worklist on rework_item ((coalesce(deadline, '9999-12-31')), (-amount), id)`,
  `create index rework_item_payer_worklist on rework_item (payer_id, (coalesce(deadline, '9999-12-31')), (-amount), id)`,
  `create index rework_item_assignee_worklist on rework_item (assignee, (coalesce(deadline, '9999-12-31')), (-amount), id)`,
  `create index rework_item_carcs on rework_item using gin (carcs)`,
  `create index rework_item_remit_claim on rework_item (remit_claim_id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db)
}

/** Going back cannot split claim items into line items again: the lines table is dropped. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop index if exists rework_item_worklist',
    'drop index if exists rework_item_payer_worklist',
    'drop index if exists rework_item_assignee_worklist',
    'drop index if exists rework_item_carcs',
    'drop index if exists rework_item_remit_claim',
    'create index if not exists rework_item_queue_order on rework_item (status, deadline, amount desc)',
    'drop table if exists rework_item_merge',
    'drop table if exists rework_item_line',
  ])
    await sql.raw(statement).execute(db)
}
