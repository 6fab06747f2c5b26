import { describe, expect, it } from 'vitest'
import { InterchangeKeyScanner } from '../../../parsers/x12/interchange-keys.js'

const isa = (sender: string, control: string, separator = '*') =>
  [
    'ISA',
    '00',
    '          ',
    '00',
    '          ',
    'ZZ',
    sender.padEnd(15),
    'ZZ',
    'RECEIVER       ',
    '260202',
    '0900',
    '^',
    '00501',
    control,
    '0',
    'T',
    ':~',
  ].join(separator)

describe('InterchangeKeyScanner', () => {
  const text = `${isa('SENDERA', '000000001')}GS*HP*A*B~ST*835*0001~CLP*ISA*1~SE*3*0001~GE*1*1~IEA*1*000000001~\n${isa(
    'SENDERB',
    '000000002',
    '|',
  )}GS|HP~IEA|1|000000002~`
  const bytes = new TextEncoder().encode(text)

  it('finds every ISA06 and ISA13 of a stream, whatever the chunks and separators', () => {
    for (const size of [1, 7, 105, 106, 107, 4096]) {
      const scanner = new InterchangeKeyScanner()
      for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size))
      expect(scanner.keys(), `chunks of ${size}`).toEqual([
        { senderId: 'SENDERA', control: '000000001' },
        { senderId: 'SENDERB', control: '000000002' },
      ])
    }
  })

  it('takes no ISA inside data and no ISA13 that is not nine digits', () => {
    const scanner = new InterchangeKeyScanner()
    scanner.push(new TextEncoder().encode(`NM1*ISA*1~XISA*${'x'.repeat(120)}~${isa('S', '12345')}`))
    expect(scanner.keys()).toEqual([])
  })

  it('gives the same keys at every chunk size, an ISA after a letter never taken', () => {
    // `X` + an ISA: data, not a segment. Every chunk size from 1 to 260 puts an ISA at every
    // place relative to a chunk's start, the carried bytes and the chunk's first 106 bytes.
    const more = `${text}~X${isa('FAKE', '000000009')}GS*HP~${isa('SENDERC', '000000003')}~${'N'.repeat(37)}~${isa('SENDERD', '000000004', '|')}`
    const all = new TextEncoder().encode(more)
    const expected = [
      { senderId: 'SENDERA', control: '000000001' },
      { senderId: 'SENDERB', control: '000000002' },
      { senderId: 'SENDERC', control: '000000003' },
      { senderId: 'SENDERD', control: '000000004' },
    ]
    for (let size = 1; size <= 260; size++) {
      const scanner = new InterchangeKeyScanner()
      for (let i = 0; i < all.length; i += size) scanner.push(all.slice(i, i + size))
      expect(scanner.keys(), `chunks of ${size}`).toEqual(expected)
    }
  })
})
