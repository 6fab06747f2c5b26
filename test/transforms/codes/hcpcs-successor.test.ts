import { describe, expect, it } from 'vitest'
import { parseBillingUnit } from '../../../transforms/codes/billing-unit.js'
import type { HcpcsRecord } from '../../../transforms/codes/code-records.js'
import { drugNameTokens, inferHcpcsSuccessors } from '../../../transforms/codes/hcpcs-successor.js'

function hcpcs(
  code: string,
  longDescription: string,
  dates: Partial<HcpcsRecord>,
  xrefs: string[] = [],
): HcpcsRecord {
  return {
    code,
    longDescription,
    shortDescription: '',
    addDate: undefined,
    actionEffectiveDate: undefined,
    terminationDate: undefined,
    actionCode: 'N',
    xrefs,
    billingUnit: parseBillingUnit(longDescription),
    sourceQuarter: '2026-01',
    ...dates,
  }
}

describe('inferHcpcsSuccessors', () => {
  it('takes XREF1 when CMS names a successor', () => {
    const successors = inferHcpcsSuccessors([
      hcpcs(
        'C9027',
        'Injection, pembrolizumab, 1 mg',
        { addDate: '2015-01-01', terminationDate: '2015-12-31' },
        ['J9271'],
      ),
      hcpcs('J9271', 'Injection, pembrolizumab, 1 mg', { addDate: '2016-01-01' }),
    ])
    expect(successors.get('C9027')).toEqual({ code: 'J9271', basis: 'xref1', unitFactor: 1 })
  })

  it('finds the same drug added the day after the termination, and the unit factor', () => {
    const successors = inferHcpcsSuccessors([
      hcpcs('J9265', 'Injection, paclitaxel, 30 mg', {
        addDate: '1994-01-01',
        terminationDate: '2014-12-31',
      }),
      hcpcs('J9267', 'Injection, paclitaxel, 1 mg', { addDate: '2015-01-01' }),
      hcpcs('J9301', 'Injection, obinutuzumab, 10 mg', { addDate: '2015-01-01' }),
      hcpcs('Q5139', 'Injection, eculizumab-aeeb (bkemv), biosimilar, 10 mg', {
        addDate: '2025-01-01',
        terminationDate: '2025-03-31',
      }),
      hcpcs('Q5151', 'Injection, eculizumab-aagh (epysqli), biosimilar, 2 mg', { addDate: '2025-04-01' }),
      hcpcs('Q5152', 'Injection, eculizumab-aeeb (bkemv), biosimilar, 2 mg', { addDate: '2025-04-01' }),
    ])
    expect(successors.get('J9265')).toEqual({ code: 'J9267', basis: 'same-drug', unitFactor: 30 })
    // Q5151 is eculizumab too, but another biosimilar: the closer descriptor wins.
    expect(successors.get('Q5139')).toEqual({ code: 'Q5152', basis: 'same-drug', unitFactor: 5 })
    expect(successors.has('J9267')).toBe(false)
  })

  it('names no successor for another drug added that day, or a code added on another day', () => {
    const successors = inferHcpcsSuccessors([
      hcpcs('J9270', 'Injection, plicamycin, 2.5 mg', {
        addDate: '1984-01-01',
        terminationDate: '2025-12-31',
      }),
      hcpcs('J9326', 'Injection, telisotuzumab vedotin-tllv, 1 mg', { addDate: '2026-01-01' }),
      hcpcs('J9098', 'Injection, cytarabine liposome, 10 mg', {
        addDate: '2000-01-01',
        terminationDate: '2025-12-31',
      }),
      hcpcs('J9100', 'Injection, cytarabine, 100 mg', { addDate: '2024-01-01' }),
    ])
    expect(successors.size).toBe(0)
  })

  it('names no successor when two candidates fit equally', () => {
    const successors = inferHcpcsSuccessors([
      hcpcs('C9999', 'Injection, examplemab, 10 mg', {
        addDate: '2024-01-01',
        terminationDate: '2024-12-31',
      }),
      hcpcs('J9901', 'Injection, examplemab, 1 mg', { addDate: '2025-01-01' }),
      hcpcs('J9902', 'Injection, examplemab, 5 mg', { addDate: '2025-01-01' }),
    ])
    expect(successors.has('C9999')).toBe(false)
  })

  it('reduces a descriptor to the words that name the drug', () => {
    expect([...drugNameTokens('Injection, eculizumab-aeeb (bkemv), biosimilar, 10 mg')]).toEqual([
      'eculizumab-aeeb',
      'bkemv',
    ])
  })
})
