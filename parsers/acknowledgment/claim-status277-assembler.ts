import { parseD8 } from '../dates.js'
import { parseCents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment } from '../x12/segment.js'
import { components, element, positionOf } from '../x12/segment.js'
import type { TransactionAssembler, TransactionSummary } from '../x12/transaction-assembler.js'
import type { X12Issue } from '../x12/x12-error.js'
import type { X12Event } from '../x12-event.js'
import type { ClaimStatus277, LineStatus277, Status277, StatusCode277 } from './claim-status277.js'

function statusCode(segment: Segment, n: number): StatusCode277 | undefined {
  const [category = '', code = '', entity = ''] = components(segment, n)
  if (category === '' && code === '') return undefined
  return { category: category.trim(), code: code.trim(), entity: entity.trim() || undefined }
}

function amount(text: string): number | undefined {
  return text === '' ? undefined : parseCents(text)
}

/**
 * Reads one 277CA set (005010X214) into {@link ClaimStatus277}s, one per claim (loop 2200D,
 * started by TRN under a patient HL, `HL03` = `PT`), emitted as `{ type: 'claim277' }` when the
 * next claim, HL or SE comes. The payer (2100A NM1*PR/AY) and billing provider (2100C NM1*85)
 * above it are carried down. Patient names and member ids (2100D NM1*QC) are not kept.
 */
class ClaimStatus277Assembler implements TransactionAssembler {
  readonly issues: X12Issue[] = []
  readonly #envelope: EnvelopeContext
  #level = ''
  #payerId: string | undefined
  #providerId: string | undefined
  #claim: ClaimStatus277 | undefined
  #line: LineStatus277 | undefined

  constructor(envelope: EnvelopeContext) {
    this.#envelope = envelope
  }

  push(segment: Segment, out: X12Event[]): void {
    switch (segment.id) {
      case 'HL':
        this.#flush(out)
        this.#level = element(segment, 3).trim()
        if (this.#level === '19') this.#providerId = undefined
        return
      case 'NM1': {
        const entity = element(segment, 1).trim()
        const id = element(segment, 9).trim() || undefined
        if (this.#level === '20' && (entity === 'PR' || entity === 'AY')) this.#payerId = id
        else if (this.#level === '19' && entity === '85') this.#providerId = id
        return
      }
      case 'TRN':
        if (this.#level !== 'PT') return
        this.#flush(out)
        this.#claim = {
          envelope: this.#envelope,
          claimId: element(segment, 2).trim(),
          payerId: this.#payerId,
          billingProviderId: this.#providerId,
          payerClaimControl: undefined,
          clearinghouseTrace: undefined,
          serviceFrom: undefined,
          serviceTo: undefined,
          statuses: [],
          lines: [],
          position: positionOf(segment),
        }
        if (this.#claim.claimId === '')
          this.issues.push({
            code: 'X12_BAD_ELEMENT',
            severity: 'error',
            message: 'TRN02 (the claim status tracking number, CLM01 of the claim) is required',
            position: positionOf(segment, 2),
          })
        return
      case 'STC': {
        const claim = this.#claim
        if (claim === undefined) return
        const codes = [statusCode(segment, 1), statusCode(segment, 10), statusCode(segment, 11)].flatMap(
          (c) => (c === undefined ? [] : [c]),
        )
        const date = element(segment, 2)
        const status: Status277 = {
          codes,
          date: date === '' ? undefined : parseD8(date),
          action: element(segment, 3).trim() || undefined,
          charge: amount(element(segment, 4)),
          message: element(segment, 12) || undefined,
        }
        if (codes.length === 0)
          this.issues.push({
            code: 'X12_BAD_ELEMENT',
            severity: 'error',
            message: 'STC01 (claim status) is required',
            position: positionOf(segment, 1),
          })
        if (date !== '' && status.date === undefined)
          this.issues.push({
            code: 'X12_BAD_DATE',
            severity: 'warning',
            message: 'STC02 is not a valid CCYYMMDD date',
            position: positionOf(segment, 2),
          })
        ;(this.#line?.statuses ?? claim.statuses).push(status)
        return
      }
      case 'REF': {
        const claim = this.#claim
        if (claim === undefined) return
        const qualifier = element(segment, 1).trim()
        const value = element(segment, 2).trim() || undefined
        if (this.#line !== undefined) {
          if (qualifier === 'FJ') this.#line.lineControl = value
        } else if (qualifier === '1K') claim.payerClaimControl = value
        else if (qualifier === 'D9') claim.clearinghouseTrace = value
        return
      }
      case 'DTP': {
        const claim = this.#claim
        if (claim === undefined || this.#line !== undefined || element(segment, 1) !== '472') return
        const format = element(segment, 2)
        const value = element(segment, 3)
        const [from = '', to = from] = format === 'RD8' ? value.split('-') : [value]
        claim.serviceFrom = parseD8(from)
        claim.serviceTo = parseD8(to)
        if (claim.serviceFrom === undefined)
          this.issues.push({
            code: 'X12_BAD_DATE',
            severity: 'warning',
            message: 'DTP03 is not a valid service date',
            position: positionOf(segment, 3),
          })
        return
      }
      case 'SVC': {
        const claim = this.#claim
        if (claim === undefined) return
        this.#line = {
          procedureCode: components(segment, 1)[1]?.trim() ?? '',
          charge: amount(element(segment, 2)),
          lineControl: undefined,
          statuses: [],
        }
        claim.lines.push(this.#line)
        return
      }
    }
  }

  #flush(out: X12Event[]): void {
    const claim = this.#claim
    if (claim !== undefined) out.push({ type: 'claim277', claim })
    this.#claim = undefined
    this.#line = undefined
  }

  end(out: X12Event[]): TransactionSummary {
    this.#flush(out)
    return { remittance: undefined }
  }
}

/** Creates the assembler of one 277CA set (the reader's factory for ST01 `277`, guide X214). */
export function createClaimStatus277Assembler(envelope: EnvelopeContext): TransactionAssembler {
  return new ClaimStatus277Assembler(envelope)
}
