import type { IsoDate } from '../dates.js'
import { D8Parser } from '../dates.js'
import type { Cents } from '../money.js'
import { formatCents, parseCents } from '../money.js'
import type { EnvelopeContext } from '../x12/envelope.js'
import type { Segment } from '../x12/segment.js'
import { element, positionOf } from '../x12/segment.js'
import type { ProcedureParts } from '../x12/split-text.js'
import { componentAt, componentsOf, numberOf, readProcedure } from '../x12/split-text.js'
import type { TransactionAssembler, TransactionSummary } from '../x12/transaction-assembler.js'
import type { X12ErrorCode, X12Issue } from '../x12/x12-error.js'
import type { X12Event } from '../x12-event.js'
import type {
  Claim837,
  Claim837Kind,
  Drug837,
  Party837,
  Patient837,
  Person837,
  ServiceLine837,
  Subscriber837,
} from './claim837.js'

/**
 * The most service units (SV104 / SV205) one line may carry. X12 gives the element 15 characters
 * (005010X222A1 SV104, R 1/15), which lets `1e308`-sized nonsense through; real lines stay far
 * below this bound: units are billing units of one drug or service on one date (the largest
 * legitimate counts, clotting factors billed per international unit, are in the tens of thousands).
 * A larger value is refused as X12_BAD_ELEMENT and quarantines the transaction set.
 */
export const MAX_SERVICE_UNITS = 9_999_999

/** An X12 decimal (R) as units: digits with at most one decimal point; no sign, no exponent. */
function isUnitsText(text: string): boolean {
  return text.length > 0 && text.length <= 15 && /^(?:\d+\.?\d*|\.\d+)$/.test(text)
}

/**
 * HI qualifiers that carry diagnoses (ICD-10 ABK/ABF/ABJ/APR/ABN, ICD-9 BK/BF/BJ/PR/BN).
 * Other HI qualifiers on an 837I (BH occurrence, BE value, BG condition, BBR/BBQ procedures) are not
 * diagnoses (005010X223A2 2300 HI segments).
 */
const DIAGNOSIS_QUALIFIERS = new Set(['ABK', 'ABF', 'ABJ', 'APR', 'ABN', 'BK', 'BF', 'BJ', 'PR', 'BN'])

/** One HL loop (2000A/B/C) with the segments up to the next HL or CLM. */
interface HlNode {
  id: string
  parentId: string
  /** HL03: 20 billing provider, 22 subscriber, 23 patient. */
  level: string
  segments: Segment[]
  /** The entity code of the last NM1 in the loop: DMG/N3/N4/REF attach to it. */
  lastEntity: string
  billingProvider: Party837 | undefined
  subscriber: Subscriber837 | undefined
  payer: Party837 | undefined
  patient: Patient837 | undefined
}

/** The service dates of a claim (2300 DTP) or a line (2400 DTP*472). */
interface ServicePeriod {
  serviceFrom: IsoDate | undefined
  serviceTo: IsoDate | undefined
}

/** Where in the claim the assembler is: 2300 itself, its 2310 providers, 2320/2330 other payers. */
type ClaimLoop = '2300' | '2310' | '2320'
/** Where in a service line: 2400 itself, 2410 drug, 2420 line providers, 2430 line adjudication, 2440 forms. */
type LineLoop = '2400' | '2410' | '2420' | '2430' | '2440'

interface ClaimInProgress {
  clm: Segment
  /** Index of the first issue raised for this claim (a bad amount skips the CLM02 total check). */
  firstIssue: number
  claim: Claim837
  loop: ClaimLoop
  line: ServiceLine837 | undefined
  /** The LX segment of the line in progress (checked for a following SV1/SV2). */
  lx: Segment | undefined
  lineLoop: LineLoop
  /** Kind seen on SV1 (837P) / SV2 (837I) lines. */
  lineKind: Claim837Kind | undefined
}

