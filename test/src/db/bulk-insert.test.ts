import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { BulkTable } from '../../../src/db/bulk-insert.js'
import {
  arrayLiteral,
  bulkLiterals,
  bulkPart,
  insertLiteralsTogether,
  reserveIdBlock,
  reserveIdPairs,
  reserveIds,
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

describeEachDatabase('insertLiteralsTogether', (ctx) => {
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
    const table: BulkTable<ProbeRow> = {
      table: 'bulk_probe',
      columns: [
        { name: 't', type: 'text' },
        { name: 'n', type: 'int8' },
        { name: 'f', type: 'float8' },
        { name: 'b', type: 'bool' },
        { name: 'l', type: 'text', array: true },
        { name: 'j', type: 'jsonb' },
      ],
    }
    await insertLiteralsTogether(db, [bulkPart(table, bulkLiterals(table, rows))])
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

  it('reserves a block of ids in one statement: the ids nextval would have drawn, and past them after', async () => {
    const [before] = await reserveIds(ctx.handle.db, 'rework_item_id_seq', 1)
    const block = await reserveIdBlock(ctx.handle.db, 'rework_item_id_seq', 4)
    const start = (before ?? 0) + 1
    expect(block).toEqual([start, start + 1, start + 2, start + 3])
    expect(await reserveIdBlock(ctx.handle.db, 'rework_item_id_seq', 0)).toEqual([])
    expect(await reserveIds(ctx.handle.db, 'rework_item_id_seq', 2)).toEqual([start + 4, start + 5])
  })
})
