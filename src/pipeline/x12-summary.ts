import { open, stat } from 'node:fs/promises'
import type { Cents } from '../../parsers/money.js'
import { formatCents, parseCents } from '../../parsers/money.js'
import type { Clean835Counts } from '../../parsers/remittance835/clean-835-scanner.js'
import { Clean835Scanner } from '../../parsers/remittance835/clean-835-scanner.js'
import type { Segment, X12Position } from '../../parsers/x12/segment.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import type { ReadX12FileOptions } from './read-x12.js'

/** One problem in a summary: an error-level issue, or a failure that stopped the read. */
export interface SummaryProblem {
  code: string
  message: string
  position: X12Position | undefined
}

/** What `onco-edi inspect --json` prints for one file. Money is a string with two decimals. */
export interface X12Summary {
  file: string
  interchanges: number
  groups: number
  /** Count by ST01, e.g. `{ "835": 3 }`. */
  transactions: Record<string, number>
  /** CLM (837) plus CLP (835). */
  claims: number
  /** SV1 + SV2 + SV3 (837) plus SVC (835). */
  serviceLines: number
  /** LIN with an N4 (NDC) qualifier. */
  ndcLines: number
  /** Sum of CLM02 (837) and CLP03 (835). */
  totalCharge: string
  /** Sum of CLP04. */
  totalPaid: string
  /** Count by CLP02. */
  claimStatus: Record<string, number>
  /** Sum of CAS amounts by `GROUP-CARC`, claim and line level together. */
  adjustments: Record<string, string>
  /** Sum of the PLB amounts (positive = withheld). */
  plbTotal: string
  /** Sum of BPR02. */
  bprTotal: string
  /** Transaction sets quarantined because of an error. */
  quarantinedTransactions: number
  /**
   * Acknowledgments, only when the file holds some: TA1s by TA104, 999 sets by IK501 and groups
   * by AK901, 277CA claims by their first status category (STC01-1).
   */
  acknowledgments?: {
    ta1: Record<string, number>
    ik5: Record<string, number>
    ak9: Record<string, number>
    stc: Record<string, number>
  }
  errors: SummaryProblem[]
  warnings: SummaryProblem[]
}

function add(map: Map<string, Cents>, key: string, cents: Cents): void {
  map.set(key, (map.get(key) ?? 0) + cents)
}

/** One CAS group and CARC and the sum of their amounts. */
interface CasSum {
  group: string
  carc: string
  /** Cents, a double from the start (see `X12SummaryCollector` #sums). */
  sum: Float64Array
}

/** How many {@link shortCodeKey} values there are: 37^3. */
const SHORT_CODES = 37 * 37 * 37

/**
 * A number for a code of 1-3 characters `0-9` or `A-Z` (a CAS group, a CARC), different for each
 * such code and below {@link SHORT_CODES}; -1 for any other text.
 */
function shortCodeKey(text: string): number {
  const n = text.length
  if (n < 1 || n > 3) return -1
  let key = 0
  for (let i = 0; i < 3; i++) {
    let digit = 0
    if (i < n) {
      const code = text.charCodeAt(i)
      if (code >= 0x30 && code <= 0x39) digit = code - 0x30 + 1
      else if (code >= 0x41 && code <= 0x5a) digit = code - 0x41 + 11
      else return -1
    }
    key = key * 37 + digit
  }
  return key
}

/** Slots of `X12SummaryCollector`'s sums. */
const CHARGE = 0
const PAID = 1
const PLB = 2
const BPR = 3

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  const record: Record<string, T> = {}
  for (const key of [...map.keys()].sort()) {
    const value = map.get(key)
    if (value !== undefined) record[key] = value
  }
  return record
}

/**
 * Counts a file from its segments and events, for `inspect` and for differential tests.
 * Counting from segments (not from the typed models) keeps `inspect` independent of the
 * assemblers and exactly comparable with other parsers.
 */
