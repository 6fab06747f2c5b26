import { describe, expect, it } from 'vitest'
import { CorrectionError } from '../../../transforms/corrections/correction-error.js'
import { parseLineEdit } from '../../../transforms/corrections/line-edit.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return error instanceof CorrectionError ? `${error.code}: ${error.message}` : String(error)
  }
  return undefined
}

describe('parseLineEdit', () => {
  it('reads LINE.FIELD=VALUE and normalizes the value', () => {
    expect(parseLineEdit('2.modifiers=jz')).toEqual({ line: 2, field: 'modifiers', value: 'JZ' })
    expect(parseLineEdit('2.modifiers=JW, 59')).toEqual({ line: 2, field: 'modifiers', value: 'JW:59' })
    expect(parseLineEdit('2.modifiers=')).toEqual({ line: 2, field: 'modifiers', value: '' })
    expect(parseLineEdit('1.code=j9267')).toEqual({ line: 1, field: 'code', value: 'J9267' })
    expect(parseLineEdit('1.hcpcs=J9267').field).toBe('code')
    expect(parseLineEdit('3.units=180')).toEqual({ line: 3, field: 'units', value: '180' })
    expect(parseLineEdit('3.units=1.50')).toEqual({ line: 3, field: 'units', value: '1.5' })
    expect(parseLineEdit('1.ndc=0069-0076-01')).toEqual({ line: 1, field: 'ndc', value: '00069007601' })
    expect(parseLineEdit('1.ndc=00069007601').value).toBe('00069007601')
    expect(parseLineEdit('1.ndc=').value).toBe('')
    expect(parseLineEdit('1.ndc-quantity=2.5')).toEqual({ line: 1, field: 'ndcQuantity', value: '2.5' })
    expect(parseLineEdit('1.ndcUnit=ml')).toEqual({ line: 1, field: 'ndcUnit', value: 'ML' })
  })

  it('refuses what it cannot use with CORRECTION_BAD_EDIT naming the edit', () => {
    expect(codeOf(() => parseLineEdit('modifiers=JZ'))).toMatch(
      /^CORRECTION_BAD_EDIT: Expected LINE.FIELD=VALUE \(e.g. 2.modifiers=JZ\), got "modifiers=JZ"$/,
    )
    expect(codeOf(() => parseLineEdit('2.charge=10'))).toMatch(
      /^CORRECTION_BAD_EDIT: Expected FIELD to be one of/,
    )
    expect(codeOf(() => parseLineEdit('0.units=1'))).toMatch(
      /^CORRECTION_BAD_EDIT: 0.units: expected a line number/,
    )
    expect(codeOf(() => parseLineEdit('1.code=J92'))).toMatch(/1.code: expected a 5-character HCPCS/)
    expect(codeOf(() => parseLineEdit('1.code=J9*67'))).toMatch(/1.code: expected/)
    expect(codeOf(() => parseLineEdit('1.modifiers=JZ,JW,59,XS,25'))).toMatch(/up to 4 two-character/)
    expect(codeOf(() => parseLineEdit('1.units=1e308'))).toMatch(/1.units: expected units above 0/)
    expect(codeOf(() => parseLineEdit('1.units=0'))).toMatch(/1.units: expected units above 0/)
    expect(codeOf(() => parseLineEdit('1.ndc=12345'))).toMatch(/1.ndc: expected an 11-digit NDC/)
    expect(codeOf(() => parseLineEdit('1.ndcQuantity=-1'))).toMatch(/expected a drug quantity above 0/)
    expect(codeOf(() => parseLineEdit('1.ndcUnit=KG'))).toMatch(/expected one of F2, GR, ME, ML, UN/)
    // Control characters are escaped in the message.
    expect(codeOf(() => parseLineEdit('1.code=\u001b[2J'))).toContain('\\x1b[2J')
  })
})
