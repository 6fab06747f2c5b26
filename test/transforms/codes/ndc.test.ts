import { describe, expect, it } from 'vitest'
import { normalizeNdc } from '../../../transforms/codes/ndc.js'

describe('normalizeNdc', () => {
  it('keeps 5-4-2 and pads the short group of 4-4-2, 5-3-2 and 5-4-1', () => {
    expect(normalizeNdc('00069-0076-01')).toBe('00069007601')
    expect(normalizeNdc('0069-0076-01')).toBe('00069007601')
    expect(normalizeNdc('00069-076-01')).toBe('00069007601')
    expect(normalizeNdc('00069-0076-1')).toBe('00069007601')
    expect(normalizeNdc(' 13533-0636-01 ')).toBe('13533063601')
  })

  it('takes 11 unhyphenated digits as they are', () => {
    expect(normalizeNdc('00069007601')).toBe('00069007601')
  })

  it('rejects what is not an NDC', () => {
    for (const text of ['NSD-020404', 'GG100', '888867413689', '0069007601', '0069-076-01', '12345-6789', ''])
      expect(normalizeNdc(text), text).toBeUndefined()
  })
})
