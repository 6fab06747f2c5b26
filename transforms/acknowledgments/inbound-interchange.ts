import type { EnvelopeContext } from '../../parsers/x12/envelope.js'
import type { Delimiters, Segment } from '../../parsers/x12/segment.js'
import { element } from '../../parsers/x12/segment.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'

/** One transaction set of a received interchange, as the reader checked it. */
export interface InboundSet {
  /** ST01, ST02, ST03. */
  transactionType: string
  transactionControl: string
  implementation: string
  /** Byte offset of the ST. */
  offset: number
  envelope: EnvelopeContext | undefined
  /** Every issue the reader found in the set (errors quarantine it; warnings do not). */
  issues: X12Issue[]
  quarantined: boolean
  /** False when the set never reached its end event (should not happen: the reader closes every set). */
  ended: boolean
  /** CLM01 of each claim in the set, in order. */
  claimIds: string[]
  /** Byte offset of each claim's CLM, in the order of `claimIds` (for the 999's CTX*CLM01). */
  claimOffsets: number[]
}

/** One functional group (GS..GE) of a received interchange. */
export interface InboundGroup {
  /** GS01, GS02, GS03, GS06, GS08. */
  functionalId: string
  applicationSenderCode: string
  applicationReceiverCode: string
  control: string
  version: string
  offset: number
  /** Byte offset of the GE, when there was one. */
  endOffset: number | undefined
  /** GE01 as sent, when there was a GE. */
  included: string | undefined
  sets: InboundSet[]
  /** Group-level issues (GE count or control, GS08 version, missing GE). */
  issues: X12Issue[]
}

/** One received interchange (ISA..IEA) with the raw ISA fields a TA1 reports on. */
export interface InboundInterchange {
  /** ISA05..ISA10, ISA13..ISA15 as sent (ISA06/ISA08 trimmed). */
  senderQualifier: string
  senderId: string
  receiverQualifier: string
  receiverId: string
  date: string
  time: string
  control: string
  acknowledgmentRequested: string
  usage: string
  version: string
  delimiters: Delimiters
  offset: number
  groups: InboundGroup[]
  /** Interchange-level issues (IEA, envelope order, truncation), group issues excluded. */
  issues: X12Issue[]
  /** True once the reader closed it (its IEA, or the end of input). */
  ended: boolean
}

/** What an 837 (or any X12 file) holds, as far as acknowledging it goes. */
export interface InboundAnalysis {
  interchanges: InboundInterchange[]
  /** Issues outside any interchange (data before the first ISA, after the last IEA). */
  issues: X12Issue[]
  /** The error that stopped the read (no ISA, an unreadable ISA), when one did. */
  fatal: X12Issue | undefined
  /** The input bytes, when the analysis was made from them: IK404 copies bad values from here. */
  bytes: Uint8Array | undefined
}

/**
 * Collects what {@link InboundAnalysis} needs from one read of a file: feed it every segment
 * (`X12ReaderOptions.onSegment`) and every event. It keeps only envelope ids, issues and CLM01s,
 * never claims, so a caller that also scrubs or stores the file reads it once.
 *
 * @example
 * ```ts
 * const collector = new InboundCollector()
 * const reader = new X12Reader({ onSegment: (s) => collector.segment(s) })
 * for (const chunk of chunks) collector.events(reader.write(chunk))
 * collector.events(reader.end())
 * const analysis = collector.finish()
 * ```
 */
export class InboundCollector {
  readonly #interchanges: InboundInterchange[] = []
  readonly #issues: X12Issue[] = []
  readonly #sets = new Map<number, InboundSet>()
  #interchange: InboundInterchange | undefined
  #group: InboundGroup | undefined
  #set: InboundSet | undefined
  /** Interchanges whose end event has not come yet, oldest first. */
  #open: InboundInterchange[] = []

