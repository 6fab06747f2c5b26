import { describe, expect, it } from 'vitest'
import { ndcFormatRule, normalizeNdc } from '../../../../transforms/scrub/rules/ndc-format-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('ndc-format', () => {
  it('pads 4-4-2, 5-3-2 and 5-4-1 NDCs to 11 digits', () => {
    expect(normalizeNdc('1111-2222-33')).toBe('01111222233')
    expect(normalizeNdc('11111-222-33')).toBe('11111022233')
    expect(normalizeNdc('11111-2222-3')).toBe('11111222203')
    expect(normalizeNdc('11111-2222-33')).toBe('11111222233')
    expect(normalizeNdc('1111222233')).toBeUndefined()
  })

  it('flags a hyphenated 10-digit NDC with a pad fix, at LIN03', () => {
    const claim = buildClaim837({ lines: [{ code: 'J9271', units: 200, ndc: '1111-2222-33' }] })
    const findings = ndcFormatRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.position).toMatchObject({ segmentId: 'LIN', element: 3 })
    expect(findings[0]?.fix).toMatchObject({
      kind: 'pad-ndc',
      fromNdc: '1111-2222-33',
      toNdc: '01111222233',
      // The source users see cites the implementation guide, not an internal note.
      source:
        '005010X222A1 loop 2410 LIN03: 11-digit NDC (5-4-2); the short group of a 10-digit FDA NDC gets a leading zero',
    })
  })

  it('flags CTP04 ≤ 0 and an unknown CTP05 unit at the CTP segment', () => {
    const claim = buildClaim837({
      lines: [{ code: 'J9271', ndc: '11111222233', ndcQuantity: '0', ndcUnit: 'MG' }],
    })
    const findings = ndcFormatRule.check(claim, testContext())
    expect(findings.map((f) => f.position)).toEqual([
      expect.objectContaining({ segmentId: 'CTP', element: 4 }),
      expect.objectContaining({ segmentId: 'CTP', element: 5, component: 1 }),
    ])
    expect(findings.every((f) => f.fix === undefined)).toBe(true)
  })

  it('accepts an 11-digit NDC with a positive quantity and ML', () => {
    const claim = buildClaim837({
      lines: [{ code: 'J9271', ndc: '11111222233', ndcQuantity: '8', ndcUnit: 'ML' }],
    })
    expect(ndcFormatRule.check(claim, testContext())).toEqual([])
  })
})
