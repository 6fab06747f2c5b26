import { describe, expect, it } from 'vitest'
import { parseInfusionTimes, units96415 } from '../../../../transforms/scrub/infusion-time.js'
import { adminSequenceRule } from '../../../../transforms/scrub/rules/admin-sequence-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('admin-sequence', () => {
  it('counts 96415 units by the >30-minute rule (T=90→0, 91→1, 150→1, 151→2, 155→2)', () => {
    expect([90, 91, 150, 151, 155, 60, 30].map(units96415)).toEqual([0, 1, 1, 2, 2, 0, 0])
  })

  it('reads times from NTE text', () => {
    expect(parseInfusionTimes(['START 1410 STOP 1645'])).toEqual({ start: 850, end: 1005 })
    expect(parseInfusionTimes(['infusion 14:10-16:45'])).toEqual({ start: 850, end: 1005 })
    expect(parseInfusionTimes(['no times here'])).toBeUndefined()
  })

  it('flags 96415 units that disagree with the infusion time (AAPC: 14:10–16:45 is 96413 + 96415 × 2)', () => {
    const claim = buildClaim837({
      lines: [
        { code: '96413' },
        { code: '96415', units: 1 },
        { code: 'J9000', units: 5, notes: ['START 1410 STOP 1645'] },
      ],
    })
    const findings = adminSequenceRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, severity: 'error' })
    expect(findings[0]?.suggestion).toBe('bill 96415 × 2')
  })

  it('flags 96417 when the chemo drugs overlapped (concurrent), and 96368 twice on a DOS', () => {
    const claim = buildClaim837({
      lines: [
        { code: '96413' },
        { code: '96417' },
        { code: '96368' },
        { code: '96368' },
        { code: 'J9267', units: 175, notes: ['09:00-10:00'] },
        { code: 'J9045', units: 9, notes: ['09:30-10:00'] },
      ],
    })
    const messages = adminSequenceRule.check(claim, testContext()).map((f) => f.message)
    expect(messages.some((m) => m.includes('96417') && m.includes('concurrently'))).toBe(true)
    expect(messages.some((m) => m.includes('96368'))).toBe(true)
  })

  it('without times: warns on a chemo drug with no chemo administration, and on more drugs than administrations', () => {
    const none = buildClaim837({ lines: [{ code: '96365' }, { code: 'J9045', units: 9 }] })
    const [first] = adminSequenceRule.check(none, testContext())
    expect(first).toMatchObject({ severity: 'warning', line: 2 })
    const tooMany = buildClaim837({
      lines: [{ code: '96413' }, { code: 'J9045', units: 9 }, { code: 'J9267', units: 175 }],
    })
    expect(adminSequenceRule.check(tooMany, testContext())[0]?.message).toContain('2 different chemo drugs')
  })

  it('accepts correct sequential chemo with matching 96415 and 96417 units', () => {
    const claim = buildClaim837({
      lines: [
        { code: '96413' },
        { code: '96415', units: 2 },
        { code: '96417' },
        { code: 'J9267', units: 175, notes: ['START 0900 STOP 1135'] },
        { code: 'J9045', units: 9, notes: ['START 1135 STOP 1220'] },
      ],
    })
    expect(adminSequenceRule.check(claim, testContext())).toEqual([])
  })
})
