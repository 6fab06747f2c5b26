import { describe, expect, it } from 'vitest'
import { heldBackLines, isAlreadyOpen } from '../../../transforms/remits/open-item-suppression.js'

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

describe('heldBackLines', () => {
  const line = (lineId: number, setKey: string, remitDate: string, status = 'open') => ({
    ...item,
    lineId,
    itemId: lineId,
    status,
    remitDate,
    setKey,
    position: lineId,
  })

  it('keeps the oldest denial of a line and reasons and holds back the later ones, whatever the input order', () => {
    const lines = [line(1, 'b', '2026-02-02'), line(2, 'a', '2026-02-02'), line(3, 'c', '2026-02-20')]
    expect([...heldBackLines(lines)].sort()).toEqual([1, 3])
    expect([...heldBackLines([...lines].reverse())].sort()).toEqual([1, 3])
  })

  it('never holds back a line of its own set, nor one a biller took up or resolved', () => {
    expect([...heldBackLines([line(1, 'a', '2026-02-02'), line(2, 'a', '2026-02-02')])]).toEqual([])
    expect([...heldBackLines([line(1, 'a', '2026-02-02'), line(2, 'b', '2026-02-03', 'assigned')])]).toEqual(
      [],
    )
    // A resolved denial holds nothing back: the later one stays.
    expect([...heldBackLines([line(1, 'a', '2026-02-02', 'corrected'), line(2, 'b', '2026-02-03')])]).toEqual(
      [],
    )
  })

  it('tells lines apart by level, code, queue and CARCs', () => {
    expect([
      ...heldBackLines([line(1, 'a', '2026-02-02'), { ...line(2, 'b', '2026-02-03'), carcs: ['CO-16'] }]),
    ]).toEqual([])
  })
})
