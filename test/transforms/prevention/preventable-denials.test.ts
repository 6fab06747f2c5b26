import { describe, expect, it } from 'vitest'
import type { PreventionDenial } from '../../../transforms/prevention/preventable-denials.js'
import { attributeDenial, summarizePreventable } from '../../../transforms/prevention/preventable-denials.js'

const denial = (claimId: string, lineNumber: number | undefined, amount: number): PreventionDenial => ({
  claimId,
  lineNumber,
  amount,
})

describe('attributeDenial', () => {
  const candidates = ['jw-jz-modifier', 'jcode-valid-on-dos']

  it('counts a stored finding on the denied line as flagged and sent anyway, under the first candidate hit', () => {
    const evidence = {
      scrubbed: true,
      hits: [
        { rule: 'jcode-valid-on-dos', line: 2 },
        { rule: 'jw-jz-modifier', line: 2 },
      ],
    }
    expect(attributeDenial(denial('C', 2, 100), candidates, evidence)).toEqual({
      outcome: 'flagged_sent_anyway',
      rule: 'jw-jz-modifier',
    })
  })

  it('needs the hit on the same line, unless the hit or the denial is claim-level', () => {
    const onLine2 = { scrubbed: true, hits: [{ rule: 'jw-jz-modifier', line: 2 }] }
    expect(attributeDenial(denial('C', 1, 100), candidates, onLine2).outcome).toBe('not_preventable')
    expect(attributeDenial(denial('C', undefined, 100), candidates, onLine2).rule).toBe('jw-jz-modifier')
    const claimLevel = { scrubbed: true, hits: [{ rule: 'jcode-valid-on-dos', line: undefined }] }
    expect(attributeDenial(denial('C', 1, 100), candidates, claimLevel).rule).toBe('jcode-valid-on-dos')
  })

  it('counts a hit of a rule run on an unscrubbed claim as would-have-flagged', () => {
    const evidence = { scrubbed: false, hits: [{ rule: 'jcode-valid-on-dos', line: 1 }] }
    expect(attributeDenial(denial('C', 1, 100), candidates, evidence)).toEqual({
      outcome: 'would_have_flagged',
      rule: 'jcode-valid-on-dos',
    })
  })

  it('ignores hits of rules that are not candidates, and denials with no candidate', () => {
    const evidence = { scrubbed: true, hits: [{ rule: 'auth-missing', line: 1 }] }
    expect(attributeDenial(denial('C', 1, 100), candidates, evidence).outcome).toBe('not_preventable')
    expect(attributeDenial(denial('C', 1, 100), [], evidence)).toEqual({
      outcome: 'not_preventable',
      rule: undefined,
    })
  })
})

describe('summarizePreventable', () => {
  it('sums per rule and outcome; the rows add up to the total', () => {
    const summary = summarizePreventable([
      {
        denial: denial('A', 1, 30_000),
        attribution: { outcome: 'flagged_sent_anyway', rule: 'jw-jz-modifier' },
      },
      {
        denial: denial('B', 1, 800_000),
        attribution: { outcome: 'would_have_flagged', rule: 'auth-missing' },
      },
      {
        denial: denial('C', 1, 800_000),
        attribution: { outcome: 'would_have_flagged', rule: 'auth-missing' },
      },
      { denial: denial('C', 2, 15_000), attribution: { outcome: 'not_preventable', rule: undefined } },
      { denial: denial('D', 1, 40_000), attribution: { outcome: 'not_preventable', rule: undefined } },
      {
        denial: denial('E', 1, 50_000),
        attribution: { outcome: 'flagged_sent_anyway', rule: 'auth-missing' },
      },
    ])
    expect(summary.rows).toEqual([
      { rule: 'auth-missing', outcome: 'flagged_sent_anyway', denials: 1, claims: 1, amount: 50_000 },
      { rule: 'jw-jz-modifier', outcome: 'flagged_sent_anyway', denials: 1, claims: 1, amount: 30_000 },
      { rule: 'auth-missing', outcome: 'would_have_flagged', denials: 2, claims: 2, amount: 1_600_000 },
      { rule: undefined, outcome: 'not_preventable', denials: 2, claims: 2, amount: 55_000 },
    ])
    expect(summary.totals).toEqual({
      flagged_sent_anyway: 80_000,
      would_have_flagged: 1_600_000,
      not_preventable: 55_000,
      total: 1_735_000,
      denials: 6,
    })
    expect(summary.rows.reduce((s, r) => s + r.amount, 0)).toBe(summary.totals.total)
  })
})
