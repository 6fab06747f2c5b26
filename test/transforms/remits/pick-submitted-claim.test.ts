import { describe, expect, it } from 'vitest'
import type { SubmittedCandidate } from '../../../transforms/remits/pick-submitted-claim.js'
import { pickSubmittedClaim } from '../../../transforms/remits/pick-submitted-claim.js'

function candidate(id: number, fields: Partial<SubmittedCandidate> = {}): SubmittedCandidate {
  return {
    id,
    claimId: 'C1',
    payerId: 'MCR01',
    serviceFrom: '2026-01-07',
    serviceTo: '2026-01-07',
    filingIndicator: 'MB',
    kind: '837P',
    ...fields,
  }
}

describe('pickSubmittedClaim', () => {
  it('takes the latest submission among equals (a replacement keeps CLM01)', () => {
    expect(pickSubmittedClaim([candidate(3), candidate(9), candidate(5)], 'MCR01', '2026-01-07')?.id).toBe(9)
  })

  it('narrows by payer, then by date of service within the claim period', () => {
    const pool = [
      candidate(1, { payerId: 'COM01' }),
      candidate(2, { serviceFrom: '2026-01-01', serviceTo: '2026-01-10' }),
      candidate(3, { serviceFrom: '2026-02-01', serviceTo: null }),
    ]
    expect(pickSubmittedClaim(pool, 'MCR01', '2026-01-09')?.id).toBe(2)
    expect(pickSubmittedClaim(pool, 'MCR01', '2026-02-01')?.id).toBe(3)
    expect(pickSubmittedClaim(pool, 'COM01', undefined)?.id).toBe(1)
  })

  it('falls back to the whole pool when no candidate has the payer or the date', () => {
    const pool = [candidate(1), candidate(2, { payerId: 'COM01' })]
    expect(pickSubmittedClaim(pool, 'OTHER', '2030-01-01')?.id).toBe(2)
    expect(pickSubmittedClaim([], 'MCR01', '2026-01-07')).toBeUndefined()
  })
})
