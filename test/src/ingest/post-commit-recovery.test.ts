import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { cashReport, recoveredReport } from '../../../src/rework/reports.js'
import { openTestDatabase } from '../../support/databases.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700) among others; BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560 (and reverses and corrects E2E-P-006); BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const databaseUrl = process.env.DATABASE_URL

async function ingestInOrder(handle: DatabaseHandle, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const [result] = await ingestFiles([path], { handle })
    expect(result?.status).toBe('ingested')
  }
}

/** Every rework item with its status and recovery, in claim order, and the reports' totals. */
async function stateOf(handle: DatabaseHandle) {
  const items = await handle.db
    .selectFrom('rework_item')
    .select(['claim_id', 'queue', 'amount', 'status', 'recovered_amount', 'recovered_date'])
    .orderBy('claim_id')
    .orderBy('queue')
    .execute()
  return {
    items: items.map((i) => [
      i.claim_id,
      i.queue,
      Number(i.amount),
      i.status,
      Number(i.recovered_amount),
      i.recovered_date,
    ]),
    denials: (await recoveredReport(handle.db)).totals,
    cash: (await cashReport(handle.db)).totals,
  }
}

describe('recovery when the denying and the paying 835 both settle before either commits [postgres]', () => {
  if (databaseUrl === undefined) {
    it('cannot run: DATABASE_URL is not set (the race needs two connections; PGlite has one)', () => {
      console.warn('post-commit-recovery.test.ts: DATABASE_URL is not set; the PostgreSQL race did not run')
    })
    return
  }
  it('ends as the in-order run: the pass after the commit works out what neither transaction saw', async () => {
    const reference = await openTestDatabase(databaseUrl)
    const first = await openTestDatabase(databaseUrl).catch(async (error: unknown) => {
      await reference.cleanup()
      throw error
    })
    let second: DatabaseHandle | undefined
    const key = randomInt(1_000_000, 2_000_000_000)
    let release = (): void => undefined
    let holding: Promise<unknown> = Promise.resolve()
    try {
      const schema = (
        await sql<{ schema: string }>`select current_schema() as schema`.execute(first.handle.db)
      ).rows[0]?.schema
      second = await openDatabase({ databaseUrl, schema })
      await ingestInOrder(reference.handle, [CLAIMS, DENIAL, PAYMENT])
      await ingestInOrder(first.handle, [CLAIMS])
      // Each file's transaction stops at its closing audit event (after its own recovery pass,
      // before its commit) until both are there.
      await sql
        .raw(`create function hold_ingest_commit() returns trigger language plpgsql as $$
          begin
            if new.entity = 'ingest_file' and new.action = 'ingest' then perform pg_advisory_xact_lock(${key}); end if;
            return new;
          end $$;
          create trigger hold_ingest_commit before insert on audit_event
            for each row execute function hold_ingest_commit()`)
        .execute(first.handle.db)
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let held = (): void => undefined
      const locked = new Promise<void>((resolve) => {
        held = resolve
      })
      holding = reference.handle.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${key})`.execute(trx)
        held()
        await released
      })
      await locked
      const denial = ingestFiles([DENIAL], { handle: first.handle })
      const payment = ingestFiles([PAYMENT], { handle: second })
      const deadline = Date.now() + 20_000
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and objid = ${key}`.execute(first.handle.db)
        if ((rows[0]?.n ?? 0) >= 2) break
        if (Date.now() > deadline) throw new Error('the two files did not both reach their commit')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      release()
      await holding
      const [denied] = await denial
      const [paid] = await payment
      expect([denied?.status, paid?.status]).toEqual(['ingested', 'ingested'])
      await sql`drop trigger hold_ingest_commit on audit_event`.execute(first.handle.db)
      expect(await stateOf(first.handle)).toEqual(await stateOf(reference.handle))
    } finally {
      release()
      await holding.catch(() => undefined)
      await second?.close()
      await first.cleanup()
      await reference.cleanup()
    }
  })
})
