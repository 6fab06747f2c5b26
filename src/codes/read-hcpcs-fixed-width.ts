import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { controlCharacterIndex, describeControlCharacter } from '../../parsers/csv/csv-reader.js'
import { parseD8 } from '../../parsers/dates.js'
import { parseBillingUnit } from '../../transforms/codes/billing-unit.js'
import type { HcpcsRecord, Quarter } from '../../transforms/codes/code-records.js'
import type { SkippedRow } from './code-file-records.js'

/**
 * Field positions (1-based, inclusive) of the HCPCS contractor record, from the CMS record layout
 * "HCPCS Contractor Record - 2026" (fixtures-seed/hcpcs-2026-recordlayout.txt).
 */
export const HCPCS_FIXED_WIDTH_LAYOUT = {
  recordLength: 320,
  code: [1, 5],
  sequence: [6, 10],
  recordId: [11, 11],
  longDescription: [12, 91],
  shortDescription: [92, 119],
  /** XREF1..XREF5: 5 occurrences of 5 characters. */
  xrefs: [205, 229],
  addDate: [269, 276],
  actionEffectiveDate: [277, 284],
  terminationDate: [285, 292],
  actionCode: [293, 293],
} as const

type Field = readonly [number, number]

const field = (line: string, [from, to]: Field): string => line.slice(from - 1, to)

/** Record ids: 3 procedure, 4 procedure continuation, 7 modifier, 8 modifier continuation. */
const FIRST_RECORD_IDS = new Set(['3', '7'])
const CONTINUATION_RECORD_IDS = new Set(['4', '8'])

/** True when a line looks like a HCPCS contractor record (record id in column 11). */
export function isHcpcsFixedWidthLine(line: string): boolean {
  const recordId = field(line, HCPCS_FIXED_WIDTH_LAYOUT.recordId)
  return (
    line.length >= 293 &&
    line.length <= HCPCS_FIXED_WIDTH_LAYOUT.recordLength &&
    (FIRST_RECORD_IDS.has(recordId) || CONTINUATION_RECORD_IDS.has(recordId)) &&
    /^[ A-Z0-9]{5}$/.test(field(line, HCPCS_FIXED_WIDTH_LAYOUT.code))
  )
}

interface Pending {
  line: string
  lineNumber: number
  longDescription: string
}

/**
 * Streams the CMS HCPCS fixed-width file ("ANWEB" txt) into one `HcpcsRecord` per code, joining
 * the long description of continuation records (ids 4 and 8) to their procedure or modifier
 * record. Modifiers are kept with their two-character code ("JW"). Yields batches.
 */
