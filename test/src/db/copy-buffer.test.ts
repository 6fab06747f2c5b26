import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CopyBuffer, copyField, copyNumber, copyTextArray } from '../../../src/db/copy-buffer.js'
import { copyRows } from '../../../src/db/copy-from-stdin.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { engines, openTestDatabase } from '../../support/databases.js'

/** Awkward values: COPY escapes, array quoting, multi-byte UTF-8, a row larger than a chunk. */
const VALUES: [string | null, number | null, string[]][] = [
  ['plain', 1, ['C50.911', 'Z51.11']],
  ['tab\there, new\nline, back\\slash "quote" {brace}\r', -7.5, ['a"b', 'c\\d']],
  [null, null, []],
  ['', 0, ['']],
  ['é ü 漢字 😀', 2 ** 40, ['x']],
  ['X'.repeat(300_000), 3, []],
]

describe('CopyBuffer', () => {
  it('writes rows as UTF-8 COPY text, in chunks that end anywhere', () => {
    const buffer = new CopyBuffer()
    for (const [t, n, l] of VALUES) buffer.row(`${copyField(t)}\t${copyNumber(n)}\t${copyTextArray(l)}`)
    const text = Buffer.concat(buffer.chunks()).toString('utf8')
    expect(buffer.rows).toBe(6)
    expect(buffer.bytes).toBe(Buffer.byteLength(text))
    expect(text.split('\n').slice(0, 5)).toEqual([
      'plain\t1\t{"C50.911","Z51.11"}',
      'tab\\there, new\\nline, back\\\\slash "quote" {brace}\\r\t-7.5\t{"a\\\\"b","c\\\\\\\\d"}',
      '\\N\t\\N\t{}',
      '\t0\t{}',
      'é ü 漢字 😀\t1099511627776\t{"x"}',
    ])
  })

  it('writes a row field by field as the same bytes as row(), never splitting a row between chunks', () => {
    const awkward = ['a\\b\tc\nd\re', 'é\t漢\\😀\n', '', 'Z'.repeat(70), `${'é'.repeat(80)}\t`]
    const byRow = new CopyBuffer()
    const byField = new CopyBuffer()
    // Enough rows to fill several 256 KiB chunks, and fields larger than a chunk.
    for (let i = 0; i < 3000; i++)
      for (const [t, n, l] of [
        ...VALUES.slice(0, 5),
        [awkward[i % awkward.length] ?? '', i / 4, ['q']] as const,
      ]) {
        const array = copyTextArray(l)
        byRow.row(`${copyField(t)}\t${copyNumber(n)}\t${array}\t${copyField(`${t}-${i}`)}`)
        byField.text(t)
        byField.number(n)
        byField.plain(array)
        byField.plain(copyField(`${t}-${i}`))
        byField.endRow()
      }
    for (const [t, n, l] of VALUES.slice(5)) {
      byRow.row(`${copyField(t)}\t${copyNumber(n)}\t${copyTextArray(l)}\t\\N`)
      byField.text(t)
      byField.number(n)
      byField.plain(copyTextArray(l))
      byField.text(undefined)
      byField.endRow()
    }
    expect(byField.rows).toBe(byRow.rows)
    expect(byField.bytes).toBe(byRow.bytes)
    const chunks = byField.chunks()
    expect(chunks.length).toBeGreaterThan(3)
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a)
    expect(Buffer.concat(chunks).equals(Buffer.concat(byRow.chunks()))).toBe(true)
  })
})

for (const engine of engines)
  describe(`CopyBuffer through copyRows [${engine.name}]`, () => {
    let opened: { handle: DatabaseHandle; cleanup(): Promise<void> } | undefined
    beforeAll(async () => {
      opened = await openTestDatabase(engine.url)
      await sql`create table copy_buffer_probe (t text, n double precision, l text[])`.execute(
        opened.handle.db,
      )
    })
    afterAll(async () => {
      await opened?.cleanup()
    })

    it('stores every value as it was given', async () => {
      const db = opened?.handle.db
      if (db === undefined) throw new Error('not open')
      const buffer = new CopyBuffer()
      for (const [t, n, l] of VALUES) buffer.row(`${copyField(t)}\t${copyNumber(n)}\t${copyTextArray(l)}`)
      const chunks = buffer.chunks()
      expect(chunks.length).toBeGreaterThan(1)
      await db.transaction().execute(async (trx) => {
        await copyRows(trx, { table: 'copy_buffer_probe', columns: ['t', 'n', 'l'], text: chunks })
      })
      const { rows } = await sql<{ t: string | null; n: number | null; l: string[] }>`
        select t, n, l from copy_buffer_probe`.execute(db)
      expect(rows.map((r) => [r.t, r.n, r.l])).toEqual(
        // [''] is stored as the empty array, as string_to_array('', ',') gave it.
        VALUES.map(([t, n, l]) => [t, n, l.join(',') === '' ? [] : l]),
      )
    })
  })
