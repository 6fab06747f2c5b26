import { describe, expect, it } from 'vitest'
import { SCRUB_RULES } from '../../../transforms/scrub/rules/index.js'
import { scrubClaim } from '../../../transforms/scrub/scrub-claim.js'
import { buildClaim837 } from '../../support/claim837-builder.js'
import { testContext } from '../../support/scrub-test-context.js'

describe('scrubClaim', () => {
  it('has the 17 rule ids of issue 3, each once', () => {
    expect(SCRUB_RULES.map((r) => r.id).sort()).toEqual(
      [
        'jcode-valid-on-dos',
        'c-code-on-professional',
        'noc-when-specific-exists',
        'ndc-format',
        'ndc-required',
        'ndc-hcpcs-mismatch',
        'drug-units-vs-ndc',
        'jw-jz-modifier',
        'admin-initial-unique',
        'admin-addon-without-primary',
        'mue-units-exceeded',
        'admin-hierarchy',
        'admin-sequence',
        'auth-missing',
        'auth-out-of-scope',
        'pos-facility-admin',
        'pro-facility-duplicate',
      ].sort(),
    )
  })

  it('accepts a clean chemo claim', () => {
    const claim = buildClaim837({
      payerId: 'COM01',
      lines: [
        { code: '96413' },
        { code: '96415', units: 1 },
        { code: 'J9045', units: 9, ndc: '44444555577', ndcQuantity: '1', ndcUnit: 'UN' },
      ],
    })
    const result = scrubClaim(claim, testContext())
    expect(result.findings).toEqual([])
    expect(result.accepted).toBe(true)
  })

  it('rejects a claim with an error and accepts one with only warnings', () => {
    const bad = buildClaim837({ payerId: 'COM01', lines: [{ code: '96417' }] })
    expect(scrubClaim(bad, testContext()).accepted).toBe(false)
    const warned = buildClaim837({
      payerId: 'COM01',
      lines: [{ code: '96365' }, { code: 'J9045', units: 9 }],
    })
    const result = scrubClaim(warned, testContext())
    expect(result.findings.map((f) => f.severity)).toEqual(['warning'])
    expect(result.accepted).toBe(true)
  })

  it('never puts the member id or the patient name in a message', () => {
    const claim = buildClaim837({
      memberId: 'ZZSECRET9',
      payerId: 'COM01',
      filing: 'MC',
      lines: [{ code: 'J9271', units: 900, modifiers: ['JW'] }, { code: 'C9174' }],
    })
    const result = scrubClaim(claim, testContext())
    expect(result.findings.length).toBeGreaterThan(3)
    for (const f of result.findings)
      expect(`${f.message} ${f.suggestion ?? ''}`).not.toMatch(/ZZSECRET9|DOE|JANE|1960/)
  })
})
