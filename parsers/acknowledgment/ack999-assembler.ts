import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment } from '../x12/segment.js'
import { components, element, positionOf } from '../x12/segment.js'
import type { TransactionAssembler, TransactionSummary } from '../x12/transaction-assembler.js'
import type { X12ErrorCode, X12Issue } from '../x12/x12-error.js'
import type { X12Event } from '../x12-event.js'
import type { Ack999, Ack999ElementError, Ack999SegmentError, Ack999SetResponse } from './ack999.js'

function positiveInteger(text: string): number | undefined {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined
}

/**
 * Reads one 999 set (005010X231A1) into an {@link Ack999}: AK1, the AK2 loops (2000) with their
 * IK3 (2100), CTX and IK4 (2110) and IK5, then AK9. Emits `{ type: 'ack999' }` at SE.
 */
class Ack999Assembler implements TransactionAssembler {
  readonly issues: X12Issue[] = []
  readonly #envelope: EnvelopeContext
  #ack: Ack999 | undefined
  #set: Ack999SetResponse | undefined
  #segmentError: Ack999SegmentError | undefined
  #element: Ack999ElementError | undefined
  #ak9 = false

  constructor(envelope: EnvelopeContext) {
    this.#envelope = envelope
  }

  #report(code: X12ErrorCode, message: string, segment: Segment, n?: number): void {
    this.issues.push({ code, severity: 'error', message, position: positionOf(segment, n) })
  }

  push(segment: Segment): void {
    switch (segment.id) {
      case 'AK1':
        if (this.#ack !== undefined) {
          this.#report('X12_BAD_SEGMENT', 'expected one AK1 per 999, found a second', segment)
          return
        }
        if (element(segment, 1) === '' || element(segment, 2) === '')
          this.#report('X12_BAD_ELEMENT', 'AK101 and AK102 (the acknowledged group) are required', segment, 1)
        this.#ack = {
          envelope: this.#envelope,
          functionalId: element(segment, 1).trim(),
          groupControl: element(segment, 2).trim(),
          version: element(segment, 3).trim() || undefined,
          sets: [],
          status: '',
          included: 0,
          received: 0,
          accepted: 0,
          errors: [],
        }
        return
      case 'AK2': {
        const ack = this.#need(segment)
        if (ack === undefined) return
        this.#set = {
          transactionType: element(segment, 1).trim(),
          transactionControl: element(segment, 2).trim(),
          implementation: element(segment, 3).trim() || undefined,
          segmentErrors: [],
          status: '',
          errors: [],
        }
        this.#segmentError = undefined
        this.#element = undefined
        ack.sets.push(this.#set)
        return
      }
      case 'IK3': {
        const set = this.#set
        if (set === undefined) {
          this.#report('X12_MISSING_SEGMENT', 'expected AK2 (loop 2000) before IK3', segment)
          return
        }
        this.#segmentError = {
          segmentId: element(segment, 1).trim(),
          position: positiveInteger(element(segment, 2)) ?? 0,
          loopId: element(segment, 3).trim() || undefined,
          code: element(segment, 4).trim(),
          context: [],
          elements: [],
        }
        this.#element = undefined
        set.segmentErrors.push(this.#segmentError)
        return
      }
      case 'CTX':
        // CTX after IK3 is the segment's context (e.g. CLM01:A1); after IK4, the element's (not kept).
        if (this.#segmentError !== undefined && this.#element === undefined)
          this.#segmentError.context.push(segment.elements.slice(1))
        return
      case 'IK4': {
        const error = this.#segmentError
        if (error === undefined) {
          this.#report('X12_MISSING_SEGMENT', 'expected IK3 (loop 2100) before IK4', segment)
          return
        }
        const [position = '', component = '', repetition = ''] = components(segment, 1)
        this.#element = {
          element: positiveInteger(position) ?? 0,
          component: positiveInteger(component),
          repetition: positiveInteger(repetition),
          reference: element(segment, 2).trim() || undefined,
          code: element(segment, 3).trim(),
          value: element(segment, 4) === '' ? undefined : element(segment, 4),
        }
        error.elements.push(this.#element)
        return
      }
      case 'IK5': {
        const set = this.#set
        if (set === undefined) {
          this.#report('X12_MISSING_SEGMENT', 'expected AK2 (loop 2000) before IK5', segment)
          return
        }
        set.status = element(segment, 1).trim()
        set.errors = segment.elements
          .slice(2)
          .map((e) => e.trim())
          .filter((e) => e !== '')
        if (set.status === '')
          this.#report('X12_BAD_ELEMENT', 'IK501 (set acknowledgment code) is required', segment, 1)
        this.#set = undefined
        this.#segmentError = undefined
        this.#element = undefined
        return
      }
      case 'AK9': {
        const ack = this.#need(segment)
        if (ack === undefined) return
        this.#ak9 = true
        ack.status = element(segment, 1).trim()
        ack.included = positiveInteger(element(segment, 2)) ?? 0
        ack.received = positiveInteger(element(segment, 3)) ?? 0
        ack.accepted = positiveInteger(element(segment, 4)) ?? 0
        ack.errors = segment.elements
          .slice(5)
          .map((e) => e.trim())
          .filter((e) => e !== '')
        if (ack.status === '')
          this.#report('X12_BAD_ELEMENT', 'AK901 (group acknowledgment code) is required', segment, 1)
        return
      }
    }
  }

  #need(segment: Segment): Ack999 | undefined {
    if (this.#ack === undefined)
      this.#report('X12_MISSING_SEGMENT', `expected AK1 before ${segment.id}`, segment)
    return this.#ack
  }

  end(out: X12Event[]): TransactionSummary {
    const ack = this.#ack
    const at = this.#envelope.position
    if (ack === undefined) {
      this.issues.push({
        code: 'X12_MISSING_SEGMENT',
        severity: 'error',
        message: 'expected AK1 in the 999',
        position: at,
      })
    } else {
      if (!this.#ak9)
        this.issues.push({
          code: 'X12_MISSING_SEGMENT',
          severity: 'error',
          message: 'expected AK9 at the end of the 999',
          position: at,
        })
      for (const set of ack.sets)
        if (set.status === '')
          this.issues.push({
            code: 'X12_MISSING_SEGMENT',
            severity: 'error',
            message: `expected IK5 for AK2 ${set.transactionType} ${set.transactionControl}`,
            position: at,
          })
      out.push({ type: 'ack999', ack })
    }
    return { remittance: undefined }
  }
}

/** Creates the assembler of one 999 set (the reader's factory for ST01 `999`). */
export function createAck999Assembler(envelope: EnvelopeContext): TransactionAssembler {
  return new Ack999Assembler(envelope)
}