export class X12SummaryCollector {
  #interchanges = 0
  #groups = 0
  #transactions = new Map<string, number>()
  #claims = 0
  #serviceLines = 0
  #ndcLines = 0
  /**
   * CHARGE, PAID, PLB and BPR sums in cents. In a Float64Array they are doubles from the start
   * (exact below 2^53): as fields they began as small integers, and the first sum past V8's
   * small-integer range (2^31 cents: a 61 MB 835's total charge) changed the field's representation
   * and deoptimized `onSegment` mid-file.
   */
  readonly #sums = new Float64Array(4)
  #status = new Map<string, number>()
  /**
   * CAS amounts by a number made of the group and the CARC ({@link shortCodeKey}), when both are
   * short upper-case codes (always, in practice): each CAS01 and CAS02 is a new string, and a Map
   * keyed by strings computes the hash of every one of them (two lookups per triplet); a small
   * integer key is hashed inline. No `GROUP-CARC` string is built per triplet (the summary joins
   * them once).
   */
  #casSums = new Map<number, CasSum>()
  /** The other CAS amounts, by group, then CARC. */
  #adjustments = new Map<string, Map<string, Float64Array>>()
  #quarantined = 0
  #ta1 = new Map<string, number>()
  #ik5 = new Map<string, number>()
  #ak9 = new Map<string, number>()
  #stc = new Map<string, number>()
  #errors: SummaryProblem[] = []
  #warnings: SummaryProblem[] = []

