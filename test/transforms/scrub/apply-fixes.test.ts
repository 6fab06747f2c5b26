import { describe, expect, it } from 'vitest'
import { applyFixes } from '../../../transforms/scrub/apply-fixes.js'
import { scrubClaim } from '../../../transforms/scrub/scrub-claim.js'
import { buildClaim837 } from '../../support/claim837-builder.js'
import { testContext } from '../../support/scrub-test-context.js'

describe('applyFixes', () => {
  it('replaces a terminated code with its successor and recomputed units, in the model and the SV1 segment', () => {
    const claim = buildClaim837({
      dos: '2015-03-02',
      payerId: 'OTHER1',
      lines: [{ code: '96413' }, { code: 'J9265', units: 6, ndc: '1111-2222-33', ndcQuantity: '1' }],
    })
    const context = testContext()
    const before = scrubClaim(claim, context)
    const { claim: fixed, fixes } = applyFixes(claim, before.findings)
    expect(fixes.map((f) => [f.kind, f.before, f.after])).toEqual([
      ['replace-hcpcs', { code: 'J9265', units: 6 }, { code: 'J9267', units: 180 }],
      ['pad-ndc', { ndc: '1111-2222-33' }, { ndc: '01111222233' }],
    ])
    expect(fixes[0]?.source).toContain('code-successors.csv')
    expect(fixed.lines[1]).toMatchObject({
      procedureCode: 'J9267',
      units: 180,
      drug: { ndc: '01111222233', quantityText: '1' },
    })
    const sv1 = fixed.source.body.find((s) => s.id === 'SV1' && s.elements[1]?.includes('J9267'))
    expect(sv1?.elements[4]).toBe('180')
    expect(fixed.source.body.find((s) => s.id === 'LIN')?.elements[3]).toBe('01111222233')
    // The input claim is untouched and the fixed claim no longer has those findings.
    expect(claim.lines[1]?.procedureCode).toBe('J9265')
    const after = scrubClaim(fixed, context)
    expect(after.findings.filter((f) => f.rule === 'jcode-valid-on-dos' || f.rule === 'ndc-format')).toEqual(
      [],
    )
  })

  it('leaves a claim without safe fixes as it was', () => {
    const claim = buildClaim837({ lines: [{ code: '96413' }, { code: '96365' }] })
    const result = applyFixes(claim, scrubClaim(claim, testContext()).findings)
    expect(result.fixes).toEqual([])
    expect(result.claim).toBe(claim)
  })
})
