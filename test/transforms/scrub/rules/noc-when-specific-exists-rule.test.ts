import { describe, expect, it } from 'vitest'
import { nocWhenSpecificExistsRule } from '../../../../transforms/scrub/rules/noc-when-specific-exists-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('noc-when-specific-exists', () => {
  it('warns when J9999 is billed for an NDC that maps to J9271', () => {
    const claim = buildClaim837({
      dos: '2026-02-10',
      lines: [{ code: 'J9999', ndc: '11111222233', ndcQuantity: '2' }],
    })
    const findings = nocWhenSpecificExistsRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'warning', line: 1 })
    expect(findings[0]?.message).toContain('J9271')
    expect(findings[0]?.message).toContain('2026-01 crosswalk')
  })

  it('is silent when the NDC has no specific code in the crosswalk', () => {
    const claim = buildClaim837({ lines: [{ code: 'J3490', ndc: '99999000011', ndcQuantity: '1' }] })
    expect(nocWhenSpecificExistsRule.check(claim, testContext())).toEqual([])
  })

  it('uses the nearest earlier crosswalk quarter and skips a DOS before any quarter', () => {
    const claim = buildClaim837({ dos: '2024-06-01', lines: [{ code: 'J9999', ndc: '11111222233' }] })
    expect(nocWhenSpecificExistsRule.check(claim, testContext())).toEqual([])
    const later = buildClaim837({ dos: '2025-05-20', lines: [{ code: 'J9999', ndc: '11111222233' }] })
    expect(nocWhenSpecificExistsRule.check(later, testContext())[0]?.message).toContain('2025-01 crosswalk')
  })
})
