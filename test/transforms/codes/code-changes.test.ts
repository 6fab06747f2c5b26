import { describe, expect, it } from 'vitest'
import { parseBillingUnit } from '../../../transforms/codes/billing-unit.js'
import { listCodeChanges, newestQuarter } from '../../../transforms/codes/code-changes.js'
import type { HcpcsChangeRecord, HcpcsRecord } from '../../../transforms/codes/code-records.js'

function hcpcs(code: string, longDescription: string, fields: Partial<HcpcsRecord>): HcpcsRecord {
  return {
    code,
    longDescription,
    shortDescription: '',
    addDate: undefined,
    actionEffectiveDate: undefined,
    terminationDate: undefined,
    actionCode: 'N',
    xrefs: [],
    billingUnit: parseBillingUnit(longDescription),
    sourceQuarter: '2026-01',
    ...fields,
  }
}

const records: HcpcsRecord[] = [
  hcpcs('J9310', 'Injection, rituximab, 100 mg', {
    addDate: '1999-01-01',
    terminationDate: '2018-12-31',
    successor: { code: 'J9312', basis: 'same-drug', unitFactor: 10 },
  }),
  hcpcs('J9312', 'Injection, rituximab, 10 mg', { addDate: '2019-01-01' }),
  hcpcs('J9030', 'Bcg live intravesical instillation, 1 mg', {
    addDate: '2019-07-01',
    sourceQuarter: '2025-10',
  }),
  hcpcs('J9030', 'Bcg live intravesical instillation, 1 mg (tice)', {
    addDate: '2019-07-01',
    sourceQuarter: '2026-01',
  }),
]

describe('listCodeChanges', () => {
  it('lists a termination on the day after TERM DT with its successor and the successor billing unit', () => {
    const changes = listCodeChanges({ hcpcs: records, changes: [] }, { from: '2019-01-01', to: '2019-01-01' })
    expect(changes.map((c) => [c.code, c.change, c.effectiveDate])).toEqual([
      ['J9310', 'terminated', '2019-01-01'],
      ['J9312', 'added', '2019-01-01'],
    ])
    expect(changes[0]?.successor).toEqual({
      code: 'J9312',
      basis: 'same-drug',
      unitFactor: 10,
      billingUnit: { amount: 10, unit: 'mg' },
    })
    expect(changes[0]?.terminationDate).toBe('2018-12-31')
  })

  it('finds a re-described code between two stored quarters, and merges the transaction report', () => {
    const report: HcpcsChangeRecord[] = [
      {
        code: 'J9030',
        actionCode: 'Long Description Change',
        change: 'descriptor',
        effectiveDate: '2026-01-01',
        longDescription: 'Bcg live intravesical instillation, 1 mg (tice)',
        sourceQuarter: '2026-01',
      },
      {
        code: 'J9030',
        actionCode: 'Payment Change',
        change: 'other',
        effectiveDate: '2026-01-01',
        longDescription: '',
        sourceQuarter: '2026-01',
      },
    ]
    const changes = listCodeChanges(
      { hcpcs: records, changes: report },
      { from: '2026-01-01', to: '2026-03-31' },
    )
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({
      code: 'J9030',
      change: 'descriptor',
      description: 'Bcg live intravesical instillation, 1 mg (tice)',
      previousDescription: 'Bcg live intravesical instillation, 1 mg',
      sources: ['hcpcs 2025-10→2026-01', 'transaction report 2026-01'],
    })
  })

  it('leaves out what falls outside the period', () => {
    expect(
      listCodeChanges({ hcpcs: records, changes: [] }, { from: '2019-01-02', to: '2019-06-30' }),
    ).toEqual([])
    expect(newestQuarter(records.map((r) => r.sourceQuarter))).toBe('2026-01')
  })
})
