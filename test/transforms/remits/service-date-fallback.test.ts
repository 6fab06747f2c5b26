import { describe, expect, it } from 'vitest'
import {
  claimServiceDate,
  claimThroughDate,
  lineServiceDate,
  remitClaimServiceDate,
} from '../../../transforms/remits/service-date-fallback.js'

const undated = { statementFrom: undefined, statementTo: undefined, lines: [{ serviceFrom: undefined }] }
const lineDated = { ...undated, lines: [{ serviceFrom: undefined }, { serviceFrom: '2026-01-09' }] }
const submitted = { serviceFrom: '2026-01-07', serviceTo: '2026-01-31', kind: '837I' }

describe('service date fallback', () => {
  it('the remit’s own date: statement date, else the first dated line', () => {
    expect(remitClaimServiceDate({ ...lineDated, statementFrom: '2026-01-01' })).toBe('2026-01-01')
    expect(remitClaimServiceDate(lineDated)).toBe('2026-01-09')
    expect(remitClaimServiceDate(undated)).toBeUndefined()
  })

  it('a claim item: statement date, else the 837’s From date, else a line date', () => {
    expect(claimServiceDate({ ...lineDated, statementFrom: '2026-01-01' }, submitted)).toBe('2026-01-01')
    expect(claimServiceDate(lineDated, submitted)).toBe('2026-01-07')
    expect(claimServiceDate(lineDated, { ...submitted, serviceFrom: null })).toBe('2026-01-09')
    expect(claimServiceDate(undated, undefined)).toBeUndefined()
  })

  it('a line item: the SVC date, else its submitted line’s, else the claim’s', () => {
    expect(lineServiceDate({ serviceFrom: '2026-01-03' }, { serviceFrom: '2026-01-04' }, '2026-01-05')).toBe(
      '2026-01-03',
    )
    expect(lineServiceDate({ serviceFrom: undefined }, { serviceFrom: '2026-01-04' }, '2026-01-05')).toBe(
      '2026-01-04',
    )
    expect(lineServiceDate({ serviceFrom: undefined }, { serviceFrom: null }, '2026-01-05')).toBe(
      '2026-01-05',
    )
  })

  it('the Through date counts for institutional claims only', () => {
    expect(claimThroughDate({ ...undated, statementTo: '2026-01-20' }, submitted)).toBe('2026-01-20')
    expect(claimThroughDate(undated, submitted)).toBe('2026-01-31')
    expect(claimThroughDate(undated, { ...submitted, kind: '837P' })).toBeUndefined()
    expect(claimThroughDate(undated, undefined)).toBeUndefined()
  })
})
