import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { acknowledge837File } from '../../../src/acknowledgments/acknowledge-file.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'

const fixture = join(repoRoot, 'fixtures/x12/837p-oncology.x12')
const bytes = readFileSync(fixture)
const now = new Date('2026-01-21T08:00:00Z')
const segments = (text: string | undefined): string[] =>
  (text ?? '').split('~').filter((s) => s.trim() !== '')

describeEachDatabase('acknowledge837File', (ctx) => {
  it('numbers every acknowledgment from the persisted counter (never twice)', async () => {
    const db = ctx.handle.db
    const first = await acknowledge837File(db, bytes, { now })
    const second = await acknowledge837File(db, bytes, { now })
    const isa13 = (text: string | undefined): string => segments(text)[0]?.split('*')[13] ?? ''
    expect(first.acks999).toHaveLength(1)
    expect(isa13(first.acks999[0])).not.toBe(isa13(second.acks999[0]))
    expect(Number(isa13(second.acks999[0]))).toBeGreaterThan(Number(isa13(first.acks999[0])))
    expect(segments(first.acks999[0])).toContain('IK5*A')
  })

  it('answers an interchange reusing a stored sender + ISA13 with other content with TA1 025', async () => {
    const db = ctx.handle.db
    const [stored] = await ingestFiles([fixture], { handle: ctx.handle, user: 'test' })
    expect(stored?.status).toBe('ingested')
    // The same bytes again (a retry): not a duplicate interchange.
    const again = await acknowledge837File(db, bytes, { now })
    expect(again.ta1).toBeUndefined()
    // Other content under the same sender + ISA13: a duplicate.
    const other = Buffer.from(
      bytes.toString('latin1').replace('CLM*ONC-P-1001*1540', 'CLM*ONC-P-1001*1541'),
      'latin1',
    )
    const duplicate = await acknowledge837File(db, other, { now })
    expect(segments(duplicate.ta1)[1]).toBe('TA1*000000101*260120*0930*R*025')
    expect(duplicate.acks999).toEqual([])
    expect(duplicate.accepted).toEqual([])
    expect(duplicate.rejected.length).toBeGreaterThan(0)
  })

  it('asks seenBefore about interchanges the database never stored', async () => {
    const asked: string[] = []
    const result = await acknowledge837File(
      ctx.handle.db,
      Buffer.from(bytes.toString('latin1').replaceAll('000000101', '000000555'), 'latin1'),
      {
        now,
        seenBefore: async ({ senderId, control }) => {
          asked.push(`${senderId}/${control}`)
          return true
        },
      },
    )
    expect(asked).toEqual(['RIVERBENDONC/000000555'])
    expect(segments(result.ta1)[1]).toBe('TA1*000000555*260120*0930*R*025')
  })
})
