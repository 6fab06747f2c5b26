import type { IsoDate } from '../dates.js'
import { isValidIsoDate } from '../dates.js'
import type { Delimiters, Segment } from '../x12/segment.js'
import { positionOf } from '../x12/segment.js'
import { X12Error } from '../x12/x12-error.js'
import type { Claim837 } from './claim837.js'

/** What a caller passes to {@link writeClaims837}. */
export interface WriteClaims837Options {
  /** ISA06 / GS02, at most 15 characters. */
  senderId: string
  /** ISA08 / GS03, at most 15 characters. */
  receiverId: string
  /** ISA13 / IEA02: 1 to 9 digits (zero-padded to 9). */
  interchangeControl: string | number
  /** GS02, the application sender's code; default `senderId`. */
  applicationSenderCode?: string
  /** GS03, the application receiver's code; default `receiverId`. */
  applicationReceiverCode?: string
  /** GS06 / GE02 of the first group, the next groups counting up from it; default 1. */
  firstGroupControl?: number
  /** ST02 / SE02 of the first set (at least 4 digits), the next sets counting up from it; default 1. */
  firstTransactionControl?: number
  /** ISA09 / GS04. */
  date: IsoDate
  /** ISA10 / GS05 as HHMM; default `0000`. */
  time?: string
  /** ISA15: P production, T test; default `P`. */
  usage?: 'P' | 'T'
  /** ISA05/ISA07 id qualifiers; default `ZZ` (mutually defined). */
  senderQualifier?: string
  receiverQualifier?: string
  /** Output delimiters; default `*`, `:`, `^` and `~`. */
  delimiters?: Partial<Delimiters>
}

/** GS06 (N0 1/9) and ST02 (AN 4/9) hold at most 9 digits (X12 005010 GS and ST segments). */
const MAX_CONTROL = 999_999_999

/** {@link WriteClaims837Options} with every default applied and checked. */
export interface NormalizedWriteClaims837Options {
  senderId: string
  receiverId: string
  senderQualifier: string
  receiverQualifier: string
  applicationSenderCode: string
  applicationReceiverCode: string
  interchangeControl: string
  firstGroupControl: number
  firstTransactionControl: number
  date: IsoDate
  time: string
  usage: 'P' | 'T'
  delimiters: { element: string; component: string; repetition: string; segment: string }
}

