import { describe, expect, it } from 'vitest'
import { proFacilityDuplicateRule } from '../../../../transforms/scrub/rules/pro-facility-duplicate-rule.js'
import { ledgerLinesOf, MemoryScrubLedger } from '../../../../transforms/scrub/scrub-context.js'
import { buildClaim837 } from '../../../support/claim837-builder.js'
import { testContext } from '../../../support/scrub-test-context.js'

describe('pro-facility-duplicate', () => {
  const facility = buildClaim837({
    kind: '837I',
    tob: '0131',
    claimId: 'HOSP1',
    lines: [{ code: '96413' }, { code: 'J9271', units: 200 }],
  })

  it('flags an 837P billing the same member + DOS + codes as a 013x 837I', () => {
    const ledger = new MemoryScrubLedger()
    ledger.replaceClaim('HOSP1', ledgerLinesOf(facility, '2026-03-01'))
    const pro = buildClaim837({
      claimId: 'PRO1',
      pos: '11',
      lines: [{ code: '99214' }, { code: '96413' }, { code: 'J9271', units: 200 }],
    })
    const findings = proFacilityDuplicateRule.check(pro, testContext({ ledger }))
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [2, 'error'],
      [3, 'error'],
    ])
    expect(findings[0]?.message).toContain('HOSP1')
  })

  it('warns on the 837I when the 837P was already sent', () => {
    const ledger = new MemoryScrubLedger()
    const pro = buildClaim837({ claimId: 'PRO1', lines: [{ code: '96413' }] })
    ledger.replaceClaim('PRO1', ledgerLinesOf(pro, '2026-03-01'))
    const findings = proFacilityDuplicateRule.check(facility, testContext({ ledger }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('warning')
  })

  it('ignores another member, another DOS, an inpatient TOB and E/M codes', () => {
    const ledger = new MemoryScrubLedger()
    ledger.replaceClaim('HOSP1', ledgerLinesOf(facility, '2026-03-01'))
    const context = testContext({ ledger })
    const otherMember = buildClaim837({ claimId: 'P2', memberId: 'MBR0002', lines: [{ code: '96413' }] })
    const otherDay = buildClaim837({ claimId: 'P3', dos: '2026-02-11', lines: [{ code: '96413' }] })
    const em = buildClaim837({ claimId: 'P4', lines: [{ code: '99214' }] })
    for (const claim of [otherMember, otherDay, em])
      expect(proFacilityDuplicateRule.check(claim, context)).toEqual([])
    const inpatient = buildClaim837({
      kind: '837I',
      tob: '0111',
      claimId: 'HOSP2',
      lines: [{ code: 'J9271' }],
    })
    const inpatientLedger = new MemoryScrubLedger()
    inpatientLedger.replaceClaim('HOSP2', ledgerLinesOf(inpatient, '2026-03-01'))
    expect(
      proFacilityDuplicateRule.check(
        buildClaim837({ claimId: 'P5', lines: [{ code: 'J9271' }] }),
        testContext({ ledger: inpatientLedger }),
      ),
    ).toEqual([])
  })
})
