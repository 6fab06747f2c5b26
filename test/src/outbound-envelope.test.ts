import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { outboundEnvelopeProblems, resolveOutboundIds } from '../../src/outbound-envelope.js'

describe('outbound envelope ids', () => {
  it('default to the input interchange, then to ONCOEDI/RECEIVER; GS02/GS03 follow ISA06/ISA08', () => {
    const none = loadConfig({}).outbound
    expect(resolveOutboundIds(none, { senderId: 'CLINIC', receiverId: 'CH' })).toEqual({
      senderId: 'CLINIC',
      receiverId: 'CH',
      applicationSenderCode: 'CLINIC',
      applicationReceiverCode: 'CH',
    })
    expect(resolveOutboundIds(none, { senderId: '', receiverId: '' })).toMatchObject({
      senderId: 'ONCOEDI',
      receiverId: 'RECEIVER',
    })
  })

  it('come from ONCO_EDI_ISA06/ISA08/GS02/GS03 when set (blank is unset)', () => {
    const config = loadConfig({
      ONCO_EDI_ISA06: ' OUR-ID ',
      ONCO_EDI_ISA08: 'THEIRS',
      ONCO_EDI_GS03: 'APP3',
      ONCO_EDI_GS02: ' ',
    })
    expect(resolveOutboundIds(config.outbound, { senderId: 'CLINIC', receiverId: 'CH' })).toEqual({
      senderId: 'OUR-ID',
      receiverId: 'THEIRS',
      applicationSenderCode: 'OUR-ID',
      applicationReceiverCode: 'APP3',
    })
    expect(outboundEnvelopeProblems(config.outbound)).toEqual([])
  })

  it('names each variable whose value cannot be written', () => {
    const config = loadConfig({ ONCO_EDI_ISA06: 'A~B', ONCO_EDI_ISA08: 'X'.repeat(16), ONCO_EDI_GS02: 'A' })
    expect(outboundEnvelopeProblems(config.outbound)).toEqual([
      expect.stringMatching(/^Expected ONCO_EDI_ISA06 to be 1 to 15 /),
      expect.stringMatching(/^Expected ONCO_EDI_ISA08 to be 1 to 15 /),
      expect.stringMatching(/^Expected ONCO_EDI_GS02 to be 2 to 15 /),
    ])
  })
})
