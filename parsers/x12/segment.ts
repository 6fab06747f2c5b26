/**
 * The delimiters of one interchange, read from its ISA segment.
 *
 * X12 5010 has no release character, so none is modelled (ASC X12 005010 control segments).
 */
export interface Delimiters {
  /** ISA byte 3, e.g. `*`. */
  element: string
  /** ISA16, e.g. `:`. */
  component: string
  /** ISA11 when the version is 00501 or later and ISA11 is not alphanumeric; otherwise `undefined`. */
  repetition: string | undefined
  /** The byte after ISA16, e.g. `~`. Line breaks that follow it are not part of it. */
  segment: string
}

/**
 * Where a segment, element or component sits in the input. Positions are never reset per chunk.
 */
export interface X12Position {
  /** Byte offset of the segment's first byte from the start of the file (0-based). */
  offset: number
  /** 1-based index of the segment in its interchange (ISA is 1). */
  segment: number
  /** 1-based index from ST (ST is 1), as a 999's IK3 reports it; 0 outside a transaction set. */
  stSegment: number
  /** The segment id, e.g. `CLM`. */
  segmentId: string
  /** 1-based element index (CLM05 is 5), when the position points into an element. */
  element?: number
  /** 1-based component index (CLM05-3 is 3), when the position points into a component. */
  component?: number
}

/**
 * One X12 segment. `elements[0]` is the segment id, so `elements[n]` is element n in X12
 * numbering (`CLM01` is `elements[1]`).
 */
export interface Segment {
  id: string
  elements: string[]
  /** Byte offset of the segment's first byte from the start of the file (0-based). */
  offset: number
  /** 1-based index of the segment in its interchange (ISA is 1). */
  index: number
  /** 1-based index from ST (ST is 1); 0 outside a transaction set. */
  stIndex: number
  /** The delimiters of the interchange this segment belongs to. */
  delimiters: Delimiters
  /**
   * The segment as it was read, without its terminator (the same text as
   * `elements.join(delimiters.element)`): only when the reader was asked to keep it
   * (`segmentText`), and not changed when `elements` are.
   */
  text?: string
}

/** Returns element `n` (X12 numbering) or `''` when it is absent. */
export function element(segment: Segment, n: number): string {
  return segment.elements[n] ?? ''
}

/** Splits element `n` into its components; an absent element gives `[]`. */
export function components(segment: Segment, n: number): string[] {
  const value = segment.elements[n]
  if (value === undefined || value === '') return []
  return value.split(segment.delimiters.component)
}

/** Splits element `n` into its repetitions (ISA11); without a repetition separator it is one value. */
export function repetitions(segment: Segment, n: number): string[] {
  const value = segment.elements[n]
  if (value === undefined || value === '') return []
  const separator = segment.delimiters.repetition
  return separator === undefined ? [value] : value.split(separator)
}

/** The position of a segment, or of one of its elements/components. */
export function positionOf(segment: Segment, elementIndex?: number, componentIndex?: number): X12Position {
  const position: X12Position = {
    offset: segment.offset,
    segment: segment.index,
    stSegment: segment.stIndex,
    segmentId: segment.id,
  }
  if (elementIndex !== undefined) position.element = elementIndex
  if (componentIndex !== undefined) position.component = componentIndex
  return position
}

/** Formats a position for a message: `CLM05-3 (segment 14, ST segment 12, byte 612)`. */
export function formatPosition(position: X12Position): string {
  let where = position.segmentId
  if (position.element !== undefined) {
    where += String(position.element).padStart(2, '0')
    if (position.component !== undefined) where += `-${position.component}`
  }
  const st = position.stSegment > 0 ? `, ST segment ${position.stSegment}` : ''
  return `${where} (segment ${position.segment}${st}, byte ${position.offset})`
}
