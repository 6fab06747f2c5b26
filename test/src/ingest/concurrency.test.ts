import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import type { Database } from '../../../src/db/database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { openTestDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'

const e2e = (name: string): string => join(repoRoot, 'fixtures/e2e', name)
const CLAIMS_837 = e2e('837p-medicare-2026-01.x12')
const REMIT_835 = e2e('835-medicare-2026-02-02.x12')
const url = process.env.DATABASE_URL

/** Every row that matching, classification and recovery produce, without ids or timestamps. */
async function snapshot(db: Kysely<Database>): Promise<unknown> {
  const claims = await sql<Record<string, unknown>>`
    select rc.claim_id, rc.match_status, sc.claim_id as submitted, sc.total_charge
    from remit_claim rc left join submitted_claim sc on sc.id = rc.submitted_claim_id
    order by rc.claim_id, rc.id`.execute(db)
  const lines = await sql<Record<string, unknown>>`
    select rc.claim_id, rl.line_seq, sl.line_number, sl.procedure_code
    from remit_line rl join remit_claim rc on rc.id = rl.remit_claim_id
    left join submitted_line sl on sl.id = rl.submitted_line_id
    order by rc.claim_id, rc.id, rl.line_seq`.execute(db)
  const items = await sql<Record<string, unknown>>`
    select ri.claim_id, ri.level, ri.procedure_code, ri.queue, ri.service_date, ri.deadline,
      ri.low_confidence, ri.appealable, ri.flags, sc.claim_id as submitted, sl.line_number
    from rework_item ri
    left join submitted_claim sc on sc.id = ri.submitted_claim_id
    left join submitted_line sl on sl.id = ri.submitted_line_id
    order by ri.claim_id, ri.level, ri.procedure_code`.execute(db)
  const counts = await sql<Record<string, number>>`select
    (select count(*)::int from ingest_file) as files,
    (select count(*)::int from transaction_set) as sets,
    (select count(*)::int from submitted_claim) as submitted,
    (select count(*)::int from submitted_line) as submitted_lines,
    (select count(*)::int from remittance) as remittances,
    (select count(*)::int from remit_claim) as remit_claims`.execute(db)
  return { counts: counts.rows[0], claims: claims.rows, lines: lines.rows, items: items.rows }
}

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => undefined
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

