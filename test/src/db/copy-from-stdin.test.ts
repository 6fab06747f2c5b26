import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BulkTable } from '../../../src/db/bulk-insert.js'
import { copyPart, copyRows, copyText } from '../../../src/db/copy-from-stdin.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { engines, openTestDatabase } from '../../support/databases.js'

interface ProbeRow {
  t: string | null
  n: number | null
  f: number | null
  b: boolean | null
  l: string[] | string
}

const PROBE: BulkTable<ProbeRow> = {
  table: 'copy_probe',
  columns: [
    { name: 't', type: 'text' },
    { name: 'n', type: 'int8' },
    { name: 'f', type: 'float8' },
    { name: 'b', type: 'bool' },
    { name: 'l', type: 'text', array: true },
  ],
}

const ROWS: ProbeRow[] = [
  { t: 'plain', n: 12345, f: 1.5, b: true, l: ['CO-4', 'PR-2'] },
  { t: 'tab\there, new\nline, back\\slash "quote" {brace}\r', n: -7, f: null, b: false, l: [] },
  // A list may also come joined with `,`, or empty.
  { t: null, n: null, f: 0, b: null, l: 'M119' },
  { t: '', n: 0, f: -0.25, b: true, l: '' },
]

describe('copyText', () => {
  it("writes COPY's text format: tabs between columns, \\N for null, escapes, array literals", () => {
    expect(copyText(PROBE, ROWS)).toBe(
      [
        'plain\t12345\t1.5\tt\t{"CO-4","PR-2"}',
        'tab\\there, new\\nline, back\\\\slash "quote" {brace}\\r\t-7\t\\N\tf\t{}',
        '\\N\t\\N\t0\t\\N\t{"M119"}',
        '\t0\t-0.25\tt\t{}',
        '',
      ].join('\n'),
    )
    expect(copyText(PROBE, [])).toBe('')
  })
})

for (const engine of engines)
  describe(`copyRows [${engine.name}]`, () => {
    let opened: { handle: DatabaseHandle; cleanup(): Promise<void> } | undefined
    beforeAll(async () => {
      opened = await openTestDatabase(engine.url)
      await sql`create table copy_probe (t text, n bigint, f double precision, b boolean, l text[])`.execute(
        opened.handle.db,
      )
    })
    afterAll(async () => {
      await opened?.cleanup()
    })

    it('round-trips awkward text, nulls, numbers and lists in the transaction it runs in', async () => {
      const db = opened?.handle.db
      if (db === undefined) throw new Error('not open')
      await db.transaction().execute(async (trx) => {
        await copyRows(trx, copyPart(PROBE, ROWS))
        // The transaction sees its own COPY: it ran on the transaction's connection.
        const { rows } = await sql<{ n: string }>`select count(*) as n from copy_probe`.execute(trx)
        expect(Number(rows[0]?.n)).toBe(4)
      })
      const { rows: back } = await sql<{
        t: string | null
        n: string | number | null
        f: number | null
        b: boolean | null
        l: string[]
      }>`select * from copy_probe`.execute(db)
      expect(back.map((r) => [r.t, r.n === null ? null : Number(r.n), r.f, r.b, r.l])).toEqual([
        ['plain', 12345, 1.5, true, ['CO-4', 'PR-2']],
        ['tab\there, new\nline, back\\slash "quote" {brace}\r', -7, null, false, []],
        [null, null, 0, null, ['M119']],
        ['', 0, -0.25, true, []],
      ])
    })

    it('leaves nothing when the transaction rolls back', async () => {
      const db = opened?.handle.db
      if (db === undefined) throw new Error('not open')
      await sql`delete from copy_probe`.execute(db)
      await expect(
        db.transaction().execute(async (trx) => {
          await copyRows(trx, copyPart(PROBE, ROWS))
          throw new Error('stop')
        }),
      ).rejects.toThrow('stop')
      const { rows } = await sql<{ n: string }>`select count(*) as n from copy_probe`.execute(db)
      expect(Number(rows[0]?.n)).toBe(0)
    })
  })
