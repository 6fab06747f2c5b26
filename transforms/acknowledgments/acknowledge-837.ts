import { writeAck999Interchange, writeTa1Interchange } from '../../parsers/acknowledgment/ack-writer.js'
import type {
  Ack999,
  Ack999ElementError,
  Ack999SegmentError,
  Ack999SetResponse,
} from '../../parsers/acknowledgment/ack999.js'
import { isAcceptedCode } from '../../parsers/acknowledgment/ack999.js'
import type { Ta1 } from '../../parsers/acknowledgment/ta1.js'
import type { Delimiters } from '../../parsers/x12/segment.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import type { InboundAnalysis, InboundGroup, InboundInterchange, InboundSet } from './inbound-interchange.js'
import { analyzeInbound } from './inbound-interchange.js'

/**
 * The control numbers of one acknowledgment interchange: the same shape as
 * `reserveEnvelopeControlNumbers()` returns (src/db/control-number-repository.ts).
 */
export interface AckEnvelopeNumbers {
  interchangeControl: number
  firstGroupControl: number
  firstTransactionControl: number
}

/** One acknowledgment interchange to number: reserve `shape` for `pair` from the counter. */
export interface AckRequest {
  kind: 'ta1' | '999'
  /** ISA06/ISA08 as written: the counter's key. */
  pair: { senderId: string; receiverId: string }
  /** Groups and sets the interchange holds (a TA1: 0 and 0; a 999 interchange: 1 and one per group). */
  shape: { groups: number; transactions: number }
}

/** What {@link acknowledge837} needs besides the input. */
export interface AcknowledgeOptions {
  /** ISA09/GS04 of the acknowledgments, CCYYMMDD. */
  date: string
  /** ISA10/GS05, HHMM. */
  time: string
  /** Our ids on the acknowledgments; default the acknowledged interchange's receiver (ISA08, GS03). */
  ids?: {
    senderId?: string | undefined
    receiverId?: string | undefined
    applicationSenderCode?: string | undefined
    applicationReceiverCode?: string | undefined
  }
  /**
   * True when an interchange with this sender (ISA05, ISA06) and ISA13 was received before with
   * other content: it is rejected with TA1 code 025 and gets no 999. `offset` (the ISA's byte
   * offset) tells apart two interchanges of one file that carry the same ISA13.
   */
  isDuplicate?: (interchange: {
    senderQualifier: string
    senderId: string
    control: string
    offset: number
  }) => boolean
  /** Written after each segment terminator (e.g. `\n`); default none. */
  lineBreak?: string
}

/** A transaction set and what the 999 said of it. */
export interface AckedSet {
  senderId: string
  interchangeControl: string
  groupControl: string
  transactionType: string
  transactionControl: string
  /** IK501, or `R` when the whole interchange or group was rejected. */
  status: string
  /** CLM01s of its claims. */
  claimIds: string[]
  /** The reader's issues (errors reject; warnings give IK5 `E`). */
  issues: X12Issue[]
}

/** The acknowledgments of one received interchange. */
export interface InterchangeAck {
  senderId: string
  control: string
  ta1: Ta1 | undefined
  /** The reader's issue behind the TA1 note, if any. */
  ta1Reason: string | undefined
  /** One 999 per functional group (none when the interchange was rejected). */
  acks: Ack999[]
}

/** What {@link planAcknowledgments} decided, before numbering. */
export interface AckPlan {
  interchanges: InterchangeAck[]
  /** The interchanges to number, in the order `writeAcknowledgments` takes numbers. */
  requests: AckRequest[]
  accepted: AckedSet[]
  rejected: AckedSet[]
  /** Set when the input could not be read at all (no ISA): nothing can be acknowledged. */
  unreadable: X12Issue | undefined
  /** Per request: which interchange and what it carries. */
  readonly writes: readonly AckWrite[]
}

interface AckWrite {
  interchange: InboundInterchange
  ack: InterchangeAck
  kind: 'ta1' | '999'
  ids: {
    senderId: string
    receiverId: string
    applicationSenderCode: string
    applicationReceiverCode: string
  }
}