  /** Pass as `onSegment` to the reader. */
  readonly onSegment = (segment: Segment): void => {
    const e = segment.elements
    switch (segment.id) {
      case 'ISA':
        this.#interchanges++
        return
      case 'GS':
        this.#groups++
        return
      case 'ST': {
        const type = e[1] ?? ''
        this.#transactions.set(type, (this.#transactions.get(type) ?? 0) + 1)
        return
      }
      case 'CLM':
        this.#claims++
        this.#add(CHARGE, e[2])
        return
      case 'SV1':
      case 'SV2':
      case 'SV3':
      case 'SVC':
        this.#serviceLines++
        return
      case 'LIN':
        // LIN02/03 is the first product id pair (5010 837 loop 2410: LIN02 = N4).
        if (e[2] === 'N4') this.#ndcLines++
        return
      case 'CLP': {
        this.#claims++
        this.#add(CHARGE, e[3])
        this.#add(PAID, e[4])
        const status = e[2] ?? ''
        this.#status.set(status, (this.#status.get(status) ?? 0) + 1)
        return
      }
      case 'CAS': {
        // CAS01 group, then (CARC, amount, quantity) triplets: CAS02-04, CAS05-07, … CAS17-19.
        const group = e[1] ?? ''
        const groupKey = group.length <= 2 ? shortCodeKey(group) : -1
        let byCarc: Map<string, Float64Array> | undefined
        for (let i = 2; i < e.length; i += 3) {
          const carc = e[i] ?? ''
          if (carc === '') continue
          const carcKey = groupKey < 0 ? -1 : shortCodeKey(carc)
          if (carcKey >= 0) {
            const key = groupKey * SHORT_CODES + carcKey
            let cas = this.#casSums.get(key)
            if (cas === undefined) {
              cas = { group, carc, sum: new Float64Array(1) }
              this.#casSums.set(key, cas)
            }
            const sum = cas.sum
            sum[0] = (sum[0] ?? 0) + (parseCents(e[i + 1] ?? '') ?? 0)
            continue
          }
          byCarc ??= this.#adjustments.get(group)
          if (byCarc === undefined) {
            byCarc = new Map()
            this.#adjustments.set(group, byCarc)
          }
          // One lookup per triplet, and a sum that is a double from the start (see #sums).
          let sum = byCarc.get(carc)
          if (sum === undefined) {
            sum = new Float64Array(1)
            byCarc.set(carc, sum)
          }
          sum[0] = (sum[0] ?? 0) + (parseCents(e[i + 1] ?? '') ?? 0)
        }
        return
      }
      case 'PLB':
        // PLB03/04, 05/06, … 13/14: (reason:reference, amount) pairs.
        for (let i = 4; i < e.length; i += 2) this.#add(PLB, e[i])
        return
      case 'BPR':
        this.#add(BPR, e[2])
        return
      case 'TA1':
        count(this.#ta1, e[4] ?? '')
        return
      case 'IK5':
        count(this.#ik5, e[1] ?? '')
        return
      case 'AK9':
        count(this.#ak9, e[1] ?? '')
        return
    }
  }

  /** Adds an amount element (nothing when absent or not an amount) to sum `slot`. */
  #add(slot: number, text: string | undefined): void {
    const sums = this.#sums
    sums[slot] = (sums[slot] ?? 0) + (parseCents(text ?? '') ?? 0)
  }

  /** Feed every event (for the issues). */
  event(event: X12Event): void {
    if (event.type === 'claim277') count(this.#stc, event.claim.statuses[0]?.codes[0]?.category ?? '')
    else if (event.type === 'issue') this.#issue(event.issue)
    else if (event.type === 'interchange-end') for (const issue of event.issues) this.#issue(issue)
    else if (event.type === 'transaction-end') {
      if (event.quarantined) this.#quarantined++
      for (const issue of event.issues) this.#issue(issue)
    }
  }

  /** Records a failure that stopped the read. */
  failure(error: X12Error): void {
    this.#errors.push({ code: error.code, message: error.message, position: error.position })
  }

  #issue(issue: {
    code: string
    severity: string
    message: string
    position: X12Position | undefined
  }): void {
    const problem = { code: issue.code, message: issue.message, position: issue.position }
    if (issue.severity === 'error') this.#errors.push(problem)
    else this.#warnings.push(problem)
  }

  /** The summary so far. */
  summary(file: string): X12Summary {
    const sums = this.#sums
    const byKey = new Map<string, Cents>()
    for (const { group, carc, sum } of this.#casSums.values()) add(byKey, `${group}-${carc}`, sum[0] ?? 0)
    for (const [group, byCarc] of this.#adjustments)
      for (const [carc, sum] of byCarc) add(byKey, `${group}-${carc}`, sum[0] ?? 0)
    return buildSummary(file, {
      interchanges: this.#interchanges,
      groups: this.#groups,
      transactions: this.#transactions,
      claims: this.#claims,
      serviceLines: this.#serviceLines,
      ndcLines: this.#ndcLines,
      sums,
      claimStatus: this.#status,
      adjustments: byKey,
      quarantined: this.#quarantined,
      ta1: this.#ta1,
      ik5: this.#ik5,
      ak9: this.#ak9,
      stc: this.#stc,
      errors: this.#errors,
      warnings: this.#warnings,
    })
  }
}

/** What {@link buildSummary} formats: a collector's figures, or a clean scan's. */
interface SummaryParts {
  interchanges: number
  groups: number
  transactions: Map<string, number>
  claims: number
  serviceLines: number
  ndcLines: number
  /** CHARGE, PAID, PLB, BPR in cents. */
  sums: ArrayLike<number>
  claimStatus: Map<string, number>
  /** Cents by `GROUP-CARC`. */
  adjustments: Map<string, Cents>
  quarantined: number
  ta1: Map<string, number>
  ik5: Map<string, number>
  ak9: Map<string, number>
  stc: Map<string, number>
  errors: SummaryProblem[]
  warnings: SummaryProblem[]
}

/** The summary of `file` from its figures: sorted records and money as text. */
function buildSummary(file: string, parts: SummaryParts): X12Summary {
  const sums = parts.sums
  const adjustments: Record<string, string> = {}
  for (const [key, cents] of Object.entries(sortedRecord(parts.adjustments)))
    adjustments[key] = formatCents(cents)
  return {
    file,
    interchanges: parts.interchanges,
    groups: parts.groups,
    transactions: sortedRecord(parts.transactions),
    claims: parts.claims,
    serviceLines: parts.serviceLines,
    ndcLines: parts.ndcLines,
    totalCharge: formatCents(sums[CHARGE] ?? 0),
    totalPaid: formatCents(sums[PAID] ?? 0),
    claimStatus: sortedRecord(parts.claimStatus),
    adjustments,
    plbTotal: formatCents(sums[PLB] ?? 0),
    bprTotal: formatCents(sums[BPR] ?? 0),
    quarantinedTransactions: parts.quarantined,
    ...(parts.ta1.size + parts.ik5.size + parts.ak9.size + parts.stc.size > 0
      ? {
          acknowledgments: {
            ta1: sortedRecord(parts.ta1),
            ik5: sortedRecord(parts.ik5),
            ak9: sortedRecord(parts.ak9),
            stc: sortedRecord(parts.stc),
          },
        }
      : {}),
    errors: parts.errors,
    warnings: parts.warnings,
  }
}

/** The summary of a file that {@link Clean835Scanner} found clean: no issue, nothing quarantined. */
export function summaryOfCleanScan(file: string, counts: Clean835Counts): X12Summary {
  const adjustments = new Map<string, Cents>()
  for (const { group, carc, cents } of counts.adjustments) add(adjustments, `${group}-${carc}`, cents)
  const none = new Map<string, number>()
  return buildSummary(file, {
    interchanges: counts.interchanges,
    groups: counts.groups,
    transactions: new Map(counts.transactions > 0 ? [['835', counts.transactions]] : []),
    claims: counts.claims,
    serviceLines: counts.serviceLines,
    ndcLines: 0,
    sums: [counts.charge, counts.paid, counts.plb, counts.bpr],
    claimStatus: counts.claimStatus,
    adjustments,
    quarantined: 0,
    ta1: none,
    ik5: none,
    ak9: none,
    stc: none,
    errors: [],
    warnings: [],
  })
}

/** Bytes read at a time by {@link scanClean835File}. */
const SCAN_BYTES = 1024 * 1024

/**
 * Scans a regular file with {@link Clean835Scanner}: its counts when the file is a clean 835,
 * `undefined` when it is not (or is a pipe or device, which cannot be read a second time). Stops
 * reading at the first thing that is not clean. The next megabyte is read (on libuv's thread pool)
 * while this one is scanned.
 */
async function scanClean835File(
  path: string,
  signal: AbortSignal | undefined,
): Promise<Clean835Counts | undefined> {
  // Stat by path before opening: opening a FIFO takes its writer's data (and closing it ends the
  // writer), so a pipe or device is left unopened for the reader. A path that cannot be read is the
  // reader's to report, with its own message.
  const kind = await stat(path).catch(() => undefined)
  if (kind === undefined || !kind.isFile()) return undefined
  const handle = await open(path, 'r')
  // Read errors of a read in flight when the scan gives up are the reader's to report.
  let inFlight: Promise<unknown> | undefined
  try {
    if (!(await handle.stat()).isFile()) return undefined
    const scanner = new Clean835Scanner()
    // What the scan has not used yet (an incomplete segment) followed by the bytes just read; the
    // scan never leaves more than a segment (at most 64 KiB) unused.
    const work = new Uint8Array(2 * SCAN_BYTES)
    const first = new Uint8Array(SCAN_BYTES)
    const second = new Uint8Array(SCAN_BYTES)
    let have = 0
    let position = 0
    let next = handle.read(first, 0, SCAN_BYTES, position)
    for (;;) {
      signal?.throwIfAborted()
      const { bytesRead, buffer } = await next
      inFlight = undefined
      if (bytesRead === 0) return scanner.finish(work.subarray(0, have))
      position += bytesRead
      next = handle.read(buffer === first ? second : first, 0, SCAN_BYTES, position)
      inFlight = next
      work.set(buffer.subarray(0, bytesRead), have)
      const end = have + bytesRead
      const used = scanner.scan(work, end)
      if (used < 0) return undefined
      work.copyWithin(0, used, end)
      have = end - used
    }
  } finally {
    await inFlight?.catch(() => undefined)
    await handle.close()
  }
}

/**
 * Summarizes one X12 file, streaming. A failure that stops the read (no ISA, unreadable ISA) is
 * recorded in `errors`; I/O errors (missing file) are thrown.
 */
export async function summarizeX12File(
  path: string,
  displayName: string = path,
  options: Omit<ReadX12FileOptions, 'onSegment'> = {},
): Promise<X12Summary> {
  // A clean 835 is counted by one pass over its bytes (the reader would find no issue in it);
  // anything else, or anything the scan does not model, is read by the reader.
  if (options.assemblers === undefined && options.maxSegmentBytes === undefined) {
    const counts = await scanClean835File(path, options.signal)
    if (counts !== undefined) return summaryOfCleanScan(displayName, counts)
  }
  // The reader (tokenizer, envelope checks, every assembler) is loaded only for a file that needs
  // it: a clean 835 starts without compiling those modules.
  const { readX12File } = await import('./read-x12.js')
  const collector = new X12SummaryCollector()
  try {
    for await (const events of readX12File(path, { ...options, onSegment: collector.onSegment })) {
      for (const event of events) collector.event(event)
    }
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    collector.failure(error)
  }
  return collector.summary(displayName)
}
