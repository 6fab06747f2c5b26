import { sql } from 'kysely';
/**
 * Core tables: ingested files and interchanges, submitted claims (837), remittances (835),
 * payer profiles, rework items and the append-only audit trail. Money is bigint cents; dates are
 * ISO text. The same DDL runs on PGlite and PostgreSQL.
 */
const UP = [
    `create table ingest_file (
    id bigserial primary key,
    sha256 text not null unique,
    name text not null,
    kind text not null check (kind in ('837', '835')),
    sender_id text,
    interchange_controls text[] not null default '{}',
    group_controls text[] not null default '{}',
    transaction_controls text[] not null default '{}',
    byte_size bigint not null,
    received_at timestamptz not null default now(),
    status text not null,
    claim_count integer not null default 0,
    quarantined_count integer not null default 0,
    skipped_interchange_count integer not null default 0
  )`,
    `create table interchange (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    sender_id text not null,
    control text not null,
    receiver_id text not null,
    interchange_date text,
    unique (sender_id, control)
  )`,
    `create table quarantine (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    interchange_control text not null,
    group_control text not null,
    transaction_type text not null,
    transaction_control text not null,
    segment_count integer not null,
    reasons jsonb not null,
    created_at timestamptz not null default now()
  )`,
    `create table submitted_claim (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    claim_id text not null,
    kind text not null,
    payer_id text,
    payer_name text,
    billing_provider_id text,
    member_id text not null,
    filing_indicator text,
    service_from text,
    service_to text,
    total_charge bigint not null,
    frequency_code text not null,
    facility_code text not null,
    type_of_bill text,
    prior_authorization text,
    payer_claim_control text,
    diagnoses text[] not null default '{}',
    interchange_control text not null,
    transaction_control text not null,
    claim_json jsonb not null,
    created_at timestamptz not null default now()
  )`,
    `create index submitted_claim_match on submitted_claim (claim_id, payer_id)`,
    `create table submitted_line (
    id bigserial primary key,
    submitted_claim_id bigint not null references submitted_claim (id),
    line_number integer not null,
    revenue_code text,
    procedure_code text,
    modifiers text not null default '',
    charge bigint not null,
    unit_basis text not null,
    units double precision not null,
    place_of_service text,
    service_from text,
    service_to text,
    line_control text,
    prior_authorization text,
    ndc text,
    ndc_quantity double precision,
    ndc_unit text
  )`,
    `create index submitted_line_claim on submitted_line (submitted_claim_id)`,
    `create table remittance (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    interchange_control text not null,
    transaction_control text not null,
    payer_id text,
    payer_name text,
    payee_id text,
    payee_name text,
    handling_code text not null,
    total_paid bigint not null,
    credit_debit text not null,
    payment_method text not null,
    payment_date text,
    trace_number text,
    production_date text,
    plb_total bigint not null default 0,
    claim_count integer not null default 0
  )`,
    `create table remit_claim (
    id bigserial primary key,
    remittance_id bigint not null references remittance (id),
    file_id bigint not null references ingest_file (id),
    claim_id text not null,
    payer_id text,
    status text not null,
    charge bigint not null,
    paid bigint not null,
    patient_responsibility bigint not null,
    filing_indicator text,
    payer_claim_number text,
    facility_code text,
    frequency_code text,
    statement_from text,
    statement_to text,
    remit_date text,
    remark_codes text not null default '',
    submitted_claim_id bigint references submitted_claim (id),
    match_status text not null,
    is_reversal boolean not null default false
  )`,
    `create index remit_claim_match on remit_claim (claim_id, payer_id)`,
    `create index remit_claim_remittance on remit_claim (remittance_id)`,
    // remit_line and remit_adjustment hold most of the rows of a large 835 (3-4 lines and 5-7 CAS
    // triplets per claim). Their parent ids are reserved from the sequences and written in the same
    // transaction as the parents, so they carry no FOREIGN KEY: a per-row FK trigger halves the
    // insert rate of a 1M-claim remit on PostgreSQL.
    `create table remit_line (
    id bigserial primary key,
    remit_claim_id bigint not null,
    line_seq integer not null,
    procedure_code text not null,
    modifiers text not null default '',
    charge bigint not null,
    paid bigint not null,
    units double precision not null,
    service_from text,
    service_to text,
    line_control text,
    rarcs text not null default '',
    allowed bigint,
    submitted_line_id bigint
  )`,
    `create index remit_line_claim on remit_line (remit_claim_id)`,
    `create table remit_adjustment (
    id bigserial primary key,
    remit_claim_id bigint not null,
    remit_line_id bigint,
    group_code text not null,
    carc text not null,
    amount bigint not null,
    quantity double precision
  )`,
    `create index remit_adjustment_claim on remit_adjustment (remit_claim_id)`,
    `create table payer_profile (
    payer_id text primary key,
    name text not null,
    payer_class text not null check (payer_class in ('medicare', 'medicaid', 'commercial', 'medicare_advantage')),
    timely_filing_days integer,
    corrected_claim_days integer,
    appeal_days integer,
    updated_at timestamptz not null default now()
  )`,
    `create table rework_item (
    id bigserial primary key,
    file_id bigint not null references ingest_file (id),
    remit_claim_id bigint not null references remit_claim (id),
    remit_line_id bigint references remit_line (id),
    submitted_claim_id bigint references submitted_claim (id),
    submitted_line_id bigint references submitted_line (id),
    level text not null check (level in ('claim', 'line')),
    claim_id text not null,
    payer_id text,
    payer_claim_number text,
    procedure_code text,
    service_date text,
    remit_date text,
    queue text not null,
    action text not null,
    carcs text[] not null,
    rarcs text[] not null default '{}',
    amount bigint not null,
    deadline text,
    deadline_basis text not null,
    low_confidence boolean not null default false,
    appealable boolean not null default true,
    flags text[] not null default '{}',
    guidance text not null default '',
    status text not null default 'open' check (status in
      ('open', 'assigned', 'corrected', 'appealed', 'written_off', 'patient_billed', 'recovered')),
    assignee text,
    recovered_amount bigint not null default 0,
    recovered_date text,
    note text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
    `create index rework_item_queue_order on rework_item (status, deadline, amount desc)`,
    `create index rework_item_claim on rework_item (claim_id, payer_id)`,
    `create table audit_event (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    before_status text,
    after_status text,
    note text
  )`,
    `create index audit_event_entity on audit_event (entity, entity_id)`,
    // Append-only: the audit trail refuses updates and deletes.
    `create function audit_event_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end
  $$`,
    `create trigger audit_event_no_change before update or delete on audit_event
    for each row execute function audit_event_append_only()`,
];
const TABLES = [
    'audit_event',
    'rework_item',
    'payer_profile',
    'remit_adjustment',
    'remit_line',
    'remit_claim',
    'remittance',
    'submitted_line',
    'submitted_claim',
    'quarantine',
    'interchange',
    'ingest_file',
];
export async function up(db) {
    for (const statement of UP)
        await sql.raw(statement).execute(db);
}
export async function down(db) {
    for (const table of TABLES)
        await sql.raw(`drop table if exists ${table}`).execute(db);
    await sql.raw('drop function if exists audit_event_append_only()').execute(db);
}
//# sourceMappingURL=0001-core.js.map