import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Quarter } from '../../transforms/codes/code-records.js'
import { findQuarterInText, isQuarter } from '../../transforms/codes/quarter.js'
import type { CodeFileKind, DetectedCodeFile } from './code-file-records.js'
import { CodesError } from './codes-error.js'
import { HeaderColumns } from './header-columns.js'
import { readCsvRows } from './read-csv-rows.js'
import { isHcpcsFixedWidthLine } from './read-hcpcs-fixed-width.js'
import { readXlsxRows } from './read-xlsx-rows.js'

export interface DetectCodeFileOptions {
  /** The quarter to use when neither the content nor the file name says (`YYYY-MM`). */
  quarter?: Quarter | undefined
}

/** How many leading rows may hold title lines and notices before the column header. */
const HEADER_SEARCH_ROWS = 40

/**
 * Recognizes a CMS code file by its content, not its name: the fixed-width HCPCS txt by its
 * 320-character records, the xlsx and csv files by their column headers (which may follow title
 * lines or an AMA notice). The quarter comes from the content where CMS puts it (crosswalk title
 * "Effective January 1, 2026…", sheet names "HCPC2026_JAN_ANWEB" and "AOC_V2026Q2…"), else from
 * the file name, else from `options.quarter`. Throws CODES_UNKNOWN_FILE or CODES_NO_QUARTER.
 */
export async function detectCodeFile(
  path: string,
  options: DetectCodeFileOptions = {},
): Promise<DetectedCodeFile> {
  const head = await readHead(path, 4096)
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return detectXlsx(path, options)
  const firstLine = head.toString('latin1').split(/\r?\n/)[0] ?? ''
  if (isHcpcsFixedWidthLine(firstLine)) {
    const quarter = quarterFromNameOrOption(path, options)
    if (quarter === undefined) throw noQuarter(path, 'HCPCS fixed-width file')
    return { path, kind: 'hcpcs', format: 'fixed-width', ...quarter, headerLine: undefined, sheet: undefined }
  }
  return detectCsv(path, options)
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(path, 'r')
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } catch (cause) {
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `Cannot read ${path}: ${describe(cause)}`,
      { path },
      { cause },
    )
  } finally {
    await handle?.close()
  }
}

async function detectXlsx(path: string, options: DetectCodeFileOptions): Promise<DetectedCodeFile> {
  const titles: string[] = []
  let found: { kind: CodeFileKind; headerLine: number; sheet: string } | undefined
  try {
    for await (const { sheet, row, cells } of readXlsxRows(path)) {
      if (row > HEADER_SEARCH_ROWS) break
      const kind = xlsxKind(new HeaderColumns(cells))
      if (kind !== undefined) {
        found = { kind, headerLine: row, sheet }
        break
      }
      titles.push(sheet, ...cells.filter((cell) => cell.length < 200))
    }
  } catch (cause) {
    // The file was opened: a broken workbook is bad data, like any file that is not a code file.
    throw new CodesError(
      'CODES_UNKNOWN_FILE',
      `${path} starts like an xlsx workbook but cannot be read as one: ${describe(cause)}`,
      { path },
      { cause },
    )
  }
  if (found === undefined)
    throw new CodesError(
      'CODES_UNKNOWN_FILE',
      `${path} is an xlsx workbook but no sheet has the header of a HCPCS, HCPCS transaction report or NCCI add-on code file in its first ${HEADER_SEARCH_ROWS} rows`,
      { path },
    )
  const quarter = quarterFrom(path, [found.sheet, ...titles], options)
  if (quarter === undefined) throw noQuarter(path, found.kind)
  return { path, format: 'xlsx', ...found, ...quarter }
}

function xlsxKind(header: HeaderColumns): CodeFileKind | undefined {
  if (header.has('HCPC', 'LONG DESCRIPTION', 'ADD DT', 'TERM DT', 'ACTION CD')) return 'hcpcs'
  if (header.has('HCPC', 'ACTION CD', 'LONG DESCRIPTION')) return 'hcpcs-changes'
  if (header.has('ADD-ON CODE', 'PRIMARY CODE')) return 'add-on'
  return undefined
}

async function detectCsv(path: string, options: DetectCodeFileOptions): Promise<DetectedCodeFile> {
  const titles: string[] = []
  let found: { kind: CodeFileKind; headerLine: number } | undefined
  try {
    for await (const { line, fields } of readCsvRows(path)) {
      if (line > HEADER_SEARCH_ROWS * 4) break
      const header = new HeaderColumns(fields)
      const kind = csvKind(header)
      if (kind !== undefined) {
        found = { kind, headerLine: line }
        break
      }
      if (header.find(/^HCPCS\/ ?CPT CODE$/) !== undefined && header.find(/MUE VALUES$/) !== undefined)
        throw new CodesError(
          'CODES_UNKNOWN_FILE',
          `${path} is an MUE table for "${fields[1] ?? ''}"; only the practitioner and outpatient hospital tables are used`,
          { path, line },
        )
      titles.push(...fields.filter((field) => field !== '' && field.length < 200))
    }
  } catch (cause) {
    if (cause instanceof CodesError) throw cause
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `Cannot read ${path} as CSV: ${describe(cause)}`,
      { path },
      { cause },
    )
  }
  if (found === undefined)
    throw new CodesError(
      'CODES_UNKNOWN_FILE',
      `${path} is not a CMS code file: no HCPCS fixed-width record on line 1 and no ASP crosswalk or MUE header in the first lines`,
      { path },
    )
  const quarter = quarterFrom(path, titles, options)
  if (quarter === undefined) throw noQuarter(path, found.kind)
  return { path, format: 'csv', ...found, ...quarter, sheet: undefined }
}

function csvKind(header: HeaderColumns): CodeFileKind | undefined {
  if (header.has('NDC2', 'BILLUNITS') && header.find(/^(\d{4} CODE|HCPCS)$/) !== undefined) return 'crosswalk'
  if (header.find(/^HCPCS\/ ?CPT CODE$/) !== undefined) {
    if (header.find(/^PRACTITIONER SERVICES MUE VALUES$/) !== undefined) return 'mue-practitioner'
    if (header.find(/^OUTPATIENT HOSPITAL SERVICES MUE VALUES$/) !== undefined)
      return 'mue-outpatient-hospital'
  }
  return undefined
}

type QuarterFound = Pick<DetectedCodeFile, 'quarter' | 'quarterSource'>

function quarterFrom(
  path: string,
  contentTexts: string[],
  options: DetectCodeFileOptions,
): QuarterFound | undefined {
  for (const text of contentTexts) {
    const quarter = findQuarterInText(text)
    if (quarter !== undefined) return { quarter, quarterSource: 'content' }
  }
  return quarterFromNameOrOption(path, options)
}

function quarterFromNameOrOption(path: string, options: DetectCodeFileOptions): QuarterFound | undefined {
  const fromName = findQuarterInText(basename(path))
  if (fromName !== undefined) return { quarter: fromName, quarterSource: 'name' }
  if (options.quarter !== undefined) {
    if (!isQuarter(options.quarter))
      throw new CodesError(
        'CODES_NO_QUARTER',
        `Quarter "${options.quarter}" is not YYYY-MM with MM one of 01, 04, 07, 10`,
        { path },
      )
    return { quarter: options.quarter, quarterSource: 'option' }
  }
  return undefined
}

function noQuarter(path: string, what: string): CodesError {
  return new CodesError(
    'CODES_NO_QUARTER',
    `${path} is a ${what} but neither its content nor its name gives the quarter; pass --quarter YYYY-MM`,
    { path },
  )
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
