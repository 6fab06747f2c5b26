import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  arrayLiteral,
  bulkInsert,
  insertParentsWithChildren,
  reserveIdPairs,
} from '../../../src/db/bulk-insert.js'
import { describeEachDatabase } from '../../support/databases.js'

describe('arrayLiteral', () => {
  it('quotes text, escapes quotes and backslashes, and writes NULL', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', null, 'x,{y}'], 'text')).toBe(
      '{"a","b\\"c","d\\\\e",NULL,"x,{y}"}',
    )
    expect(arrayLiteral([1, null, -250], 'int8')).toBe('{1,NULL,-250}')
    expect(arrayLiteral([true, false, null], 'bool')).toBe('{t,f,NULL}')
  })
})

describeEachDatabase('bulkInsert', (ctx) => {
  it('round-trips awkward text, nulls, money and lists through unnest', async () => {
    const db = ctx.handle.db
    await sql`create temporary table bulk_probe (t text, n bigint, f double precision, b boolean, l text[], j jsonb)`.execute(
      db,
    )
    interface ProbeRow {
      t: string | null
      n: number | null
      f: number | null
      b: boolean | null
      l: string[] | string
      j: string
    }
    const rows: ProbeRow[] = [
      { t: 'plain', n: 12345, f: 1.5, b: true, l: ['CO-4', 'PR-2'], j: JSON.stringify({ a: 'q"uote' }) },
      {
        t: 'quote " and \\ backslash, comma {brace}',
        n: -7,
        f: null,
        b: false,
        l: [],
        j: JSON.stringify([1, 2]),
      },
      // A list may also come joined with `,`.
      { t: null, n: null, f: 0, b: null, l: 'M119', j: JSON.stringify(null) },
    ]
    await bulkInsert(
      db,
      {
        table: 'bulk_probe',
        columns: [
          { name: 't', type: 'text' },
          { name: 'n', type: 'int8' },
          { name: 'f', type: 'float8' },
          { name: 'b', type: 'bool' },
          { name: 'l', type: 'text', array: true },
          { name: 'j', type: 'jsonb' },
        ],
      },
      rows,
    )
    const { rows: back } = await sql<{
      t: string | null
      n: string | number | null
      f: number | null
      b: boolean | null
      l: string[]
      j: unknown
    }>`
      select * from bulk_probe`.execute(db)
    expect(back.map((r) => [r.t, r.n === null ? null : Number(r.n), r.f, r.b, r.l, r.j])).toEqual([
      ['plain', 12345, 1.5, true, ['CO-4', 'PR-2'], { a: 'q"uote' }],
      ['quote " and \\ backslash, comma {brace}', -7, null, false, [], [1, 2]],
      [null, null, 0, null, ['M119'], null],
    ])
  })

  it('reserves distinct ids from two sequences in one round trip', async () => {
    const [claims, lines] = await reserveIdPairs(
      ctx.handle.db,
      { sequence: 'remit_claim_id_seq', count: 3 },
      { sequence: 'remit_line_id_seq', count: 5 },
    )
    expect(new Set(claims).size).toBe(3)
    expect(new Set(lines).size).toBe(5)
    const [again] = await reserveIdPairs(
      ctx.handle.db,
      { sequence: 'remit_claim_id_seq', count: 2 },
      { sequence: 'remit_line_id_seq', count: 0 },
    )
    expect(Math.min(...(again ?? []))).toBeGreaterThan(Math.max(...claims))
  })
  it("inserts parents and children in one statement, the children given their parent's new id", async () => {
    const db = ctx.handle.db
    await sql`create temporary table bulk_parent (id bigserial primary key, name text not null, tags text[])`.execute(
      db,
    )
    await sql`create temporary table bulk_child (id bigserial primary key,
      parent_id bigint not null references bulk_parent (id), label text)`.execute(db)
    const parents = [
      { name: 'first', tags: ['a', 'b'] },
      { name: 'second, with "quotes"', tags: [] },
      { name: 'third', tags: ['c'] },
    ]
    // The second parent has no child; the third has two, given out of order.
    const children = [{ label: 'third-1' }, { label: 'first-1' }, { label: 'third-2' }]
    const parentIndex = [2, 0, 2]
    for (let round = 0; round < 2; round++)
      await insertParentsWithChildren(
        db,
        'bulk_parent_id_seq',
        {
          table: {
            table: 'bulk_parent',
            columns: [
              { name: 'name', type: 'text' },
              { name: 'tags', type: 'text', array: true },
            ],
          },
          rows: parents,
          idColumn: 'id',
        },
        {
          table: { table: 'bulk_child', columns: [{ name: 'label', type: 'text' }] },
          rows: children,
          parentColumn: 'parent_id',
          parentIndex,
        },
      )
    const { rows } = await sql<{ id: string | number; name: string; tags: string[]; labels: string | null }>`
      select p.id, p.name, p.tags, string_agg(c.label, ' ' order by c.label) as labels
      from bulk_parent p left join bulk_child c on c.parent_id = p.id group by p.id order by p.id`.execute(db)
    expect(rows.map((r) => [r.name, r.tags, r.labels])).toEqual(
      [0, 1].flatMap(() => [
        ['first', ['a', 'b'], 'first-1'],
        ['second, with "quotes"', [], null],
        ['third', ['c'], 'third-1 third-2'],
      ]),
    )
    // Ids follow the rows' order, each drawn once.
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6])
  })
})
