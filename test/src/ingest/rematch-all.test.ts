import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { ingestFiles, rematchAll } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import { describeEachDatabase } from '../../support/databases.js'
import { reworkItemsOf } from '../../support/recovery-state.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
/** Denies E2E-P-003 (CARC 4, $700) among others; BPR16 2026-02-02. */
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
/** Pays E2E-P-003 $560; BPR16 2026-03-02. */
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

// rematchAll is `onco-edi rematch` without its command line: the matching, the recovery over every
// claim and the owed passes after a commit it does, in one transaction (src/ingest, next to
// runOwedRecoveryPasses; the command only calls it).
describeEachDatabase('rematchAll', (ctx) => {
  it('matches, works recovery out again and clears the passes it did, once', async () => {
    const db = ctx.handle.db
    const results = await ingestFiles([CLAIMS, DENIAL, PAYMENT], { handle: ctx.handle })
    expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested', 'ingested'])
    const stored = await reworkItemsOf(ctx.handle)
    // What a database an older version stored and a pass that failed leave: the remits unmatched,
    // the payment never applied, the 835s' passes after their commit owed.
    await sql`update remit_claim set submitted_claim_id = null, match_status = 'unmatched'`.execute(db)
    await sql`delete from recovery_allocation`.execute(db)
    await sql`update rework_item set status = 'open', recovered_amount = 0, recovered_date = null`.execute(db)
    await sql`update rework_item_line set recovered_amount = 0`.execute(db)
    await sql`insert into recovery_pass_owed (file_id, kind)
      select id, kind from ingest_file where kind = '835'`.execute(db)

    const engine = await loadDenialEngine()
    const done = await rematchAll(db, engine, 'rematch-test')
    expect(done).toMatchObject({
      matched: { claims: 12 },
      recovery: { recovered: 1, recoveredAmount: 56000 },
      owedCleared: 2,
    })
    expect(await reworkItemsOf(ctx.handle)).toEqual(stored)
    expect(await db.selectFrom('recovery_pass_owed').select('file_id').execute()).toEqual([])
    expect(await rematchAll(db, engine, 'rematch-test')).toEqual({
      matched: { claims: 0, lines: 0, items: 0, deadlines: 0 },
      recovery: { changed: 0, recovered: 0, recoveredAmount: 0, heldBack: 0 },
      owedCleared: 0,
    })
  })
})
