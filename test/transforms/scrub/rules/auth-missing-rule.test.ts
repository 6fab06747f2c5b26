import { describe, expect, it } from 'vitest'
import { authMissingRule } from '../../../../transforms/scrub/rules/auth-missing-rule.js'
import type { TrackedAuthorization } from '../../../../transforms/scrub/scrub-context.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

const auth: TrackedAuthorization = {
  authNumber: 'PA777001',
  payerId: 'PAYR01',
  memberId: 'MBR0001',
  hcpcs: 'J9271',
  unitsAuthorized: 1000,
  cyclesAuthorized: 6,
  startDate: '2026-01-01',
  endDate: '2026-06-30',
}

describe('auth-missing', () => {
  it('flags a tracked-auth drug without REF*G1 and suggests the tracked number', () => {
    const claim = buildClaim837({ payerId: 'PAYR01', lines: [{ code: 'J9271', units: 200 }] })
    const findings = authMissingRule.check(claim, testContext({ authorizations: [auth] }))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 1, severity: 'error' })
    expect(findings[0]?.suggestion).toContain('REF*G1*PA777001')
    expect(findings[0]?.message).not.toContain('MBR0001')
  })

  it('flags a drug the table requires auth for (J9271 for every payer) with no tracked authorization', () => {
    const claim = buildClaim837({ payerId: 'OTHER1', auth: 'XYZ', lines: [{ code: 'J9271', units: 200 }] })
    const findings = authMissingRule.check(claim, testContext())
    expect(findings[0]?.message).toContain('no tracked authorization')
  })

  it('flags REF*G1 equal to REF*9F', () => {
    const claim = buildClaim837({
      payerId: 'PAYR01',
      auth: 'PA777001',
      referral: 'PA777001',
      lines: [{ code: 'J9045', units: 9 }],
    })
    const findings = authMissingRule.check(claim, testContext({ authorizations: [auth] }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.line).toBeUndefined()
    expect(findings[0]?.position.segmentId).toBe('CLM')
  })

  it('accepts a matching claim-level or line-level REF*G1, and drugs that need no auth', () => {
    const context = testContext({ authorizations: [auth] })
    const claimLevel = buildClaim837({
      payerId: 'PAYR01',
      auth: 'PA777001',
      lines: [{ code: 'J9271', units: 200 }],
    })
    expect(authMissingRule.check(claimLevel, context)).toEqual([])
    const lineLevel = buildClaim837({
      payerId: 'PAYR01',
      lines: [
        { code: 'J9271', units: 200, auth: 'PA777001' },
        { code: 'J9045', units: 9 },
      ],
    })
    expect(authMissingRule.check(lineLevel, context)).toEqual([])
  })
})
