import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import { CodesError } from './codes-error.js'

/** The largest CSV record of a CMS file we read: CMS rows are a few hundred bytes. */
const MAX_RECORD_BYTES = 1024 * 1024

/** One CSV record with the 1-based line it ends on (its only line, unless a quoted field spans lines). */
export interface CsvRow {
  line: number
  fields: string[]
}

/**
 * Streams the records of a CMS CSV file with csv-parse. CMS ships these files in Windows-1252
 * (the "®" of the AMA notice is byte 0xAE), so they are decoded as latin1; the codes and numbers
 * kept from them are ASCII either way. Quoted fields may span lines (the MUE header "HCPCS/⏎CPT Code").
 */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  const input = createReadStream(path)
  const parser = input.pipe(
    parse({
      encoding: 'latin1',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
      // A quote that is never closed would otherwise read the rest of the file into one field.
      max_record_size: MAX_RECORD_BYTES,
    }),
  )
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const fields = item.record.map((field, index) =>
        // A UTF-8 BOM read as latin1 is "ï»¿".
        index === 0 ? field.replace(/^\u00ef\u00bb\u00bf/, '').trim() : field.trim(),
      )
      yield { line: item.info.lines, fields }
    }
  } catch (cause) {
    // csv-parse cannot go on after a broken record (its state is lost): the file is not stored.
    const line =
      typeof cause === 'object' && cause !== null && 'lines' in cause ? Number(cause.lines) : undefined
    throw new CodesError(
      'CODES_UNREADABLE_FILE',
      `${path} line ${line ?? '?'}: not a readable CSV (${cause instanceof Error ? cause.message : String(cause)})`,
      { path, line },
      { cause },
    )
  } finally {
    input.destroy()
    parser.destroy()
  }
}
