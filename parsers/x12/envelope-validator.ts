import { parseD8 } from '../dates.js'
import type { X12Event } from '../x12-event.js'
import type { EnvelopeContext } from './envelope.js'
import type { Segment, X12Position } from './segment.js'
import { element, formatPosition, positionOf } from './segment.js'
import type { AssemblerFactory, TransactionAssembler, TransactionSummary } from './transaction-assembler.js'
import type { X12ErrorCode, X12Issue } from './x12-error.js'
import { X12Error } from './x12-error.js'

/** Options of {@link EnvelopeValidator}. */
export interface EnvelopeValidatorOptions {
  /** Assembler factories by ST01 (`837`, `835`). Sets of other types are envelope-checked only. */
  assemblers?: Partial<Record<string, AssemblerFactory>>
  /**
   * Implementation guides read, by ST01, as prefixes of ST03 (or GS08). A set of another type or
   * guide gets `X12_UNSUPPORTED_TRANSACTION` and is quarantined. Default
   * {@link SUPPORTED_TRANSACTIONS}.
   */
  supportedTransactions?: Readonly<Record<string, readonly string[]>>
}

/**
 * What onco-edi reads: claims (837P X222, 837I X223), remittances (835 X221) and the
 * acknowledgments of claims it sends (999 X231, 277CA X214). Eligibility (270/271), claim status
 * inquiries (276, 277 X212), authorizations (278) and the rest are out of scope.
 */
export const SUPPORTED_TRANSACTIONS: Readonly<Record<string, readonly string[]>> = {
  '837': ['005010X222', '005010X223'],
  '835': ['005010X221'],
  '999': ['005010X231'],
  '277': ['005010X214'],
}

interface OpenInterchange {
  segment: Segment
  control: string
  senderId: string
  receiverId: string
  date: string
  usage: string
  groups: number
  issues: X12Issue[]
  /** An error that makes every set in the interchange unusable (unsupported version). */
  unsupported: X12Issue | undefined
}

interface OpenGroup {
  segment: Segment
  control: string
  version: string
  sets: number
  unsupported: X12Issue | undefined
}

interface OpenTransaction {
  segment: Segment
  envelope: EnvelopeContext
  assembler: TransactionAssembler | undefined
  issues: X12Issue[]
  /** Segments from ST on, inclusive. */
  count: number
}

/** `A`-`Z` as 0-25, `0`-`9` as 26-35, anything else -1. */
function idCharIndex(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26
  return -1
}

/**
 * Segment ids are two or three upper-case letters or digits, starting with a letter (X12.6).
 * Returns a small number for the id (below 26 × 36 × 37), or -1 when it is not a segment id: the
 * per-segment lookups below index an array with it rather than hashing the string.
 */
function segmentIdKey(id: string): number {
  // Char codes rather than a regular expression: this runs once per segment.
  const n = id.length
  if (n < 2 || n > 3) return -1
  return segmentIdKeyOf(id.charCodeAt(0), id.charCodeAt(1), n === 3 ? id.charCodeAt(2) : -1)
}

/**
 * {@link segmentIdKey} of an id given by its character codes (`third` is -1 for a two-character
 * id), for a reader that looks at bytes without making the id a string.
 */
export function segmentIdKeyOf(first: number, second: number, third: number): number {
  if (first < 0x41 || first > 0x5a) return -1
  const b = idCharIndex(second)
  if (b < 0) return -1
  let c = 36
  if (third >= 0) {
    c = idCharIndex(third)
    if (c < 0) return -1
  }
  return ((first - 0x41) * 36 + b) * 37 + c
}

function isSegmentId(id: string): boolean {
  return segmentIdKey(id) >= 0
}

/**
 * Elements that the X12 standard itself marks mandatory (requirement designator M in the 005010
 * segment dictionary), whatever the implementation guide. Only segments whose mandatory elements
 * are unconditional are listed; the assemblers check the rest of the claim-level content.
 */
