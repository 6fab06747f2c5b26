import { describe, expect, it } from 'vitest'
import { formatCents, parseCents } from '../../../parsers/money.js'
import type { Segment } from '../../../parsers/x12/segment.js'
import { X12SummaryCollector } from '../../../src/pipeline/x12-summary.js'

const DELIMITERS = { element: '*', component: ':', repetition: '^', segment: '~' }

function segment(elements: string[], index: number): Segment {
  return { id: elements[0] ?? '', elements, offset: index * 20, index, stIndex: 0, delimiters: DELIMITERS }
}

/** The sums as the summary defines them: CAS amounts by `GROUP-CARC`, sorted. */
function expectedAdjustments(cases: string[][]): Record<string, string> {
  const sums = new Map<string, number>()
  for (const e of cases)
    for (let i = 2; i < e.length; i += 3) {
      const carc = e[i] ?? ''
      if (carc === '') continue
      const key = `${e[1] ?? ''}-${carc}`
      sums.set(key, (sums.get(key) ?? 0) + (parseCents(e[i + 1] ?? '') ?? 0))
    }
  const record: Record<string, string> = {}
  for (const key of [...sums.keys()].sort()) record[key] = formatCents(sums.get(key) ?? 0)
  return record
}

describe('X12SummaryCollector', () => {
  it('sums CAS amounts by GROUP-CARC for short codes and any other text alike', () => {
    const cases = [
      ['CAS', 'CO', '45', '100.10', '', '253', '2.5'],
      ['CAS', 'PR', '2', '20', '1'],
      ['CAS', 'CO', '45', '0.90', '', 'A1', '7'],
      ['CAS', 'co', '45', '1'],
      ['CAS', 'CO', 'P12X', '3', '', '45', '1'],
      ['CAS', '', '45', '4'],
      ['CAS', 'C-', '45', '5'],
      ['CAS', 'OA', '2-', '6', '', '', '', '', 'Z', 'not money'],
      ['CAS', 'CO', '', '9'],
      ['CAS', 'PI'],
    ]
    const collector = new X12SummaryCollector()
    for (const [i, e] of cases.entries()) collector.onSegment(segment(e, i + 1))
    const { adjustments } = collector.summary('cas.x12')
    expect(adjustments).toEqual(expectedAdjustments(cases))
    expect(adjustments['CO-45']).toBe('102.00')
    expect(adjustments['co-45']).toBe('1.00')
    expect(adjustments['OA-Z']).toBe('0.00')
  })

  it('keeps totals exact past 2^31 cents (CLP03/04, BPR02, PLB, CAS)', () => {
    const collector = new X12SummaryCollector()
    let index = 0
    const amount = '12345678.91' // 1,234,567,891 cents: the second one is past 2^31
    for (let i = 0; i < 3; i++) {
      collector.onSegment(segment(['CLP', `PCN${i}`, '1', amount, amount], ++index))
      collector.onSegment(segment(['CAS', 'CO', '45', amount], ++index))
      collector.onSegment(segment(['BPR', 'I', amount, 'C'], ++index))
      collector.onSegment(segment(['PLB', '1234567890', '20261231', 'WO:1', amount], ++index))
    }
    const summary = collector.summary('big.x12')
    expect(summary.totalCharge).toBe('37037036.73')
    expect(summary.totalPaid).toBe('37037036.73')
    expect(summary.bprTotal).toBe('37037036.73')
    expect(summary.plbTotal).toBe('37037036.73')
    expect(summary.adjustments).toEqual({ 'CO-45': '37037036.73' })
    expect(summary.claimStatus).toEqual({ '1': 3 })
  })
})
