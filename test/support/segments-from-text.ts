import type { EnvelopeContext } from '../../parsers/x12/envelope.js'
import type { Delimiters, Segment } from '../../parsers/x12/segment.js'
import { positionOf } from '../../parsers/x12/segment.js'
import type { AssemblerFactory, TransactionSummary } from '../../parsers/x12/transaction-assembler.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'

/**
 * A deliberately small, whole-string splitter for assembler unit tests: it reads the delimiters from
 * the ISA (byte 3, ISA11, ISA16 and the byte after it), splits on the terminator and computes the
 * positions the real tokenizer would (byte offset, index in the interchange, index from ST).
 * It is not the product tokenizer (parsers/x12-reader.ts is); it lets the assemblers be tested alone.
 */
export function segmentsFromText(text: string): Segment[] {
  const start = text.indexOf('ISA')
  if (start < 0) throw new Error('segmentsFromText: no ISA')
  const elementSep = text.charAt(start + 3)
  let seen = 0
  let i = start
  while (seen < 16 && i < text.length) {
    i++
    if (text.charAt(i) === elementSep) seen++
  }
  const component = text.charAt(i + 1)
  const terminator = text.charAt(i + 2)
  const isaElements = text.slice(start, i + 2).split(elementSep)
  const isa11 = isaElements[11] ?? ''
  const delimiters: Delimiters = {
    element: elementSep,
    component,
    repetition: /^[A-Za-z0-9]$/.test(isa11) || isa11 === '' ? undefined : isa11,
    segment: terminator,
  }
  const segments: Segment[] = []
  let offset = start
  let index = 0
  let stIndex = 0
  while (offset < text.length) {
    // skip line breaks and indentation between segments
    while (offset < text.length && /\s/.test(text.charAt(offset))) offset++
    if (offset >= text.length) break
    const end = text.indexOf(terminator, offset)
    const raw = end < 0 ? text.slice(offset) : text.slice(offset, end)
    const elements = raw.split(elementSep)
    const id = elements[0] ?? ''
    if (id === 'ISA') index = 0
    index++
    if (id === 'ST') stIndex = 1
    else if (stIndex > 0) stIndex++
    segments.push({ id, elements, offset, index, stIndex, delimiters })
    if (id === 'SE') stIndex = 0
    offset = end < 0 ? text.length : end + 1
  }
  return segments
}

/** What {@link runAssemblers} returns for one ST..SE. */
export interface AssembledSet {
  envelope: EnvelopeContext
  events: X12Event[]
  summary: TransactionSummary
  issues: X12Issue[]
}

/**
 * Feeds every ST..SE of `text` to an assembler made by `factory`, the way the reader does: one
 * assembler per set, only the segments strictly between ST and SE.
 */
export function runAssemblers(text: string, factory: AssemblerFactory): AssembledSet[] {
  const sets: AssembledSet[] = []
  let isa: Segment | undefined
  let gs: Segment | undefined
  let current:
    | { envelope: EnvelopeContext; assembler: ReturnType<AssemblerFactory>; events: X12Event[] }
    | undefined
  for (const segment of segmentsFromText(text)) {
    if (segment.id === 'ISA') isa = segment
    else if (segment.id === 'GS') gs = segment
    else if (segment.id === 'ST') {
      const el = (s: Segment | undefined, n: number): string => s?.elements[n] ?? ''
      const isa09 = el(isa, 9)
      const envelope: EnvelopeContext = {
        senderId: el(isa, 6).trim(),
        receiverId: el(isa, 8).trim(),
        interchangeControl: el(isa, 13),
        usageIndicator: el(isa, 15).trim(),
        interchangeDate: `20${isa09.slice(0, 2)}-${isa09.slice(2, 4)}-${isa09.slice(4, 6)}`,
        groupControl: el(gs, 6),
        version: el(gs, 8),
        transactionType: el(segment, 1),
        transactionControl: el(segment, 2),
        implementation: el(segment, 3) || el(gs, 8),
        position: positionOf(segment),
      }
      current = { envelope, assembler: factory(envelope), events: [] }
    } else if (segment.id === 'SE') {
      if (current === undefined) throw new Error('SE without ST')
      const summary = current.assembler.end(current.events)
      sets.push({
        envelope: current.envelope,
        events: current.events,
        summary,
        issues: current.assembler.issues,
      })
      current = undefined
    } else if (current !== undefined) {
      current.assembler.push(segment, current.events)
    }
  }
  return sets
}

/**
 * Mutates a segment list for robustness properties: each step deletes, duplicates or moves a
 * segment, or blanks/garbles one element. `steps` are indexes chosen by the property.
 */
export function mutateSegments(
  segments: Segment[],
  steps: {
    kind: 'delete' | 'duplicate' | 'move' | 'blank' | 'garble'
    at: number
    to: number
    element: number
  }[],
): Segment[] {
  const out = [...segments]
  for (const step of steps) {
    if (out.length === 0) break
    const at = step.at % out.length
    const segment = out[at]
    if (segment === undefined) continue
    if (step.kind === 'delete') out.splice(at, 1)
    else if (step.kind === 'duplicate') out.splice(at, 0, segment)
    else if (step.kind === 'move') {
      out.splice(at, 1)
      out.splice(step.to % (out.length + 1), 0, segment)
    } else {
      const n = 1 + (step.element % Math.max(1, segment.elements.length - 1))
      const elements = [...segment.elements]
      elements[n] = step.kind === 'blank' ? '' : `X${elements[n] ?? ''}!`
      out[at] = { ...segment, elements }
    }
  }
  return out
}
