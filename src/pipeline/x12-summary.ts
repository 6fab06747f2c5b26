import type { Cents } from '../../parsers/money.js'
import { formatCents, parseCents } from '../../parsers/money.js'
import type { Segment, X12Position } from '../../parsers/x12/segment.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import type { ReadX12FileOptions } from './read-x12.js'
import { readX12File } from './read-x12.js'

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
   * CHARGE, PAID, PLB and BPR sums in cents. In a Float64Array they are doubles from the start (exact
   * below 2^53): as fields they began as small integers, and the first sum past V8's small-integer range (2^31 cents:
   * a 61 MB 835's total charge) changed the field's representation and deoptimized `onSegment` mid-file.
   */
  readonly #sums = new Float64Array(4)
  #status = new Map<string, number>()
  /**
   * CAS amounts by group, then CARC: no `GROUP-CARC` string is built per triplet (the summary
   * joins them once).
   */
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
        let byCarc = this.#adjustments.get(group)
        for (let i = 2; i < e.length; i += 3) {
          const carc = e[i] ?? ''
          if (carc === '') continue
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
    for (const [group, byCarc] of this.#adjustments)
      for (const [carc, sum] of byCarc) add(byKey, `${group}-${carc}`, sum[0] ?? 0)
    const adjustments: Record<string, string> = {}
    for (const [key, cents] of Object.entries(sortedRecord(byKey))) adjustments[key] = formatCents(cents)
    return {
      file,
      interchanges: this.#interchanges,
      groups: this.#groups,
      transactions: sortedRecord(this.#transactions),
      claims: this.#claims,
      serviceLines: this.#serviceLines,
      ndcLines: this.#ndcLines,
      totalCharge: formatCents(sums[CHARGE] ?? 0),
      totalPaid: formatCents(sums[PAID] ?? 0),
      claimStatus: sortedRecord(this.#status),
      adjustments,
      plbTotal: formatCents(sums[PLB] ?? 0),
      bprTotal: formatCents(sums[BPR] ?? 0),
      quarantinedTransactions: this.#quarantined,
      ...(this.#ta1.size + this.#ik5.size + this.#ak9.size + this.#stc.size > 0
        ? {
            acknowledgments: {
              ta1: sortedRecord(this.#ta1),
              ik5: sortedRecord(this.#ik5),
              ak9: sortedRecord(this.#ak9),
              stc: sortedRecord(this.#stc),
            },
          }
        : {}),
      errors: this.#errors,
      warnings: this.#warnings,
    }
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
