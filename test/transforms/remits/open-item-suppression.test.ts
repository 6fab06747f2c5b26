import { describe, expect, it } from 'vitest'
import { isAlreadyOpen } from '../../../transforms/remits/open-item-suppression.js'

const item = { level: 'line', procedureCode: 'J9271', queue: 'coding', carcs: ['CO-16', 'CO-4'] }

describe('isAlreadyOpen', () => {
  it('holds back a denial open or assigned for the same line and reasons, CARCs in any order', () => {
    expect(isAlreadyOpen([{ ...item, carcs: ['CO-4', 'CO-16'], status: 'open' }], item)).toBe(true)
    expect(isAlreadyOpen([{ ...item, status: 'assigned' }], item)).toBe(true)
  })

  it('lets a denial through once the earlier item was worked', () => {
    for (const status of ['corrected', 'appealed', 'written_off', 'patient_billed'])
      expect(isAlreadyOpen([{ ...item, status }], item)).toBe(false)
  })

  it('tells items apart by level, code, queue and CARCs', () => {
    const open = { ...item, status: 'open' }
    expect(isAlreadyOpen([open], { ...item, level: 'claim' })).toBe(false)
    expect(isAlreadyOpen([open], { ...item, procedureCode: '96413' })).toBe(false)
    expect(isAlreadyOpen([open], { ...item, queue: 'authorization' })).toBe(false)
    expect(isAlreadyOpen([open], { ...item, carcs: ['CO-16'] })).toBe(false)
    expect(isAlreadyOpen([], item)).toBe(false)
  })
})
