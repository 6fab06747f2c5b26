import { describe, expect, it } from 'vitest'
import { cCodeOnProfessionalRule } from '../../../../transforms/scrub/rules/c-code-on-professional-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('c-code-on-professional', () => {
  it('flags a C9xxx drug code on an 837P and suggests the J-code', () => {
    const claim = buildClaim837({
      kind: '837P',
      dos: '2025-11-03',
      lines: [{ code: '96413' }, { code: 'C9174', units: 300 }],
    })
    const findings = cCodeOnProfessionalRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, rule: 'c-code-on-professional', severity: 'error' })
    expect(findings[0]?.suggestion).toContain('J9011')
    expect(findings[0]?.position).toMatchObject({ segmentId: 'SV1', element: 1, component: 2 })
  })

  it('accepts the same C-code on an 837I (OPPS)', () => {
    const claim = buildClaim837({ kind: '837I', dos: '2025-08-03', lines: [{ code: 'C9174', units: 300 }] })
    expect(cCodeOnProfessionalRule.check(claim, testContext())).toEqual([])
  })

  it('does not mistake a C9 procedure code (C97xx) for a drug', () => {
    const claim = buildClaim837({ kind: '837P', lines: [{ code: 'C9739' }] })
    expect(cCodeOnProfessionalRule.check(claim, testContext())).toEqual([])
  })
})
