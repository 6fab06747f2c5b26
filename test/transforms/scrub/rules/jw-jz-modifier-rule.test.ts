import { describe, expect, it } from 'vitest'
import { jwJzModifierRule } from '../../../../transforms/scrub/rules/jw-jz-modifier-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('jw-jz-modifier', () => {
  it('flags a Medicare drug line with neither JW nor JZ on/after 2023-07-01', () => {
    const claim = buildClaim837({
      filing: 'MB',
      payerId: 'MCR01',
      dos: '2023-07-01',
      lines: [{ code: '96413' }, { code: 'J9271', units: 200 }],
    })
    const findings = jwJzModifierRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, severity: 'error' })
    expect(findings[0]?.position).toMatchObject({ segmentId: 'SV1', element: 1, component: 3 })
  })

  it('flags a JW line without an administered line of the same drug', () => {
    const claim = buildClaim837({
      filing: 'MB',
      payerId: 'MCR01',
      lines: [{ code: 'J9045', units: 1, modifiers: ['JW'] }],
    })
    const findings = jwJzModifierRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('no administered line')
  })

  it('accepts JZ, an administered line paired with a JW line, a multi-dose drug, non-Medicare and early DOS', () => {
    const ok = buildClaim837({
      filing: 'MB',
      payerId: 'MCR01',
      lines: [
        { code: 'J9271', units: 200, modifiers: ['JZ'] },
        { code: 'J9045', units: 9 },
        { code: 'J9045', units: 1, modifiers: ['JW'] },
        { code: 'J1100', units: 10 },
      ],
    })
    expect(jwJzModifierRule.check(ok, testContext())).toEqual([])
    const commercial = buildClaim837({
      filing: 'CI',
      payerId: 'OTHER1',
      lines: [{ code: 'J9271', units: 200 }],
    })
    expect(jwJzModifierRule.check(commercial, testContext())).toEqual([])
    const early = buildClaim837({
      filing: 'MB',
      payerId: 'MCR01',
      dos: '2023-06-30',
      lines: [{ code: 'J9271', units: 200 }],
    })
    expect(jwJzModifierRule.check(early, testContext())).toEqual([])
  })
})
