import type { IsoDate } from '../dates.js'
import { D8Parser } from '../dates.js'
import type { Cents } from '../money.js'
import { formatCents, parseCents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment, X12Position } from '../x12/segment.js'
import { element, positionOf } from '../x12/segment.js'
import type { ProcedureParts } from '../x12/split-text.js'
import { componentsOf, numberOf, readProcedure } from '../x12/split-text.js'
import type { TransactionAssembler, TransactionSummary } from '../x12/transaction-assembler.js'
import type { X12ErrorCode, X12Issue } from '../x12/x12-error.js'
import type { X12Event } from '../x12-event.js'
import type {
  Adjustment835,
  ProviderAdjustment835,
  RemittanceClaim835,
  RemittanceHeader835,
  ServiceLine835,
} from './remittance835.js'

/** MIA05 and MIA20-23 carry remark codes (005010X221A1 MIA). */
const MIA_REMARK_ELEMENTS = [5, 20, 21, 22, 23] as const

/** CAS01 group codes of 5010 (CO, OA, PI, PR) plus the retired CR, accepted with a warning (DOMAIN §1). */
function isCasGroup(group: string): boolean {
  return group === 'CO' || group === 'PR' || group === 'OA' || group === 'PI' || group === 'CR'
}

/**
 * Assembles one 835 (005010X221A1) transaction set: emits `remittance835-header` once the header is
 * complete (at the first LX or CLP), then one `claim835` per CLP (loop 2100 with its 2110 SVC lines)
 * as soon as the next CLP, LX or PLB (or SE) shows it is complete. PLB pairs are returned by `end()`.
 *
 * Issues: a bad amount (BPR02, CLP03/04/05, CAS, SVC02/03, PLB), an unknown CAS group, a missing BPR
 * or a missing CLP01/CLP02 quarantines the set. A missing or bad BPR16 or SVC01 code, balancing
 * failures (DOMAIN §7: line, claim and transaction) and the retired CAS group CR are warnings: the
 * remittance is still what the payer paid.
 *
 * @example
 * ```ts
 * const assembler = createRemittance835Assembler(envelope)
 * for (const segment of segmentsBetweenStAndSe) assembler.push(segment, out)
 * const { remittance } = assembler.end(out) // remittance.providerAdjustments holds the PLB pairs
 * ```
 */
export function createRemittance835Assembler(envelope: EnvelopeContext): TransactionAssembler {
  return new Remittance835Assembler(envelope)
}

/**
 * The state machine behind {@link createRemittance835Assembler}. A class rather than closures: V8
 * then compiles its methods once for every transaction set of the process, not once per set.
 */
class Remittance835Assembler implements TransactionAssembler {
  readonly issues: X12Issue[] = []
  readonly #envelope: EnvelopeContext
  readonly #dates = new D8Parser()
  /** True after LX (loop 2000) or PLB, until the next CLP. */
  #betweenClaims = false
  #header: RemittanceHeader835 | undefined
  #headerEmitted = false
  #sawBpr = false
  /**
   * The claim and line in progress. Their positions stand for their CLP and SVC segments in the
   * balancing messages: keeping the segments too would store a new object per line in this
   * long-lived one (a V8 write barrier each time) for a message that is rarely written.
   */
  #claim: RemittanceClaim835 | undefined
  #line: ServiceLine835 | undefined
  /** The N1 loop the header is in: REF*2U after N1*PR is the payer id (1000A). */
  #headerParty: 'PR' | 'PE' | '' = ''
  readonly #providerAdjustments: ProviderAdjustment835[] = []
  #totalClaimPaid: Cents = 0
  #firstSegment: Segment | undefined
  /** SVC01, read into one reused object. */
  readonly #procedure: ProcedureParts = { qualifier: '', code: '', count: 0, modifiers: [] }

  constructor(envelope: EnvelopeContext) {
    this.#envelope = envelope
  }

