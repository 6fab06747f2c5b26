import { sql } from 'kysely';
/**
 * CMS code tables (HCPCS, ASP crosswalk, NCCI add-on, MUE, HCPCS transaction report) and the log
 * of imported files. Every row belongs to the import that stored it, and to its quarter: a newer
 * quarter adds rows, it never overwrites another quarter's.
 */
export async function up(db) {
    await db.schema
        .createTable('code_import_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('sha256', 'text', (c) => c.notNull().unique())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('quarter', 'text', (c) => c.notNull())
        .addColumn('quarter_source', 'text', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql `now()`))
        .execute();
    const importRef = 'code_import_log.id';
    await db.schema
        .createTable('hcpcs_code')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('import_id', 'bigint', (c) => c.notNull().references(importRef).onDelete('cascade'))
        .addColumn('source_quarter', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('long_description', 'text', (c) => c.notNull())
        .addColumn('short_description', 'text', (c) => c.notNull())
        .addColumn('add_date', 'text')
        .addColumn('action_effective_date', 'text')
        .addColumn('termination_date', 'text')
        .addColumn('action_code', 'text')
        .addColumn('xrefs', sql `text[]`, (c) => c.notNull().defaultTo(sql `'{}'::text[]`))
        .addColumn('billing_unit_amount', 'double precision')
        .addColumn('billing_unit', 'text')
        .addUniqueConstraint('hcpcs_code_quarter_code_key', ['source_quarter', 'code'])
        .execute();
    await db.schema.createIndex('hcpcs_code_code_idx').on('hcpcs_code').column('code').execute();
    await db.schema
        .createIndex('hcpcs_code_termination_idx')
        .on('hcpcs_code')
        .column('termination_date')
        .execute();
    await db.schema
        .createTable('asp_crosswalk')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('import_id', 'bigint', (c) => c.notNull().references(importRef).onDelete('cascade'))
        .addColumn('quarter', 'text', (c) => c.notNull())
        .addColumn('hcpcs', 'text', (c) => c.notNull())
        .addColumn('ndc', 'text', (c) => c.notNull())
        .addColumn('dosage', 'text', (c) => c.notNull())
        .addColumn('package_size', 'double precision')
        .addColumn('package_quantity', 'double precision')
        .addColumn('bill_units', 'double precision')
        .addColumn('bill_units_per_package', 'double precision')
        .execute();
    await db.schema
        .createIndex('asp_crosswalk_quarter_ndc_idx')
        .on('asp_crosswalk')
        .columns(['quarter', 'ndc'])
        .execute();
    await db.schema
        .createIndex('asp_crosswalk_quarter_hcpcs_idx')
        .on('asp_crosswalk')
        .columns(['quarter', 'hcpcs'])
        .execute();
    await db.schema
        .createTable('ncci_add_on')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('import_id', 'bigint', (c) => c.notNull().references(importRef).onDelete('cascade'))
        .addColumn('source_quarter', 'text', (c) => c.notNull())
        .addColumn('add_on_code', 'text', (c) => c.notNull())
        .addColumn('primary_code', 'text', (c) => c.notNull())
        .addColumn('edit_type', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('deletion_date', 'text')
        .execute();
    await db.schema
        .createIndex('ncci_add_on_quarter_code_idx')
        .on('ncci_add_on')
        .columns(['source_quarter', 'add_on_code'])
        .execute();
    await db.schema
        .createTable('mue_edit')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('import_id', 'bigint', (c) => c.notNull().references(importRef).onDelete('cascade'))
        .addColumn('setting', 'text', (c) => c.notNull())
        .addColumn('source_quarter', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('units', 'integer', (c) => c.notNull())
        .addColumn('mai', 'smallint', (c) => c.notNull())
        .addColumn('rationale', 'text', (c) => c.notNull())
        .addUniqueConstraint('mue_edit_setting_quarter_code_key', ['setting', 'source_quarter', 'code'])
        .execute();
    await db.schema
        .createTable('hcpcs_change')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('import_id', 'bigint', (c) => c.notNull().references(importRef).onDelete('cascade'))
        .addColumn('source_quarter', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('action_code', 'text', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text')
        .addColumn('long_description', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex('hcpcs_change_effective_idx')
        .on('hcpcs_change')
        .column('effective_date')
        .execute();
}
export async function down(db) {
    for (const table of [
        'hcpcs_change',
        'mue_edit',
        'ncci_add_on',
        'asp_crosswalk',
        'hcpcs_code',
        'code_import_log',
    ])
        await db.schema.dropTable(table).ifExists().execute();
}
//# sourceMappingURL=0002-code-tables.js.map