/** Applies the defaults of {@link WriteClaims837Options} and validates them; throws `X12_WRITE_OPTION`. */
export function normalizeWriteClaims837Options(
  options: WriteClaims837Options,
): NormalizedWriteClaims837Options {
  const fail = (message: string): never => {
    throw new X12Error('X12_WRITE_OPTION', message)
  }
  const delimiters = {
    element: options.delimiters?.element ?? '*',
    component: options.delimiters?.component ?? ':',
    repetition: options.delimiters?.repetition ?? '^',
    segment: options.delimiters?.segment ?? '~',
  }
  const chars = Object.values(delimiters)
  for (const [name, value] of Object.entries(delimiters)) {
    if (value.length !== 1 || /[A-Za-z0-9 ]/.test(value)) {
      fail(`Expected the ${name} delimiter to be one non-alphanumeric character, got \`${value}\``)
    }
  }
  for (const name of ['element', 'component', 'repetition'] as const) {
    // Line breaks are read as layout after a terminator, so only the terminator may be one.
    if (delimiters[name] === '\n' || delimiters[name] === '\r')
      fail(`Expected the ${name} delimiter not to be a line break`)
  }
  if (new Set(chars).size !== chars.length)
    fail(`Expected four different delimiters, got \`${chars.join('')}\``)
  const interchangeControl = String(options.interchangeControl)
  if (!/^\d{1,9}$/.test(interchangeControl)) {
    fail(`Expected \`interchangeControl\` to be 1 to 9 digits, got \`${interchangeControl}\``)
  }
  const time = options.time ?? '0000'
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(time)) fail(`Expected \`time\` as HHMM, got \`${time}\``)
  if (!isValidIsoDate(options.date)) fail(`Expected \`date\` as YYYY-MM-DD, got \`${options.date}\``)
  const applicationSenderCode = options.applicationSenderCode ?? options.senderId
  const applicationReceiverCode = options.applicationReceiverCode ?? options.receiverId
  const ids: [string, string][] = [
    ['senderId', options.senderId],
    ['receiverId', options.receiverId],
    ['applicationSenderCode', applicationSenderCode],
    ['applicationReceiverCode', applicationReceiverCode],
  ]
  for (const [name, value] of ids) {
    if (value.length < 1 || value.length > 15)
      fail(`Expected \`${name}\` to have 1 to 15 characters, got ${value.length}`)
    if (chars.some((c) => value.includes(c))) fail(`Expected \`${name}\` not to contain a delimiter`)
  }
  const usage = options.usage ?? 'P'
  if (usage !== 'P' && usage !== 'T') fail(`Expected \`usage\` to be P or T, got \`${String(usage)}\``)
  const controls: [string, number][] = [
    ['firstGroupControl', options.firstGroupControl ?? 1],
    ['firstTransactionControl', options.firstTransactionControl ?? 1],
  ]
  for (const [name, value] of controls)
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_CONTROL)
      fail(`Expected \`${name}\` to be an integer from 1 to ${MAX_CONTROL}, got ${value}`)
  return {
    senderId: options.senderId,
    receiverId: options.receiverId,
    senderQualifier: options.senderQualifier ?? 'ZZ',
    receiverQualifier: options.receiverQualifier ?? 'ZZ',
    applicationSenderCode,
    applicationReceiverCode,
    interchangeControl: interchangeControl.padStart(9, '0'),
    firstGroupControl: options.firstGroupControl ?? 1,
    firstTransactionControl: options.firstTransactionControl ?? 1,
    date: options.date,
    time,
    usage,
    delimiters,
  }
}

/** One HL node of a claim's hierarchy: the HL and its loop segments (2010AA, 2010BA/BB, 2010CA…). */
interface HierarchyNode {
  hl: Segment
  rest: Segment[]
  /** The node's text with HL01/HL02/HL04 blanked: two claims under the same loop share it. */
  key: string
}

/** An HL already written in the current ST, open for more claims or children. */
interface OpenNode {
  key: string
  id: number
  /** The written HL's elements, patched when a child HL follows (HL04). */
  elements: string[]
}

/**
 * Writes 837 claims as one 5010 interchange: ISA, one GS per implementation guide (GS08 = the
 * claims' `005010X222A1` / `005010X223A2`), one ST..SE per run of claims that share a submitter
 * and receiver header (BHT + 1000A/B taken from the first claim's `source.header`), HLs renumbered
 * with parent pointers and child flags recomputed, each claim's `source.body` as it stands (so an
 * edited body, e.g. CLM05-3 = 7 with a REF*F8, is written with its edits), and the SE01/GE01/IEA01
 * counts and control numbers. Claims sharing a billing provider / subscriber / patient loop, written
 * one after another, share its HL.
 *
 * Segments are translated to the output delimiters; a value that contains one of them is rejected
 * with `X12_BAD_ELEMENT` and the position of the source segment.
 *
 * @example
 * ```ts
 * const x12 = writeClaims837(claims, { senderId: 'CLINIC', receiverId: 'CH', interchangeControl: 42, date: '2026-03-01' })
 * ```
 */