  push(segment: Segment, out: X12Event[]): void {
    this.#firstSegment ??= segment
    switch (segment.id) {
      case 'LX':
        // Loop 2000 header number: closes the claim in progress; its TS3/TS2 are not modelled.
        this.#finishClaim(out)
        this.#emitHeader(out, segment)
        this.#betweenClaims = true
        return
      case 'CLP':
        this.#finishClaim(out)
        this.#emitHeader(out, segment)
        this.#betweenClaims = false
        this.#startClaim(segment)
        return
      case 'PLB':
        this.#finishClaim(out)
        this.#emitHeader(out, segment)
        this.#betweenClaims = true
        this.#pushPlb(segment)
        return
    }
    const claim = this.#claim
    if (segment.id === 'SVC' && (claim === undefined || this.#betweenClaims)) {
      this.#report('X12_MISSING_SEGMENT', 'error', 'expected CLP (loop 2100) before SVC', segment)
      return
    }
    if (!this.#headerEmitted) {
      this.#pushHeader(segment)
      return
    }
    if (claim === undefined || this.#betweenClaims) return
    const line = this.#line
    if (segment.id === 'SVC') this.#startLine(claim, segment)
    else if (line !== undefined) this.#pushLine(line, segment)
    else this.#pushClaim(claim, segment)
  }

  end(out: X12Event[]): TransactionSummary {
    this.#finishClaim(out)
    const at = this.#firstSegment
    if (at === undefined) return { remittance: undefined }
    const h = this.#emitHeader(out, at)
    const providerAdjustments = this.#providerAdjustments
    const totalClaimPaid = this.#totalClaimPaid
    // Transaction balancing: BPR02 = sum of CLP04 - sum of PLB amounts (DOMAIN §7).
    const plbTotal = providerAdjustments.reduce((total, p) => total + p.amount, 0)
    const expected = totalClaimPaid - plbTotal
    const bprSign = h.creditDebit === 'D' ? -1 : 1
    if (this.#sawBpr && bprSign * h.totalPaid !== expected) {
      this.issues.push({
        code: 'X12_UNBALANCED',
        severity: 'warning',
        message: `transaction does not balance: BPR02 is ${formatCents(h.totalPaid)} but the sum of CLP04 (${formatCents(totalClaimPaid)}) minus the sum of PLB amounts (${formatCents(plbTotal)}) is ${formatCents(expected)}`,
        position: { ...h.position, element: 2 },
      })
    }
    return { remittance: { header: h, providerAdjustments } }
  }

  #report(
    code: X12ErrorCode,
    severity: 'error' | 'warning',
    message: string,
    segment: Segment,
    elementIndex?: number,
    componentIndex?: number,
  ): void {
    this.issues.push({ code, severity, message, position: positionOf(segment, elementIndex, componentIndex) })
  }

  /** Element `n` in cents; `name` defaults to the element's reference (`CAS03`), built only for a message. */
  #amount(segment: Segment, n: number, name: string | undefined, required: boolean): Cents | undefined {
    const text = element(segment, n)
    if (text === '' && !required) return undefined
    const cents = parseCents(text)
    if (cents === undefined) {
      this.#report(
        'X12_BAD_AMOUNT',
        'error',
        `${name ?? `${segment.id}${String(n).padStart(2, '0')}`} must be a decimal amount with at most two decimals, found ${text === '' ? 'nothing' : `"${text}"`}`,
        segment,
        n,
      )
    }
    return cents
  }

  #date(segment: Segment, n: number, name: string, severity: 'error' | 'warning'): IsoDate | undefined {
    const text = element(segment, n)
    if (text === '') return undefined
    const iso = this.#dates.parse(text)
    // The value is not echoed: a date next to a claim can be PHI.
    if (iso === undefined)
      this.#report('X12_BAD_DATE', severity, `${name} is not a valid CCYYMMDD date`, segment, n)
    return iso
  }

  #newHeader(at: Segment): RemittanceHeader835 {
    return {
      envelope: this.#envelope,
      handlingCode: '',
      totalPaid: 0,
      creditDebit: '',
      paymentMethod: '',
      paymentDate: undefined,
      traceNumber: undefined,
      traceOriginator: undefined,
      productionDate: undefined,
      payer: { name: undefined, id: undefined },
      payee: { name: undefined, idQualifier: undefined, id: undefined },
      position: positionOf(at),
    }
  }

  #pushHeader(segment: Segment): void {
    const h = this.#header ?? this.#newHeader(segment)
    this.#header = h
    switch (segment.id) {
      case 'BPR':
        this.#sawBpr = true
        h.position = positionOf(segment)
        h.handlingCode = element(segment, 1)
        h.totalPaid = this.#amount(segment, 2, 'BPR02', true) ?? 0
        h.creditDebit = element(segment, 3)
        h.paymentMethod = element(segment, 4)
        // BPR16 is the payment (check/EFT) date; it starts appeal clocks (DOMAIN §7, §9). TR3
        // examples in the wild drop or misplace it, and the payments are still real, so a missing or
        // bad BPR16 warns; consumers fall back on DTM*405.
        h.paymentDate = this.#date(segment, 16, 'BPR16', 'warning')
        if (element(segment, 16) === '') {
          this.#report('X12_BAD_ELEMENT', 'warning', 'BPR16 (payment date) is missing', segment, 16)
        }
        break
      case 'TRN':
        h.traceNumber = element(segment, 2) || undefined
        h.traceOriginator = element(segment, 3) || undefined
        break
      case 'DTM':
        if (element(segment, 1) === '405')
          h.productionDate = this.#date(segment, 2, 'DTM*405 DTM02', 'warning')
        break
      case 'N1': {
        const entity = element(segment, 1)
        if (entity === 'PR') {
          this.#headerParty = 'PR'
          h.payer.name = element(segment, 2) || undefined
          h.payer.id = element(segment, 4) || h.payer.id
        } else if (entity === 'PE') {
          this.#headerParty = 'PE'
          h.payee.name = element(segment, 2) || undefined
          h.payee.idQualifier = element(segment, 3) || undefined
          h.payee.id = element(segment, 4) || undefined
        } else {
          this.#headerParty = ''
        }
        break
      }
      case 'REF':
        // 1000A REF*2U is the payer identification when N1*PR has no N104 (005010X221A1).
        if (this.#headerParty === 'PR' && element(segment, 1) === '2U' && h.payer.id === undefined) {
          h.payer.id = element(segment, 2) || undefined
        }
        break
    }
  }

  #emitHeader(out: X12Event[], at: Segment): RemittanceHeader835 {
    const h = this.#header ?? this.#newHeader(at)
    this.#header = h
    if (!this.#headerEmitted) {
      this.#headerEmitted = true
      if (!this.#sawBpr)
        this.#report(
          'X12_MISSING_SEGMENT',
          'error',
          'expected BPR as the first segment of the 835 header',
          at,
        )
      out.push({ type: 'remittance835-header', header: h })
    }
    return h
  }

  /** Appends the CAS triplets of `segment` to `adjustments` (no intermediate array per CAS). */
  #parseCas(segment: Segment, adjustments: Adjustment835[]): void {
    const group = element(segment, 1)
    if (!isCasGroup(group)) {
      this.#report('X12_BAD_ELEMENT', 'error', `CAS01 must be CO, OA, PI or PR, found "${group}"`, segment, 1)
    } else if (group === 'CR') {
      this.#report(
        'X12_BAD_ELEMENT',
        'warning',
        'CAS01 group CR was retired in 5010 (only CO, OA, PI, PR remain); accepted as sent',
        segment,
        1,
      )
    }
    const before = adjustments.length
    // Up to six (CARC, amount, quantity) triplets: CAS02-04, 05-07, ... 17-19 (005010X221A1 CAS).
    // Triplets past the last element are empty, so the loop stops there.
    const count = segment.elements.length
    for (let carcIndex = 2; carcIndex <= 17 && carcIndex < count; carcIndex += 3) {
      const carc = element(segment, carcIndex)
      const amountText = element(segment, carcIndex + 1)
      const quantityText = element(segment, carcIndex + 2)
      if (carc === '' && amountText === '' && quantityText === '') continue
      if (carc === '') {
        this.#report(
          'X12_BAD_ELEMENT',
          'error',
          `CAS${String(carcIndex).padStart(2, '0')} (reason code) is missing`,
          segment,
          carcIndex,
        )
        continue
      }
      const cents = this.#amount(segment, carcIndex + 1, undefined, true) ?? 0
      let quantity: number | undefined
      if (quantityText !== '') {
        quantity = numberOf(quantityText)
        if (!Number.isFinite(quantity)) {
          this.#report(
            'X12_BAD_ELEMENT',
            'warning',
            `CAS${String(carcIndex + 2).padStart(2, '0')} (quantity) must be a number, found "${quantityText}"`,
            segment,
            carcIndex + 2,
          )
          quantity = undefined
        }
      }
      adjustments.push({
        group,
        carc,
        amount: cents,
        quantity,
        position: elementPosition(segment, carcIndex),
      })
    }
    if (adjustments.length === before) {
      this.#report(
        'X12_BAD_ELEMENT',
        'error',
        'CAS needs at least one reason code and amount (CAS02, CAS03)',
        segment,
        2,
      )
    }
  }

  #startClaim(segment: Segment): void {
    const h = this.#header ?? this.#newHeader(segment)
    const status = element(segment, 2)
    if (element(segment, 1) === '')
      this.#report('X12_BAD_ELEMENT', 'error', 'CLP01 (patient control number) is required', segment, 1)
    if (status === '')
      this.#report('X12_BAD_ELEMENT', 'error', 'CLP02 (claim status) is required', segment, 2)
    const paid = this.#amount(segment, 4, 'CLP04', true) ?? 0
    this.#totalClaimPaid += paid
    this.#claim = {
      header: h,
      claimId: element(segment, 1),
      status,
      charge: this.#amount(segment, 3, 'CLP03', true) ?? 0,
      paid,
      patientResponsibility: this.#amount(segment, 5, 'CLP05', false) ?? 0,
      filingIndicator: element(segment, 6) || undefined,
      payerClaimNumber: element(segment, 7) || undefined,
      facilityCode: element(segment, 8) || undefined,
      frequencyCode: element(segment, 9) || undefined,
      patient: { lastName: undefined, firstName: undefined, memberId: undefined },
      insuredMemberId: undefined,
      renderingProviderId: undefined,
      statementFrom: undefined,
      statementTo: undefined,
      receivedDate: undefined,
      references: {},
      remarkCodes: [],
      adjustments: [],
      lines: [],
      position: positionOf(segment),
    }
  }

  #pushClaim(c: RemittanceClaim835, segment: Segment): void {
    switch (segment.id) {
      case 'CAS':
        this.#parseCas(segment, c.adjustments)
        break
      case 'NM1': {
        const entity = element(segment, 1)
        if (entity === 'QC') {
          c.patient = {
            lastName: element(segment, 3) || undefined,
            firstName: element(segment, 4) || undefined,
            memberId: element(segment, 9) || undefined,
          }
        } else if (entity === 'IL') c.insuredMemberId = element(segment, 9) || undefined
        else if (entity === '82') c.renderingProviderId = element(segment, 9) || undefined
        break
      }
      case 'MOA':
        // MOA03-07 are remark codes (MOA01 rate, MOA02 amount, MOA08/09 amounts).
        for (let n = 3; n <= 7; n++) if (element(segment, n) !== '') c.remarkCodes.push(element(segment, n))
        break
      case 'MIA':
        // MIA05 and MIA20-23 are remark codes; the rest are amounts and quantities.
        for (const n of MIA_REMARK_ELEMENTS)
          if (element(segment, n) !== '') c.remarkCodes.push(element(segment, n))
        break
      case 'DTM': {
        const qualifier = element(segment, 1)
        if (qualifier === '232') c.statementFrom = this.#date(segment, 2, 'DTM*232 DTM02', 'warning')
        else if (qualifier === '233') c.statementTo = this.#date(segment, 2, 'DTM*233 DTM02', 'warning')
        else if (qualifier === '050') c.receivedDate = this.#date(segment, 2, 'DTM*050 DTM02', 'warning')
        break
      }
      case 'REF': {
        const qualifier = element(segment, 1)
        if (qualifier !== '' && c.references[qualifier] === undefined)
          c.references[qualifier] = element(segment, 2)
        break
      }
    }
  }

  #startLine(c: RemittanceClaim835, segment: Segment): void {
    this.#finishLine(c)
    const procedure = this.#procedure
    readProcedure(segment, 1, procedure)
    if (procedure.count < 2 || procedure.code === '') {
      // The payment itself (SVC02/03, CAS) is still readable; the line can be matched on REF*6R.
      this.#report(
        'X12_BAD_ELEMENT',
        'warning',
        'SVC01 should carry a qualifier and a procedure code',
        segment,
        1,
      )
    }
    const unitsText = element(segment, 5)
    let units = 1
    if (unitsText !== '') {
      units = numberOf(unitsText)
      if (!Number.isFinite(units)) {
        this.#report(
          'X12_BAD_ELEMENT',
          'warning',
          `SVC05 (units paid) must be a number, found "${unitsText}"`,
          segment,
          5,
        )
        units = 1
      }
    }
    // SVC06 is usually absent: read its second component without splitting an empty element.
    const original = element(segment, 6) === '' ? undefined : componentsOf(segment, 6)[1]
    this.#line = {
      productQualifier: procedure.qualifier,
      procedureCode: procedure.code,
      modifiers: procedure.modifiers,
      charge: this.#amount(segment, 2, 'SVC02', true) ?? 0,
      paid: this.#amount(segment, 3, 'SVC03', true) ?? 0,
      revenueCode: element(segment, 4) || undefined,
      units,
      originalProcedureCode: original || undefined,
      serviceFrom: undefined,
      serviceTo: undefined,
      lineControlNumber: undefined,
      adjustments: [],
      rarcs: [],
      allowed: undefined,
      position: positionOf(segment),
    }
  }

  #pushLine(l: ServiceLine835, segment: Segment): void {
    switch (segment.id) {
      case 'CAS':
        this.#parseCas(segment, l.adjustments)
        break
      case 'DTM': {
        const qualifier = element(segment, 1)
        if (qualifier === '472') {
          l.serviceFrom = this.#date(segment, 2, 'DTM*472 DTM02', 'warning')
          l.serviceTo = l.serviceFrom
        } else if (qualifier === '150') l.serviceFrom = this.#date(segment, 2, 'DTM*150 DTM02', 'warning')
        else if (qualifier === '151') l.serviceTo = this.#date(segment, 2, 'DTM*151 DTM02', 'warning')
        break
      }
      case 'REF':
        if (element(segment, 1) === '6R') l.lineControlNumber = element(segment, 2) || undefined
        break
      case 'LQ':
        if (element(segment, 1) === 'HE' && element(segment, 2) !== '') l.rarcs.push(element(segment, 2))
        break
      case 'AMT':
        if (element(segment, 1) === 'B6') l.allowed = this.#amount(segment, 2, 'AMT*B6 AMT02', true)
        break
    }
  }

  #finishLine(c: RemittanceClaim835): void {
    const l = this.#line
    this.#line = undefined
    if (l === undefined) return
    // Line balancing: SVC02 - SVC03 = sum of line CAS (835 TR3 balancing; DOMAIN §7).
    const adjusted = sum(l.adjustments)
    if (l.charge - l.paid !== adjusted) {
      this.issues.push({
        code: 'X12_UNBALANCED',
        severity: 'warning',
        message: `line does not balance: SVC02 - SVC03 = ${formatCents(l.charge - l.paid)} but its CAS amounts sum to ${formatCents(adjusted)}`,
        position: { ...l.position, element: 3 },
      })
    }
    c.lines.push(l)
  }

  #finishClaim(out: X12Event[]): void {
    const c = this.#claim
    if (c === undefined) return
    this.#finishLine(c)
    this.#claim = undefined
    // Claim balancing: CLP03 - CLP04 = claim CAS + line CAS (DOMAIN §7).
    let adjusted = sum(c.adjustments)
    const lines = c.lines
    for (let i = 0; i < lines.length; i++) adjusted += sum(lines[i]?.adjustments ?? NO_ADJUSTMENTS)
    if (c.charge - c.paid !== adjusted) {
      this.issues.push({
        code: 'X12_UNBALANCED',
        severity: 'warning',
        message: `claim does not balance: CLP03 - CLP04 = ${formatCents(c.charge - c.paid)} but claim and line CAS amounts sum to ${formatCents(adjusted)}`,
        position: { ...c.position, element: 4 },
      })
    }
    out.push({ type: 'claim835', claim: c })
  }

  #pushPlb(segment: Segment): void {
    const providerId = element(segment, 1)
    const fiscalPeriodDate = this.#date(segment, 2, 'PLB02', 'warning')
    // Up to six (reason:reference, amount) pairs: PLB03/04 ... PLB13/14 (005010X221A1 PLB).
    for (let k = 0; k < 6; k++) {
      const reasonIndex = 3 + 2 * k
      const composite = componentsOf(segment, reasonIndex)
      const amountText = element(segment, reasonIndex + 1)
      if (composite.length === 0 && amountText === '') continue
      const [reason = '', reference = ''] = composite
      if (reason === '') {
        this.#report(
          'X12_BAD_ELEMENT',
          'error',
          `PLB${String(reasonIndex).padStart(2, '0')}-1 (adjustment reason) is missing`,
          segment,
          reasonIndex,
          1,
        )
      }
      const cents = this.#amount(segment, reasonIndex + 1, undefined, true) ?? 0
      this.#providerAdjustments.push({
        providerId,
        fiscalPeriodDate,
        reason,
        reference: reference || undefined,
        amount: cents,
        position: positionOf(segment, reasonIndex + 1),
      })
    }
  }
}

/**
 * `positionOf(segment, n)` built as one literal (same fields, same order): there is one per CAS
 * triplet, and adding `element` to an object after it is built costs a hidden-class transition.
 */
function elementPosition(segment: Segment, n: number): X12Position {
  return {
    offset: segment.offset,
    segment: segment.index,
    stSegment: segment.stIndex,
    segmentId: segment.id,
    element: n,
  }
}

const NO_ADJUSTMENTS: Adjustment835[] = []

/** The sum of the amounts (index loops here: they run per claim and line, before V8 optimizes for-of). */
function sum(adjustments: Adjustment835[]): Cents {
  let total = 0
  for (let i = 0; i < adjustments.length; i++) total += adjustments[i]?.amount ?? 0
  return total
}
