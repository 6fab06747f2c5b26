import type { Delimiters } from '../x12/segment.js'
import { formatComposite, formatIsa, formatSegment } from '../x12/segment-writer.js'
import { X12Error } from '../x12/x12-error.js'
import type { Ack999 } from './ack999.js'
import type { Ta1 } from './ta1.js'

/** The 999 implementation guide onco-edi writes (ST03 and GS08). */
export const ACK999_GUIDE = '005010X231A1'

/** The envelope of one acknowledgment interchange onco-edi writes. */
export interface AckInterchangeOptions {
  /** ISA05/ISA06: our qualifier and id (the acknowledged interchange's ISA07/ISA08). */
  senderQualifier: string
  senderId: string
  /** ISA07/ISA08: theirs (the acknowledged interchange's ISA05/ISA06). */
  receiverQualifier: string
  receiverId: string
  /** GS02/GS03 of the 999 group. */
  applicationSenderCode: string
  applicationReceiverCode: string
  /** ISA13 / IEA02, from the persisted counter. */
  interchangeControl: number
  /** GS06 / GE02 of the FA group. */
  groupControl: number
  /** ST02 / SE02 of the first 999; the next ones count up from it. */
  firstTransactionControl: number
  /** CCYYMMDD. */
  date: string
  /** HHMM. */
  time: string
  /** ISA15, `P` or `T`: the acknowledged interchange's. */
  usage: string
  delimiters: Delimiters
  /** Written after each terminator (e.g. `\n`); default none. */
  lineBreak?: string
}

function checkControl(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > 999_999_999)
    throw new X12Error(
      'X12_WRITE_OPTION',
      `Expected ${what} to be an integer from 1 to 999999999, got ${value}`,
    )
}

function isa(options: AckInterchangeOptions): string {
  return formatIsa(
    {
      senderQualifier: options.senderQualifier,
      senderId: options.senderId,
      receiverQualifier: options.receiverQualifier,
      receiverId: options.receiverId,
      date: options.date.slice(2),
      time: options.time,
      control: String(options.interchangeControl),
      acknowledgmentRequested: '0',
      usage: options.usage === 'T' ? 'T' : 'P',
    },
    options.delimiters,
    options.lineBreak === undefined ? {} : { lineBreak: options.lineBreak },
  )
}

/** The segments (element arrays) of one 999 set between ST and SE, in implementation-guide order. */
export function ack999Segments(ack: Ack999, delimiters: Delimiters): string[][] {
  const out: string[][] = []
  out.push(['AK1', ack.functionalId, ack.groupControl, ack.version ?? ''])
  for (const set of ack.sets) {
    // Loop 2000: AK2, then loop 2100 (IK3, CTX, loop 2110 IK4/CTX), then IK5.
    out.push(['AK2', set.transactionType, set.transactionControl, set.implementation ?? ''])
    for (const error of set.segmentErrors) {
      out.push(['IK3', error.segmentId, String(error.position), error.loopId ?? '', error.code])
      for (const context of error.context) out.push(['CTX', ...context])
      for (const element of error.elements) {
        const position = formatComposite(
          [
            String(element.element),
            element.component === undefined ? '' : String(element.component),
            element.repetition === undefined ? '' : String(element.repetition),
          ],
          delimiters,
        )
        out.push(['IK4', position, element.reference ?? '', element.code, element.value ?? ''])
      }
    }
    out.push(['IK5', set.status, ...set.errors.slice(0, 5)])
  }
  out.push([
    'AK9',
    ack.status,
    String(ack.included),
    String(ack.received),
    String(ack.accepted),
    ...ack.errors.slice(0, 5),
  ])
  return out
}

/**
 * Writes one interchange holding one functional group (GS01 `FA`) of 999 sets, one per
 * acknowledged group (005010X231A1: one AK1 per 999).
 *
 * @example
 * ```ts
 * writeAck999Interchange([ack], { senderId: 'CLINIC', receiverId: 'SUBMITTER', interchangeControl: 7, … })
 * ```
 */
export function writeAck999Interchange(acks: readonly Ack999[], options: AckInterchangeOptions): string {
  checkControl(options.interchangeControl, 'the interchange control number')
  checkControl(options.groupControl, 'the group control number')
  checkControl(
    options.firstTransactionControl + Math.max(acks.length - 1, 0),
    'the transaction control number',
  )
  const d = options.delimiters
  const format = {
    trimTrailing: true,
    ...(options.lineBreak === undefined ? {} : { lineBreak: options.lineBreak }),
  }
  let text = isa(options)
  text += formatSegment(
    [
      'GS',
      'FA',
      options.applicationSenderCode,
      options.applicationReceiverCode,
      options.date,
      options.time,
      String(options.groupControl),
      'X',
      ACK999_GUIDE,
    ],
    d,
    format,
  )
  for (const [i, ack] of acks.entries()) {
    const control = String(options.firstTransactionControl + i).padStart(4, '0')
    const body = ack999Segments(ack, d)
    text += formatSegment(['ST', '999', control, ACK999_GUIDE], d, format)
    for (const segment of body) text += formatSegment(segment, d, format)
    text += formatSegment(['SE', String(body.length + 2), control], d, format)
  }
  text += formatSegment(['GE', String(acks.length), String(options.groupControl)], d, format)
  text += formatSegment(['IEA', '1', String(options.interchangeControl).padStart(9, '0')], d, format)
  return text
}

/**
 * Writes one interchange holding one TA1 and no functional group (IEA01 `0`), the form an
 * interchange acknowledgment takes when it is sent alone (ASC X12 005010 TA1).
 */
export function writeTa1Interchange(
  ta1: Ta1,
  options: Omit<
    AckInterchangeOptions,
    'groupControl' | 'firstTransactionControl' | 'applicationSenderCode' | 'applicationReceiverCode'
  >,
): string {
  checkControl(options.interchangeControl, 'the interchange control number')
  const d = options.delimiters
  const format = {
    trimTrailing: true,
    ...(options.lineBreak === undefined ? {} : { lineBreak: options.lineBreak }),
  }
  const full: AckInterchangeOptions = {
    ...options,
    applicationSenderCode: '',
    applicationReceiverCode: '',
    groupControl: 1,
    firstTransactionControl: 1,
  }
  return (
    isa(full) +
    formatSegment(
      ['TA1', ta1.interchangeControl, ta1.interchangeDate, ta1.interchangeTime, ta1.status, ta1.note],
      d,
      format,
    ) +
    formatSegment(['IEA', '0', String(options.interchangeControl).padStart(9, '0')], d, format)
  )
}
