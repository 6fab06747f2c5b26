import { describe, expect, it } from 'vitest'
import { remitClaimKey } from '../../../transforms/remits/remit-claim-key.js'

describe('remitClaimKey', () => {
  it('is CLP01 within a payer', () => {
    expect(remitClaimKey('C1', 'MCR01')).toBe(remitClaimKey('C1', 'MCR01'))
    expect(remitClaimKey('C1', 'MCR01')).not.toBe(remitClaimKey('C1', 'COM01'))
    expect(remitClaimKey('C1', null)).toBe(remitClaimKey('C1', undefined))
    // No payer and CLP01 pair can be spelled as another.
    expect(remitClaimKey('1', 'A')).not.toBe(remitClaimKey('A1', ''))
  })
})