export async function* readHcpcsFixedWidth(
  path: string,
  quarter: Quarter,
  onSkip: (skipped: SkippedRow) => void,
  batchSize = 500,
): AsyncGenerator<HcpcsRecord[]> {
  const input = createReadStream(path, { encoding: 'latin1' })
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let batch: HcpcsRecord[] = []
  let pending: Pending | undefined
  let lineNumber = 0
  const flush = (): void => {
    if (pending === undefined) return
    const record = toRecord(pending, quarter, onSkip)
    if (record !== undefined) batch.push(record)
    pending = undefined
  }
  try {
    for await (const line of lines) {
      lineNumber++
      if (line.trim() === '') continue
      const problem = recordProblem(line, lineNumber)
      if (problem !== undefined) {
        onSkip(problem)
        continue
      }
      const recordId = field(line, HCPCS_FIXED_WIDTH_LAYOUT.recordId)
      const code = field(line, HCPCS_FIXED_WIDTH_LAYOUT.code).trim()
      if (FIRST_RECORD_IDS.has(recordId)) {
        flush()
        pending = { line, lineNumber, longDescription: text(line, HCPCS_FIXED_WIDTH_LAYOUT.longDescription) }
      } else if (CONTINUATION_RECORD_IDS.has(recordId) && pending !== undefined) {
        if (field(pending.line, HCPCS_FIXED_WIDTH_LAYOUT.code).trim() === code) {
          pending.longDescription = joinDescription(
            pending.longDescription,
            text(line, HCPCS_FIXED_WIDTH_LAYOUT.longDescription),
          )
        } else
          onSkip({
            line: lineNumber,
            code: 'CODES_BAD_ROW',
            reason: `continuation of ${code} follows another code`,
          })
      } else if (CONTINUATION_RECORD_IDS.has(recordId))
        onSkip({
          line: lineNumber,
          code: 'CODES_BAD_ROW',
          reason: `continuation of ${code} before any procedure record`,
        })
      else
        onSkip({
          line: lineNumber,
          column: HCPCS_FIXED_WIDTH_LAYOUT.recordId[0],
          code: 'CODES_BAD_ROW',
          reason: `record id "${recordId}" is not 3, 4, 7 or 8`,
        })
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
    flush()
    if (batch.length > 0) yield batch
  } finally {
    lines.close()
    input.destroy()
  }
}

/**
 * Why a line is not a whole contractor record, or `undefined`. Every record is 320 characters
 * (CMS record layout): a shorter line was cut (its dates, cross-references and action code would
 * be read as blank), so it is skipped rather than stored without dates. Blanks past 320 are
 * padding (the January 2026 file pads one record to 546); anything else past 320 is not.
 */
export function recordProblem(line: string, lineNumber: number): SkippedRow | undefined {
  const length = HCPCS_FIXED_WIDTH_LAYOUT.recordLength
  if (line.length < length || line.slice(length).trim() !== '') {
    const code = field(line, HCPCS_FIXED_WIDTH_LAYOUT.code).trim()
    return {
      line: lineNumber,
      column: Math.min(line.length, length) + 1,
      code: 'CODES_BAD_RECORD_LENGTH',
      reason: `${code || 'record'}: ${line.trimEnd().length > length ? `data past character ${length}` : `${line.length} characters`}; a HCPCS record is ${length} characters (CMS record layout)`,
    }
  }
  const control = controlCharacterIndex(line)
  if (control >= 0)
    return {
      line: lineNumber,
      column: control + 1,
      code: 'CODES_CONTROL_CHAR',
      reason: `control character ${describeControlCharacter(line, control)}`,
    }
  return undefined
}

/**
 * CMS wraps the long description at 80 characters on a word boundary; the xlsx form of the same
 * file holds the whole text. Joined with one space and with runs of blanks collapsed (the wrap
 * loses a double space, 17 of 9006 codes in January 2026), both forms give the same text.
 */
function joinDescription(head: string, tail: string): string {
  if (tail === '') return head
  return head === '' ? tail : `${head} ${tail}`
}

/** Collapses runs of blanks to one space (see `joinDescription`). */
export function normalizeDescription(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function text(line: string, at: Field): string {
  return field(line, at).trim()
}

function toRecord(
  pending: Pending,
  quarter: Quarter,
  onSkip: (skipped: SkippedRow) => void,
): HcpcsRecord | undefined {
  const { line, lineNumber } = pending
  const layout = HCPCS_FIXED_WIDTH_LAYOUT
  const code = text(line, layout.code)
  const dates = {
    addDate: text(line, layout.addDate),
    actionEffectiveDate: text(line, layout.actionEffectiveDate),
    terminationDate: text(line, layout.terminationDate),
  }
  const parsed = parseHcpcsDates(dates)
  if (typeof parsed === 'string') {
    onSkip({ line: lineNumber, code: 'CODES_BAD_ROW', reason: `${code}: ${parsed}` })
    return undefined
  }
  const xrefText = field(line, layout.xrefs).padEnd(25, ' ')
  const xrefs: string[] = []
  for (let i = 0; i < 25; i += 5) {
    const xref = xrefText.slice(i, i + 5).trim()
    if (xref !== '') xrefs.push(xref)
  }
  const actionCode = text(line, layout.actionCode)
  const longDescription = normalizeDescription(pending.longDescription)
  return {
    code,
    longDescription,
    shortDescription: normalizeDescription(text(line, layout.shortDescription)),
    ...parsed,
    actionCode: actionCode === '' ? undefined : actionCode,
    xrefs,
    billingUnit: parseBillingUnit(longDescription),
    sourceQuarter: quarter,
  }
}

/** ADD DT, ACT EFF DT and TERM DT (YYYYMMDD, blank allowed) as ISO dates, or why they are not dates. */
export function parseHcpcsDates(dates: {
  addDate: string
  actionEffectiveDate: string
  terminationDate: string
}): Pick<HcpcsRecord, 'addDate' | 'actionEffectiveDate' | 'terminationDate'> | string {
  const out: Pick<HcpcsRecord, 'addDate' | 'actionEffectiveDate' | 'terminationDate'> = {
    addDate: undefined,
    actionEffectiveDate: undefined,
    terminationDate: undefined,
  }
  for (const key of ['addDate', 'actionEffectiveDate', 'terminationDate'] as const) {
    const value = dates[key]
    if (value === '') continue
    const iso = parseD8(value)
    if (iso === undefined) return `${key} "${value}" is not a YYYYMMDD date`
    out[key] = iso
  }
  return out
}
