import type { Kysely } from 'kysely'
import { PostgresIntrospector } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { TableListIntrospector } from '../../../src/db/table-list-introspector.js'
import { suiteDatabase } from '../../support/databases.js'

// kysely's migrator lists the database's tables before migrating. Its stock PostgreSQL listing
// resolves every schema and column by name, so another client's DDL in another schema of the same
// database (tests and benches in their own schemas, a migration test going down) failed it with
// 3F000 or 42703. The listing the database handle uses resolves nothing by name.

const databaseUrl = process.env.DATABASE_URL
describe('the table listing the migrator uses, while another client creates and drops schemas [postgres]', () => {
  if (databaseUrl === undefined) {
    it('cannot run: DATABASE_URL is not set (the race needs a second connection; PGlite has one)', () => {
      console.warn('table-list-introspector.test.ts: DATABASE_URL is not set; the race test did not run')
    })
    return
  }

  it("never fails, and lists this schema's tables with the migrator's own", async () => {
    const database = suiteDatabase(databaseUrl)
    const handle = await database.open()
    const churn = new pg.Client({ connectionString: databaseUrl })
    await churn.connect()
    let stop = false
    const prefix = `churn_${process.pid}_`
    const churning = (async () => {
      for (let n = 0; !stop; n++) {
        const schema = `${prefix}${n % 4}`
        await churn.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
        await churn.query(`CREATE TABLE IF NOT EXISTS ${schema}.t (a serial, b int, c text)`)
        await churn.query(`ALTER TABLE ${schema}.t DROP COLUMN IF EXISTS b`)
        await churn.query(`DROP SCHEMA ${schema} CASCADE`)
      }
    })()
    const ours = new TableListIntrospector(handle.db as unknown as Kysely<unknown>)
    const stock = new PostgresIntrospector(handle.db)
    let stockFailures = 0
    try {
      const deadline = Date.now() + 3000
      let listings = 0
      while (Date.now() < deadline) {
        const tables = await ours.getTables({ withInternalKyselyTables: true })
        const own = tables.filter((t) => t.schema === database.schema).map((t) => t.name)
        expect(own).toContain('rework_item')
        expect(own).toContain('kysely_migration')
        const withoutInternal = await ours.getTables()
        expect(withoutInternal.some((t) => t.name === 'kysely_migration')).toBe(false)
        listings++
        await stock.getTables({ withInternalKyselyTables: true }).catch(() => stockFailures++)
      }
      expect(listings).toBeGreaterThan(5)
      // Not asserted (a race): how often kysely's own listing failed in the same time.
      console.info(
        `table listing: ${listings} listings, none failed; kysely's own failed ${stockFailures} times`,
      )
    } finally {
      stop = true
      await churning.catch(() => undefined)
      for (let n = 0; n < 4; n++) await churn.query(`DROP SCHEMA IF EXISTS ${prefix}${n} CASCADE`)
      await churn.end()
      await database.drop()
    }
  }, 60_000)
})