/**
 * Assembles the claims (loop 2300 and its 2400 lines) of one 837P (005010X222A1) or 837I
 * (005010X223A2) transaction set. The HL tree is built from HL01/HL02/HL03 but only the chain
 * above the current claim is kept, so memory stays flat; each claim is emitted as soon as the
 * next CLM or HL (or SE) shows it is complete, with its header, hierarchy and body segments.
 *
 * Issues: a wrong amount, a wrong service date, a broken HL chain or a missing required loop
 * (billing provider, subscriber, payer, a line without SV1/SV2) quarantine the set; a bad optional
 * value (birth date, drug quantity) is a warning.
 *
 * @example
 * ```ts
 * const assembler = createClaim837Assembler(envelope)
 * for (const segment of segmentsBetweenStAndSe) assembler.push(segment, out)
 * assembler.end(out) // out now holds { type: 'claim837', claim } events
 * ```
 */
export function createClaim837Assembler(envelope: EnvelopeContext): TransactionAssembler {
  return new Claim837Assembler(envelope)
}

/**
 * The state machine behind {@link createClaim837Assembler}. A class rather than closures: V8 then
 * compiles its methods once for every transaction set of the process, not once per set.
 */
class Claim837Assembler implements TransactionAssembler {
  readonly issues: X12Issue[] = []
  readonly #envelope: EnvelopeContext
  readonly #dates = new D8Parser()
  readonly #header: Segment[] = []
  #headerChecked = false
  #batchReference: string | undefined
  /** The HL chain from the root to the current loop; ancestors only. */
  #chain: HlNode[] = []
  /** The previous HL01 as a number (0 before the first HL). */
  #lastHlNumber = 0
  #current: ClaimInProgress | undefined
  readonly #versionKind: Claim837Kind | undefined
  /** SV101/SV202, read into one reused object. */
  readonly #procedure: ProcedureParts = { qualifier: '', code: '', count: 0, modifiers: [] }

  constructor(envelope: EnvelopeContext) {
    this.#envelope = envelope
    this.#versionKind = envelope.implementation.includes('X223')
      ? '837I'
      : envelope.implementation.includes('X222')
        ? '837P'
        : undefined
  }

  push(segment: Segment, out: X12Event[]): void {
    if (segment.id === 'HL') {
      this.#finishClaim(out)
      this.#pushHl(segment)
      return
    }
    if (segment.id === 'CLM') {
      this.#finishClaim(out)
      this.#startClaim(segment)
      return
    }
    const current = this.#current
    if (current !== undefined) {
      this.#pushClaimSegment(current, segment)
      return
    }
    const node = this.#chain[this.#chain.length - 1]
    if (node !== undefined) {
      this.#pushHlLoop(node, segment)
      return
    }
    this.#header.push(segment)
    if (segment.id === 'BHT') this.#batchReference = element(segment, 3) || undefined
  }