export function writeClaims837(claims: Claim837[], options: WriteClaims837Options): string {
  const o = normalizeWriteClaims837Options(options)
  const d = o.delimiters
  // Segments are buffered as element arrays: a written HL's HL04 is patched when a child follows.
  const lines: string[][] = []
  const write = (elements: string[]): void => {
    lines.push(elements)
  }

  const yymmdd = o.date.slice(2).replaceAll('-', '')
  const ccyymmdd = o.date.replaceAll('-', '')
  // ISA is fixed width: ISA02/ISA04 10 spaces, ISA06/ISA08 15 characters (X12 005010 control segments).
  write([
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    o.senderQualifier.padEnd(2, ' '),
    o.senderId.padEnd(15, ' '),
    o.receiverQualifier.padEnd(2, ' '),
    o.receiverId.padEnd(15, ' '),
    yymmdd,
    o.time,
    d.repetition,
    '00501',
    o.interchangeControl,
    '0',
    o.usage,
    d.component,
  ])

  const groups = groupEnvelopes(claims)
  const shape = envelopeShapeOf(groups)
  const last = Math.max(
    o.firstGroupControl + shape.groups - 1,
    o.firstTransactionControl + shape.transactions - 1,
  )
  if (last > MAX_CONTROL)
    throw new X12Error(
      'X12_WRITE_OPTION',
      `Expected the group and set control numbers to stay at or below ${MAX_CONTROL}, got ${last}`,
    )
  let groupControl = o.firstGroupControl - 1
  let transactionControl = o.firstTransactionControl - 1
  for (const [implementation, sets] of groups) {
    groupControl++
    write([
      'GS',
      'HC',
      o.applicationSenderCode,
      o.applicationReceiverCode,
      ccyymmdd,
      o.time,
      String(groupControl),
      'X',
      implementation,
    ])
    for (const [, setClaims] of sets) {
      transactionControl++
      const control = String(transactionControl).padStart(4, '0')
      const first = setClaims[0]
      if (first === undefined) continue
      const segmentsBefore = lines.length
      write(['ST', '837', control, implementation])
      if (!first.source.header.some((s) => s.id === 'BHT')) {
        throw new X12Error(
          'X12_MISSING_SEGMENT',
          'Expected the first claim of a set to carry its BHT in source.header',
          first.position,
        )
      }
      for (const segment of first.source.header) write(translate(segment, d))
      writeClaimsOfSet(setClaims, d, write)
      const count = lines.length - segmentsBefore + 1
      write(['SE', String(count), control])
    }
    write(['GE', String(sets.size), String(groupControl)])
  }
  write(['IEA', String(groups.size), o.interchangeControl])
  const lineBreak = d.segment === '\n' ? '' : '\n'
  return lines.map((elements) => elements.join(d.element) + d.segment + lineBreak).join('')
}

/**
 * How many groups (GS, one per implementation guide) and transaction sets (ST, one per run of
 * claims sharing a submitter/receiver header) {@link writeClaims837} writes for `claims`: what a
 * caller reserves control numbers for before writing.
 *
 * @example
 * ```ts
 * const { groups, transactions } = envelopeShape837(claims) // e.g. { groups: 2, transactions: 3 }
 * ```
 */
export function envelopeShape837(claims: readonly Claim837[]): { groups: number; transactions: number } {
  return envelopeShapeOf(groupEnvelopes(claims))
}

/** The claims by GS (implementation guide), then by ST (header without BHT). */
function groupEnvelopes(claims: readonly Claim837[]): Map<string, Map<string, Claim837[]>> {
  const groups = new Map<string, Map<string, Claim837[]>>()
  for (const [implementation, groupClaims] of groupBy(claims, implementationOf))
    groups.set(
      implementation,
      groupBy(groupClaims, (claim) =>
        claim.source.header
          .filter((s) => s.id !== 'BHT')
          .map((s) => s.elements.join('\u0001'))
          .join('\u0002'),
      ),
    )
  return groups
}

function envelopeShapeOf(groups: Map<string, Map<string, Claim837[]>>): {
  groups: number
  transactions: number
} {
  let transactions = 0
  for (const sets of groups.values()) transactions += sets.size
  return { groups: groups.size, transactions }
}

