import type {
  DatabaseIntrospector,
  DatabaseMetadataOptions,
  Kysely,
  SchemaMetadata,
  TableMetadata,
} from 'kysely'
import { PostgresDialect, PostgresIntrospector, sql } from 'kysely'

/**
 * What kysely's migrator asks of the database before it migrates: the tables there are (by name
 * and schema; it reads no column). kysely's own PostgresIntrospector lists every column of every
 * table in the database and resolves each schema and column by name (has_schema_privilege,
 * pg_get_serial_sequence), so a schema, table or column another client drops meanwhile fails the
 * listing (3F000, 42P01, 42703): any other schema in the same database being dropped or migrated
 * down could fail our migration. This one reads pg_class and pg_namespace in one snapshot and
 * resolves nothing by name, so it cannot; it returns no columns.
 */
export class TableListIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>
  readonly #schemas: PostgresIntrospector

  constructor(db: Kysely<unknown>) {
    this.#db = db
    this.#schemas = new PostgresIntrospector(db)
  }

  getSchemas(): Promise<SchemaMetadata[]> {
    return this.#schemas.getSchemas()
  }

  async getTables(options?: DatabaseMetadataOptions): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; name: string; kind: string }>`
      select n.nspname as schema, c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'v', 'p', 'f')
        and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
      order by n.nspname, c.relname`.execute(this.#db)
    const internal = new Set(['kysely_migration', 'kysely_migration_lock'])
    return rows
      .filter((row) => options?.withInternalKyselyTables === true || !internal.has(row.name))
      .map((row) => ({
        name: row.name,
        schema: row.schema,
        isView: row.kind === 'v',
        isForeign: row.kind === 'f',
        columns: [],
      }))
  }
}

/** kysely's PostgresDialect with {@link TableListIntrospector}. */
export class PostgresDialectListingTables extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new TableListIntrospector(db)
  }
}
