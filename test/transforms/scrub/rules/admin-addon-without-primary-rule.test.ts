import { describe, expect, it } from 'vitest'
import { adminAddonWithoutPrimaryRule } from '../../../../transforms/scrub/rules/admin-addon-without-primary-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('admin-addon-without-primary', () => {
  it('flags 96417 without 96413 on the same DOS (NCCI add-on file)', () => {
    const claim = buildClaim837({
      lines: [
        { code: '96413', dos: '2026-02-10' },
        { code: '96417', dos: '2026-02-11' },
      ],
    })
    const findings = adminAddonWithoutPrimaryRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ line: 2, severity: 'error' })
    expect(findings[0]?.message).toContain('96413')
  })

  it('falls back to the DOMAIN table for an add-on the file does not list (96411)', () => {
    const claim = buildClaim837({ lines: [{ code: '96365' }, { code: '96411' }] })
    const findings = adminAddonWithoutPrimaryRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('96409')
  })

  it('accepts add-ons with an eligible primary', () => {
    const claim = buildClaim837({
      lines: [{ code: '96413' }, { code: '96415', units: 2 }, { code: '96417' }, { code: '96375' }],
    })
    expect(adminAddonWithoutPrimaryRule.check(claim, testContext())).toEqual([])
  })
})