if (url === undefined) {
  describe('ingest under concurrency [postgres]', () => {
    it('cannot run: DATABASE_URL is not set (these races need two connections; PGlite has one)', () => {
      console.warn(
        'concurrency.test.ts: DATABASE_URL is not set; the PostgreSQL concurrency suite did not run',
      )
    })
  })
} else {
  const databaseUrl = url
  describe('ingest under concurrency [postgres]', () => {
    const cleanups: (() => Promise<void>)[] = []
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
    })

    /** Two handles (two pools, as two processes would have) on one fresh schema. */
    async function twoProcesses(): Promise<[DatabaseHandle, DatabaseHandle]> {
      const first = await openTestDatabase(databaseUrl)
      cleanups.push(first.cleanup)
      const schema = (
        await sql<{ schema: string }>`select current_schema() as schema`.execute(first.handle.db)
      ).rows[0]?.schema
      const second = await openDatabase({ databaseUrl, schema })
      cleanups.unshift(() => second.close())
      return [first.handle, second]
    }

    let serial: unknown
    it('a clean serial run (the reference)', async () => {
      const db = await openTestDatabase(databaseUrl)
      cleanups.push(db.cleanup)
      await ingestFiles([CLAIMS_837, REMIT_835], { handle: db.handle })
      serial = await snapshot(db.handle.db)
      expect(serial).toMatchObject({ counts: { files: 2, sets: 2, submitted: 8, remit_claims: 10 } })
    })

    it('matches an 835 whose batches were read before its 837 committed, and committed after', async () => {
      const [a, b] = await twoProcesses()
      const started = gate()
      const resume = gate()
      let calls = 0
      // The 835 reads its first batch's candidates (none: the 837 is not there) and waits, its
      // transaction open, while the 837 is ingested and committed by the other process.
      const remit = ingestFiles([REMIT_835], {
        handle: b,
        batchSize: 2,
        onProgress: async () => {
          calls++
          if (calls > 1) return
          started.open()
          await resume.promise
        },
      })
      await started.promise
      const [claims] = await ingestFiles([CLAIMS_837], { handle: a })
      expect(claims?.status).toBe('ingested')
      // The 837 committed before the 835: neither its own re-match could see the remits.
      expect(claims?.rematched.claims).toBe(0)
      resume.open()
      const [remitResult] = await remit
      expect(remitResult?.status).toBe('ingested')
      // Matched after its commit: the first batch (2 claims) at least was read before the 837.
      expect(remitResult?.rematched.claims).toBeGreaterThanOrEqual(2)
      expect([remitResult?.matched, remitResult?.unmatched]).toEqual([9, 1])
      expect(await snapshot(a.db)).toEqual(serial)
    })

    it('matches an 835 committed while its 837 is still open', async () => {
      const [a, b] = await twoProcesses()
      const started = gate()
      const resume = gate()
      let calls = 0
      const claims = ingestFiles([CLAIMS_837], {
        handle: a,
        batchSize: 2,
        onProgress: async () => {
          calls++
          if (calls > 1) return
          started.open()
          await resume.promise
        },
      })
      await started.promise
      const [remit] = await ingestFiles([REMIT_835], { handle: b })
      expect([remit?.matched, remit?.unmatched]).toEqual([0, 10])
      resume.open()
      const [claimsResult] = await claims
      expect(claimsResult?.rematched.claims).toBe(9)
      expect(await snapshot(a.db)).toEqual(serial)
    })

    it('ends as the serial run when an 837 and its 835 run in parallel, unsynchronized', async () => {
      const [a, b] = await twoProcesses()
      await Promise.all([
        ingestFiles([CLAIMS_837], { handle: a, batchSize: 2 }),
        ingestFiles([REMIT_835], { handle: b, batchSize: 2 }),
      ])
      expect(await snapshot(a.db)).toEqual(serial)
    })

    it('stores the same file sent twice at once exactly once (the unique hash decides)', async () => {
      const [a, b] = await twoProcesses()
      const results = await Promise.all([
        ingestFiles([CLAIMS_837], { handle: a }),
        ingestFiles([CLAIMS_837], { handle: b }),
      ])
      expect(results.map(([r]) => r?.status).sort()).toEqual(['already_ingested', 'ingested'])
      await ingestFiles([REMIT_835], { handle: a })
      expect(await snapshot(a.db)).toEqual(serial)
    })

    it('stores a set sent in two different files at once exactly once (the unique set identity decides)', async () => {
      const [a, b] = await twoProcesses()
      // Same content in another interchange: a different file (other bytes), the same set.
      const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs')
      const { tmpdir } = await import('node:os')
      const copy = join(
        mkdtempSync(join(tmpdir(), 'concurrency-')),
        `copy-${randomBytes(3).toString('hex')}.x12`,
      )
      writeFileSync(copy, readFileSync(CLAIMS_837, 'latin1').replaceAll('000001001', '000009001'), 'latin1')
      const results = await Promise.all([
        ingestFiles([CLAIMS_837], { handle: a, batchSize: 2 }),
        ingestFiles([copy], { handle: b, batchSize: 2 }),
      ])
      expect(results.map(([r]) => r?.status).sort()).toEqual(['already_ingested', 'ingested'])
      const counts = await sql<{ sets: number; claims: number }>`select
        (select count(*)::int from transaction_set) as sets,
        (select count(*)::int from submitted_claim) as claims`.execute(a.db)
      expect(counts.rows[0]).toEqual({ sets: 1, claims: 8 })
    })
  })
}
