import { describe, expect, it } from 'vitest'
import { jcodeValidOnDosRule } from '../../../../transforms/scrub/rules/jcode-valid-on-dos-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

const rule = jcodeValidOnDosRule

describe('jcode-valid-on-dos', () => {
  const transitions: [string, number, string, string, number][] = [
    // from, units, DOS, successor, recomputed units (DOMAIN.md §3)
    ['J9265', 6, '2015-03-02', 'J9267', 180], // 30 mg → 1 mg: ×30
    ['J9310', 7, '2019-02-01', 'J9312', 70], // 100 mg → 10 mg: ×10
    ['J9199', 5, '2020-07-15', 'J9198', 10], // 200 mg → 100 mg: ×2
    ['C9027', 200, '2016-02-01', 'J9271', 200], // 1 mg → 1 mg (XREF1)
    ['C9174', 300, '2025-10-15', 'J9011', 300], // 1 mg → 1 mg (XREF1)
    ['Q5139', 60, '2025-04-10', 'Q5152', 300], // 10 mg → 2 mg: ×5
  ]
  for (const [from, units, dos, to, toUnits] of transitions) {
    it(`suggests ${to} × ${toUnits} for ${from} × ${units} on ${dos}, with a safe fix`, () => {
      const claim = buildClaim837({ kind: '837I', dos, lines: [{ code: from, units }] })
      const [finding, ...rest] = rule.check(claim, testContext())
      expect(rest).toEqual([])
      expect(finding?.severity).toBe('error')
      expect(finding?.line).toBe(1)
      expect(finding?.message).toContain(`${from} was terminated`)
      expect(finding?.suggestion).toContain(`use ${to}`)
      expect(finding?.suggestion).toContain(`units ${units} → ${toUnits}`)
      expect(finding?.fix).toMatchObject({
        kind: 'replace-hcpcs',
        fromCode: from,
        toCode: to,
        fromUnits: units,
        toUnits,
      })
      expect(finding?.position).toMatchObject({ segmentId: 'SV2', element: 2, component: 2 })
    })
  }

  it('reports a code used before its ADD_DT, without a fix', () => {
    const claim = buildClaim837({ dos: '2014-06-01', lines: [{ code: 'J9267', units: 100 }] })
    const findings = rule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('not valid until 2015-01-01')
    expect(findings[0]?.fix).toBeUndefined()
  })

  it('accepts codes valid on the DOS, including the last day before termination', () => {
    const claim = buildClaim837({
      dos: '2014-12-31',
      lines: [{ code: 'J9265', units: 6 }, { code: '96413' }, { code: 'J9045', units: 9 }],
    })
    expect(rule.check(claim, testContext())).toEqual([])
  })
})