  end(out: X12Event[]): TransactionSummary {
    this.#finishClaim(out)
    return { remittance: undefined }
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

  /**
   * Parses a required amount into cents; a bad one is an error (money is never guessed). The
   * message names the element (`SV102`), built only when there is a message.
   */
  #amount(segment: Segment, n: number): Cents {
    const text = element(segment, n)
    const cents = parseCents(text)
    if (cents === undefined) {
      this.#report(
        'X12_BAD_AMOUNT',
        'error',
        `${segment.id}${String(n).padStart(2, '0')} must be a decimal amount with at most two decimals, found ${text === '' ? 'nothing' : `"${text}"`}`,
        segment,
        n,
      )
      return 0
    }
    return cents
  }

  /**
   * Parses DTP03 as D8 or RD8 into `target.serviceFrom`/`serviceTo` (both `undefined` when it is
   * not a valid date or period); the value is not echoed (a date can be PHI).
   */
  #applyPeriod(segment: Segment, severity: 'error' | 'warning', target: ServicePeriod): void {
    const format = element(segment, 2)
    const value = element(segment, 3)
    if (format === 'D8') {
      const date = this.#dates.parse(value)
      if (date !== undefined) {
        target.serviceFrom = date
        target.serviceTo = date
        return
      }
    } else if (format === 'RD8') {
      const [fromText = '', toText = ''] = value.split('-')
      const from = this.#dates.parse(fromText)
      const to = this.#dates.parse(toText)
      if (from !== undefined && to !== undefined && from <= to) {
        target.serviceFrom = from
        target.serviceTo = to
        return
      }
    }
    this.#report(
      'X12_BAD_DATE',
      severity,
      `DTP*${element(segment, 1)} expects DTP02 D8 with CCYYMMDD or RD8 with CCYYMMDD-CCYYMMDD (from <= to); the value is not a valid date (format ${format === '' ? 'missing' : `"${format}"`})`,
      segment,
      3,
    )
    target.serviceFrom = undefined
    target.serviceTo = undefined
  }

  #party(segment: Segment): Party837 {
    const idQualifier = element(segment, 8)
    const id = element(segment, 9)
    return {
      entity: element(segment, 1),
      organizationName: element(segment, 2) === '2' ? element(segment, 3) || undefined : undefined,
      idQualifier: idQualifier === '' ? undefined : idQualifier,
      id: id === '' ? undefined : id,
    }
  }

  #person(segment: Segment): Person837 {
    return {
      lastName: element(segment, 3) || undefined,
      firstName: element(segment, 4) || undefined,
      birthDate: undefined,
      gender: undefined,
    }
  }

  #applyDmg(segment: Segment, target: Person837): void {
    if (element(segment, 1) === 'D8' && element(segment, 2) !== '') {
      const date = this.#dates.parse(element(segment, 2))
      if (date === undefined) {
        this.#report('X12_BAD_DATE', 'warning', 'DMG02 is not a valid CCYYMMDD birth date', segment, 2)
      }
      target.birthDate = date
    }
    target.gender = element(segment, 3) || undefined
  }

  #checkHeader(at: Segment): void {
    if (this.#headerChecked) return
    this.#headerChecked = true
    if (!this.#header.some((s) => s.id === 'BHT')) {
      this.#report('X12_MISSING_SEGMENT', 'warning', 'expected a BHT segment before the first HL', at)
    }
  }

  #pushHl(segment: Segment): void {
    this.#checkHeader(segment)
    const id = element(segment, 1)
    const parentId = element(segment, 2)
    const level = element(segment, 3)
    const node: HlNode = {
      id,
      parentId,
      level,
      segments: [segment],
      lastEntity: '',
      billingProvider: undefined,
      subscriber: undefined,
      payer: undefined,
      patient: undefined,
    }
    if (id === '') this.#report('X12_BAD_HL', 'error', 'HL01 (hierarchical id) is required', segment, 1)
    else if (!isDecimalOf(id, this.#lastHlNumber + 1)) {
      // HL01 starts at 1 and goes up by one per HL (005010X222A1/X223A2 2000A HL01 note); the tree is still
      // readable through HL02, so this only warns.
      this.#report(
        'X12_BAD_HL',
        'warning',
        `HL01 should be ${this.#lastHlNumber + 1} (one more than the previous HL01), found "${id}"`,
        segment,
        1,
      )
    }
    this.#lastHlNumber = isDigits(id) ? numberOf(id) : this.#lastHlNumber + 1
    if (parentId === '') {
      if (level !== '20') {
        this.#report(
          'X12_BAD_HL',
          'error',
          `HL03 "${level}" needs a parent in HL02; only level 20 is a root`,
          segment,
          2,
        )
      }
      this.#chain = [node]
      return
    }
    let parentIndex = -1
    for (let i = 0; i < this.#chain.length; i++) {
      if (this.#chain[i]?.id === parentId) {
        parentIndex = i
        break
      }
    }
    if (parentIndex < 0) {
      this.#report(
        'X12_BAD_HL',
        'error',
        `HL02 "${parentId}" does not name an HL above this one (open chain: ${this.#chain.map((n) => n.id).join(' > ') || 'none'})`,
        segment,
        2,
      )
      // Best guess for the context of the claims that follow: the loop replaces its level and deeper.
      this.#chain = [...this.#chain.filter((n) => levelRank(n.level) < levelRank(level)), node]
      return
    }
    const parent = this.#chain[parentIndex]
    const expectedParent = level === '22' ? '20' : level === '23' ? '22' : undefined
    if (level === '20') {
      this.#report(
        'X12_BAD_HL',
        'error',
        'HL03 20 (billing provider) is a root: HL02 must be empty',
        segment,
        2,
      )
    } else if (expectedParent === undefined) {
      this.#report('X12_BAD_HL', 'error', `HL03 must be 20, 22 or 23 in an 837, found "${level}"`, segment, 3)
    } else if (parent !== undefined && parent.level !== expectedParent) {
      this.#report(
        'X12_BAD_HL',
        'error',
        `HL03 ${level} must sit under an HL of level ${expectedParent}, but HL02 points to level "${parent.level}"`,
        segment,
        2,
      )
    }
    const chain = this.#chain.slice(0, parentIndex + 1)
    chain.push(node)
    this.#chain = chain
  }

  /** Segments of an HL loop before the first CLM: 2010AA/AB, 2000B/2010BA/BB, 2000C/2010CA. */
  #pushHlLoop(node: HlNode, segment: Segment): void {
    node.segments.push(segment)
    switch (segment.id) {
      case 'LX':
      case 'SV1':
      case 'SV2':
        this.#report('X12_MISSING_SEGMENT', 'error', `expected CLM (loop 2300) before ${segment.id}`, segment)
        break
      case 'NM1': {
        const entity = element(segment, 1)
        node.lastEntity = entity
        if (entity === '85') node.billingProvider = this.#party(segment)
        else if (entity === 'PR') node.payer = this.#party(segment)
        else if (entity === 'IL' && node.subscriber !== undefined) {
          node.subscriber.memberId = element(segment, 9)
          node.subscriber.person = this.#person(segment)
        } else if (entity === 'QC' && node.patient !== undefined) node.patient.person = this.#person(segment)
        break
      }
      case 'SBR':
        node.subscriber = {
          memberId: '',
          payerResponsibility: element(segment, 1),
          relationship: element(segment, 2),
          groupNumber: element(segment, 3) || undefined,
          claimFilingIndicator: element(segment, 9) || undefined,
          person: { lastName: undefined, firstName: undefined, birthDate: undefined, gender: undefined },
        }
        break
      case 'PAT':
        if (node.level === '23') {
          node.patient = {
            relationship: element(segment, 1),
            person: { lastName: undefined, firstName: undefined, birthDate: undefined, gender: undefined },
          }
        }
        break
      case 'DMG':
        if (node.lastEntity === 'IL' && node.subscriber !== undefined)
          this.#applyDmg(segment, node.subscriber.person)
        else if (node.lastEntity === 'QC' && node.patient !== undefined)
          this.#applyDmg(segment, node.patient.person)
        break
    }
  }

  #startClaim(segment: Segment): void {
    const firstIssue = this.issues.length
    this.#checkHeader(segment)
    const leaf = this.#chain[this.#chain.length - 1]
    const billingNode = lastAtLevel(this.#chain, '20')
    const subscriberNode = lastAtLevel(this.#chain, '22')
    const patientNode = lastAtLevel(this.#chain, '23')
    if (leaf === undefined || (leaf.level !== '22' && leaf.level !== '23')) {
      this.#report(
        'X12_BAD_HL',
        'error',
        `CLM must follow a subscriber (HL03 22) or patient (HL03 23) loop, found ${leaf === undefined ? 'no HL' : `HL03 "${leaf.level}"`}`,
        segment,
      )
    }
    if (billingNode?.billingProvider === undefined) {
      this.#report(
        'X12_MISSING_SEGMENT',
        'error',
        'expected NM1*85 (2010AA billing provider) above the claim',
        segment,
      )
    }
    if (subscriberNode === undefined) {
      this.#report('X12_BAD_HL', 'error', 'expected a subscriber loop (HL03 22) above the claim', segment)
    } else {
      if (subscriberNode.subscriber === undefined) {
        this.#report('X12_MISSING_SEGMENT', 'error', 'expected SBR (2000B) above the claim', segment)
      } else if (subscriberNode.subscriber.memberId === '') {
        this.#report(
          'X12_MISSING_SEGMENT',
          'error',
          'expected NM1*IL with NM109 (2010BA subscriber) above the claim',
          segment,
        )
      }
      if (subscriberNode.payer === undefined) {
        this.#report(
          'X12_MISSING_SEGMENT',
          'error',
          'expected NM1*PR (2010BB payer) above the claim',
          segment,
        )
      }
    }
    if (patientNode !== undefined && patientNode.patient === undefined) {
      this.#report(
        'X12_MISSING_SEGMENT',
        'error',
        'expected PAT (2000C) in the patient loop above the claim',
        segment,
      )
    }
    const facilityCode = componentAt(segment, 5, 0)
    const facilityQualifier = componentAt(segment, 5, 1)
    const frequencyCode = componentAt(segment, 5, 2)
    if (element(segment, 1) === '')
      this.#report('X12_BAD_ELEMENT', 'error', 'CLM01 (patient control number) is required', segment, 1)
    if (facilityCode === '')
      this.#report('X12_BAD_ELEMENT', 'error', 'CLM05-1 (facility code) is required', segment, 5, 1)
    if (frequencyCode === '')
      this.#report('X12_BAD_ELEMENT', 'error', 'CLM05-3 (claim frequency) is required', segment, 5, 3)
    let billingProvider = billingNode?.billingProvider
    let payer = subscriberNode?.payer
    if (billingProvider === undefined || payer === undefined) {
      const emptyParty: Party837 = {
        entity: '',
        organizationName: undefined,
        idQualifier: undefined,
        id: undefined,
      }
      billingProvider ??= emptyParty
      payer ??= emptyParty
    }
    const hierarchy: Segment[] = []
    const chain = this.#chain
    for (let i = 0; i < chain.length; i++) {
      const segments = chain[i]?.segments ?? []
      for (let k = 0; k < segments.length; k++) {
        const hl = segments[k]
        if (hl !== undefined) hierarchy.push(hl)
      }
    }
    const claim: Claim837 = {
      kind: this.#versionKind ?? '837P',
      envelope: this.#envelope,
      batchReference: this.#batchReference,
      billingProvider,
      payer,
      subscriber: subscriberNode?.subscriber ?? {
        memberId: '',
        payerResponsibility: '',
        relationship: '',
        groupNumber: undefined,
        claimFilingIndicator: undefined,
        person: { lastName: undefined, firstName: undefined, birthDate: undefined, gender: undefined },
      },
      patient: patientNode?.patient,
      claimId: element(segment, 1),
      totalCharge: this.#amount(segment, 2),
      facilityCode,
      facilityQualifier,
      frequencyCode,
      typeOfBill: undefined,
      serviceFrom: undefined,
      serviceTo: undefined,
      priorAuthorization: undefined,
      referralNumber: undefined,
      payerClaimControlNumber: undefined,
      diagnoses: [],
      renderingProvider: undefined,
      attendingProvider: undefined,
      lines: [],
      position: positionOf(segment),
      source: { header: this.#header, hierarchy, body: [segment] },
    }
    this.#current = {
      clm: segment,
      firstIssue,
      claim,
      loop: '2300',
      line: undefined,
      lx: undefined,
      lineLoop: '2400',
      lineKind: undefined,
    }
  }

  #pushClaimSegment(c: ClaimInProgress, segment: Segment): void {
    c.claim.source.body.push(segment)
    if (c.lx !== undefined || c.line !== undefined) {
      this.#pushLineSegment(c, segment)
      return
    }
    const claim = c.claim
    switch (segment.id) {
      case 'DTP': {
        const qualifier = element(segment, 1)
        // 2300 DTP*434 statement dates (837I) / DTP*472 service dates.
        if (c.loop === '2300' && (qualifier === '434' || qualifier === '472')) {
          this.#applyPeriod(segment, 'error', claim)
        }
        break
      }
      case 'REF':
        if (c.loop === '2300') {
          const qualifier = element(segment, 1)
          const value = element(segment, 2) || undefined
          if (qualifier === 'G1') claim.priorAuthorization = value
          else if (qualifier === '9F') claim.referralNumber = value
          else if (qualifier === 'F8') claim.payerClaimControlNumber = value
        }
        break
      case 'HI':
        if (c.loop === '2300') {
          for (let n = 1; n < segment.elements.length; n++) {
            const qualifier = componentAt(segment, n, 0)
            if (!DIAGNOSIS_QUALIFIERS.has(qualifier)) continue
            const code = componentAt(segment, n, 1)
            if (code !== '') claim.diagnoses.push({ qualifier, code })
          }
        }
        break
      case 'NM1': {
        if (c.loop === '2320') break
        c.loop = '2310'
        const entity = element(segment, 1)
        if (entity === '82') claim.renderingProvider = this.#party(segment)
        else if (entity === '71') claim.attendingProvider = this.#party(segment)
        break
      }
      case 'SBR':
        // 2320 other subscriber: NM1 from here on are 2330 other-payer loops, not claim providers.
        c.loop = '2320'
        break
      case 'LX':
        this.#startLine(c, segment)
        break
      case 'SV1':
      case 'SV2':
        // A service line without its LX: read it (startServiceLine reports the missing LX).
        this.#startServiceLine(c, segment)
        break
    }
  }

  #startLine(c: ClaimInProgress, segment: Segment): void {
    this.#finishLine(c)
    c.lx = segment
    c.line = undefined
    c.lineLoop = '2400'
  }

  #finishLine(c: ClaimInProgress): void {
    if (c.lx !== undefined && c.line === undefined) {
      this.#report('X12_MISSING_SEGMENT', 'error', 'expected SV1 or SV2 after LX (loop 2400)', c.lx)
    }
    if (c.line !== undefined) c.claim.lines.push(c.line)
    c.line = undefined
    c.lx = undefined
  }

  #startServiceLine(c: ClaimInProgress, segment: Segment): void {
    const lx = c.lx
    if (lx === undefined || c.line !== undefined) {
      this.#report('X12_MISSING_SEGMENT', 'error', `expected LX before ${segment.id} (loop 2400)`, segment)
      if (c.line !== undefined) c.claim.lines.push(c.line)
    }
    const lineNumberText = lx === undefined ? '' : element(lx, 1)
    const lineNumber = numberOf(lineNumberText)
    if (lx !== undefined && !isDigits(lineNumberText)) {
      this.#report('X12_BAD_ELEMENT', 'error', `LX01 must be a line number, found "${lineNumberText}"`, lx, 1)
    }
    const isSv2 = segment.id === 'SV2'
    const kind: Claim837Kind = isSv2 ? '837I' : '837P'
    if (this.#versionKind !== undefined && this.#versionKind !== kind) {
      this.#report(
        'X12_BAD_SEGMENT',
        'error',
        `${segment.id} is not used in ${this.#envelope.implementation}`,
        segment,
      )
    }
    c.lineKind ??= kind
    // SV1: 01 composite, 02 charge, 03 basis, 04 units, 05 POS, 07 dx pointers (005010X222A1 2400).
    // SV2: 01 revenue code, 02 composite, 03 charge, 04 basis, 05 units (005010X223A2 2400).
    const compositeIndex = isSv2 ? 2 : 1
    const procedure = this.#procedure
    readProcedure(segment, compositeIndex, procedure)
    const chargeIndex = isSv2 ? 3 : 2
    const unitsIndex = isSv2 ? 5 : 4
    const unitsText = element(segment, unitsIndex)
    let units = numberOf(unitsText)
    if (!isUnitsText(unitsText) || !(units >= 0 && units <= MAX_SERVICE_UNITS)) {
      this.#report(
        'X12_BAD_ELEMENT',
        'error',
        `${segment.id}${String(unitsIndex).padStart(2, '0')} (units) must be a decimal number from 0 to ${MAX_SERVICE_UNITS}, found ${unitsText === '' ? 'nothing' : `"${unitsText.slice(0, 20)}"`}`,
        segment,
        unitsIndex,
      )
      units = 0
    }
    if (isSv2 && element(segment, 1) === '') {
      this.#report('X12_BAD_ELEMENT', 'error', 'SV201 (revenue code) is required', segment, 1)
    }
    if (!isSv2 && procedure.count < 2) {
      this.#report(
        'X12_BAD_ELEMENT',
        'error',
        'SV101 must carry a qualifier and a procedure code',
        segment,
        1,
      )
    }
    const pointers: number[] = []
    if (!isSv2) {
      const texts = componentsOf(segment, 7)
      for (let i = 0; i < texts.length; i++) {
        const pointer = numberOf(texts[i] ?? '')
        if (Number.isInteger(pointer) && pointer > 0) pointers.push(pointer)
      }
    }
    const line: ServiceLine837 = {
      lineNumber: Number.isFinite(lineNumber) ? lineNumber : 0,
      revenueCode: isSv2 ? element(segment, 1) || undefined : undefined,
      productQualifier: procedure.qualifier || undefined,
      procedureCode: procedure.code || undefined,
      modifiers: procedure.modifiers,
      charge: this.#amount(segment, chargeIndex),
      unitBasis: element(segment, isSv2 ? 4 : 3),
      units,
      placeOfService: isSv2 ? undefined : element(segment, 5) || undefined,
      serviceFrom: undefined,
      serviceTo: undefined,
      lineControlNumber: undefined,
      priorAuthorization: undefined,
      notes: [],
      drug: undefined,
      position: positionOf(segment),
    }
    if (pointers.length > 0) line.diagnosisPointers = pointers
    c.line = line
    c.lineLoop = '2400'
  }

  #pushLineSegment(c: ClaimInProgress, segment: Segment): void {
    if (segment.id === 'LX') {
      this.#startLine(c, segment)
      return
    }
    if (segment.id === 'SV1' || segment.id === 'SV2') {
      this.#startServiceLine(c, segment)
      return
    }
    const line = c.line
    if (line === undefined) {
      // Segments between LX and SV1/SV2 are out of order; finishLine reports the missing SV1/SV2.
      return
    }
    switch (segment.id) {
      case 'LIN': {
        c.lineLoop = '2410'
        const qualifier = element(segment, 2)
        const ndc = element(segment, 3)
        if (qualifier !== 'N4') {
          this.#report(
            'X12_BAD_ELEMENT',
            'warning',
            `LIN02 should be N4 (NDC), found "${qualifier}"`,
            segment,
            2,
          )
        }
        line.drug = {
          qualifier,
          ndc,
          quantity: undefined,
          quantityText: '',
          unit: '',
          reference: undefined,
          position: positionOf(segment),
        }
        break
      }
      case 'CTP':
        if (c.lineLoop === '2410' && line.drug !== undefined) this.#applyCtp(line.drug, segment)
        break
      case 'DTP':
        if (c.lineLoop === '2400' && element(segment, 1) === '472') {
          this.#applyPeriod(segment, 'error', line)
        }
        break
      case 'REF': {
        const qualifier = element(segment, 1)
        const value = element(segment, 2) || undefined
        if (c.lineLoop === '2400') {
          if (qualifier === '6R') line.lineControlNumber = value
          else if (qualifier === 'G1') line.priorAuthorization = value
        } else if (
          c.lineLoop === '2410' &&
          line.drug !== undefined &&
          (qualifier === 'XZ' || qualifier === 'VY')
        ) {
          line.drug.reference = value
        }
        break
      }
      case 'NTE':
        if (c.lineLoop === '2400') line.notes.push(element(segment, 2))
        break
      case 'NM1':
        c.lineLoop = '2420'
        break
      case 'SVD':
        c.lineLoop = '2430'
        break
      case 'LQ':
        c.lineLoop = '2440'
        break
    }
  }

  #applyCtp(drug: Drug837, segment: Segment): void {
    // 2410 CTP04 quantity, CTP05-1 unit of measure (F2, GR, ME, ML, UN); CTP04 must be > 0 (DOMAIN §4).
    const text = element(segment, 4)
    drug.quantityText = text
    const quantity = numberOf(text)
    if (text === '' || !Number.isFinite(quantity) || quantity <= 0) {
      this.#report(
        'X12_BAD_ELEMENT',
        'warning',
        `CTP04 (NDC quantity) must be a number > 0, found ${text === '' ? 'nothing' : `"${text}"`}`,
        segment,
        4,
      )
      drug.quantity = undefined
    } else {
      drug.quantity = quantity
    }
    drug.unit = componentAt(segment, 5, 0)
    if (drug.unit === '')
      this.#report('X12_BAD_ELEMENT', 'warning', 'CTP05-1 (unit of measure) is missing', segment, 5, 1)
  }

  #finishClaim(out: X12Event[]): void {
    const c = this.#current
    if (c === undefined) return
    this.#current = undefined
    this.#finishLine(c)
    const claim = c.claim
    if (claim.lines.length === 0) {
      this.#report(
        'X12_MISSING_SEGMENT',
        'error',
        'expected at least one service line (LX/SV1 or LX/SV2) in the claim',
        c.clm,
      )
    }
    const lines = claim.lines
    let lineTotal = 0
    for (let i = 0; i < lines.length; i++) lineTotal += lines[i]?.charge ?? 0
    let badAmount = false
    for (let i = c.firstIssue; i < this.issues.length; i++)
      if (this.issues[i]?.code === 'X12_BAD_AMOUNT') badAmount = true
    if (claim.lines.length > 0 && !badAmount && lineTotal !== claim.totalCharge) {
      // 005010X222A1/X223A2 CLM02: the total claim charge must equal the sum of the line charges.
      this.#report(
        'X12_UNBALANCED',
        'warning',
        `CLM02 is ${formatCents(claim.totalCharge)} but the service line charges sum to ${formatCents(lineTotal)}`,
        c.clm,
        2,
      )
    }
    claim.kind = this.#versionKind ?? c.lineKind ?? '837P'
    if (claim.kind === '837I') {
      // Type of bill = leading 0 + CLM05-1 facility type (2 digits) + CLM05-3 frequency (NUBC FL 4).
      claim.typeOfBill = `0${claim.facilityCode}${claim.frequencyCode}`
    }
    if (claim.serviceFrom === undefined) {
      // No 2300 DTP*472/434 (an 837P normally has none): the claim spans its lines' dates.
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]
        if (line === undefined) continue
        if (
          line.serviceFrom !== undefined &&
          (claim.serviceFrom === undefined || line.serviceFrom < claim.serviceFrom)
        ) {
          claim.serviceFrom = line.serviceFrom
        }
        if (
          line.serviceTo !== undefined &&
          (claim.serviceTo === undefined || line.serviceTo > claim.serviceTo)
        ) {
          claim.serviceTo = line.serviceTo
        }
      }
    }
    out.push({ type: 'claim837', claim })
  }
}

/** The last HL loop of `level` in the chain (a loop rather than `findLast`: no closure per claim). */
function lastAtLevel(chain: HlNode[], level: string): HlNode | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]
    if (node !== undefined && node.level === level) return node
  }
  return undefined
}

/** Depth of an 837 HL level code: 20 billing provider, 22 subscriber, 23 patient. */
function levelRank(level: string): number {
  return level === '20' ? 0 : level === '22' ? 1 : level === '23' ? 2 : 3
}

/**
 * `text === String(value)` for a positive integer `value`, without formatting `value` (once per
 * HL): digits without a leading zero whose value is `value`.
 */
function isDecimalOf(text: string, value: number): boolean {
  if (text.length === 0 || text.length > 15 || text.charCodeAt(0) === 0x30) return text === String(value)
  return isDigits(text) && numberOf(text) === value
}

/** True when `text` is one or more ASCII digits (`/^\d+$/` without a regular expression per line). */
function isDigits(text: string): boolean {
  if (text === '') return false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x30 || code > 0x39) return false
  }
  return true
}