  /** Feeds one segment (before the reader checks it). */
  segment(segment: Segment): void {
    switch (segment.id) {
      case 'ISA': {
        const interchange: InboundInterchange = {
          senderQualifier: element(segment, 5).trim(),
          senderId: element(segment, 6).trim(),
          receiverQualifier: element(segment, 7).trim(),
          receiverId: element(segment, 8).trim(),
          date: element(segment, 9).trim(),
          time: element(segment, 10).trim(),
          version: element(segment, 12).trim(),
          control: element(segment, 13).trim(),
          acknowledgmentRequested: element(segment, 14).trim(),
          usage: element(segment, 15).trim(),
          delimiters: segment.delimiters,
          offset: segment.offset,
          groups: [],
          issues: [],
          ended: false,
        }
        this.#interchanges.push(interchange)
        this.#open.push(interchange)
        this.#interchange = interchange
        this.#group = undefined
        this.#set = undefined
        return
      }
      case 'GS': {
        const group: InboundGroup = {
          functionalId: element(segment, 1).trim(),
          applicationSenderCode: element(segment, 2).trim(),
          applicationReceiverCode: element(segment, 3).trim(),
          control: element(segment, 6).trim(),
          version: element(segment, 8).trim(),
          offset: segment.offset,
          endOffset: undefined,
          included: undefined,
          sets: [],
          issues: [],
        }
        this.#interchange?.groups.push(group)
        this.#group = group
        this.#set = undefined
        return
      }
      case 'GE':
        if (this.#group !== undefined) {
          this.#group.endOffset = segment.offset
          this.#group.included = element(segment, 1).trim()
        }
        this.#group = undefined
        this.#set = undefined
        return
      case 'IEA':
        this.#interchange = undefined
        this.#group = undefined
        this.#set = undefined
        return
      case 'ST': {
        const set: InboundSet = {
          transactionType: element(segment, 1).trim(),
          transactionControl: element(segment, 2).trim(),
          implementation: element(segment, 3).trim(),
          offset: segment.offset,
          envelope: undefined,
          issues: [],
          quarantined: false,
          ended: false,
          claimIds: [],
          claimOffsets: [],
        }
        this.#group?.sets.push(set)
        this.#sets.set(segment.offset, set)
        this.#set = set
        return
      }
      case 'SE':
        this.#set = undefined
        return
      case 'CLM':
        this.#set?.claimIds.push(element(segment, 1))
        this.#set?.claimOffsets.push(segment.offset)
        return
    }
  }

  /** Feeds the reader's events. */
  events(events: readonly X12Event[]): void {
    for (const event of events) {
      if (event.type === 'transaction-end') {
        const set = this.#sets.get(event.envelope.position.offset)
        if (set === undefined) continue
        this.#sets.delete(set.offset)
        set.envelope = event.envelope
        set.issues = event.issues
        set.quarantined = event.quarantined
        set.ended = true
      } else if (event.type === 'interchange-end') {
        const interchange = this.#open.shift()
        if (interchange === undefined) continue
        interchange.ended = true
        for (const found of event.issues) {
          const group = groupOf(interchange, found)
          if (group === undefined) interchange.issues.push(found)
          else group.issues.push(found)
        }
      } else if (event.type === 'issue') {
        // Outside every interchange (the validator puts issues inside one on the interchange).
        this.#issues.push(event.issue)
      }
    }
  }

  /** The analysis so far; `fatal` is the error that stopped the read, if any. */
  finish(fatal?: X12Issue, bytes?: Uint8Array): InboundAnalysis {
    return { interchanges: this.#interchanges, issues: this.#issues, fatal, bytes }
  }
}

/** The group an interchange-level issue is about: its position lies on the group's GS..GE. */
function groupOf(interchange: InboundInterchange, found: X12Issue): InboundGroup | undefined {
  const offset = found.position?.offset
  if (offset === undefined) return undefined
  const id = found.position?.segmentId
  if (id !== 'GS' && id !== 'GE') return undefined
  for (const group of interchange.groups) {
    if (offset === group.offset || offset === group.endOffset) return group
  }
  return undefined
}

/** 64 KiB, the reader's usual chunk (src/pipeline/read-x12.ts). */
const CHUNK = 64 * 1024

/**
 * Reads `bytes` once with the X12 reader (837 and 835 assemblers included, so claim-level
 * findings count) and returns what acknowledging it needs. Never throws on bad input: an input
 * the reader cannot read at all comes back with `fatal` set.
 */
export function analyzeInbound(bytes: Uint8Array): InboundAnalysis {
  const collector = new InboundCollector()
  const reader = new X12Reader({ onSegment: (segment) => collector.segment(segment) })
  try {
    for (let at = 0; at < bytes.length; at += CHUNK)
      collector.events(reader.write(bytes.subarray(at, at + CHUNK)))
    collector.events(reader.end())
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    return collector.finish(error.toIssue(), bytes)
  }
  return collector.finish(undefined, bytes)
}
