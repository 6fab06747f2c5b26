import { describe, expect, it } from 'vitest'
import { ndcRequiredRule } from '../../../../transforms/scrub/rules/ndc-required-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('ndc-required', () => {
  it('flags a Medicaid (SBR09 MC) drug line without an NDC', () => {
    const claim = buildClaim837({
      filing: 'MC',
      payerId: 'ANYSTATE',
      lines: [{ code: '96413' }, { code: 'J9045', units: 9 }],
    })
    const findings = ndcRequiredRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, severity: 'error' })
  })

  it('follows the payer profile: SKCOM1 (commercial) requires NDCs', () => {
    const claim = buildClaim837({ filing: 'CI', payerId: 'SKCOM1', lines: [{ code: 'J9045', units: 9 }] })
    expect(ndcRequiredRule.check(claim, testContext())).toHaveLength(1)
  })

  it('does not require NDCs from a commercial payer without a profile, or on lines that have one', () => {
    const other = buildClaim837({ filing: 'CI', payerId: 'OTHER1', lines: [{ code: 'J9045', units: 9 }] })
    expect(ndcRequiredRule.check(other, testContext())).toEqual([])
    const withNdc = buildClaim837({
      filing: 'MC',
      lines: [{ code: 'J9045', units: 9, ndc: '44444555566' }, { code: '96413' }],
    })
    expect(ndcRequiredRule.check(withNdc, testContext())).toEqual([])
  })
})
