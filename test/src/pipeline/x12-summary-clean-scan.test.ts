import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Clean835Counts } from '../../../parsers/remittance835/clean-835-scanner.js'
import { Clean835Scanner, idKeyOfBytes } from '../../../parsers/remittance835/clean-835-scanner.js'
import { segmentIdKeyOf } from '../../../parsers/x12/envelope-validator.js'
import { X12Error } from '../../../parsers/x12/x12-error.js'
import { X12Reader } from '../../../parsers/x12-reader.js'
import type { X12Summary } from '../../../src/pipeline/x12-summary.js'
import {
  summarizeX12File,
  summaryOfCleanScan,
  X12SummaryCollector,
} from '../../../src/pipeline/x12-summary.js'
import { generate835 } from '../../bench/generate-x12.js'

/**
 * `inspect` counts a clean 835 with one byte pass (Clean835Scanner) instead of the reader. Its
 * promise: when it says "clean", the reader finds no issue and the summary is the same, figure for
 * figure. Checked here on the 835 fixtures and on thousands of mutants of them, fed in pieces of
 * every size.
 */

const FIXTURES = [
  'fixtures/x12/835-oncology.x12',
  'fixtures/x12/envelope/oncology-835.x12',
  'fixtures/e2e/835-commercial-2026-02-05.x12',
  'fixtures/e2e/835-medicare-2026-02-02.x12',
  'fixtures/e2e/835-medicare-parta-2026-02-06.x12',
]

/** What the reader makes of `bytes` (as `summarizeX12File` without the scan), fed in `piece`-byte chunks. */
function readerSummary(bytes: Uint8Array, piece: number): X12Summary {
  const collector = new X12SummaryCollector()
  try {
    const reader = new X12Reader({ onSegment: collector.onSegment })
    for (let at = 0; at < bytes.length; at += piece)
      for (const event of reader.write(bytes.subarray(at, at + piece))) collector.event(event)
    for (const event of reader.end()) collector.event(event)
  } catch (error) {
    if (!(error instanceof X12Error)) throw error
    collector.failure(error)
  }
  return collector.summary('f')
}

/** The scan fed in `piece`-byte chunks, the unused bytes carried in front of the next ones. */
function scanInPieces(bytes: Uint8Array, piece: number): Clean835Counts | undefined {
  const scanner = new Clean835Scanner()
  let pending = new Uint8Array(0)
  for (let at = 0; at < bytes.length; at += piece) {
    const chunk = bytes.subarray(at, at + piece)
    const buffer = new Uint8Array(pending.length + chunk.length)
    buffer.set(pending, 0)
    buffer.set(chunk, pending.length)
    const used = scanner.scan(buffer, buffer.length)
    if (used < 0) return undefined
    pending = buffer.slice(used)
  }
  return scanner.finish(pending)
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CHARACTERS = '0123456789.-+*~:^ ABCDEGHIJKLMNOPRSTUVWXYZab\n\r\t\u0000\u00e9\u007f'
/** Element values near the edges of the reader's checks. */
const VALUES = [
  '',
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '1.50',
  '1.500',
  '1.501',
  '+5',
  ' 5',
  '5 ',
  '.5',
  '5.',
  '.',
  '-',
  '1e3',
  '99999999999999999',
  '20260230',
  '20260229',
  '20240229',
  '20261301',
  '2026010',
  '20260115',
  'CO',
  'OA',
  'PI',
  'PR',
  'CR',
  'XX',
  'co',
  'D',
  'C',
  '405',
  '472',
  '150',
  '151',
  '232',
  '233',
  '050',
  'B6',
  'HC',
  'HC:',
  ':J1',
  'HC:J9267',
  'HC::1',
  'N4',
  '835',
  '837',
  '999',
  '005010X221A1',
  '005010X222A1',
  '004010',
  '1',
  '2',
  '22',
  '45',
  'A1',
  'P12X',
  'ABCD',
  '1A:',
  '000000001',
  '0001',
  'SE',
  'ST',
  'CLP',
]

function mutate(text: string, next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const segments = text.split('~')
  const kind = Math.floor(next() * 9)
  const s = Math.floor(next() * segments.length)
  const segment = segments[s] ?? ''
  if (kind <= 1) {
    // Replace one element of one segment by a value near the edge of a check.
    const elements = segment.split('*')
    elements[1 + Math.floor(next() * elements.length)] = pick(VALUES)
    segments[s] = Array.from(elements, (e) => e ?? '').join('*')
  } else if (kind <= 3) {
    // Change one character of one element (a digit, a point, a sign, a letter), or cut it short.
    const elements = segment.split('*')
    const e = 1 + Math.floor(next() * Math.max(1, elements.length - 1))
    const value = elements[e] ?? ''
    const at = Math.floor(next() * (value.length + 1))
    const c = pick([...'0123456789.-:A '])
    elements[e] = next() < 0.2 ? value.slice(0, at) : value.slice(0, at) + c + value.slice(at + 1)
    segments[s] = Array.from(elements, (x) => x ?? '').join('*')
  } else if (kind === 4) {
    // Swap two segments a few apart (the SE count stays right).
    const t = Math.min(segments.length - 1, s + 1 + Math.floor(next() * 4))
    segments[s] = segments[t] ?? ''
    segments[t] = segment
  } else if (kind === 5) {
    segments.splice(s, 1)
  } else if (kind === 6) {
    segments.splice(s, 0, segment)
  } else {
    const at = Math.floor(next() * text.length)
    const c = pick([...CHARACTERS])
    if (kind === 7) return text.slice(0, at) + c + text.slice(at + 1)
    return next() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at)
  }
  return segments.join('~')
}

