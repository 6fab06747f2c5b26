import { expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'

describeEachDatabase('smoke', (ctx) => {
  it('ingests', async () => {
    const r = await ingestFiles(['fixtures/x12/837p-oncology.x12', 'fixtures/x12/837i-oncology.x12', 'fixtures/x12/835-oncology.x12'], { handle: ctx.handle })
    console.log(JSON.stringify(r, null, 1).slice(0, 3000))
    const items = await ctx.handle.db.selectFrom('rework_item').selectAll().execute()
    console.log(items)
    expect(r.length).toBe(3)
  })
})
