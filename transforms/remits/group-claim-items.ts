import type { Cents } from '../../parsers/money.js'

/** One denied line of a claim (or its claim-level CAS), routed to a queue, with its deadline. */
export interface DeniedLine {
  /** `claim` for the claim-level CAS of a CLP, `line` for an SVC's. */
  level: 'claim' | 'line'
  remitLineId: number | null
  submittedLineId: number | null
  procedureCode: string | null
  /** `A:B`. */
  modifiers: string
  units: number | null
  serviceDate: string | null
  queue: string
  action: string
  /** `GROUP-CARC`, e.g. `CO-4`. */
  carcs: string[]
  rarcs: string[]
  amount: Cents
  deadline: string | null
  deadlineBasis: string
  lowConfidence: boolean
  appealable: boolean
  flags: string[]
  guidance: string
}

/** One claim's denials in one queue: what a biller works, fixes and resubmits once. */
export interface ClaimItem {
  queue: string
  /** The lines, in remit order (the claim-level CAS first). */
  lines: DeniedLine[]
  /** Σ of the lines. */
  amount: Cents
  /** The earliest of the lines' deadlines; `null` when no line has one. */
  deadline: string | null
  /** Basis, confidence, appealability, action and guidance of the line with the earliest deadline. */
  deadlineBasis: string
  lowConfidence: boolean
  appealable: boolean
  action: string
  guidance: string
  /** Union of the lines', in first-seen order. */
  carcs: string[]
  rarcs: string[]
  flags: string[]
  /** The earliest line date of service. */
  serviceDate: string | null
  /** The first line's procedure code (the claim's only line for a claim-level denial). */
  procedureCode: string | null
}

function union(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>()
  for (const list of lists) for (const value of list) seen.add(value)
  return [...seen]
}

/** Earlier deadline first; a line without a deadline comes after every line with one. */
function earlier(a: DeniedLine, b: DeniedLine): boolean {
  if (a.deadline === null) return false
  return b.deadline === null || a.deadline < b.deadline
}

/**
 * Groups the denied lines of one remit claim into one item per queue. When lines of one claim
 * land in different queues (CO-4 on one, CO-197 on another), each queue gets its own item; the
 * caller links them as siblings (same remit claim). Items come in the order their queue first
 * appears.
 *
 * @example
 * ```ts
 * groupClaimItems([co4Line1, co4Line2, co197Line3]).map((i) => [i.queue, i.lines.length])
 * // [['coding', 2], ['authorization', 1]]
 * ```
 */
export function groupClaimItems(lines: readonly DeniedLine[]): ClaimItem[] {
  const byQueue = new Map<string, DeniedLine[]>()
  for (const line of lines) {
    const list = byQueue.get(line.queue)
    if (list === undefined) byQueue.set(line.queue, [line])
    else list.push(line)
  }
  const items: ClaimItem[] = []
  for (const [queue, group] of byQueue) {
    let first = group[0]
    if (first === undefined) continue
    for (const line of group) if (earlier(line, first)) first = line
    let serviceDate: string | null = null
    for (const line of group)
      if (line.serviceDate !== null && (serviceDate === null || line.serviceDate < serviceDate))
        serviceDate = line.serviceDate
    items.push({
      queue,
      lines: group,
      amount: group.reduce((sum, line) => sum + line.amount, 0),
      deadline: first.deadline,
      deadlineBasis: first.deadlineBasis,
      lowConfidence: first.lowConfidence,
      appealable: first.appealable,
      action: first.action,
      guidance: first.guidance,
      carcs: union(group.map((l) => l.carcs)),
      rarcs: union(group.map((l) => l.rarcs)),
      flags: union(group.map((l) => l.flags)),
      serviceDate,
      procedureCode: group[0]?.procedureCode ?? null,
    })
  }
  return items
}
