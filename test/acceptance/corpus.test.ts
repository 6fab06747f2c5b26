import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import { X12_ERROR_CODES, X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import { corpusEntries, corpusRoot } from '../support/x12-files.js'

/**
 * Acceptance over the external corpus (../shared/corpus/external, see its INVENTORY.md): real
 * files written by others. OK and WARN files must read without an uncaught exception; REJECT and
 * OOS files must give at least one error with a stable code and a position. The corpus is read in
 * place, never copied into the repository; the suite is skipped when it is absent.
 */

interface Outcome {
  events: X12Event[]
  /** Error-level issues plus a thrown X12Error, if any. */
  errors: X12Issue[]
  thrown: X12Error | undefined
}

async function readFile(file: string): Promise<Outcome> {
  const events: X12Event[] = []
  let thrown: X12Error | undefined
  try {
    for await (const batch of readX12File(file, { chunkSize: 4096 })) events.push(...batch)
  } catch (error) {
    // Anything but an X12Error is an uncaught exception: let it fail the test.
    if (!(error instanceof X12Error)) throw error
    thrown = error
  }
  const errors: X12Issue[] = []
  for (const event of events) {
    const issues =
      event.type === 'issue'
        ? [event.issue]
        : event.type === 'transaction-end' || event.type === 'interchange-end'
          ? event.issues
          : []
    for (const issue of issues) if (issue.severity === 'error') errors.push(issue)
  }
  if (thrown !== undefined) errors.push(thrown.toIssue())
  return { events, errors, thrown }
}

const entries = corpusEntries()

describe.skipIf(corpusRoot === undefined)('external corpus acceptance', () => {
  it('has the expected corpus (expectations.tsv rows for every class)', () => {
    const classes = new Set(entries.map((e) => e.expect))
    expect([...classes].sort()).toEqual(['OK', 'OOS', 'REJECT', 'WARN'])
  })

  for (const entry of entries.filter((e) => e.expect === 'OK' || e.expect === 'WARN')) {
    it(`${entry.expect} reads without an uncaught exception: ${entry.file}`, async () => {
      const outcome = await readFile(entry.path)
      if (outcome.thrown !== undefined) {
        // Only input that cannot be read as X12 at all may stop the read (files without an ISA,
        // or UTF-16): the failure carries a stable code and a position.
        expect(['X12_NO_ISA', 'X12_BAD_ISA']).toContain(outcome.thrown.code)
        expect(entry.type).toMatch(/no ISA/)
        expect(outcome.thrown.position?.offset).toBeTypeOf('number')
      } else {
        expect(outcome.events.some((e) => e.type === 'interchange-start')).toBe(true)
      }
      for (const issue of outcome.errors) {
        expect(X12_ERROR_CODES).toContain(issue.code)
        expect(issue.position).toBeDefined()
      }
    })
  }

  for (const entry of entries.filter((e) => e.expect === 'REJECT' || e.expect === 'OOS')) {
    it(`${entry.expect} gives an error with a stable code and a position: ${entry.file}`, async () => {
      const outcome = await readFile(entry.path)
      expect(outcome.errors.length).toBeGreaterThan(0)
      for (const issue of outcome.errors) {
        expect(X12_ERROR_CODES).toContain(issue.code)
        expect(issue.position?.offset).toBeTypeOf('number')
        expect(issue.position?.segment).toBeTypeOf('number')
      }
      if (entry.expect === 'OOS' && /^\d{3} 00[2-4]0|999999X/.test(entry.type)) {
        // Out-of-scope versions say so, rather than failing on some later symptom.
        expect(outcome.errors.map((i) => i.code)).toContain('X12_UNSUPPORTED_VERSION')
      }
    })
  }

  it('every OK file in a supported 5010 transaction reads with no error-level issue from the envelopes', () => {
    const envelopeCodes = new Set([
      'X12_ENVELOPE_ORDER',
      'X12_GE_COUNT',
      'X12_GE_CONTROL',
      'X12_SE_COUNT',
      'X12_SE_CONTROL',
      'X12_MISSING_TRAILER',
      'X12_TRUNCATED',
      'X12_UNSUPPORTED_VERSION',
    ])
    // Files labelled OK whose envelopes are in fact wrong (INVENTORY.md's Checks column says so):
    // our checks are right to flag them.
    const knownDefects = new Map([
      [
        'imsweb__x12-parser/src__test__resources__837_5010__x12_valid_different_separators.txt',
        'SE01=25 but 34 segs',
      ],
    ])
    const failures: string[] = []
    for (const entry of entries.filter((e) => e.expect === 'OK' && /00501|005010/.test(e.type))) {
      if (knownDefects.has(entry.file)) continue
      const reader = new X12Reader({ assemblers: {} })
      const bytes = readFileSync(entry.path)
      const events = [...reader.write(bytes), ...reader.end()]
      for (const event of events) {
        if (event.type !== 'transaction-end') continue
        for (const issue of event.issues) {
          if (issue.severity === 'error' && envelopeCodes.has(issue.code))
            failures.push(`${entry.file}: ${issue.code}`)
        }
      }
    }
    expect(failures).toEqual([])
  })
})