const MANDATORY_BY_ID: Readonly<Record<string, readonly number[]>> = {
  NM1: [1, 2],
  HL: [1, 3],
  LX: [1],
  DTP: [1, 2, 3],
  DTM: [1],
  PER: [1],
  N3: [1],
  SBR: [1],
  AMT: [1, 2],
  QTY: [1],
  LQ: [1, 2],
  TRN: [1, 2],
  BHT: [1, 2],
  HI: [1],
}

/**
 * {@link MANDATORY_BY_ID} indexed by {@link segmentIdKey}: one array read per segment, and an
 * empty list for the segments without mandatory elements, so the check has no branch on it.
 */
export const MANDATORY_ELEMENTS: readonly (readonly number[])[] = (() => {
  const none: readonly number[] = []
  const table: (readonly number[])[] = new Array<readonly number[]>(26 * 36 * 37).fill(none)
  for (const [id, elements] of Object.entries(MANDATORY_BY_ID)) table[segmentIdKey(id)] = elements
  return table
})()

/** First letters of the envelope segments ISA/IEA, GS/GE, ST/SE: other segments skip their switch. */
const CODE_I = 0x49
const CODE_G = 0x47
const CODE_S = 0x53

/** The only interchange control version this project reads: ASC X12 005010 (ISA12 `00501`). */
export const SUPPORTED_ISA12 = '00501'
/** HIPAA 5010 implementation guides all start with `005010` in GS08/ST03 (e.g. `005010X222A1`). */
export const SUPPORTED_GS08_PREFIX = '005010'

function issue(
  code: X12ErrorCode,
  severity: 'error' | 'warning',
  message: string,
  position: X12Position | undefined,
): X12Issue {
  return { code, severity, message, position }
}

function issueKey(found: X12Issue): string {
  const p = found.position
  return p === undefined ? found.code : `${found.code}@${p.offset}:${p.element ?? ''}:${p.component ?? ''}`
}

/** Where a segment is, for messages: `ST at segment 3, byte 212`. */
function where(segment: Segment): string {
  return `${segment.id} at segment ${segment.index}, byte ${segment.offset}`
}

/** Describes a value without echoing data that could be PHI: control values are short ids. */
function quote(value: string): string {
  return value.length <= 20 ? JSON.stringify(value) : `a value of ${value.length} characters`
}

export function isCount(value: string): boolean {
  return /^\d{1,10}$/.test(value.trim())
}

/** Control numbers match when identical, or when both are numeric and equal (`1` and `000000001`). */
export function sameControl(a: string, b: string): boolean {
  const x = a.trim()
  const y = b.trim()
  if (x === y) return true
  return /^\d+$/.test(x) && /^\d+$/.test(y) && Number(x) === Number(y)
}

/**
 * Checks the ISA/IEA, GS/GE and ST/SE envelopes of a segment stream and routes the segments of
 * each transaction set to the assembler for its ST01.
 *
 * Checked (ASC X12 005010 control segments; HIPAA TR3 appendix B): IEA01 = number of GS, GE01 =
 * number of ST, SE01 = segments from ST to SE inclusive, ISA13 = IEA02, GS06 = GE02, ST02 = SE02,
 * ST03 = GS08, and the version is 5010. A set with an error-level issue ends with
 * `quarantined: true`; the sets after it are read normally.
 */
export class EnvelopeValidator {
  readonly #assemblers: Partial<Record<string, AssemblerFactory>>
  readonly #supported: Readonly<Record<string, readonly string[]>>
  #interchange: OpenInterchange | undefined
  #group: OpenGroup | undefined
  #transaction: OpenTransaction | undefined
  /**
   * Where the last segment was, for the message of a missing trailer: its id, index and offset
   * rather than the segment itself. Storing each new (young) segment in this long-lived object
   * would run V8's generational write barrier once per segment.
   */
  #lastId = ''
  #lastIndex = 0
  #lastOffset = -1

  constructor(options: EnvelopeValidatorOptions = {}) {
    this.#assemblers = options.assemblers ?? {}
    this.#supported = options.supportedTransactions ?? SUPPORTED_TRANSACTIONS
  }

