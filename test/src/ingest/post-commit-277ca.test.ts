import { randomInt } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describePostgresOnly, openTestDatabase, openTwoConnections } from '../../support/databases.js'
import { reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'
import { repoRoot } from '../../support/x12-files.js'

// A 277CA that rejects a claim opens a rejection item, which a payment of the claim recovers, as
// ingest works it out in the file's transaction. When the 277CA and the paying 835 are open at
// once, neither's settlement sees the other's rows. The 835 committing first runs its pass after
// the commit before the 277CA has committed (it skips it: no other file yet); the 277CA, committing
// last, must then run one of its own, or the payment never recovers the rejection item.

const dir = mkdtempSync(join(tmpdir(), 'post-commit-277ca-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const CLAIMS = join(repoRoot, 'fixtures/x12/837p-oncology.x12')

/** A 277CA of 2026-01-22 rejecting ONC-P-1002 (A7:562:85) as charged 865.00. */
function rejection(): string {
  const body = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*277CA000000801*20260122*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*MEDICARE PART B EXAMPLE*****PI*99012',
    'TRN*1*277CA000000801',
    'DTP*050*D8*20260122',
    'DTP*009*D8*20260122',
    'HL*2*1*21*1',
    'NM1*41*2*RIVERBEND ONCOLOGY ASSOCIATES*****46*RBONC01',
    'TRN*2*RB20260120A',
    'STC*A1:19:PR*20260122*WQ*865',
    'HL*3*2*19*1',
    'NM1*85*2*RIVERBEND ONCOLOGY ASSOCIATES*****XX*1548267313',
    'HL*4*3*PT',
    'NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK72',
    'TRN*2*ONC-P-1002',
    'STC*A7:562:85*20260122*U*865',
    'DTP*472*D8*20260102',
  ]
  const path = join(dir, 'a.277')
  writeFileSync(
    path,
    [
      'ISA*00*          *00*          *ZZ*EXAMPLECH      *ZZ*RIVERBENDONC   *260122*1200*^*00501*000000801*0*T*:',
      'GS*HN*EXAMPLECH*RIVERBENDONC*20260122*1200*8*X*005010X214',
      ...body,
      `SE*${body.length + 1}*0001`,
      'GE*1*8',
      'IEA*1*000000801',
      '',
    ].join('~'),
  )
  return path
}

/** ONC-P-1002 paid 500.00 on 2026-02-10 (the fixture 835 denies it; here it pays). */
function payment(): string {
  const path = join(dir, 'paid.835')
  const paid = readFileSync(join(repoRoot, 'fixtures/x12/835-oncology.x12'), 'latin1')
    .replace('*000000301*', '*000000311*')
    .replace('IEA*1*000000301~', 'IEA*1*000000311~')
    .replace('*20260123~', '*20260210~')
    .replace('DTM*405*20260121~', 'DTM*405*20260210~')
    .replace('CLP*ONC-P-1002*4*865*0**', 'CLP*ONC-P-1002*1*865*500**')
    .replace('N1*PR*MEDICARE PART B EXAMPLE~', 'N1*PR*MEDICARE PART B EXAMPLE*XV*99012~')
  writeFileSync(path, paid)
  return path
}

/**
 * Holds the transaction of every 277CA file at its closing audit event (after its settlement,
 * before its commit) until `release()`, as test/support/commit-hold.ts does for every file.
 */
async function holdAcknowledgmentCommits(handle: DatabaseHandle) {
  const key = randomInt(1_000_000, 2_000_000_000)
  await sql
    .raw(`create function hold_277_commit() returns trigger language plpgsql as $$
      begin
        if new.entity = 'ingest_file' and new.action = 'ingest'
          and (select kind from ingest_file where id = new.entity_id::bigint) = '277'
        then perform pg_advisory_xact_lock(${key}); end if;
        return new;
      end $$;
      create trigger hold_277_commit before insert on audit_event
        for each row execute function hold_277_commit()`)
    .execute(handle.db)
  let letGo = (): void => undefined
  const released = new Promise<void>((resolve) => {
    letGo = resolve
  })
  let held = (): void => undefined
  const locked = new Promise<void>((resolve) => {
    held = resolve
  })
  const holding = handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx)
    held()
    await released
  })
  await Promise.race([locked, holding])
  return {
    async waitForOne(): Promise<void> {
      const deadline = Date.now() + 20_000
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and not granted and objid = ${key}`.execute(handle.db)
        if ((rows[0]?.n ?? 0) >= 1) return
        if (Date.now() > deadline) throw new Error('the 277CA never reached its commit')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async release(): Promise<void> {
      letGo()
      await holding.catch(() => undefined)
    },
  }
}

describePostgresOnly(
  'a 277CA rejection and the 835 paying the claim, both open at once [postgres]',
  { file: 'post-commit-277ca.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('ends as the in-order run when the 277CA commits after the 835 and its pass', async () => {
      const rejected = rejection()
      const paid = payment()
      const reference = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let hold: Awaited<ReturnType<typeof holdAcknowledgmentCommits>> | undefined
      const running: Promise<unknown>[] = []
      try {
        for (const path of [CLAIMS, rejected, paid]) {
          const [result] = await ingestFiles([path], { handle: reference.handle })
          expect(result?.status, path).toBe('ingested')
        }
        const expected = await reworkItemsOf(reference.handle)
        expect(expected.find((i) => i.queue === 'rejection')).toMatchObject({ recovered: 50000 })

        const [claims] = await ingestFiles([CLAIMS], { handle: race.first })
        expect(claims?.status).toBe('ingested')
        hold = await holdAcknowledgmentCommits(race.first)
        const acknowledgment = ingestFiles([rejected], { handle: race.first })
        running.push(acknowledgment)
        await hold.waitForOne()
        // The 835 is stored, committed and its pass after the commit done while the 277CA waits.
        const [remit] = await ingestFiles([paid], { handle: race.second })
        expect(remit?.status).toBe('ingested')
        await hold.release()
        const [ack] = await acknowledgment
        expect(ack?.status).toBe('ingested')
        expect(await reworkItemsOf(race.first)).toEqual(expected)
        expect(await reportTotalsOf(race.first)).toEqual(await reportTotalsOf(reference.handle))
      } finally {
        await hold?.release()
        await Promise.allSettled(running)
        await race.cleanup()
        await reference.cleanup()
      }
    })
  },
)
