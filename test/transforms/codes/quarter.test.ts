import { describe, expect, it } from 'vitest'
import {
  findQuarterInText,
  isQuarter,
  quarterEnd,
  quarterOfDate,
  quarterStart,
} from '../../../transforms/codes/quarter.js'

describe('quarters', () => {
  it('maps dates to quarters and back', () => {
    expect(quarterOfDate('2025-08-14')).toBe('2025-07')
    expect(quarterOfDate('2026-01-01')).toBe('2026-01')
    expect(quarterOfDate('2025-12-31')).toBe('2025-10')
    expect(quarterStart('2026-04')).toBe('2026-04-01')
    expect(quarterEnd('2026-01')).toBe('2026-03-31')
    expect(quarterEnd('2025-10')).toBe('2025-12-31')
    expect(isQuarter('2026-04')).toBe(true)
    expect(isQuarter('2026-05')).toBe(false)
  })

  it.each([
    ['hcpcs-2026-01-anweb.txt', '2026-01'],
    ['HCPC2026_JAN_ANWEB', '2026-01'],
    ['HCPC2025_OCT_ANWEB', '2025-10'],
    ['AOC_V2026Q2-MCR_xlsx', '2026-04'],
    ['     Effective January 1, 2024 through March 31, 2024', '2024-01'],
    ['July 2025 ASP NDC - HCPCS Crosswalk for Medicare Part B Drugs', '2025-07'],
    ['MCR_MUE_PractitionerServices_Eff_04-01-2026.csv', '2026-04'],
    ['mue-practitioner-2026-04.csv', '2026-04'],
  ])('finds the quarter in %s', (text, quarter) => {
    expect(findQuarterInText(text)).toBe(quarter)
  })

  it.each([
    'copyright 2025 American Medical Association',
    'Note regarding coverage and payment indicators for codes in CMS 2020 HCPCS Update',
    'data through March 31, 2024',
    'hcpcs-anweb.txt',
  ])('finds no quarter in %s', (text) => {
    expect(findQuarterInText(text)).toBeUndefined()
  })
})
