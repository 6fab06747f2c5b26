import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BulkTable } from '../../../src/db/bulk-insert.js'
import { copyPart, copyRows, copyRowsTogether, copyText } from '../../../src/db/copy-from-stdin.js'
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

const PARENT: BulkTable<{ id: number }> = { table: 'copy_parent', columns: [{ name: 'id', type: 'int8' }] }

const CHILD: BulkTable<{ parent_id: number; note: string | null }> = {
  table: 'copy_child',
  columns: [
    { name: 'parent_id', type: 'int8' },
    { name: 'note', type: 'text' },
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

  it('copyPart writes the same bytes field by field, non-ASCII text and long rows included', () => {
    const rows: ProbeRow[] = [
      ...ROWS,
      { t: `café\t${'x'.repeat(300_000)}\n`, n: 2 ** 40, f: 1e-7, b: false, l: ['a,b'] },
    ]
    for (let i = 0; i < 5_000; i++) rows.push(ROWS[i % ROWS.length] as ProbeRow)
    const part = copyPart(PROBE, rows)
    const chunks = part.text as Uint8Array[]
    expect(Buffer.concat(chunks).toString('utf8')).toBe(copyText(PROBE, rows))
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a)
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
      await sql`create table copy_parent (id bigint primary key)`.execute(opened.handle.db)
      await sql`create table copy_child (parent_id bigint not null references copy_parent (id), note text)`.execute(
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

    it('writes several tables in one statement, in order, parents before children', async () => {
      const db = opened?.handle.db
      if (db === undefined) throw new Error('not open')
      const parents = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1 }))
      const children = parents.flatMap((p) => [
        { parent_id: p.id, note: `first of ${p.id}` },
        { parent_id: p.id, note: null },
      ])
      await db.transaction().execute(async (trx) => {
        await copyRowsTogether(trx, [
          copyPart(PARENT, parents),
          copyPart(PROBE, []),
          copyPart(CHILD, children),
          copyPart(PROBE, ROWS.slice(0, 1)),
        ])
        // The same connection goes on with the next statement.
        const { rows } = await sql<{ n: string }>`select count(*) as n from copy_child`.execute(trx)
        expect(Number(rows[0]?.n)).toBe(6000)
      })
      const { rows } = await sql<{ parents: string; children: string; notes: string; probes: string }>`select
          (select count(*) from copy_parent) as parents, (select count(*) from copy_child) as children,
          (select count(*) from copy_child where note = 'first of 3000') as notes,
          (select count(*) from copy_probe where t = 'plain') as probes`.execute(db)
      expect(Object.values(rows[0] ?? {}).map(Number)).toEqual([3000, 6000, 1, 1])
    })

    it('fails as a whole when one of its tables is refused, and the connection goes on', async () => {
      const db = opened?.handle.db
      if (db === undefined) throw new Error('not open')
      await sql`delete from copy_child`.execute(db)
      await sql`delete from copy_parent`.execute(db)
      const parents = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1 }))
      // A child of a parent that is not there: the foreign key refuses the second COPY, whose rows
      // (and the third's) were already sent.
      const orphans = [{ parent_id: 99_999, note: 'orphan' }]
      await expect(
        db.transaction().execute(async (trx) => {
          await copyRowsTogether(trx, [
            copyPart(PARENT, parents),
            copyPart(CHILD, orphans),
            copyPart(PARENT, parents),
          ])
        }),
      ).rejects.toThrow(/foreign key/)
      const { rows } = await sql<{ n: string }>`select count(*) as n from copy_parent`.execute(db)
      expect(Number(rows[0]?.n)).toBe(0)
      // Every connection of the pool still answers.
      for (let i = 0; i < 3; i++) {
        const again = await sql<{ one: number }>`select 1 as one`.execute(db)
        expect(again.rows[0]?.one).toBe(1)
      }
    })
  })
