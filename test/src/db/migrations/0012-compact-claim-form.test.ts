import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../../parsers/claim837/claim837.js'
import type { DatabaseHandle } from '../../../../src/db/create-database.js'
import { migrateToLatest, openDatabase } from '../../../../src/db/create-database.js'
import { migrations } from '../../../../src/db/migrations/index.js'
import { readX12File } from '../../../../src/pipeline/read-x12.js'
import { loadSubmittedClaims } from '../../../../src/rework/submitted-claim-reader.js'
import { engines } from '../../../support/databases.js'

const FIXTURE = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'x12', '837i-oncology.x12')

function withoutPositions(claim: Claim837 | undefined): unknown {
  return JSON.parse(
    JSON.stringify(claim, (key, value: unknown) =>
      key === 'position' || key === 'offset' || key === 'index' || key === 'stIndex' ? undefined : value,
    ),
  )
}

for (const engine of engines) {
  describe(`migration 0012: claim_json becomes the claim's own X12 text [${engine.name}]`, () => {
    const schema = `t_${randomBytes(6).toString('hex')}`
    let handle: DatabaseHandle | undefined
    const claims: Claim837[] = []
    beforeAll(async () => {
      for await (const events of readX12File(FIXTURE))
        for (const event of events) if (event.type === 'claim837') claims.push(event.claim)
      handle = await openDatabase({
        databaseUrl: engine.url,
        schema: engine.url ? schema : undefined,
        migrate: false,
      })
      const { error } = await new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        ...(engine.url ? { migrationTableSchema: schema } : {}),
      }).migrateTo('0008-payer-requirements')
      if (error !== undefined) throw error
      const db = handle.db
      await sql`insert into ingest_file (id, sha256, name, kind, byte_size, status)
        values (1, 'x', 'old.837', '837', 1, 'ingested')`.execute(db)
      // Rows as an older version stored them: the whole claim as jsonb, and one without source.
      const rows = [...claims.map((c) => JSON.stringify(c)), '{}']
      for (const [i, json] of rows.entries())
        await sql`insert into submitted_claim (id, file_id, claim_id, kind, member_id, total_charge,
            frequency_code, facility_code, interchange_control, transaction_control, claim_json)
          values (${i + 1}, 1, ${`C${i}`}, '837I', 'M', 1, '1', '13', '1', '1', ${json}::jsonb)`.execute(db)
      await migrateToLatest(db, engine.url ? schema : undefined)
    }, 60_000)
    afterAll(async () => {
      await handle?.close()
      if (engine.url) {
        const { default: pg } = await import('pg')
        const client = new pg.Client({ connectionString: engine.url })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await client.end()
      }
    })

    it('converts every row, and the readers get the same claims back', async () => {
      if (handle === undefined) throw new Error('database not open')
      expect(claims.length).toBeGreaterThan(0)
      const read = await loadSubmittedClaims(
        handle.db,
        claims.map((_, i) => i + 1),
      )
      for (const [i, claim] of claims.entries())
        expect(withoutPositions(read.get(i + 1))).toEqual(withoutPositions(claim))
      const rows = await handle.db
        .selectFrom('submitted_claim')
        .select(['id', 'claim_x12', 'claim_envelope'])
        .orderBy('id')
        .execute()
      expect(rows.at(-1)).toEqual({ id: expect.anything(), claim_x12: '', claim_envelope: '{}' })
      expect(rows[0]?.claim_x12).toMatch(/^BHT\*/)
      const { rows: columns } = await sql<{ column_name: string }>`select column_name
        from information_schema.columns where table_schema = current_schema() and table_name = 'submitted_claim' and column_name = 'claim_json'`.execute(
        handle.db,
      )
      expect(columns).toEqual([])
    })
  })
}
