import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase, openTestDatabase } from '../../support/databases.js'
import { e2eText } from './fixture-edit.js'

// One file carrying the denial (BPR16 2026-02-02) and the payment (2026-03-02) of E2E-P-003 in two
// interchanges that reuse one ISA13, each with ST02 0001: the two sets have other content but the
// same envelope controls. Both remittances took the smaller of the file's two content keys, so the
// payment counted as a payment of the denial's own set and recovered nothing.

const dir = mkdtempSync(join(tmpdir(), 'reused-controls-recovery-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')

async function recovered(handle: DatabaseHandle, paths: readonly string[]) {
  for (const path of [CLAIMS, ...paths]) {
    const [result] = await ingestFiles([path], { handle })
    expect(result?.status, path).toBe('ingested')
  }
  const { rows } = await sql<{ claim_id: string; status: string; recovered: string }>`select claim_id, status,
      recovered_amount::text as recovered from rework_item where recovered_amount > 0 order by claim_id, queue`.execute(
    handle.db,
  )
  return rows
}

describeEachDatabase('a file whose two 835 sets share ISA13 and ST02', (ctx) => {
  it('recovers as the same sets in two files do', async () => {
    const denial = e2eText('835-medicare-2026-02-02.x12')
    const payment = e2eText('835-medicare-2026-03-02.x12')
      .replace('*000003004*0*T*', '*000003001*0*T*')
      .replace('IEA*1*000003004~', 'IEA*1*000003001~')
    writeFileSync(join(dir, 'denial.x12'), denial)
    writeFileSync(join(dir, 'payment.x12'), payment)
    writeFileSync(join(dir, 'both.x12'), `${denial.trimEnd()}\n${payment}`)
    const apart = await recovered(ctx.handle, [join(dir, 'denial.x12'), join(dir, 'payment.x12')])
    expect(apart).toContainEqual({ claim_id: 'E2E-P-003', status: 'partially_recovered', recovered: '56000' })
    const other = await openTestDatabase(
      ctx.handle.engine === 'postgres' ? process.env.DATABASE_URL : undefined,
    )
    try {
      expect(await recovered(other.handle, [join(dir, 'both.x12')])).toEqual(apart)
    } finally {
      await other.cleanup()
    }
  })
})