  /** Feeds one segment; pushes the events it produces onto `out`. */
  push(segment: Segment, out: X12Event[]): void {
    this.#lastId = segment.id
    this.#lastIndex = segment.index
    this.#lastOffset = segment.offset
    const first = segment.id.charCodeAt(0)
    if (first === CODE_S || first === CODE_G || first === CODE_I) this.#envelope(segment, out)
    else this.#body(segment, out)
  }

  /** ISA/IEA/GS/GE/ST/SE, or a body segment that merely starts with the same letter (SVC, SBR…). */
  #envelope(segment: Segment, out: X12Event[]): void {
    switch (segment.id) {
      case 'ISA':
        this.#isa(segment, out)
        return
      case 'IEA':
        this.#iea(segment, out)
        return
      case 'GS':
        this.#gs(segment, out)
        return
      case 'GE':
        this.#ge(segment, out)
        return
      case 'ST':
        this.#st(segment, out)
        return
      case 'SE':
        this.#se(segment, out)
        return
    }
    this.#body(segment, out)
  }

  /** A segment other than ISA/IEA/GS/GE/ST/SE: checked, then routed to the set's assembler. */
  #body(segment: Segment, out: X12Event[]): void {
    const transaction = this.#transaction
    if (transaction !== undefined) {
      transaction.count++
      const key = segmentIdKey(segment.id)
      if (key < 0) {
        transaction.issues.push(this.#badSegment(segment))
        return
      }
      const mandatory = MANDATORY_ELEMENTS[key]
      if (mandatory !== undefined) {
        const elements = segment.elements
        for (let i = 0; i < mandatory.length; i++) {
          const n = mandatory[i] ?? 0
          if ((elements[n] ?? '') === '') this.#mandatoryMissing(transaction, segment, n)
        }
      }
      const assembler = transaction.assembler
      if (assembler !== undefined) {
        try {
          assembler.push(segment, out)
        } catch (error) {
          if (!(error instanceof X12Error)) throw error
          transaction.issues.push(error.toIssue())
          transaction.assembler = undefined
        }
      }
      return
    }
    if (segment.id === 'TA1' && this.#interchange !== undefined && this.#group === undefined) return
    const problem = isSegmentId(segment.id)
      ? issue(
          'X12_ENVELOPE_ORDER',
          'error',
          `${segment.id} is outside a transaction set: expected ST, GE, GS or IEA, found ${where(segment)}`,
          positionOf(segment),
        )
      : this.#badSegment(segment)
    this.#report(problem, out)
  }

  #mandatoryMissing(transaction: OpenTransaction, segment: Segment, n: number): void {
    transaction.issues.push(
      issue(
        'X12_BAD_ELEMENT',
        'error',
        `${segment.id}${String(n).padStart(2, '0')} is mandatory but empty at ${formatPosition(positionOf(segment, n))}`,
        positionOf(segment, n),
      ),
    )
  }

  /**
   * Adds an issue found outside the validator (the reader's byte checks) to the open transaction
   * set, so that an error quarantines it; outside a set it goes on the interchange, or out as an
   * `issue` event.
   */
  flag(problem: X12Issue, out: X12Event[]): void {
    const transaction = this.#transaction
    if (transaction !== undefined) transaction.issues.push(problem)
    else this.#report(problem, out)
  }

  /**
   * Closes whatever is still open at the end of input. `truncation` is the issue of input that
   * stopped mid-segment; it goes on the open set (quarantining it) or the open interchange.
   */
  end(out: X12Event[], truncation?: X12Issue): void {
    if (truncation !== undefined) {
      const transaction = this.#transaction
      if (transaction === undefined) {
        this.#report(truncation, out)
      } else {
        // The truncation is the reason the SE is missing: one issue says it.
        transaction.issues.push(truncation)
        this.#finishTransaction(transaction, out)
      }
    }
    const detected =
      this.#lastOffset < 0
        ? 'the end of input'
        : `the end of input after ${this.#lastId} at segment ${this.#lastIndex}, byte ${this.#lastOffset}`
    this.#closeTransaction(out, detected)
    this.#closeGroup(out, detected)
    this.#closeInterchange(out, detected)
  }

  /** An issue outside any set: on the open interchange, or as an `issue` event. */
  #report(problem: X12Issue, out: X12Event[]): void {
    if (this.#interchange !== undefined) this.#interchange.issues.push(problem)
    else out.push({ type: 'issue', issue: problem })
  }

  #badSegment(segment: Segment): X12Issue {
    return issue(
      'X12_BAD_SEGMENT',
      'error',
      `Expected a segment id of 2-3 upper-case letters or digits, found ${quote(segment.id)} at ${formatPosition(positionOf(segment))}`,
      positionOf(segment),
    )
  }

  #isa(segment: Segment, out: X12Event[]): void {
    const detected = `the next ${where(segment)}`
    this.#closeTransaction(out, detected)
    this.#closeGroup(out, detected)
    this.#closeInterchange(out, detected)
    const issues: X12Issue[] = []
    const isa12 = element(segment, 12)
    let unsupported: X12Issue | undefined
    if (isa12 !== SUPPORTED_ISA12) {
      unsupported = issue(
        'X12_UNSUPPORTED_VERSION',
        'error',
        `Expected ISA12 interchange version ${SUPPORTED_ISA12} (5010), found ${quote(isa12)} at ${formatPosition(positionOf(segment, 12))}`,
        positionOf(segment, 12),
      )
      issues.push(unsupported)
    }
    const isa11 = element(segment, 11)
    if (isa12 === SUPPORTED_ISA12 && isa11 === segment.delimiters.component) {
      issues.push(
        issue(
          'X12_BAD_ISA',
          'warning',
          `ISA11 (repetition separator) equals ISA16 (component separator) ${quote(isa11)}; repetitions are not split`,
          positionOf(segment, 11),
        ),
      )
    }
    if (!/^\d{9}$/.test(element(segment, 13))) {
      issues.push(
        issue(
          'X12_BAD_ISA',
          'warning',
          `Expected ISA13 to be 9 digits, found ${quote(element(segment, 13))}`,
          positionOf(segment, 13),
        ),
      )
    }
    const isa09 = element(segment, 9)
    this.#interchange = {
      segment,
      control: element(segment, 13).trim(),
      senderId: element(segment, 6).trim(),
      receiverId: element(segment, 8).trim(),
      date: /^\d{6}$/.test(isa09) ? (parseD8(`20${isa09}`) ?? '') : '',
      usage: element(segment, 15).trim(),
      groups: 0,
      issues,
      unsupported,
    }
    out.push({
      type: 'interchange-start',
      senderId: this.#interchange.senderId,
      receiverId: this.#interchange.receiverId,
      control: this.#interchange.control,
      delimiters: segment.delimiters,
      offset: segment.offset,
    })
  }

  #iea(segment: Segment, out: X12Event[]): void {
    const detected = where(segment)
    this.#closeTransaction(out, detected)
    this.#closeGroup(out, detected)
    const interchange = this.#interchange
    if (interchange === undefined) {
      this.#report(
        issue('X12_ENVELOPE_ORDER', 'error', `IEA without an ISA at ${where(segment)}`, positionOf(segment)),
        out,
      )
      return
    }
    const iea01 = element(segment, 1)
    if (!isCount(iea01) || Number(iea01) !== interchange.groups) {
      interchange.issues.push(
        issue(
          'X12_IEA_COUNT',
          'error',
          `IEA01 is ${quote(iea01)} but the interchange has ${interchange.groups} functional groups (${where(interchange.segment)})`,
          positionOf(segment, 1),
        ),
      )
    }
    const iea02 = element(segment, 2)
    if (!sameControl(iea02, interchange.control)) {
      interchange.issues.push(
        issue(
          'X12_IEA_CONTROL',
          'error',
          `IEA02 is ${quote(iea02)} but ISA13 is ${quote(interchange.control)} (${where(interchange.segment)})`,
          positionOf(segment, 2),
        ),
      )
    }
    out.push({ type: 'interchange-end', control: interchange.control, issues: interchange.issues })
    this.#interchange = undefined
  }

  #gs(segment: Segment, out: X12Event[]): void {
    const detected = `the next ${where(segment)}`
    this.#closeTransaction(out, detected)
    this.#closeGroup(out, detected)
    const interchange = this.#interchange
    if (interchange === undefined) {
      this.#report(
        issue(
          'X12_ENVELOPE_ORDER',
          'error',
          `GS outside an interchange at ${where(segment)}`,
          positionOf(segment),
        ),
        out,
      )
    } else {
      interchange.groups++
    }
    const version = element(segment, 8).trim()
    let unsupported: X12Issue | undefined
    if (!version.startsWith(SUPPORTED_GS08_PREFIX)) {
      unsupported = issue(
        'X12_UNSUPPORTED_VERSION',
        'error',
        `Expected GS08 version 005010X… (5010), found ${quote(version)} at ${formatPosition(positionOf(segment, 8))}`,
        positionOf(segment, 8),
      )
      if (interchange?.unsupported === undefined) this.#report(unsupported, out)
    }
    this.#group = { segment, control: element(segment, 6).trim(), version, sets: 0, unsupported }
  }

  #ge(segment: Segment, out: X12Event[]): void {
    this.#closeTransaction(out, where(segment))
    const group = this.#group
    if (group === undefined) {
      this.#report(
        issue('X12_ENVELOPE_ORDER', 'error', `GE without a GS at ${where(segment)}`, positionOf(segment)),
        out,
      )
      return
    }
    const ge01 = element(segment, 1)
    if (!isCount(ge01) || Number(ge01) !== group.sets) {
      this.#report(
        issue(
          'X12_GE_COUNT',
          'error',
          `GE01 is ${quote(ge01)} but the group has ${group.sets} transaction sets (${where(group.segment)})`,
          positionOf(segment, 1),
        ),
        out,
      )
    }
    const ge02 = element(segment, 2)
    if (!sameControl(ge02, group.control)) {
      this.#report(
        issue(
          'X12_GE_CONTROL',
          'error',
          `GE02 is ${quote(ge02)} but GS06 is ${quote(group.control)} (${where(group.segment)})`,
          positionOf(segment, 2),
        ),
        out,
      )
    }
    this.#group = undefined
  }

  #st(segment: Segment, out: X12Event[]): void {
    this.#closeTransaction(out, `the next ${where(segment)}`)
    const issues: X12Issue[] = []
    const interchange = this.#interchange
    const group = this.#group
    if (group === undefined) {
      issues.push(
        issue(
          'X12_ENVELOPE_ORDER',
          'error',
          `ST outside a functional group (no open GS) at ${where(segment)}`,
          positionOf(segment),
        ),
      )
    } else {
      group.sets++
    }
    const unsupported = interchange?.unsupported ?? group?.unsupported
    if (unsupported !== undefined) {
      issues.push(
        issue(
          'X12_UNSUPPORTED_VERSION',
          'error',
          `The transaction set is in an unsupported version: ${unsupported.message}`,
          positionOf(segment),
        ),
      )
    }
    const version = group?.version ?? ''
    const st03 = element(segment, 3).trim()
    if (st03 !== '' && group !== undefined && st03 !== version) {
      // ST03 must repeat GS08 (5010 TR3s, ST03 note). Two 5010 guide ids that differ are read with a
      // warning; an ST03 that is not 5010 at all makes the set unreadable.
      const fatal = !st03.startsWith(SUPPORTED_GS08_PREFIX)
      issues.push(
        issue(
          fatal ? 'X12_UNSUPPORTED_VERSION' : 'X12_VERSION_MISMATCH',
          fatal ? 'error' : 'warning',
          `ST03 is ${quote(st03)} but GS08 is ${quote(version)} (${where(group.segment)})`,
          positionOf(segment, 3),
        ),
      )
    }
    const envelope: EnvelopeContext = {
      senderId: interchange?.senderId ?? '',
      receiverId: interchange?.receiverId ?? '',
      interchangeControl: interchange?.control ?? '',
      usageIndicator: interchange?.usage ?? '',
      interchangeDate: interchange?.date ?? '',
      groupControl: group?.control ?? '',
      version,
      transactionType: element(segment, 1).trim(),
      transactionControl: element(segment, 2).trim(),
      implementation: st03 === '' ? version : st03,
      position: positionOf(segment),
    }
    const guides = this.#supported[envelope.transactionType]
    if (unsupported === undefined && !guides?.some((guide) => envelope.implementation.startsWith(guide))) {
      issues.push(
        issue(
          'X12_UNSUPPORTED_TRANSACTION',
          'error',
          `Transaction set ${quote(envelope.transactionType)} with guide ${quote(envelope.implementation)} is not read by onco-edi (it reads ${Object.entries(
            this.#supported,
          )
            .map(([type, list]) => `${type} ${list.join('/')}`)
            .join(', ')}) at ${where(segment)}`,
          positionOf(segment, 1),
        ),
      )
    }
    const readable = !issues.some((i) => i.severity === 'error')
    const factory = readable ? this.#assemblers[envelope.transactionType] : undefined
    this.#transaction = { segment, envelope, assembler: factory?.(envelope), issues, count: 1 }
    out.push({ type: 'transaction-start', envelope })
  }

  #se(segment: Segment, out: X12Event[]): void {
    const transaction = this.#transaction
    if (transaction === undefined) {
      this.#report(
        issue('X12_ENVELOPE_ORDER', 'error', `SE without an ST at ${where(segment)}`, positionOf(segment)),
        out,
      )
      return
    }
    transaction.count++
    const se01 = element(segment, 1)
    if (!isCount(se01) || Number(se01) !== transaction.count) {
      transaction.issues.push(
        issue(
          'X12_SE_COUNT',
          'error',
          `SE01 is ${quote(se01)} but the set has ${transaction.count} segments (${where(transaction.segment)})`,
          positionOf(segment, 1),
        ),
      )
    }
    const se02 = element(segment, 2).trim()
    if (se02 !== transaction.envelope.transactionControl) {
      transaction.issues.push(
        issue(
          'X12_SE_CONTROL',
          'error',
          `SE02 is ${quote(se02)} but ST02 is ${quote(transaction.envelope.transactionControl)} (${where(transaction.segment)})`,
          positionOf(segment, 2),
        ),
      )
    }
    this.#finishTransaction(transaction, out)
  }

  #finishTransaction(transaction: OpenTransaction, out: X12Event[]): void {
    let summary: TransactionSummary = { remittance: undefined }
    const assembler = transaction.assembler
    if (assembler !== undefined) {
      try {
        summary = assembler.end(out)
      } catch (error) {
        if (!(error instanceof X12Error)) throw error
        transaction.issues.push(error.toIssue())
      }
      // The assembler may report what the envelope checks already reported: keep one of each.
      const seen = new Set(transaction.issues.map(issueKey))
      for (const found of assembler.issues) if (!seen.has(issueKey(found))) transaction.issues.push(found)
    }
    out.push({
      type: 'transaction-end',
      envelope: transaction.envelope,
      segmentCount: transaction.count,
      remittance: summary.remittance,
      quarantined: transaction.issues.some((i) => i.severity === 'error'),
      issues: transaction.issues,
    })
    this.#transaction = undefined
  }

  #closeTransaction(out: X12Event[], detected: string): void {
    const transaction = this.#transaction
    if (transaction === undefined) return
    transaction.issues.push(
      issue(
        'X12_MISSING_TRAILER',
        'error',
        `${where(transaction.segment)} has no SE before ${detected}`,
        positionOf(transaction.segment),
      ),
    )
    this.#finishTransaction(transaction, out)
  }

  #closeGroup(out: X12Event[], detected: string): void {
    const group = this.#group
    if (group === undefined) return
    this.#report(
      issue(
        'X12_MISSING_TRAILER',
        'error',
        `${where(group.segment)} has no GE before ${detected}`,
        positionOf(group.segment),
      ),
      out,
    )
    this.#group = undefined
  }

  #closeInterchange(out: X12Event[], detected: string): void {
    const interchange = this.#interchange
    if (interchange === undefined) return
    interchange.issues.push(
      issue(
        'X12_MISSING_TRAILER',
        'error',
        `${where(interchange.segment)} has no IEA before ${detected}`,
        positionOf(interchange.segment),
      ),
    )
    out.push({ type: 'interchange-end', control: interchange.control, issues: interchange.issues })
    this.#interchange = undefined
  }
}
