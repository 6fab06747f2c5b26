import { describe, expect, it } from 'vitest'
import { authMissingRule } from '../../../../transforms/scrub/rules/auth-missing-rule.js'
import type { TrackedAuthorization } from '../../../../transforms/scrub/scrub-context.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

const auth: TrackedAuthorization = {
  authNumber: 'PA777001',
  payerId: 'COM01',
  memberId: 'MBR0001',
  hcpcs: 'J9271',
  unitsAuthorized: 1000,
  cyclesAuthorized: 6,
  startDate: '2026-01-01',
  endDate: '2026-06-30',
}

describe('auth-missing', () => {
  it('flags a tracked-auth drug without REF*G1 and suggests the tracked number', () => {
    const claim = buildClaim837({ payerId: 'COM01', lines: [{ code: 'J9271', units: 200 }] })
    const findings = authMissingRule.check(claim, testContext({ authorizations: [auth] }))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 1, severity: 'error' })
    expect(findings[0]?.suggestion).toContain('REF*G1*PA777001')
    expect(findings[0]?.message).not.toContain('MBR0001')
  })

  it('flags a drug on the payer class list (J9271, commercial) with no tracked authorization', () => {
    const claim = buildClaim837({ payerId: 'COM01', auth: 'XYZ', lines: [{ code: 'J9271', units: 200 }] })
    const findings = authMissingRule.check(claim, testContext())
    expect(findings[0]?.message).toContain('no tracked authorization')
  })

  it('flags REF*G1 equal to REF*9F', () => {
    const claim = buildClaim837({
      payerId: 'COM01',
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
      payerId: 'COM01',
      auth: 'PA777001',
      lines: [{ code: 'J9271', units: 200 }],
    })
    expect(authMissingRule.check(claimLevel, context)).toEqual([])
    const lineLevel = buildClaim837({
      payerId: 'COM01',
      lines: [
        { code: 'J9271', units: 200, auth: 'PA777001' },
        { code: 'J9045', units: 9 },
      ],
    })
    expect(authMissingRule.check(lineLevel, context)).toEqual([])
  })

  describe('by payer profile (bundled fixtures/payers.csv), no tracked authorization, no REF*G1', () => {
    const check = (payerId: string, code: string, filing = 'CI') =>
      authMissingRule
        .check(buildClaim837({ payerId, filing, lines: [{ code, units: 10 }] }), testContext())
        .map((f) => [f.severity, f.line ?? null, f.message])

    it('traditional Medicare (SKMCR1): no finding, even for a drug commercial plans list', () => {
      expect(check('SKMCR1', 'J9271', 'MB')).toEqual([])
      expect(check('MCR01', 'J9035', 'MB')).toEqual([])
    })

    it('Medicaid (SKMCD1): its class list only (J9035 yes, J9271 no)', () => {
      expect(check('SKMCD1', 'J9271', 'MC')).toEqual([])
      expect(check('SKMCD1', 'J9035', 'MC')).toEqual([
        ['error', 1, 'J9035 requires prior authorization but the claim and line have no REF*G1'],
      ])
    })

    it('commercial (SKCOM1) and Medicare Advantage (SKMA01): an error for a listed drug', () => {
      expect(check('SKCOM1', 'J9271')).toEqual([
        ['error', 1, 'J9271 requires prior authorization but the claim and line have no REF*G1'],
      ])
      expect(check('SKMA01', 'J9271', '16')).toEqual([
        ['error', 1, 'J9271 requires prior authorization but the claim and line have no REF*G1'],
      ])
      expect(check('SKCOM1', 'J9045')).toEqual([])
    })

    it('a payer with no profile: one claim-level warning, authorization not checked', () => {
      const claim = buildClaim837({
        payerId: 'NOPROF9',
        lines: [
          { code: 'J9271', units: 10 },
          { code: 'J9035', units: 10 },
        ],
      })
      const findings = authMissingRule.check(claim, testContext())
      expect(findings.map((f) => [f.severity, f.line ?? null, f.message])).toEqual([
        ['warning', null, 'no profile for payer NOPROF9: authorization not checked'],
      ])
      expect(findings[0]?.position.segmentId).toBe('CLM')
    })
  })
})
