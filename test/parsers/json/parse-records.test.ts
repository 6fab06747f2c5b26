import { statSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { isValidIsoDate } from '../../../parsers/dates.js'
import { header837Of, PARSE_RECORD_SCHEMAS } from '../../../parsers/json/parse-records.js'
import { parseRecordsOf } from '../../support/parse-records.js'
import { corpusEntries, fixtureFiles } from '../../support/x12-files.js'

const ajv = new Ajv({ allErrors: true, strict: true })
ajv.addFormat('date', { type: 'string', validate: isValidIsoDate })
const validators = {
  '837': {
    header: ajv.compile(PARSE_RECORD_SCHEMAS.header837),
    claim: ajv.compile(PARSE_RECORD_SCHEMAS.claim837),
  },
  '835': {
    header: ajv.compile(PARSE_RECORD_SCHEMAS.header835),
    claim: ajv.compile(PARSE_RECORD_SCHEMAS.claim835),
  },
}

/** Every fixture and every 835/837 of the external corpus the reader reads (the corpus may be absent). */
const files = [
  ...fixtureFiles(),
  ...corpusEntries()
    .filter((e) => e.expect !== 'OOS' && /^83[57] /.test(e.type))
    .map((e) => e.path),
]

/** `value` without its `position` objects, as records are written without `--positions`. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, item]) => key !== 'position' && item !== undefined)
      .map(([key, item]) => [key, withoutPositions(item)]),
  )
}

describe('parse records', () => {
  it('has files to check', () => {
    console.log(
      `parse records: ${files.length} files (${fixtureFiles().length} fixtures, the rest from the corpus)`,
    )
    expect(files.length).toBeGreaterThan(5)
  })

  for (const positions of [false, true]) {
    it(`match their JSON Schema on real files${positions ? ' with --positions' : ''}`, () => {
      let checked = 0
      // Failures are collected and asserted once: an expect per record would be most of the time.
      const failures: string[] = []
      for (const file of files) {
        const { texts } = parseRecordsOf(file, { positions })
        let kind: '835' | '837' | undefined
        for (const text of texts) {
          const record = JSON.parse(text) as Record<string, unknown>
          if (record.type === 'header') kind = record.transactionType === '835' ? '835' : '837'
          const validate =
            kind === undefined ? undefined : validators[kind][record.type === 'header' ? 'header' : 'claim']
          if (validate === undefined) failures.push(`${file}: a claim before any header`)
          else if (!validate(record)) failures.push(`${file}: ${ajv.errorsText(validate.errors)}`)
          if (text.includes('"position"') !== positions) failures.push(`${file}: positions ${!positions}`)
          checked++
        }
      }
      expect(failures).toEqual([])
      expect(checked).toBeGreaterThan(50)
    })
  }

  it('hold every field of the typed models: nothing the schemas leave out is lost', () => {
    // The small files (all but the four largest corpus files) keep the test fast.
    for (const file of files.filter((f) => statSync(f).size < 200_000)) {
      const { texts, events } = parseRecordsOf(file, { positions: true })
      const expected: unknown[] = []
      let id = 0
      let last: unknown
      for (const event of events) {
        if (event.type === 'remittance835-header') {
          last = event.header
          expected.push({ type: 'header', id: ++id, transactionType: '835', ...event.header })
        } else if (event.type === 'claim835') {
          const { header, ...claim } = event.claim
          if (header !== last) throw new Error('an 835 claim without its header event')
          expected.push({ type: 'claim', header: id, ...claim })
        } else if (event.type === 'claim837') {
          const { envelope, batchReference, source: _source, ...claim } = event.claim
          if (envelope !== last) {
            last = envelope
            id++
            expected.push(header837Of(id, event.claim))
          }
          expected.push({ type: 'claim', header: id, ...claim })
        }
      }
      expect(
        texts.map((t) => JSON.parse(t)),
        file,
      ).toEqual(JSON.parse(JSON.stringify(expected)))
      // Without --positions the same records, less their positions.
      const compact = parseRecordsOf(file).texts.map((t) => JSON.parse(t))
      expect(compact, file).toEqual(withoutPositions(texts.map((t) => JSON.parse(t))))
    }
  })

  it('write each transaction header once, claims pointing to it', () => {
    const { texts } = parseRecordsOf('fixtures/x12/envelope/multi-interchange.x12')
    const records = texts.map(
      (t) => JSON.parse(t) as { type: string; id?: number; header?: number; claimId?: string },
    )
    const headers = records.filter((r) => r.type === 'header').map((r) => r.id)
    expect(headers).toEqual(headers.map((_, i) => i + 1))
    let current = 0
    for (const record of records) {
      if (record.type === 'header') current = record.id ?? -1
      else expect(record.header).toBe(current)
    }
    expect(records.filter((r) => r.type === 'claim').map((r) => r.claimId)).toEqual([
      'PCN0001',
      'PCN0002',
      'PCN0003',
      'PCN90003',
      'PCN0004',
      'PCN90004',
    ])
  })
})
