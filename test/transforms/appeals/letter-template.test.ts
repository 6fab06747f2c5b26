import { describe, expect, it } from 'vitest'
import { AppealError } from '../../../transforms/appeals/appeal-error.js'
import { renderTemplate } from '../../../transforms/appeals/letter-template.js'

function failure(
  template: string,
  values: Record<string, string | Record<string, string>[]> = {},
): AppealError {
  try {
    renderTemplate(template, values, 'letter.md')
  } catch (error) {
    if (error instanceof AppealError) return error
    throw error
  }
  throw new Error('expected an AppealError')
}

describe('renderTemplate', () => {
  it('replaces placeholders, dotted names included, and inserts values as given', () => {
    expect(
      renderTemplate(
        'Claim {{claim.id}} for {{ payer }}: {{x}}',
        { 'claim.id': 'C-1', payer: 'MCR', x: '<b>|' },
        't',
      ),
    ).toBe('Claim C-1 for MCR: <b>|')
  })

  it('repeats a section per list element, reading the element first and then the enclosing values', () => {
    const text = 'Lines:\n{{#lines}}\n- {{code}} on {{claim}}\n{{/lines}}\nend\n'
    expect(
      renderTemplate(text, { claim: 'C-1', lines: [{ code: 'J9271' }, { code: '96413', claim: 'X' }] }, 't'),
    ).toBe('Lines:\n- J9271 on C-1\n- 96413 on X\nend\n')
  })

  it('renders an inverted section only when the list is empty or the text blank; comments vanish with their line', () => {
    const text =
      '{{! a note }}\n{{#auths}}\n- {{n}}\n{{/auths}}\n{{^auths}}\nnone\n{{/auths}}\n{{#t}}T={{t}}{{/t}}.'
    expect(renderTemplate(text, { auths: [], t: '' }, 't')).toBe('none\n.')
    expect(renderTemplate(text, { auths: [{ n: 'A1' }], t: 'x' }, 't')).toBe('- A1\nT=x.')
  })

  it('keeps inline section tags on their line', () => {
    expect(renderTemplate('a {{#p}}(p {{p}}){{/p}} b\n', { p: '1' }, 't')).toBe('a (p 1) b\n')
  })

  it('names the line and column of an unknown placeholder', () => {
    const error = failure('line one\n  {{claim.idd}}\n', { 'claim.id': 'C' })
    expect(error.code).toBe('APPEAL_TEMPLATE')
    expect([error.line, error.column]).toEqual([2, 3])
    expect(error.message).toContain('letter.md line 2 column 3')
    expect(error.message).toContain('claim.idd')
  })

  it('refuses a list used as text, an unclosed section and a stray closing tag', () => {
    expect(failure('{{lines}}', { lines: [] }).message).toContain('is a list')
    const unclosed = failure('x\n{{#lines}}\n{{code}}\n', { lines: [] })
    expect([unclosed.code, unclosed.line]).toEqual(['APPEAL_TEMPLATE', 2])
    expect(failure('{{/lines}}').message).toContain('closes no open section')
    expect(failure('{{#a}}{{/b}}', { a: [] }).message).toContain('closes {{#a}}')
  })
})
