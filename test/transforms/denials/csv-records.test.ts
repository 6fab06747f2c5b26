import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCsvRecords } from '../../../transforms/denials/csv-records.js'

describe('parseCsvRecords', () => {
  it('keeps the line each record starts on across quoted newlines, blanks, comments and CRLF', () => {
    const text = '\uFEFFa,b\r\n# note\r\n\r\n"x\ny",2\r\n3,"q""uote"\n4,\n'
    expect(parseCsvRecords(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['x\ny', '2'] },
      { line: 6, fields: ['3', 'q"uote'] },
      { line: 7, fields: ['4', ''] },
    ])
  })

  it('reads a last line without a newline', () => {
    expect(parseCsvRecords('a,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ])
  })

  it('round-trips any fields written with RFC 4180 quoting', () => {
    const field = fc.string({ maxLength: 8 })
    const row = fc.array(field, { minLength: 2, maxLength: 5 })
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), (rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\n')
        expect(parseCsvRecords(text).map((r) => r.fields)).toEqual(rows)
      }),
    )
  })
})
