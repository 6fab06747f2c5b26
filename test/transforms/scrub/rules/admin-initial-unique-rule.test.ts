import { describe, expect, it } from 'vitest'
import { adminInitialUniqueRule } from '../../../../transforms/scrub/rules/admin-initial-unique-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('admin-initial-unique', () => {
  it('flags a second initial code on the same DOS without a distinct-service modifier', () => {
    const claim = buildClaim837({ lines: [{ code: '96413' }, { code: '96365' }] })
    const findings = adminInitialUniqueRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, severity: 'error' })
  })

  it('flags an initial code billed with 2 units', () => {
    const claim = buildClaim837({ lines: [{ code: '96413', units: 2 }] })
    expect(adminInitialUniqueRule.check(claim, testContext())).toHaveLength(1)
  })

  it('accepts a second initial with XS, and initials on different dates', () => {
    const xs = buildClaim837({ lines: [{ code: '96413' }, { code: '96413', modifiers: ['XS'] }] })
    expect(adminInitialUniqueRule.check(xs, testContext())).toEqual([])
    const twoDays = buildClaim837({
      lines: [
        { code: '96413', dos: '2026-02-10' },
        { code: '96413', dos: '2026-02-17' },
      ],
    })
    expect(adminInitialUniqueRule.check(twoDays, testContext())).toEqual([])
  })
})
