import { describe, expect, it } from 'vitest'
import { adminHierarchyRule } from '../../../../transforms/scrub/rules/admin-hierarchy-rule.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('admin-hierarchy', () => {
  it('837I: a therapeutic initial with a chemo add-on is an error (chemo ranks first)', () => {
    const claim = buildClaim837({ kind: '837I', lines: [{ code: '96365' }, { code: '96411' }] })
    const findings = adminHierarchyRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'error', line: 1 })
    expect(findings[0]?.suggestion).toContain('96409')
  })

  it('837P: hydration initial with a therapeutic infusion add-on is only a warning', () => {
    const claim = buildClaim837({ kind: '837P', lines: [{ code: '96360' }, { code: '96367' }] })
    const findings = adminHierarchyRule.check(claim, testContext())
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('warning')
    expect(findings[0]?.suggestion).toContain('96365')
  })

  it('accepts chemo initial with lower add-ons', () => {
    const claim = buildClaim837({
      kind: '837I',
      lines: [{ code: '96413' }, { code: '96415' }, { code: '96367' }, { code: '96375' }, { code: '96361' }],
    })
    expect(adminHierarchyRule.check(claim, testContext())).toEqual([])
  })
})
