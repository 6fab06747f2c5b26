import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase } from '../../../src/db/create-database.js'
import { migrations } from '../../../src/db/migrations/index.js'
import { listPayerProfiles, upsertPayerProfiles } from '../../../src/rework/payer-repository.js'
import { payerRequirements } from '../../../transforms/denials/payer-profile.js'
import { engines } from '../../support/databases.js'

/**
 * Migration 0008 on a database filled by the first release (payer profiles with deadline settings
 * only): the rows keep their values, the new columns are NULL, and the class defaults apply.
 */
for (const engine of engines) {
  describe(`migration 0008-payer-requirements [${engine.name}]`, () => {
    it('keeps the payers imported before it; their requirements are the class defaults', async () => {
      const schema = engine.url === undefined ? undefined : `t_${randomBytes(6).toString('hex')}`
      const handle = await openDatabase({ databaseUrl: engine.url, schema, migrate: false })
      try {
        const migrator = new Migrator({
          db: handle.db,
          provider: { getMigrations: async () => migrations },
          ...(schema === undefined ? {} : { migrationTableSchema: schema }),
        })
        const before = await migrator.migrateTo('0004-submitted-claim-file')
        expect(before.error).toBeUndefined()
        await sql`insert into payer_profile (payer_id, name, payer_class, timely_filing_days, corrected_claim_days, appeal_days)
          values ('MCR01', 'Medicare B', 'medicare', null, null, null),
                 ('MCD01', 'State Medicaid', 'medicaid', 180, null, 90),
                 ('COM01', 'Commercial', 'commercial', 90, 60, 120)`.execute(handle.db)
        expect(await migrateToLatest(handle.db, schema)).toContain('0008-payer-requirements')
        const profiles = await listPayerProfiles(handle.db)
        expect(profiles.map((p) => [p.payerId, p.payerClass, p.timelyFilingDays, p.appealDays])).toEqual([
          ['COM01', 'commercial', 90, 120],
          ['MCD01', 'medicaid', 180, 90],
          ['MCR01', 'medicare', undefined, undefined],
        ])
        expect(profiles.map((p) => [p.requiresNdc, p.jwJzRequired, p.drugAuthorization])).toEqual([
          [undefined, undefined, undefined],
          [undefined, undefined, undefined],
          [undefined, undefined, undefined],
        ])
        expect(profiles.map((p) => payerRequirements(p))).toEqual([
          { requiresNdc: false, jwJzRequired: false, drugAuthorization: 'list' },
          { requiresNdc: true, jwJzRequired: false, drugAuthorization: 'list' },
          { requiresNdc: false, jwJzRequired: true, drugAuthorization: 'none' },
        ])
        // A later import with the new columns stores them; a blank one goes back to NULL.
        const commercial = profiles[0]
        if (commercial === undefined) throw new Error('no COM01')
        await upsertPayerProfiles(
          handle.db,
          [{ ...commercial, requiresNdc: true, drugAuthorization: 'none' }],
          'tester',
        )
        const after = await listPayerProfiles(handle.db)
        expect(after[0]).toMatchObject({ payerId: 'COM01', requiresNdc: true, drugAuthorization: 'none' })
        expect(after[0]?.jwJzRequired).toBeUndefined()
      } finally {
        await handle.close()
        if (engine.url !== undefined && schema !== undefined) {
          const { default: pg } = await import('pg')
          const client = new pg.Client({ connectionString: engine.url })
          await client.connect()
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
          await client.end()
        }
      }
    })
  })
}
