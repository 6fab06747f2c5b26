import { describe, expect, it } from 'vitest'
import type { PaymentClaim } from '../../../transforms/remits/claim-payment-netting.js'
import { netClaimPayments } from '../../../transforms/remits/claim-payment-netting.js'
import { remitClaimKey } from '../../../transforms/remits/remit-claim-key.js'

function clp(claimId: string, status: string, paid: number, payerId: string | null = 'MCR01'): PaymentClaim {
  return { claimId, status, paid, payerId }
}

describe('netClaimPayments', () => {
  it('nets a reversal against the correction that follows it', () => {
    const { payments, carried } = netClaimPayments([clp('A', '22', -24000), clp('A', '1', 28000)], new Map())
    expect(payments).toEqual([{ key: remitClaimKey('A', 'MCR01'), index: 1, paid: 4000, parts: [1] }])
    expect(carried.size).toBe(0)
  })

  it('sums the parts of a split claim into one payment credited to the last part', () => {
    const { payments } = netClaimPayments(
      [clp('S', '1', 24000), clp('B', '1', 100), clp('S', '4', 0), clp('S', '1', 5000)],
      new Map(),
    )
    expect(payments.map((p) => [p.key, p.index, p.paid, p.parts])).toEqual([
      [remitClaimKey('B', 'MCR01'), 1, 100, [1]],
      [remitClaimKey('S', 'MCR01'), 3, 29000, [0, 2, 3]],
    ])
  })

  it('carries a reversal whose correction has not come yet, and uses it in the next batch', () => {
    const first = netClaimPayments([clp('A', '1', 100), clp('A', '22', -24000)], new Map())
    // The payment before the reversal stands; the reversal waits.
    expect(first.payments.map((p) => p.paid)).toEqual([100])
    expect([...first.carried]).toEqual([[remitClaimKey('A', 'MCR01'), -24000]])
    const second = netClaimPayments([clp('A', '1', 30000)], first.carried)
    expect(second.payments.map((p) => p.paid)).toEqual([6000])
    expect(second.carried.size).toBe(0)
  })

  it('never makes a payment of a reversal alone, and keeps payers apart', () => {
    const { payments, carried } = netClaimPayments(
      [clp('A', '22', -500, 'P1'), clp('A', '1', 700, 'P2')],
      new Map([[remitClaimKey('A', 'P1'), -100]]),
    )
    expect(payments.map((p) => [p.key, p.paid])).toEqual([[remitClaimKey('A', 'P2'), 700]])
    expect(carried.get(remitClaimKey('A', 'P1'))).toBe(-600)
  })

  it('leaves carried reversals of claims not in the input alone', () => {
    const carried = new Map([[remitClaimKey('Z', 'MCR01'), -300]])
    expect([...netClaimPayments([clp('A', '1', 1)], carried).carried]).toEqual([...carried])
  })
})