/** What {@link acknowledge837} returns: the texts to send and the sets' outcome. */
export interface Ack837Result extends Omit<AckPlan, 'writes' | 'requests'> {
  /** Every TA1 interchange, one after the other (one file), or undefined when none is due. */
  ta1: string | undefined
  /** One interchange (GS `FA`) per acknowledged interchange, holding one 999 per group. */
  acks999: string[]
}

// ---------------------------------------------------------------------------------------------
// TA1 (ASC X12 005010 TA1 segment; TA104 element I17, TA105 element I18)

/** Interchange id qualifiers of ISA05/ISA07 in HIPAA 5010 (X12 element I05, as the TR3s list them). */
const ID_QUALIFIERS = new Set(['01', '14', '20', '27', '28', '29', '30', '33', 'ZZ'])

interface Ta1Finding {
  status: 'E' | 'R'
  note: string
  reason: string
}

function isYymmdd(value: string): boolean {
  if (!/^\d{6}$/.test(value)) return false
  const month = Number(value.slice(2, 4))
  const day = Number(value.slice(4, 6))
  if (month < 1 || month > 12 || day < 1) return false
  const year = 2000 + Number(value.slice(0, 2))
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function isHhmm(value: string): boolean {
  return /^([01]\d|2[0-3])[0-5]\d$/.test(value)
}

/** The TA105 note for an interchange-level issue of the reader. */
function ta1FindingOf(found: X12Issue): Ta1Finding {
  const reason = `${found.code}: ${found.message}`
  switch (found.code) {
    case 'X12_IEA_CONTROL':
      return { status: 'R', note: '001', reason }
    case 'X12_UNSUPPORTED_VERSION':
      return { status: 'R', note: '003', reason }
    case 'X12_MISSING_TRAILER':
    case 'X12_TRUNCATED':
      return { status: 'R', note: '023', reason }
    case 'X12_ENVELOPE_ORDER':
      return { status: 'R', note: '022', reason }
    case 'X12_IEA_COUNT':
      return { status: 'E', note: '021', reason }
    case 'X12_BAD_ISA':
      if (found.position?.element === 13) return { status: 'E', note: '018', reason }
      if (found.position?.element === 11) return { status: 'E', note: '027', reason }
      return { status: 'R', note: '022', reason }
    default:
      return { status: found.severity === 'error' ? 'R' : 'E', note: '024', reason }
  }
}

/** Checks of the ISA the reader leaves to the acknowledgment (values it reads past). */
function isaFindings(interchange: InboundInterchange): Ta1Finding[] {
  const out: Ta1Finding[] = []
  if (!ID_QUALIFIERS.has(interchange.senderQualifier))
    out.push({ status: 'E', note: '005', reason: `ISA05 is not an interchange id qualifier` })
  if (!ID_QUALIFIERS.has(interchange.receiverQualifier))
    out.push({ status: 'E', note: '007', reason: `ISA07 is not an interchange id qualifier` })
  if (!isYymmdd(interchange.date))
    out.push({ status: 'E', note: '014', reason: 'ISA09 is not a YYMMDD date' })
  if (!isHhmm(interchange.time)) out.push({ status: 'E', note: '015', reason: 'ISA10 is not an HHMM time' })
  if (interchange.acknowledgmentRequested !== '0' && interchange.acknowledgmentRequested !== '1')
    out.push({ status: 'E', note: '019', reason: 'ISA14 is neither 0 nor 1' })
  if (interchange.usage !== 'P' && interchange.usage !== 'T')
    out.push({ status: 'E', note: '020', reason: 'ISA15 is neither P nor T' })
  return out
}

/**
 * The TA1 of an interchange: `R` 025 for a duplicate, else the most serious envelope finding
 * (a rejection before an error noted, then the first found), else `A` 000 when ISA14 asked for
 * one, else none.
 */
function ta1Of(interchange: InboundInterchange, duplicate: boolean): Ta1Finding | undefined {
  if (duplicate)
    return {
      status: 'R',
      note: '025',
      reason: `ISA13 ${interchange.control} of sender ${interchange.senderId} was received before with other content`,
    }
  const findings = [
    ...interchange.issues.filter((i) => i.severity === 'error' || i.code === 'X12_BAD_ISA').map(ta1FindingOf),
    ...isaFindings(interchange),
  ]
  return findings.find((f) => f.status === 'R') ?? findings[0]
}

// ---------------------------------------------------------------------------------------------
// 999 (005010X231A1): IK3 code = X12 element 620, IK4 code = 621, IK5 codes = 618, AK9 codes = 716

/** Segments whose values may be PHI (names, ids, addresses, birth dates): never copied into IK404. */
const PHI_SEGMENTS = new Set(['NM1', 'N3', 'N4', 'DMG', 'REF', 'PER', 'NTE', 'PAT', 'CLM'])

/** The element at `offset` (a segment's first byte) in `bytes`, or undefined. */
function valueAt(
  bytes: Uint8Array | undefined,
  delimiters: Delimiters,
  offset: number,
  elementIndex: number,
  componentIndex: number | undefined,
): string | undefined {
  if (bytes === undefined || offset < 0 || offset >= bytes.length) return undefined
  const terminator = delimiters.segment.charCodeAt(0)
  let end = bytes.indexOf(terminator, offset)
  if (end < 0) end = Math.min(bytes.length, offset + 4096)
  const text = new TextDecoder('latin1').decode(bytes.subarray(offset, end))
  const value = text.split(delimiters.element)[elementIndex]
  if (value === undefined) return ''
  if (componentIndex === undefined) return value
  return value.split(delimiters.component)[componentIndex - 1] ?? ''
}

/** True when `value` holds a character below U+0020 (NUL, a control character). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20) return true
  return false
}

/** X12 element 621 for an element-level issue. */
function elementCode(found: X12Issue, value: string | undefined): string {
  if (found.code === 'X12_BAD_DATE') return '8'
  if (value === '' || /\b(required|mandatory|missing)\b/.test(found.message)) return '1'
  if (found.code === 'X12_BAD_AMOUNT') return '6'
  // A character outside the X12.6 character sets (a NUL, a control character).
  if (value !== undefined && hasControlCharacter(value)) return '6'
  if (/\b(number|decimal|numeric)\b/.test(found.message)) return '6'
  return '7'
}

/** The missing segment's id and loop, read from a `X12_MISSING_SEGMENT` message ("expected SV1 … (loop 2400)"). */
function missingSegmentOf(found: X12Issue): { id: string | undefined; loop: string | undefined } {
  const id = /expected (?:an? )?([A-Z][A-Z0-9]{1,2})\b/.exec(found.message)?.[1]
  const loop = /\b(?:loop )?(\d{4}[A-Z]?)\b/.exec(found.message)?.[1]
  return { id, loop }
}

/** IK502-IK506 code for a set-level issue, or undefined when the issue is about a segment. */
function setCodeOf(found: X12Issue, set: InboundSet): string | undefined {
  const position = found.position
  switch (found.code) {
    case 'X12_MISSING_TRAILER':
    case 'X12_TRUNCATED':
      return '2'
    case 'X12_SE_CONTROL':
      return '3'
    case 'X12_SE_COUNT':
      return '4'
    case 'X12_UNSUPPORTED_TRANSACTION':
      return set.transactionType === '837' ? 'I6' : '1'
    case 'X12_UNSUPPORTED_VERSION':
    case 'X12_VERSION_MISMATCH':
      return position?.segmentId === 'ST' && position.element === 3 ? '19' : 'I6'
    case 'X12_ENVELOPE_ORDER':
      if (position?.segmentId === 'ST') return '18'
      break
  }
  if (position === undefined || position.stSegment <= 0) return '5'
  if (position.segmentId === 'ST' || position.segmentId === 'SE') return position.element === 2 ? '7' : '6'
  return undefined
}

function setResponseOf(
  set: InboundSet,
  interchange: InboundInterchange,
  bytes: Uint8Array | undefined,
): Ack999SetResponse {
  const codes: string[] = []
  const addCode = (code: string): void => {
    if (!codes.includes(code)) codes.push(code)
  }
  const segments = new Map<string, Ack999SegmentError>()
  // 005010X231A1 loop 2100 CTX: the claim (CLM01) an error is in, so that the sender finds it.
  const claimContext = (offset: number): string[][] => {
    let at = -1
    for (
      let i = 0;
      i < set.claimOffsets.length && (set.claimOffsets[i] ?? Number.POSITIVE_INFINITY) <= offset;
      i++
    )
      at = i
    const claimId = set.claimIds[at]
    const d = interchange.delimiters
    if (
      claimId === undefined ||
      claimId === '' ||
      claimId.includes(d.component) ||
      claimId.includes(d.element)
    )
      return []
    return [[`CLM01${d.component}${claimId}`]]
  }
  const segmentError = (
    id: string,
    position: number,
    loop: string | undefined,
    code: string,
    offset: number,
  ): Ack999SegmentError => {
    const key = `${id}@${position}@${code === '8' ? '8' : code}`
    let error = segments.get(key)
    if (error === undefined) {
      error = { segmentId: id, position, loopId: loop, code, context: claimContext(offset), elements: [] }
      segments.set(key, error)
    }
    return error
  }
  for (const found of set.issues) {
    const setCode = setCodeOf(found, set)
    if (setCode !== undefined) {
      addCode(setCode)
      continue
    }
    const position = found.position
    if (position === undefined) continue
    const standard = found.code === 'X12_BAD_SEGMENT' || /mandatory but empty/.test(found.message)
    addCode(standard ? '5' : 'I5')
    if (found.code === 'X12_BAD_SEGMENT') {
      segmentError(
        position.segmentId.slice(0, 3) || 'ZZZ',
        position.stSegment,
        undefined,
        '1',
        position.offset,
      )
      continue
    }
    if (found.code === 'X12_MISSING_SEGMENT') {
      const missing = missingSegmentOf(found)
      if (missing.id !== undefined)
        segmentError(missing.id, position.stSegment, missing.loop, '3', position.offset)
      else segmentError(position.segmentId, position.stSegment, missing.loop, '2', position.offset)
      continue
    }
    if (position.element === undefined) {
      segmentError(position.segmentId, position.stSegment, undefined, '2', position.offset)
      continue
    }
    const value = valueAt(
      bytes,
      interchange.delimiters,
      position.offset,
      position.element,
      position.component,
    )
    const code = elementCode(found, value)
    const copyable =
      (code === '6' || code === '7' || code === '8') &&
      value !== undefined &&
      value !== '' &&
      value.length <= 99 &&
      !PHI_SEGMENTS.has(position.segmentId) &&
      !hasControlCharacter(value) &&
      !value.includes(interchange.delimiters.component) &&
      (interchange.delimiters.repetition === undefined || !value.includes(interchange.delimiters.repetition))
    const element: Ack999ElementError = {
      element: position.element,
      component: position.component,
      repetition: undefined,
      reference: undefined,
      code,
      value: copyable ? value : undefined,
    }
    const target = segmentError(position.segmentId, position.stSegment, undefined, '8', position.offset)
    if (
      target.elements.length < 99 &&
      !target.elements.some(
        (e) => e.element === element.element && e.component === element.component && e.code === code,
      )
    )
      target.elements.push(element)
  }
  const rejected = set.quarantined || set.issues.some((i) => i.severity === 'error')
  const status = rejected ? 'R' : set.issues.length > 0 ? 'E' : 'A'
  return {
    transactionType: set.transactionType,
    transactionControl: set.transactionControl,
    implementation: set.implementation === '' ? undefined : set.implementation,
    segmentErrors: [...segments.values()].sort((a, b) => a.position - b.position),
    status,
    errors: status === 'A' ? [] : codes.slice(0, 5),
  }
}

/** AK905-AK909 code for a group-level issue. */
function groupCodeOf(found: X12Issue): string {
  switch (found.code) {
    case 'X12_UNSUPPORTED_VERSION':
      return '2'
    case 'X12_MISSING_TRAILER':
      return '3'
    case 'X12_GE_CONTROL':
      return '4'
    case 'X12_GE_COUNT':
      return '5'
    default:
      return '1'
  }
}

function ack999Of(
  group: InboundGroup,
  interchange: InboundInterchange,
  bytes: Uint8Array | undefined,
): Ack999 {
  const sets = group.sets.map((set) => setResponseOf(set, interchange, bytes))
  const errors = [...new Set(group.issues.filter((i) => i.severity === 'error').map(groupCodeOf))]
  const accepted = sets.filter((s) => isAcceptedCode(s.status)).length
  let status: string
  if (errors.length > 0) status = 'R'
  else if (sets.length > 0 && accepted === 0) status = 'R'
  else if (accepted < sets.length) status = 'P'
  else status = sets.some((s) => s.status === 'E') ? 'E' : 'A'
  const included =
    group.included !== undefined && /^\d{1,9}$/.test(group.included) ? Number(group.included) : sets.length
  return {
    envelope: undefined,
    functionalId: group.functionalId,
    groupControl: group.control,
    version: group.version === '' ? undefined : group.version,
    sets,
    status,
    included,
    received: sets.length,
    accepted: status === 'R' ? 0 : accepted,
    errors: errors.slice(0, 5),
  }
}

// ---------------------------------------------------------------------------------------------

function ackedSet(
  interchange: InboundInterchange,
  group: InboundGroup,
  set: InboundSet,
  status: string,
): AckedSet {
  return {
    senderId: interchange.senderId,
    interchangeControl: interchange.control,
    groupControl: group.control,
    transactionType: set.transactionType,
    transactionControl: set.transactionControl,
    status,
    claimIds: set.claimIds,
    issues: set.issues,
  }
}

/**
 * Decides every acknowledgment of a received file: a TA1 per interchange when its envelope is
 * bad, it is a duplicate (TA105 025) or ISA14 asks for one; a 999 per functional group unless the
 * interchange is rejected. Pure; number the {@link AckPlan.requests} and pass them to
 * {@link writeAcknowledgments}.
 */
export function planAcknowledgments(
  analysis: InboundAnalysis,
  options: Omit<AcknowledgeOptions, 'date' | 'time'> = {},
): AckPlan {
  const interchanges: InterchangeAck[] = []
  const writes: AckWrite[] = []
  const accepted: AckedSet[] = []
  const rejected: AckedSet[] = []
  for (const interchange of analysis.interchanges) {
    // Data after the IEA (the reader reports it outside the interchange) is the interchange's structure.
    const strays = analysis.issues.filter(
      (i) => i.position !== undefined && i.position.offset > interchange.offset,
    )
    const next = analysis.interchanges[analysis.interchanges.indexOf(interchange) + 1]
    const own = strays.filter((i) => next === undefined || (i.position?.offset ?? 0) < next.offset)
    const subject: InboundInterchange =
      own.length > 0 ? { ...interchange, issues: [...interchange.issues, ...own] } : interchange
    const duplicate =
      options.isDuplicate?.({
        senderQualifier: interchange.senderQualifier,
        senderId: interchange.senderId,
        control: interchange.control,
        offset: interchange.offset,
      }) ?? false
    const finding = ta1Of(subject, duplicate)
    const ta1: Ta1 | undefined =
      finding === undefined
        ? interchange.acknowledgmentRequested === '1'
          ? {
              interchangeControl: interchange.control,
              interchangeDate: interchange.date,
              interchangeTime: interchange.time,
              status: 'A',
              note: '000',
            }
          : undefined
        : {
            interchangeControl: interchange.control,
            interchangeDate: interchange.date,
            interchangeTime: interchange.time,
            status: finding.status,
            note: finding.note,
          }
    const ack: InterchangeAck = {
      senderId: interchange.senderId,
      control: interchange.control,
      ta1,
      ta1Reason: finding?.reason,
      acks: [],
    }
    interchanges.push(ack)
    const senderId = options.ids?.senderId ?? (interchange.receiverId || 'ONCOEDI')
    const receiverId = options.ids?.receiverId ?? (interchange.senderId || 'RECEIVER')
    const firstGroup = interchange.groups[0]
    const ids = {
      senderId,
      receiverId,
      applicationSenderCode:
        options.ids?.applicationSenderCode ?? (firstGroup?.applicationReceiverCode || senderId),
      applicationReceiverCode:
        options.ids?.applicationReceiverCode ?? (firstGroup?.applicationSenderCode || receiverId),
    }
    if (ta1 !== undefined) writes.push({ interchange, ack, kind: 'ta1', ids })
    if (ta1?.status === 'R') {
      for (const group of interchange.groups)
        for (const set of group.sets) rejected.push(ackedSet(interchange, group, set, 'R'))
      continue
    }
    for (const group of interchange.groups) {
      const ack999 = ack999Of(group, interchange, analysis.bytes)
      ack.acks.push(ack999)
      for (const [i, set] of group.sets.entries()) {
        const status = ack999.status === 'R' ? 'R' : (ack999.sets[i]?.status ?? 'R')
        ;(isAcceptedCode(status) ? accepted : rejected).push(ackedSet(interchange, group, set, status))
      }
    }
    if (ack.acks.length > 0) writes.push({ interchange, ack, kind: '999', ids })
  }
  return {
    interchanges,
    requests: writes.map((w) => ({
      kind: w.kind,
      pair: { senderId: w.ids.senderId, receiverId: w.ids.receiverId },
      shape:
        w.kind === 'ta1' ? { groups: 0, transactions: 0 } : { groups: 1, transactions: w.ack.acks.length },
    })),
    accepted,
    rejected,
    unreadable: analysis.interchanges.length === 0 ? (analysis.fatal ?? analysis.issues[0]) : undefined,
    writes,
  }
}

/**
 * Writes the planned acknowledgments with their control numbers (`numbers[i]` for
 * `plan.requests[i]`, from the persisted counter so that they are unique).
 */
export function writeAcknowledgments(
  plan: AckPlan,
  numbers: readonly AckEnvelopeNumbers[] | ((request: AckRequest, index: number) => AckEnvelopeNumbers),
  options: Pick<AcknowledgeOptions, 'date' | 'time' | 'lineBreak'>,
): Ack837Result {
  const ta1s: string[] = []
  const acks999: string[] = []
  for (const [index, write] of plan.writes.entries()) {
    const request = plan.requests[index]
    if (request === undefined) continue
    const n = typeof numbers === 'function' ? numbers(request, index) : numbers[index]
    if (n === undefined)
      throw new RangeError(
        `Expected control numbers for acknowledgment ${index + 1} of ${plan.requests.length}`,
      )
    const { interchange, ack, ids } = write
    const common = {
      senderQualifier: ID_QUALIFIERS.has(interchange.receiverQualifier)
        ? interchange.receiverQualifier
        : 'ZZ',
      senderId: ids.senderId,
      receiverQualifier: ID_QUALIFIERS.has(interchange.senderQualifier) ? interchange.senderQualifier : 'ZZ',
      receiverId: ids.receiverId,
      interchangeControl: n.interchangeControl,
      date: options.date,
      time: options.time,
      usage: interchange.usage,
      delimiters: interchange.delimiters,
      ...(options.lineBreak === undefined ? {} : { lineBreak: options.lineBreak }),
    }
    if (write.kind === 'ta1' && ack.ta1 !== undefined) ta1s.push(writeTa1Interchange(ack.ta1, common))
    else if (write.kind === '999')
      acks999.push(
        writeAck999Interchange(ack.acks, {
          ...common,
          applicationSenderCode: ids.applicationSenderCode,
          applicationReceiverCode: ids.applicationReceiverCode,
          groupControl: n.firstGroupControl,
          firstTransactionControl: n.firstTransactionControl,
        }),
      )
  }
  return {
    interchanges: plan.interchanges,
    accepted: plan.accepted,
    rejected: plan.rejected,
    unreadable: plan.unreadable,
    ta1: ta1s.length > 0 ? ta1s.join('') : undefined,
    acks999,
  }
}

/**
 * Acknowledges a received 837 file: TA1s for bad or duplicate interchanges (TA105 025), one 999
 * (005010X231A1) per functional group with AK2/IK3/IK4/IK5 per set and AK9, and the sets
 * accepted and rejected (with their CLM01s). Pure: `numbers` come from the caller's counter
 * (`reserveEnvelopeControlNumbers()` per {@link AckPlan.requests}; see
 * src/acknowledgments/acknowledge-file.ts for the version that reserves them).
 *
 * @example
 * ```ts
 * const plan = planAcknowledgments(analyzeInbound(bytes))
 * const numbers = plan.requests.map((r) => counter(r.pair, r.shape))
 * const { ta1, acks999, accepted, rejected } = acknowledge837(bytes, numbers, { date: '20260115', time: '1200' })
 * ```
 */
export function acknowledge837(
  input: Uint8Array | InboundAnalysis,
  numbers: readonly AckEnvelopeNumbers[] | ((request: AckRequest, index: number) => AckEnvelopeNumbers),
  options: AcknowledgeOptions,
): Ack837Result {
  const analysis = input instanceof Uint8Array ? analyzeInbound(input) : input
  return writeAcknowledgments(planAcknowledgments(analysis, options), numbers, options)
}
