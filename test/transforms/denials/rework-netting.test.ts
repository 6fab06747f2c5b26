import { describe, expect, it } from 'vitest'
import type { NettableClaim } from '../../../transforms/denials/rework-netting.js'
import { netRemittedClaims, nettingKey, sumClaimParts } from '../../../transforms/denials/rework-netting.js'

function clp(
  claimId: string,
  status: string,
  charge: number,
  paid: number,
  extra: Partial<NettableClaim> & { payer?: string } = {},
): NettableClaim & { payer?: string } {
  return {
    claimId,
    status,
    payerClaimNumber: undefined,
    charge,
    paid,
    patientResponsibility: 0,
    adjustments: [],
    ...extra,
  }
}

describe('netRemittedClaims: reversals', () => {
  it('a reversal cancels its original in the same input; the correction stands', () => {
    const original = clp('A1', '1', 50000, 10000, {
      payerClaimNumber: 'P-1',
      adjustments: [{ group: 'CO', carc: '4', amount: 40000 }],
    })
    const reversal = clp('A1', '22', -50000, -10000, {
      payerClaimNumber: 'P-1',
      adjustments: [{ group: 'CO', carc: '4', amount: -40000 }],
    })
    const correction = clp('A1', '1', 50000, 42000, {
      payerClaimNumber: 'P-2',
      adjustments: [{ group: 'CO', carc: '45', amount: 8000 }],
    })
    const [net, ...rest] = netRemittedClaims([original, reversal, correction])
    expect(rest).toEqual([])
    expect(net?.parts).toEqual([correction])
    expect(net?.current).toEqual({
      charge: 50000,
      paid: 42000,
      patientResponsibility: 0,
      adjustments: [{ group: 'CO', carc: '45', amount: 8000 }],
    })
    expect(net?.reversals).toBe(1)
    expect(net?.reversedPaid).toBe(0)
    expect(net?.paidDelta).toBe(42000)
    expect(net?.split).toBe(false)
  })

  it('a reversal of an original from an earlier 835 keeps its take-back in reversedPaid', () => {
    const reversal = clp('A2', '22', -30000, -12000, { payerClaimNumber: 'P-9' })
    const correction = clp('A2', '2', 30000, 20000, { payerClaimNumber: 'P-10' })
    const [net] = netRemittedClaims([reversal, correction])
    expect(net?.parts).toEqual([correction])
    expect(net?.reversedPaid).toBe(-12000)
    expect(net?.paidDelta).toBe(8000)
  })

  it('a reversal alone leaves no current claim (its correction is still to come)', () => {
    const [net] = netRemittedClaims([clp('A3', '22', -100, -100)])
    expect(net?.current).toBeUndefined()
    expect(net?.parts).toEqual([])
    expect(net?.paidDelta).toBe(-100)
  })

  it('does not cancel a CLP with another CLP07', () => {
    const original = clp('A4', '1', 500, 0, { payerClaimNumber: 'X' })
    const [net] = netRemittedClaims([original, clp('A4', '22', -500, 0, { payerClaimNumber: 'Y' })])
    expect(net?.parts).toEqual([original])
  })
})

describe('netRemittedClaims: split claims and grouping', () => {
  it('sums the parts of a split claim (MA15)', () => {
    const partA = clp('S1', '1', 60000, 30000, {
      remarkCodes: ['MA15'],
      adjustments: [
        { group: 'CO', carc: '45', amount: 20000 },
        { group: 'CO', carc: '97', amount: 10000 },
      ],
    })
    const partB = clp('S1', '1', 40000, 0, {
      patientResponsibility: 500,
      adjustments: [{ group: 'CO', carc: '097', amount: 40000 }],
    })
    const [net] = netRemittedClaims([partA, partB])
    expect(net?.split).toBe(true)
    expect(net?.current).toEqual({
      charge: 100000,
      paid: 30000,
      patientResponsibility: 500,
      adjustments: [
        { group: 'CO', carc: '45', amount: 20000 },
        { group: 'CO', carc: '97', amount: 50000 },
      ],
    })
  })

  it('a single CLP with MA15 is a split part', () => {
    expect(netRemittedClaims([clp('S2', '1', 1, 1, { remarkCodes: ['ma15'] })])[0]?.split).toBe(true)
  })

  it('groups by payer and CLP01, in first-seen order', () => {
    const claims = [
      clp('C1', '1', 1, 1, { payer: 'P1' }),
      clp('C2', '1', 2, 2, { payer: 'P1' }),
      clp('C1', '1', 3, 3, { payer: 'P2' }),
      clp('C1', '1', 4, 4, { payer: 'P1' }),
    ]
    const nets = netRemittedClaims(claims, (c) => c.payer)
    expect(nets.map((n) => [n.key, n.current?.charge])).toEqual([
      [nettingKey('C1', 'P1'), 5],
      [nettingKey('C2', 'P1'), 2],
      [nettingKey('C1', 'P2'), 3],
    ])
  })

  it('sumClaimParts drops adjustments that net to zero', () => {
    const totals = sumClaimParts([
      clp('Z', '1', 0, 0, { adjustments: [{ group: 'co', carc: '4', amount: 100 }] }),
      clp('Z', '1', 0, 0, { adjustments: [{ group: 'CO', carc: '4', amount: -100 }] }),
    ])
    expect(totals.adjustments).toEqual([])
  })
})
