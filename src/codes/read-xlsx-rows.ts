import { createReadStream } from 'node:fs'
import ExcelJS from 'exceljs'
import { HeaderColumns } from './header-columns.js'

/** One row of an xlsx sheet with every cell as trimmed text (`''` for an empty cell). */
export interface XlsxRow {
  sheet: string
  /** 1-based row number in the sheet. */
  row: number
  cells: string[]
}

/**
 * Streams the rows of an xlsx workbook, sheet after sheet, with exceljs's streaming
 * WorkbookReader (constant memory; shared strings are cached, styles ignored). Stop early by
 * breaking out of the loop: the file is closed.
 */
export async function* readXlsxRows(path: string): AsyncGenerator<XlsxRow> {
  const input = createReadStream(path)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'emit',
  })
  try {
    for await (const worksheet of reader) {
      const name = Reflect.get(worksheet, 'name')
      const sheet = typeof name === 'string' ? name : ''
      for await (const row of worksheet) {
        const values = row.values
        const cells: string[] = []
        if (Array.isArray(values)) {
          // exceljs puts column A at index 1.
          for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]))
        }
        yield { sheet, row: row.number, cells }
      }
    }
  } finally {
    input.destroy()
  }
}

/** The text of an exceljs cell value: rich text joined, formula results, dates as YYYYMMDD. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value.toISOString().slice(0, 10).replaceAll('-', '')
  if (typeof value === 'object') {
    const richText = Reflect.get(value, 'richText')
    if (Array.isArray(richText))
      return richText
        .map((part: unknown) => (typeof part === 'object' && part !== null ? Reflect.get(part, 'text') : ''))
        .filter((text): text is string => typeof text === 'string')
        .join('')
        .trim()
    if ('result' in value) return cellText(Reflect.get(value, 'result'))
    if ('text' in value) return cellText(Reflect.get(value, 'text'))
  }
  return ''
}

/** A data row of a detected sheet, with the header it is read by. */
export interface XlsxDataRow {
  row: number
  cells: string[]
  header: HeaderColumns
}

/**
 * Streams the data rows of the detected sheet: the rows after its header line, each with the
 * header's column lookup. Other sheets and rows above the header are skipped.
 */
export async function* readXlsxDataRows(file: {
  path: string
  sheet?: string | undefined
  headerLine?: number | undefined
}): AsyncGenerator<XlsxDataRow> {
  const headerLine = file.headerLine
  if (headerLine === undefined) return
  let header: HeaderColumns | undefined
  for await (const { sheet, row, cells } of readXlsxRows(file.path)) {
    if (sheet !== file.sheet || row < headerLine) continue
    if (row === headerLine) header = new HeaderColumns(cells)
    else if (header !== undefined) yield { row, cells, header }
  }
}
