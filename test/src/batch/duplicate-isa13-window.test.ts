import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { SeenInterchange } from '../../../src/acknowledgments/acknowledge-file.js'
import { registerBatchInterchange } from '../../../src/batch/acknowledge-batch-file.js'
import { describeEachDatabase } from '../../support/databases.js'

const interchange = (control: string): SeenInterchange => ({
  senderQualifier: 'ZZ',
  senderId: 'SUBMITTER',
  receiverQualifier: 'ZZ',
  receiverId: 'ONCOEDI',
  control,
  offset: 0,
  sha256: 'x',
})

describeEachDatabase('duplicate ISA13 window (ONCO_EDI_DUPLICATE_ISA13_DAYS)', (ctx) => {
  /** Moves the recorded interchange `control` back `days` days. */
  const age = (control: string, days: number) =>
    sql`update batch_interchange set received_at = now() - make_interval(days => ${days}::int)
      where control = ${control}`.execute(ctx.handle.db)

  it('without a window, an ISA13 stays taken for ever (the default)', async () => {
    expect(await registerBatchInterchange(ctx.handle.db, 'first', interchange('000000101'))).toBeUndefined()
    await age('000000101', 4000)
    expect(await registerBatchInterchange(ctx.handle.db, 'second', interchange('000000101'))).toBe('first')
  })

  it('within the window a reused ISA13 is a duplicate; past it the interchange is accepted and takes the row', async () => {
    expect(
      await registerBatchInterchange(ctx.handle.db, 'first', interchange('000000202'), 30),
    ).toBeUndefined()
    await age('000000202', 29)
    expect(await registerBatchInterchange(ctx.handle.db, 'second', interchange('000000202'), 30)).toBe(
      'first',
    )
    await age('000000202', 31)
    expect(
      await registerBatchInterchange(ctx.handle.db, 'third', interchange('000000202'), 30),
    ).toBeUndefined()
    const rows = await ctx.handle.db
      .selectFrom('batch_interchange')
      .select(['claim_id', sql<boolean>`received_at > now() - interval '1 minute'`.as('fresh')])
      .where('control', '=', '000000202')
      .execute()
    expect(rows).toEqual([{ claim_id: 'third', fresh: true }])
    // ...and it is guarded again for a new window.
    expect(await registerBatchInterchange(ctx.handle.db, 'fourth', interchange('000000202'), 30)).toBe(
      'third',
    )
  })
})
