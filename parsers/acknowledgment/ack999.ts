import type { EnvelopeContext } from '../x12/envelope.js'

/**
 * One IK4 (loop 2110): an element in error inside the segment of its IK3 (005010X231A1 999).
 * Codes are X12 element 621 (Implementation Data Element Syntax Error Code), e.g. `1` required
 * data element missing, `6` invalid character, `7` invalid code value, `8` invalid date.
 */
export interface Ack999ElementError {
  /** IK401-1: the element's position in the segment (CLM05 is 5). */
  element: number
  /** IK401-2: the component's position in a composite, when the error is in a component. */
  component: number | undefined
  /** IK401-3: the repetition, when the element repeats. */
  repetition: number | undefined
  /** IK402: the data element reference number, when known. */
  reference: string | undefined
  /** IK403: X12 element 621 code. */
  code: string
  /** IK404: a copy of the bad value, when it is sent. */
  value: string | undefined
}

/**
 * One IK3 (loop 2100): a segment in error. Codes are X12 element 620 (Implementation Segment
 * Syntax Error Code), e.g. `1` unrecognized segment id, `2` unexpected segment, `3` required
 * segment missing, `8` segment has data element errors.
 */
export interface Ack999SegmentError {
  /** IK301: the segment id (of the missing segment for code `3`). */
  segmentId: string
  /** IK302: the segment's position in the set, ST being 1. */
  position: number
  /** IK303: the implementation guide loop id (e.g. `2300`), when known. */
  loopId: string | undefined
  /** IK304: X12 element 620 code. */
  code: string
  /** CTX segments of the IK3 loop, each as its elements after the id (e.g. `['CLM01:A1']`). */
  context: string[][]
  elements: Ack999ElementError[]
}

/** One AK2 loop (2000): the answer to one transaction set of the acknowledged group. */
export interface Ack999SetResponse {
  /** AK201: the set's ST01, e.g. `837`. */
  transactionType: string
  /** AK202: the set's ST02. */
  transactionControl: string
  /** AK203: the set's ST03, when sent. */
  implementation: string | undefined
  segmentErrors: Ack999SegmentError[]
  /** IK501 (X12 element 717): `A` accepted, `E` accepted with errors noted, `R` rejected (`M`, `W`, `X` also rejections). */
  status: string
  /** IK502-IK506 (X12 element 618), e.g. `5` one or more segments in error, `4` segment count wrong. */
  errors: string[]
}

/**
 * One 999 transaction set (005010X231A1): the answer to one functional group (AK1) of a received
 * interchange. The reader emits it whole; the writer formats it.
 */
export interface Ack999 {
  /** The 999's own envelope ids (when read). */
  envelope: EnvelopeContext | undefined
  /** AK101: the acknowledged group's GS01, e.g. `HC`. */
  functionalId: string
  /** AK102: the acknowledged group's GS06. */
  groupControl: string
  /** AK103: the acknowledged group's GS08. */
  version: string | undefined
  sets: Ack999SetResponse[]
  /** AK901 (X12 element 715): `A` accepted, `E` accepted with errors, `P` partially accepted, `R` rejected. */
  status: string
  /** AK902: transaction sets included (the group's GE01). */
  included: number
  /** AK903: transaction sets received. */
  received: number
  /** AK904: transaction sets accepted. */
  accepted: number
  /** AK905-AK909 (X12 element 716), e.g. `5` number of included sets does not match, `2` version not supported. */
  errors: string[]
}

/** True when IK501 / AK901 means the set or group was accepted (`A` or `E`); `P` is neither. */
export function isAcceptedCode(code: string): boolean {
  return code === 'A' || code === 'E'
}

/** True when IK501 / AK901 means rejected (`R`, and the security rejections `M`, `W`, `X`). */
export function isRejectedCode(code: string): boolean {
  return code === 'R' || code === 'M' || code === 'W' || code === 'X'
}
