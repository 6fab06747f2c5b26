import { describe, expect, it } from 'vitest'
import { createCodeTableSet, quarterOf } from '../../../transforms/scrub/code-table-set.js'
import { crosswalk, hcpcs } from '../../support/scrub-test-context.js'

describe('createCodeTableSet', () => {
  it('keeps the newest quarter of a HCPCS code', () => {
    const tables = createCodeTableSet({
      hcpcs: [
        hcpcs('C9306', '2025-01-01', undefined, [1, 'mg'], [], '2025-10'),
        hcpcs('C9306', '2025-01-01', '2025-12-31', [1, 'mg'], ['J9326'], '2026-01'),
        hcpcs('C9306', '2025-01-01', undefined, [1, 'mg'], [], '2020-10'),
      ],
      crosswalk: [],
      addOns: [],
      mue: [],
    })
    expect(tables.hcpcs('C9306')?.terminationDate).toBe('2025-12-31')
    expect(tables.hcpcs('J0000')).toBeUndefined()
  })

  it("uses the DOS's crosswalk quarter, else the nearest earlier one", () => {
    expect(quarterOf('2025-08-14')).toBe('2025-07')
    expect(quarterOf('2025-12-31')).toBe('2025-10')
    const tables = createCodeTableSet({
      hcpcs: [],
      crosswalk: ['2024-01', '2025-01', '2025-07', '2026-01'].map((q) =>
        crosswalk(q, 'J9271', '11111222233', 100),
      ),
      addOns: [],
      mue: [],
    })
    expect(tables.crosswalkQuarterFor('2025-08-14')).toBe('2025-07')
    expect(tables.crosswalkQuarterFor('2025-04-01')).toBe('2025-01')
    expect(tables.crosswalkQuarterFor('2026-03-31')).toBe('2026-01')
    expect(tables.crosswalkQuarterFor('2023-12-31')).toBeUndefined()
    expect(tables.crosswalkByNdc('11111222233', '2025-07')).toHaveLength(1)
    expect(tables.crosswalkByHcpcs('J9271', '2025-04')).toEqual([])
  })

  it('applies add-on edits by effective and deletion date, and MUEs by setting', () => {
    const tables = createCodeTableSet({
      hcpcs: [],
      crosswalk: [],
      addOns: [
        {
          addOnCode: '96415',
          primaryCode: '96413',
          editType: '1',
          effectiveDate: '2013-01-01',
          deletionDate: undefined,
          sourceQuarter: '2026-04',
        },
        {
          addOnCode: '96415',
          primaryCode: '96999',
          editType: '1',
          effectiveDate: '2013-01-01',
          deletionDate: '2019-12-31',
          sourceQuarter: '2026-04',
        },
        {
          addOnCode: '96415',
          primaryCode: '96888',
          editType: '1',
          effectiveDate: '2027-01-01',
          deletionDate: undefined,
          sourceQuarter: '2026-04',
        },
      ],
      mue: [
        { setting: 'practitioner', code: '96413', units: 1, mai: 3, rationale: '', sourceQuarter: '2026-04' },
        {
          setting: 'outpatient_hospital',
          code: '96413',
          units: 2,
          mai: 3,
          rationale: '',
          sourceQuarter: '2026-04',
        },
      ],
    })
    expect(tables.addOnPrimaries('96415', '2019-12-31')).toEqual(['96413', '96999'])
    expect(tables.addOnPrimaries('96415', '2026-02-01')).toEqual(['96413'])
    expect(tables.addOnPrimaries('96413', '2026-02-01')).toBeUndefined()
    expect(tables.mue('96413', 'practitioner')?.units).toBe(1)
    expect(tables.mue('96413', 'outpatient_hospital')?.units).toBe(2)
  })
})
