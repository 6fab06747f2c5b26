import { describe, expect, it } from 'vitest'
import { posFacilityAdminRule } from '../../../../transforms/scrub/rules/pos-facility-admin-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('pos-facility-admin', () => {
  it('flags administration and drug codes on an 837P at POS 22', () => {
    const claim = buildClaim837({
      pos: '22',
      lines: [{ code: '99214', modifiers: ['25'] }, { code: '96413' }, { code: 'J9271', units: 200 }],
    })
    const findings = posFacilityAdminRule.check(claim, testContext())
    expect(findings.map((f) => f.line)).toEqual([2, 3])
    expect(findings[0]?.severity).toBe('error')
  })

  it('uses the line POS over the claim POS', () => {
    const claim = buildClaim837({ pos: '11', lines: [{ code: '96413', pos: '19' }] })
    expect(posFacilityAdminRule.check(claim, testContext())).toHaveLength(1)
  })

  it('accepts E/M only at POS 22, the office (POS 11), and 837I claims', () => {
    expect(
      posFacilityAdminRule.check(buildClaim837({ pos: '22', lines: [{ code: '99214' }] }), testContext()),
    ).toEqual([])
    expect(
      posFacilityAdminRule.check(
        buildClaim837({ pos: '11', lines: [{ code: '96413' }, { code: 'J9271' }] }),
        testContext(),
      ),
    ).toEqual([])
    expect(
      posFacilityAdminRule.check(buildClaim837({ kind: '837I', lines: [{ code: '96413' }] }), testContext()),
    ).toEqual([])
  })
})