function writeClaimsOfSet(
  claims: Claim837[],
  d: NormalizedWriteClaims837Options['delimiters'],
  write: (elements: string[]) => void,
): void {
  let open: OpenNode[] = []
  let nextId = 0
  for (const claim of claims) {
    const nodes = splitHierarchy(claim)
    const leaf = nodes.length - 1
    // Reuse the longest run of identical open loops; the leaf is reused only when nothing deeper
    // was written after it (a claim belongs to the last HL before its CLM).
    let shared = 0
    while (shared < nodes.length && shared < open.length && open[shared]?.key === nodes[shared]?.key) shared++
    if (shared === nodes.length && open.length > nodes.length) shared = leaf
    open = open.slice(0, shared)
    for (let depth = shared; depth < nodes.length; depth++) {
      const node = nodes[depth]
      if (node === undefined) continue
      nextId++
      const parent = open[depth - 1]
      if (parent !== undefined) parent.elements[4] = '1'
      const elements = translate(node.hl, d)
      while (elements.length < 5) elements.push('')
      elements[1] = String(nextId)
      elements[2] = parent === undefined ? '' : String(parent.id)
      elements[4] = '0'
      write(elements)
      open.push({ key: node.key, id: nextId, elements })
      for (const segment of node.rest) write(translate(segment, d))
    }
    if (claim.source.body.length === 0 || claim.source.body[0]?.id !== 'CLM') {
      throw new X12Error('X12_MISSING_SEGMENT', 'Expected source.body to start with CLM', claim.position)
    }
    for (const segment of claim.source.body) write(translate(segment, d))
  }
}

/** Splits a claim's `source.hierarchy` into its HL loops, each keyed by its content. */
function splitHierarchy(claim: Claim837): HierarchyNode[] {
  const nodes: { hl: Segment; rest: Segment[] }[] = []
  for (const segment of claim.source.hierarchy) {
    if (segment.id === 'HL') nodes.push({ hl: segment, rest: [] })
    else {
      const current = nodes[nodes.length - 1]
      if (current === undefined) {
        throw new X12Error('X12_BAD_HL', 'Expected source.hierarchy to start with an HL', positionOf(segment))
      }
      current.rest.push(segment)
    }
  }
  if (nodes.length === 0)
    throw new X12Error('X12_BAD_HL', 'Expected source.hierarchy to hold the HL chain', claim.position)
  return nodes.map((node) => ({
    ...node,
    key: [['HL', '', '', node.hl.elements[3] ?? '', ''], ...node.rest.map((s) => s.elements)]
      .map((elements) => elements.join('\u0001'))
      .join('\u0002'),
  }))
}

/** Re-expresses a segment's elements with the output component and repetition separators. */
function translate(segment: Segment, d: NormalizedWriteClaims837Options['delimiters']): string[] {
  const source = segment.delimiters
  const out: string[] = [segment.id]
  for (let n = 1; n < segment.elements.length; n++) {
    const value = segment.elements[n] ?? ''
    const repeats = source.repetition === undefined ? [value] : value.split(source.repetition)
    const written = repeats.map((repeat) => {
      const parts = repeat.split(source.component)
      for (const part of parts) {
        if (
          part.includes(d.element) ||
          part.includes(d.segment) ||
          part.includes(d.component) ||
          part.includes(d.repetition)
        ) {
          throw new X12Error(
            'X12_BAD_ELEMENT',
            'Expected no output delimiter inside an element value; choose other delimiters',
            positionOf(segment, n),
          )
        }
      }
      return parts.join(d.component)
    })
    out.push(written.join(d.repetition))
  }
  // Trailing empty elements are dropped with their separators, as X12 syntax requires.
  while (out.length > 1 && out[out.length - 1] === '') out.pop()
  return out
}

/** GS08/ST03 of a claim: its own implementation guide, or the 5010 guide of its kind when unknown. */
function implementationOf(claim: Claim837): string {
  const implementation = claim.envelope.implementation
  if (/^005010X22[23]/.test(implementation)) return implementation
  return claim.kind === '837I' ? '005010X223A2' : '005010X222A1'
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}