const bytesOf = (text: string): Uint8Array => Buffer.from(text, 'latin1')

describe('Clean835Scanner', () => {
  it("reads a segment id's key from bytes as the envelope checks do (every 2- and 3-byte id)", () => {
    let differences = 0
    for (let first = 0; first < 256; first++)
      for (let second = 0; second < 256; second++)
        for (let third = -1; third < 256; third++)
          if (idKeyOfBytes(first, second, third) !== segmentIdKeyOf(first, second, third)) differences++
    expect(differences).toBe(0)
  })

  it('finds the 835 fixtures and a generated 835 clean, with the reader summary', async () => {
    const inputs = FIXTURES.map((f) => new Uint8Array(readFileSync(f)))
    const generated: Uint8Array[] = []
    for await (const chunk of generate835(300, { seed: 5, claimsPerTransaction: 70, reversalRate: 0.05 }))
      generated.push(chunk)
    inputs.push(Buffer.concat(generated))
    for (const bytes of inputs) {
      const expected = readerSummary(bytes, 4096)
      for (const piece of [1, 3, 64, 1000, bytes.length]) {
        const counts = scanInPieces(bytes, piece)
        expect(counts).toBeDefined()
        expect(summaryOfCleanScan('f', counts as Clean835Counts)).toEqual(expected)
      }
    }
  })

  it('gives up on what it does not model: an 837, a warning, a UTF-8 name, a BOM, a missing IEA', () => {
    const clean = readFileSync('fixtures/x12/835-oncology.x12', 'latin1')
    const notClean = [
      readFileSync('fixtures/x12/837p-oncology.x12', 'latin1'),
      clean.replace('CAS*CO*', 'CAS*CR*'),
      clean.replace(/NM1\*QC\*1\*[A-Z]+/, 'NM1*QC*1*MÜLLER'),
      `\u00ef\u00bb\u00bf${clean}`,
      clean.replace(/IEA\*[^~]*~\s*$/, ''),
      '',
    ]
    for (const text of notClean) expect(scanInPieces(bytesOf(text), 100)).toBeUndefined()
  })

  it('gives up on each single issue the reader finds, and on what it does not model (one edit each)', () => {
    const clean = readFileSync('fixtures/x12/835-oncology.x12', 'latin1')
    // [from, to, whether the reader finds an issue]: without one, the scan still gives up on text it
    // does not model, and the reader reads the file.
    const edits: [string | RegExp, string, boolean][] = [
      ['*776*194*', '*776*194.001*', true], // CLP05: a third decimal
      ['*776*194*', '*776*+194*', false], // CLP05: a sign parseCents reads, the scan does not
      ['*776*194*', '*776*99999999999999*', true], // CLP05: past 2^53 cents
      ['REF*6R*P1001-1', 'CAS*PR', true], // a CAS without a triplet
      ['WO:ONCP0999A*150', ':ONCP0999A*150', true], // PLB03-1 missing
      ['*20261231*WO', '*20261232*WO', true], // PLB02 not a date
      ['DTM*472*20260108', 'DTM*472*20260230', true], // line date
      ['DTM*050*20260112', 'DTM*050*2026011', true], // claim date
      ['DTM*405*20260121', 'DTM*405*20260121X', true], // production date
      ['*DA*9876543210*20260123', '*DA*9876543210*', true], // BPR16 missing
      ['AMT*B6*280', 'AMT*B6*28O', true], // AMT02
      ['SVC*HC:96413*385*224**1', 'SVC*HC:*385*224**1', true], // SVC01 without a code
      ['SVC*HC:96413*385*224**1', 'SVC*HC:96413*385*224**one', true], // SVC05 not a number
      ['CAS*CO*45*105', 'CAS*CR*45*105', true], // retired group (a warning)
      ['CAS*CO*45*105', 'CAS*CO*45*105*x', true], // CAS04 quantity not a number
      ['CAS*CO*45*105', 'CAS*CO**105', true], // CAS02 missing
      ['CAS*CO*45*105', 'CAS*CO*45*104', true], // the line and claim do not balance
      ['*00501*', '*00401*', true], // ISA12
      ['*000000301*', '*00000301*', true], // ISA13 not 9 digits
      ['ST*835*0001', 'ST*835*0002', true], // SE02 differs
      ['GS*HP', 'GS*HP'.replace('HP', 'HP*'), true], // GS08 moves
      [/NM1\*QC\*1/, 'NM1*QC*', true], // NM102 mandatory
    ]
    for (const [from, to, issue] of edits) {
      const text = clean.replace(from, to)
      expect(text).not.toBe(clean)
      const bytes = bytesOf(text)
      const summary = readerSummary(bytes, 4096)
      expect({ to, issues: summary.errors.length + summary.warnings.length > 0 }).toEqual({
        to,
        issues: issue,
      })
      expect({ to, scan: scanInPieces(bytes, 512) }).toEqual({ to, scan: undefined })
    }
  })

  it('says clean only when the reader finds no issue and counts the same (mutants of the fixtures)', () => {
    const next = random(2026)
    const sources = FIXTURES.map((f) => readFileSync(f, 'latin1'))
    let clean = 0
    let notClean = 0
    for (let n = 0; n < 4000; n++) {
      let text = sources[n % sources.length] ?? ''
      const mutations = 1 + Math.floor(next() * 2)
      for (let m = 0; m < mutations; m++) text = mutate(text, next)
      const bytes = bytesOf(text)
      const piece = 1 + Math.floor(next() * 700)
      const counts = scanInPieces(bytes, piece)
      if (counts === undefined) {
        notClean++
        continue
      }
      clean++
      const expected = readerSummary(bytes, 1 + Math.floor(next() * 700))
      expect({ n, summary: summaryOfCleanScan('f', counts) }).toEqual({ n, summary: expected })
    }
    // Both answers are exercised.
    expect(clean).toBeGreaterThan(300)
    expect(notClean).toBeGreaterThan(300)
  })
})

describe('summarizeX12File', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clean-scan-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the reader summary for a clean 835 and for one with issues (read again by the reader)', async () => {
    const clean = readFileSync('fixtures/x12/835-oncology.x12', 'latin1')
    for (const [name, text] of [
      ['clean.835', clean],
      ['warning.835', clean.replace('CAS*CO*', 'CAS*CR*')],
      ['error.835', clean.replace(/CLP\*([^*]*)\*([^*]*)\*[^*]*\*/, 'CLP*$1*$2*12x*')],
    ] as const) {
      const file = path.join(dir, name)
      writeFileSync(file, text, 'latin1')
      expect(await summarizeX12File(file, name)).toEqual({
        ...readerSummary(bytesOf(text), 65536),
        file: name,
      })
    }
  })
})
