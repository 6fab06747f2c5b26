import { describe, expect, it } from 'vitest'
import { decodeCsv, readCsv } from '../../../parsers/csv/csv-reader.js'

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))

describe('readCsv', () => {
  it('reads a header and records with their lines; quoted fields may span lines', () => {
    const read = readCsv(bytes('A,B\r\n1,"x, ""y"""\r\n\r\n# a note\r\n2,"two\nlines"\r\n3,z\r\n'))
    expect(read.header).toEqual(['a', 'b'])
    expect(read.records).toEqual([
      { line: 2, fields: ['1', 'x, "y"'] },
      { line: 5, fields: ['2', 'two\nlines'] },
      { line: 7, fields: ['3', 'z'] },
    ])
    expect(read.rejects).toEqual([])
  })

  it('rejects an unclosed quote on its own line and keeps every later record', () => {
    const read = readCsv(bytes('a,b\n1,2\n3,"open\n5,6\n7,8\n'))
    expect(read.records.map((r) => r.line)).toEqual([2, 4, 5])
    expect(read.rejects).toEqual([expect.objectContaining({ line: 3, column: 2, problem: 'syntax' })])
  })

  it('rejects text after a closing quote, a NUL and a field over its limit, one row each', () => {
    const huge = 'x'.repeat(5_000_000)
    const read = readCsv(bytes(`payer_id,name\nP1,"ok"x\nP2,a\u0000b\nP3,${huge}\nP4,fine\n`))
    expect(read.records).toEqual([{ line: 5, fields: ['P4', 'fine'] }])
    expect(read.rejects.map((r) => [r.line, r.column, r.problem])).toEqual([
      [2, 2, 'syntax'],
      [3, 2, 'control'],
      [4, 2, 'too_long'],
    ])
    expect(read.rejects[1]?.message).toContain('U+0000 (NUL) at character 2')
    expect(read.rejects[2]?.message).toContain('5000000 characters, more than the 200 allowed')
  })

  it('a rejected multi-line record does not turn its continuation lines into records', () => {
    const read = readCsv(bytes('a,b\n1,"x\u0000\ny"\n2,z\n'))
    expect(read.records).toEqual([{ line: 4, fields: ['2', 'z'] }])
    expect(read.rejects).toEqual([expect.objectContaining({ line: 2, problem: 'control' })])
  })

  it('reads UTF-8 strictly and a line that is not UTF-8 as Windows-1252, with a warning naming line and field', () => {
    const read = readCsv(bytes('payer_id,name\nP1,Caf\u00e9 \u20ac\nP2,Sa', [0xe9, 0x80], 'o\nP3,x\n'))
    expect(read.records.map((r) => r.fields[1])).toEqual(['Café €', 'Saé€o', 'x'])
    expect(read.warnings).toEqual([
      {
        line: 3,
        column: 2,
        problem: 'encoding',
        message: 'byte 0xE9 at character 6 is not UTF-8; the line was read as Windows-1252',
      },
    ])
    expect(read.rejects).toEqual([])
  })

  it('drops a UTF-8 BOM and reads UTF-16 by its BOM', () => {
    expect(decodeCsv(bytes([0xef, 0xbb, 0xbf], 'a\n')).text).toBe('a\n')
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,\u00e9\n', 'utf16le')])
    expect(readCsv(utf16).records).toEqual([{ line: 2, fields: ['1', 'é'] }])
  })

  it('gives no header for an empty file', () => {
    expect(readCsv(bytes('')).header).toBeUndefined()
    expect(readCsv(bytes('\n\n')).header).toBeUndefined()
  })
})
