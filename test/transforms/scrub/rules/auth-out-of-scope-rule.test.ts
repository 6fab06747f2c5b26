import { describe, expect, it } from 'vitest'
import { authOutOfScopeRule } from '../../../../transforms/scrub/rules/auth-out-of-scope-rule.js'
import type { TrackedAuthorization } from '../../../../transforms/scrub/scrub-context.js'
import { ledgerLinesOf, MemoryScrubLedger } from '../../../../transforms/scrub/scrub-context.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

const auth: TrackedAuthorization = {
  authNumber: 'PA777001',
  payerId: 'COM01',
  memberId: 'MBR0001',
  hcpcs: 'J9271',
  unitsAuthorized: 400,
  cyclesAuthorized: 2,
  startDate: '2026-01-01',
  endDate: '2026-03-31',
}

const claimOn = (claimId: string, dos: string, units = 200) =>
  buildClaim837({ claimId, payerId: 'COM01', auth: 'PA777001', dos, lines: [{ code: 'J9271', units }] })

describe('auth-out-of-scope', () => {
  it('flags a DOS after the authorization expired', () => {
    const findings = authOutOfScopeRule.check(
      claimOn('C1', '2026-04-02'),
      testContext({ authorizations: [auth] }),
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('outside the authorization span')
  })

  it('flags a drug the authorization does not cover', () => {
    const claim = buildClaim837({
      payerId: 'COM01',
      auth: 'PA777001',
      lines: [{ code: 'J9299', units: 240 }],
    })
    const findings = authOutOfScopeRule.check(claim, testContext({ authorizations: [auth] }))
    expect(findings[0]?.message).toContain('does not cover J9299')
  })

  it('counts units and cycles cumulatively across claims in the ledger, not re-counting the same claim', () => {
    const ledger = new MemoryScrubLedger()
    const context = testContext({ authorizations: [auth], ledger })
    const first = claimOn('C1', '2026-01-10')
    const second = claimOn('C2', '2026-02-10')
    const third = claimOn('C3', '2026-03-10')
    for (const claim of [first, second]) {
      expect(authOutOfScopeRule.check(claim, context)).toEqual([])
      ledger.replaceClaim(claim.claimId, ledgerLinesOf(claim, '2026-03-01'))
    }
    // Re-scrubbing C2 does not count its own earlier lines.
    expect(authOutOfScopeRule.check(second, context)).toEqual([])
    const findings = authOutOfScopeRule.check(third, context)
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('units 600 (400 already billed + 200 on this claim) exceed the 400'),
      expect.stringContaining('3 dates of service'),
    ])
  })
})

describe('auth-out-of-scope with a claim-level REF*G1', () => {
  it("does not flag a drug that needs no authorization (J9045) under another drug's claim-level auth", () => {
    const claim = buildClaim837({
      payerId: 'COM01',
      auth: 'PA777001',
      lines: [
        { code: 'J9271', units: 200 },
        { code: 'J9045', units: 9 },
      ],
    })
    expect(authOutOfScopeRule.check(claim, testContext({ authorizations: [auth] }))).toEqual([])
  })
})
