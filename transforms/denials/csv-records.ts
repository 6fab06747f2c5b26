import { DenialError } from './denial-error.js'

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/** A parsed CSV table: header names (trimmed, lower-cased) and the data records after it. */
export interface CsvTable {
  header: string[]
  records: CsvRecord[]
}

/**
 * Splits CSV text (RFC 4180: `,` separator, `"` quoting with `""` escapes, CRLF or LF) into
 * records, keeping the line each record starts on so that rejects and errors can name it. Blank
 * lines and lines starting with `#` (notes a user adds to an editable table) are skipped. A
 * UTF-8 BOM is ignored. Throws `DENIAL_CSV_SYNTAX` (with the line) on an unclosed quote.
 *
 * Written here instead of using csv-parse because the callers need every record's line number
 * with a typed result, and the tables are small.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let line = 1
  let i = 0
  while (i < input.length) {
    const startLine = line
    // Skip blank lines and comment lines.
    if (input[i] === '\n' || input[i] === '\r') {
      if (input[i] === '\r' && input[i + 1] === '\n') i++
      i++
      line++
      continue
    }
    if (input[i] === '#') {
      while (i < input.length && input[i] !== '\n') i++
      i++
      line++
      continue
    }
    const fields: string[] = []
    let field = ''
    let quoted = false
    let atFieldStart = true
    for (;;) {
      if (i >= input.length) {
        if (quoted) {
          throw new DenialError(
            'DENIAL_CSV_SYNTAX',
            `unclosed quote in the record starting on line ${startLine}`,
            {
              line: startLine,
            },
          )
        }
        fields.push(field)
        break
      }
      const ch = input[i]
      if (quoted) {
        if (ch === '"') {
          if (input[i + 1] === '"') {
            field += '"'
            i += 2
          } else {
            quoted = false
            i++
          }
          continue
        }
        if (ch === '\n') line++
        field += ch
        i++
        continue
      }
      if (ch === '"' && atFieldStart) {
        quoted = true
        atFieldStart = false
        i++
        continue
      }
      if (ch === ',') {
        fields.push(field)
        field = ''
        atFieldStart = true
        i++
        continue
      }
      if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && input[i + 1] === '\n') i++
        i++
        line++
        fields.push(field)
        break
      }
      field += ch
      atFieldStart = false
      i++
    }
    records.push({ line: startLine, fields })
  }
  return records
}

/**
 * Parses CSV text whose first record is a header holding every name in `required`. Throws
 * `DENIAL_CSV_HEADER` naming the missing column when one is absent.
 */
export function parseCsvTable(text: string, required: readonly string[], tableName: string): CsvTable {
  const all = parseCsvRecords(text)
  const first = all[0]
  if (first === undefined) {
    throw new DenialError('DENIAL_CSV_HEADER', `${tableName}: expected a header line, found no records`, {
      line: 1,
    })
  }
  const header = first.fields.map((name) => name.trim().toLowerCase())
  for (const name of required) {
    if (!header.includes(name)) {
      throw new DenialError(
        'DENIAL_CSV_HEADER',
        `${tableName}: expected a column '${name}' in the header on line ${first.line}, found ${header.join(',')}`,
        { line: first.line, column: name },
      )
    }
  }
  return { header, records: all.slice(1) }
}

/** Reads the trimmed value of a named column of a record ('' when the record is short). */
export function fieldOf(table: CsvTable, record: CsvRecord, column: string): string {
  const index = table.header.indexOf(column)
  return index < 0 ? '' : (record.fields[index] ?? '').trim()
}
