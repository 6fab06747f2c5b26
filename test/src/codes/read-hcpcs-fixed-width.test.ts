import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SkippedRow } from '../../../src/codes/code-file-records.js'
import { isHcpcsFixedWidthLine, readHcpcsFixedWidth } from '../../../src/codes/read-hcpcs-fixed-width.js'
import type { HcpcsRecord } from '../../../transforms/codes/code-records.js'

/** A 320-character HCPCS contractor record with fields at the CMS layout's positions. */
function record(fields: {
  code: string
  seq: string
  id: string
  long: string
  short?: string
  xrefs?: string[]
  add?: string
  eff?: string
  term?: string
  action?: string
}): string {
  const line = Array.from({ length: 320 }, () => ' ')
  const put = (from: number, text: string) => {
    for (let i = 0; i < text.length; i++) line[from - 1 + i] = text[i] ?? ' '
  }
  put(1, fields.code.padStart(5))
  put(6, fields.seq)
  put(11, fields.id)
  put(12, fields.long.padEnd(80).slice(0, 80))
  put(92, (fields.short ?? '').padEnd(28).slice(0, 28))
  for (const [i, xref] of (fields.xrefs ?? []).entries()) put(205 + i * 5, xref.padEnd(5))
  put(269, fields.add ?? '')
  put(277, fields.eff ?? '')
  put(285, fields.term ?? '')
  put(293, fields.action ?? '')
  return line.join('')
}

async function read(lines: string[]): Promise<{ records: HcpcsRecord[]; skipped: SkippedRow[] }> {
  const path = join(mkdtempSync(join(tmpdir(), 'onco-edi-hcpcs-')), 'anweb.txt')
  writeFileSync(path, `${lines.join('\r\n')}\r\n`, 'latin1')
  const records: HcpcsRecord[] = []
  const skipped: SkippedRow[] = []
  for await (const batch of readHcpcsFixedWidth(path, '2026-01', (row) => skipped.push(row), 2))
    records.push(...batch)
  return { records, skipped }
}

describe('readHcpcsFixedWidth', () => {
  it('joins continuation records, keeps modifiers, XREFs and dates', async () => {
    const { records, skipped } = await read([
      record({
        code: 'JW',
        seq: '00100',
        id: '7',
        long: 'Drug amount discarded/not administered to any',
        add: '20020101',
        action: 'N',
      }),
      record({ code: 'JW', seq: '00200', id: '8', long: 'patient' }),
      record({
        code: 'C9027',
        seq: '00100',
        id: '3',
        long: 'Injection, pembrolizumab, 1 mg',
        xrefs: ['J9271'],
        add: '20150101',
        eff: '20160101',
        term: '20151231',
        action: 'N',
      }),
      record({
        code: 'J9267',
        seq: '00100',
        id: '3',
        long: 'Injection, paclitaxel,',
        add: '20150101',
        eff: '20150101',
        action: 'N',
      }),
      record({ code: 'J9267', seq: '00200', id: '4', long: '1 mg' }),
    ])
    expect(skipped).toEqual([])
    expect(records.map((r) => [r.code, r.longDescription])).toEqual([
      ['JW', 'Drug amount discarded/not administered to any patient'],
      ['C9027', 'Injection, pembrolizumab, 1 mg'],
      ['J9267', 'Injection, paclitaxel, 1 mg'],
    ])
    expect(records[1]).toMatchObject({
      xrefs: ['J9271'],
      addDate: '2015-01-01',
      actionEffectiveDate: '2016-01-01',
      terminationDate: '2015-12-31',
      actionCode: 'N',
      sourceQuarter: '2026-01',
    })
    expect(records[2]?.billingUnit).toEqual({ amount: 1, unit: 'mg' })
  })

  it('skips a record with a bad date or an orphan continuation, naming the line', async () => {
    const { records, skipped } = await read([
      record({ code: 'J9999', seq: '00200', id: '4', long: 'orphan' }),
      record({
        code: 'J9045',
        seq: '00100',
        id: '3',
        long: 'Injection, carboplatin, 50 mg',
        add: '19901332',
      }),
      record({ code: 'J9060', seq: '00100', id: '3', long: 'Injection, cisplatin, 10 mg', add: '19840101' }),
    ])
    expect(records.map((r) => r.code)).toEqual(['J9060'])
    expect(skipped).toEqual([
      { line: 1, code: 'CODES_BAD_ROW', reason: 'continuation of J9999 before any procedure record' },
      { line: 2, code: 'CODES_BAD_ROW', reason: 'J9045: addDate "19901332" is not a YYYYMMDD date' },
    ])
  })

  it('skips a record cut short (no dates would be read), one with data past 320, and one with a NUL', async () => {
    const good = record({
      code: 'J9060',
      seq: '00100',
      id: '3',
      long: 'Injection, cisplatin, 10 mg',
      add: '19840101',
    })
    const cut = record({
      code: 'J9045',
      seq: '00100',
      id: '3',
      long: 'Injection, carboplatin, 50 mg',
      add: '19900101',
    })
    const { records, skipped } = await read([
      cut.slice(0, 40),
      `${good.replace('J9060', 'J9061')}XYZ`,
      good.replace('cisplatin', 'cis\u0000platin').replace('J9060', 'J9062'),
      `${good}${' '.repeat(226)}`,
    ])
    expect(records.map((r) => [r.code, r.addDate])).toEqual([['J9060', '1984-01-01']])
    expect(skipped).toEqual([
      {
        line: 1,
        column: 41,
        code: 'CODES_BAD_RECORD_LENGTH',
        reason: 'J9045: 40 characters; a HCPCS record is 320 characters (CMS record layout)',
      },
      {
        line: 2,
        column: 321,
        code: 'CODES_BAD_RECORD_LENGTH',
        reason: 'J9061: data past character 320; a HCPCS record is 320 characters (CMS record layout)',
      },
      {
        line: 3,
        column: 26,
        code: 'CODES_CONTROL_CHAR',
        reason: 'control character U+0000 (NUL) at character 26',
      },
    ])
  })

  it('recognizes a contractor record line', () => {
    expect(isHcpcsFixedWidthLine(record({ code: 'J9267', seq: '00100', id: '3', long: 'x' }))).toBe(true)
    expect(isHcpcsFixedWidthLine('HCPC,SEQNUM,RECID')).toBe(false)
  })
})
