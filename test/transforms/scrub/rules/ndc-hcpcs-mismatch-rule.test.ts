import { describe, expect, it } from 'vitest'
import { ndcHcpcsMismatchRule } from '../../../../transforms/scrub/rules/ndc-hcpcs-mismatch-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('ndc-hcpcs-mismatch', () => {
  it('flags a biosimilar NDC (Q5107) billed on the reference J-code (J9035)', () => {
    const claim = buildClaim837({
      lines: [{ code: 'J9035', units: 40, ndc: '33333444455', ndcQuantity: '4' }],
    })
    const findings = ndcHcpcsMismatchRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('error')
    expect(findings[0]?.message).toContain('maps to Q5107, not J9035')
    expect(findings[0]?.position).toMatchObject({ segmentId: 'LIN', element: 3 })
  })

  it('accepts the NDC on its own code', () => {
    const claim = buildClaim837({
      lines: [{ code: 'Q5107', units: 40, ndc: '33333444455', ndcQuantity: '4' }],
    })
    expect(ndcHcpcsMismatchRule.check(claim, testContext())).toEqual([])
  })

  it("uses the DOS's quarter (2025-10 falls back to 2025-07, where the J9011 NDC is listed)", () => {
    const claim = buildClaim837({
      dos: '2025-11-01',
      lines: [{ code: 'J9011', units: 300, ndc: '55555666677', ndcQuantity: '3' }],
    })
    expect(ndcHcpcsMismatchRule.check(claim, testContext())).toEqual([])
  })
})
