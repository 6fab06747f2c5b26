import { describe, expect, it } from 'vitest'
import type { Delimiters } from '../../../parsers/x12/segment.js'
import { SegmentTokenizer } from '../../../parsers/x12/segment-tokenizer.js'
import {
  DEFAULT_DELIMITERS,
  formatComposite,
  formatIsa,
  formatSegment,
  ISA_WIDTHS,
} from '../../../parsers/x12/segment-writer.js'
import { X12Error } from '../../../parsers/x12/x12-error.js'

const pipes: Delimiters = { element: '|', component: '>', repetition: undefined, segment: '\n' }

describe('formatSegment', () => {
  it('joins elements with the element separator and ends with the terminator', () => {
    expect(formatSegment(['CLM', 'PCN1', '1250.5', '', '', '11:B:1'], DEFAULT_DELIMITERS)).toBe(
      'CLM*PCN1*1250.5***11:B:1~',
    )
    expect(formatSegment(['LX', '1'], pipes, { lineBreak: '' })).toBe('LX|1\n')
    expect(formatSegment(['LX', '1'], DEFAULT_DELIMITERS, { lineBreak: '\r\n' })).toBe('LX*1~\r\n')
  })

  it('drops trailing empty elements only when asked', () => {
    expect(formatSegment(['NM1', 'IL', '1', '', ''], DEFAULT_DELIMITERS)).toBe('NM1*IL*1**~')
    expect(formatSegment(['NM1', 'IL', '1', '', ''], DEFAULT_DELIMITERS, { trimTrailing: true })).toBe(
      'NM1*IL*1~',
    )
  })

  it('refuses a value holding the element separator or the terminator (5010 has no release character)', () => {
    for (const value of ['A*B', 'A~B']) {
      let caught: unknown
      try {
        formatSegment(['NTE', 'ADD', value], DEFAULT_DELIMITERS)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(X12Error)
      expect(caught).toMatchObject({ code: 'X12_BAD_ELEMENT' })
      expect((caught as X12Error).message).toContain('NTE02')
      expect((caught as X12Error).message).not.toContain(value)
    }
  })
})

describe('formatComposite', () => {
  it('joins components and drops trailing empty ones', () => {
    expect(formatComposite(['HC', 'J9045', 'JW', '', ''], DEFAULT_DELIMITERS)).toBe('HC:J9045:JW')
    expect(formatComposite(['HC', 'J9045'], pipes)).toBe('HC>J9045')
    expect(() => formatComposite(['HC', 'J:9'], DEFAULT_DELIMITERS)).toThrow(X12Error)
  })
})

describe('formatIsa', () => {
  it('writes a fixed-width 106-byte ISA that the tokenizer reads back', () => {
    const text = formatIsa(
      { senderId: 'SUBMITTER', receiverId: 'PAYER', date: '260115', time: '1200', control: '42', usage: 'T' },
      DEFAULT_DELIMITERS,
    )
    expect(text).toHaveLength(106)
    const [isa] = new SegmentTokenizer().write(new TextEncoder().encode(text))
    expect(isa?.delimiters).toEqual(DEFAULT_DELIMITERS)
    expect(isa?.elements.slice(1).map((e) => e.length)).toEqual(ISA_WIDTHS)
    expect(isa?.elements[13]).toBe('000000042')
    expect(isa?.elements[6]).toBe('SUBMITTER      ')
  })

  it('writes U in ISA11 when there is no repetition separator, and refuses values too long', () => {
    expect(
      formatIsa({ senderId: 'S', receiverId: 'R', date: '260115', time: '1200', control: '1' }, pipes),
    ).toContain('|U|00501|')
    expect(() =>
      formatIsa(
        { senderId: 'S'.repeat(16), receiverId: 'R', date: '260115', time: '1200', control: '1' },
        pipes,
      ),
    ).toThrow(expect.objectContaining({ code: 'X12_BAD_ISA' }))
  })
})
