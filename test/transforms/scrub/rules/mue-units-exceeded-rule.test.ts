import { describe, expect, it } from 'vitest'
import { mueUnitsExceededRule } from '../../../../transforms/scrub/rules/mue-units-exceeded-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('mue-units-exceeded', () => {
  it('sums MAI 3 units across lines of a DOS (96417 MUE 3)', () => {
    const claim = buildClaim837({
      lines: [{ code: '96413' }, { code: '96417', units: 2 }, { code: '96417', units: 2 }],
    })
    const findings = mueUnitsExceededRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('totals 4 units')
    expect(findings[0]?.message).toContain('MAI 3')
    expect(findings[0]?.position).toMatchObject({ segmentId: 'SV1', element: 4 })
  })

  it('checks MAI 1 per line and says MAI 2 cannot be fixed by a modifier', () => {
    const mai1 = buildClaim837({ lines: [{ code: '96360', units: 2 }] })
    expect(mueUnitsExceededRule.check(mai1, testContext())[0]?.message).toContain('per line (MAI 1)')
    const mai2 = buildClaim837({ lines: [{ code: '96416' }, { code: '96416' }] })
    expect(mueUnitsExceededRule.check(mai2, testContext())[0]?.suggestion).toContain('no modifier')
  })

  it('accepts units within the MUE, MAI 1 split across lines, and uses the setting of the claim kind', () => {
    const ok = buildClaim837({
      lines: [{ code: '96413' }, { code: '96417', units: 3 }, { code: '96360' }, { code: '96360' }],
    })
    expect(mueUnitsExceededRule.check(ok, testContext())).toEqual([])
    // No outpatient-hospital MUE for 96417 in the test table: not checked on an 837I.
    const facility = buildClaim837({ kind: '837I', lines: [{ code: '96413' }, { code: '96417', units: 5 }] })
    expect(mueUnitsExceededRule.check(facility, testContext())).toEqual([])
  })
})
