import { sql } from 'kysely';
/**
 * Prior authorizations, the infusion schedule, scrub runs and findings, and the ledger of scrubbed
 * claim lines (cumulative authorization usage and pro/facility duplicates across runs).
 */
export async function up(db) {
    await db.schema
        .createTable('prior_auth')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('auth_number', 'text', (c) => c.notNull())
        .addColumn('payer_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('hcpcs', 'text')
        .addColumn('units_authorized', 'double precision')
        .addColumn('cycles_authorized', 'integer')
        .addColumn('start_date', 'text')
        .addColumn('end_date', 'text')
        .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .execute();
    // One row per auth + payer + member + drug; NULL drug (any) is its own key.
    await sql `create unique index prior_auth_key on prior_auth (auth_number, payer_id, member_id, (coalesce(hcpcs, '')))`.execute(db);
    await db.schema
        .createIndex('prior_auth_member_idx')
        .on('prior_auth')
        .columns(['payer_id', 'member_id'])
        .execute();
    await db.schema.createIndex('prior_auth_end_idx').on('prior_auth').column('end_date').execute();
    await db.schema
        .createTable('infusion_schedule')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('payer_id', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('hcpcs', 'text', (c) => c.notNull())
        .addColumn('planned_units', 'double precision')
        .addColumn('start_time', 'text')
        .addColumn('end_time', 'text')
        .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .addUniqueConstraint('infusion_schedule_key', ['member_id', 'payer_id', 'date', 'hcpcs'])
        .execute();
    await db.schema.createIndex('infusion_schedule_date_idx').on('infusion_schedule').column('date').execute();
    await db.schema
        .createTable('scrub_run')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .addColumn('finished_at', 'timestamptz')
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('files', 'jsonb', (c) => c.notNull())
        .addColumn('claim_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('accepted_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('warning_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('fix_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema
        .createTable('scrub_finding')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('run_id', 'bigint', (c) => c.references('scrub_run.id').onDelete('cascade'))
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('line_number', 'integer')
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('suggestion', 'text')
        .addColumn('position', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .execute();
    await db.schema.createIndex('scrub_finding_claim_idx').on('scrub_finding').column('claim_id').execute();
    await db.schema.createIndex('scrub_finding_run_idx').on('scrub_finding').column('run_id').execute();
    await db.schema
        .createTable('scrubbed_claim_line')
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('line_number', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payer_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('dos', 'text', (c) => c.notNull())
        .addColumn('hcpcs', 'text', (c) => c.notNull())
        .addColumn('units', 'double precision', (c) => c.notNull())
        .addColumn('facility', 'text', (c) => c.notNull())
        .addColumn('scrubbed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .addPrimaryKeyConstraint('scrubbed_claim_line_pkey', ['claim_id', 'line_number'])
        .execute();
    await db.schema
        .createIndex('scrubbed_claim_line_member_idx')
        .on('scrubbed_claim_line')
        .columns(['member_id', 'hcpcs', 'dos'])
        .execute();
}
export async function down(db) {
    for (const table of [
        'scrubbed_claim_line',
        'scrub_finding',
        'scrub_run',
        'infusion_schedule',
        'prior_auth',
    ])
        await db.schema.dropTable(table).ifExists().execute();
}
//# sourceMappingURL=0003-scrub.js.map