import { describe, expect, it } from 'vitest'
import { drugUnitsVsNdcRule } from '../../../../transforms/scrub/rules/drug-units-vs-ndc-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('drug-units-vs-ndc', () => {
  it('flags units above vials × BILLUNITS (UN) as an error at the units element', () => {
    // 2 vials of pembrolizumab 100 mg = 200 billing units of J9271 (1 mg); 300 cannot be supplied.
    const claim = buildClaim837({
      lines: [{ code: 'J9271', units: 300, ndc: '11111222233', ndcQuantity: '2', ndcUnit: 'UN' }],
    })
    const findings = drugUnitsVsNdcRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      severity: 'error',
      position: expect.objectContaining({ segmentId: 'SV1', element: 4 }),
    })
    expect(findings[0]?.message).toContain('200 units')
  })

  it('warns when the NDC quantity is in ML (ambiguous)', () => {
    // 4 mL vial holds 100 units → 25 units per mL; 8 mL → 200 units.
    const claim = buildClaim837({
      lines: [{ code: 'J9271', units: 250, ndc: '11111222233', ndcQuantity: '8', ndcUnit: 'ML' }],
    })
    const findings = drugUnitsVsNdcRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('warning')
  })

  it('accepts units the vials can supply', () => {
    const claim = buildClaim837({
      lines: [
        { code: 'J9271', units: 200, ndc: '11111222233', ndcQuantity: '2', ndcUnit: 'UN' },
        { code: 'J9271', units: 200, ndc: '11111222233', ndcQuantity: '8', ndcUnit: 'ML' },
      ],
    })
    expect(drugUnitsVsNdcRule.check(claim, testContext())).toEqual([])
  })
})
