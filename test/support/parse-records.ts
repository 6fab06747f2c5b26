import { readFileSync } from 'node:fs'
import type { ParseRecordOptions } from '../../parsers/json/parse-records.js'
import { ParseRecordWriter } from '../../parsers/json/parse-records.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'

/** A parse record as read back from JSON. */
export type JsonRecord = Record<string, unknown> & { type: string }

/**
 * `parse`'s records of an X12 file (what `onco-edi parse` prints, one JSON text per record), the
 * events they came from, and how many error-level issues the file has (0 when every set is clean).
 */
export function parseRecordsOf(
  file: string,
  options: ParseRecordOptions = {},
): { texts: string[]; events: X12Event[]; errors: number } {
  const reader = new X12Reader()
  const events: X12Event[] = []
  let errors = 0
  try {
    events.push(...reader.write(readFileSync(file)), ...reader.end())
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    errors++
  }
  const writer = new ParseRecordWriter(options)
  const texts: string[] = []
  for (const event of events) {
    writer.write(event, texts)
    const issues =
      event.type === 'issue'
        ? [event.issue]
        : event.type === 'transaction-end' || event.type === 'interchange-end'
          ? event.issues
          : []
    for (const issue of issues) if (issue.severity === 'error') errors++
  }
  return { texts, events, errors }
}

/** The claim records of `texts`, without their `header` reference (header ids depend on the ST layout). */
export function claimsOf(texts: string[]): JsonRecord[] {
  return texts
    .map((text) => JSON.parse(text) as JsonRecord)
    .filter((record) => record.type === 'claim')
    .map(({ header: _header, ...claim }) => claim as JsonRecord)
}
