import { describe, expect, it } from 'vitest'
import { parseAuthorizationsCsv, parseScheduleCsv } from '../../../src/scrub/authorization-csv.js'
import { ScrubError } from '../../../transforms/scrub/scrub-error.js'

describe('parseAuthorizationsCsv', () => {
  it('keeps every good row and rejects each bad row with its line number and reason', () => {
    const text = [
      'auth_number,payer_id,member_id,hcpcs,units_authorized,cycles_authorized,start_date,end_date',
      'PA1,P01,M0001,J9271,400,2,2026-01-01,2026-03-31',
      'PA2,P01,M0002,J9271,lots,2,2026-01-01,2026-03-31',
      'PA3,P01,M0003,,,,,',
      ',P01,M0004,J9271,1,1,2026-13-01,2026-03-31',
      'PA5,P01,M0005,J9045,10,,2026-04-01,2026-03-01',
      'PA6,P01,M0006,J9045,10,,2026-01-01,2026-12-31',
    ].join('\n')
    const parsed = parseAuthorizationsCsv(text)
    expect(parsed.authorizations.map((a) => [a.authNumber, a.line])).toEqual([
      ['PA1', 2],
      ['PA3', 4],
      ['PA6', 7],
    ])
    expect(parsed.authorizations[1]).toMatchObject({
      hcpcs: undefined,
      unitsAuthorized: undefined,
      endDate: undefined,
    })
    expect(parsed.rejects.map((r) => r.line)).toEqual([3, 5, 6])
    expect(parsed.rejects[0]?.reason).toContain('units_authorized "lots"')
    expect(parsed.rejects[1]?.reason).toMatch(/auth_number is blank.*start_date "2026-13-01"/)
    expect(parsed.rejects[2]?.reason).toContain('before start_date')
    for (const r of parsed.rejects) expect(r.reason).not.toMatch(/M000\d/)
  })

  it('rejects an unbalanced quote as one row and keeps the rest', () => {
    const text = [
      'auth_number,payer_id,member_id,hcpcs,units_authorized,cycles_authorized,start_date,end_date',
      'PA1,P01,M1,J9271,1,1,,',
      'PA2,"P01,M2,J9271,1,1,,',
    ].join('\n')
    const parsed = parseAuthorizationsCsv(text)
    expect(parsed.authorizations.map((a) => a.authNumber)).toEqual(['PA1'])
    expect(parsed.rejects).toHaveLength(1)
  })

  it('throws SCRUB_BAD_CSV_HEADER when a column is missing', () => {
    const attempt = () => parseAuthorizationsCsv('auth_number,payer_id\nA,B\n', 'x.csv')
    expect(attempt).toThrow(ScrubError)
    try {
      attempt()
    } catch (error) {
      expect(error).toMatchObject({ code: 'SCRUB_BAD_CSV_HEADER' })
      expect(String(error)).toContain('line 1')
    }
  })
})

describe('parseScheduleCsv', () => {
  it('reads optional times and rejects bad rows with line numbers', () => {
    const text = [
      'member_id,payer_id,date,hcpcs,planned_units,start_time,end_time',
      'M1,P01,2026-02-23,J9271,200,0900,0930',
      'M1,P01,2026-02-30,J9271,200,,',
      'M1,P01,2026-03-16,J9271,,,',
      'M1,P01,2026-03-17,J92,1,25:00,',
    ].join('\n')
    const parsed = parseScheduleCsv(text)
    expect(parsed.entries.map((e) => [e.line, e.date, e.plannedUnits, e.startTime])).toEqual([
      [2, '2026-02-23', 200, '0900'],
      [4, '2026-03-16', undefined, undefined],
    ])
    expect(parsed.rejects.map((r) => r.line)).toEqual([3, 5])
    expect(parsed.rejects[1]?.reason).toMatch(/hcpcs "J92".*start_time "25:00"/)
  })
})
