import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../parsers/x12/segment.js'
import type { TransactionAssembler } from '../../parsers/x12/transaction-assembler.js'
import type { X12Issue } from '../../parsers/x12/x12-error.js'
import { X12Error } from '../../parsers/x12/x12-error.js'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'
import { CHUNK_SIZES, chunksOf, corpusEntries, fixtureFiles, repoRoot } from '../support/x12-files.js'

const encoder = new TextEncoder()

function read(bytes: Uint8Array, size = Number.POSITIVE_INFINITY, reader = new X12Reader()): X12Event[] {
  const events: X12Event[] = []
  for (const chunk of chunksOf(bytes, size)) events.push(...reader.write(chunk))
  events.push(...reader.end())
  return events
}

function readText(text: string, reader?: X12Reader): X12Event[] {
  return read(encoder.encode(text), Number.POSITIVE_INFINITY, reader)
}

function issuesOf(events: X12Event[]): X12Issue[] {
  const issues: X12Issue[] = []
  for (const event of events) {
    if (event.type === 'issue') issues.push(event.issue)
    else if (event.type === 'transaction-end' || event.type === 'interchange-end')
      issues.push(...event.issues)
  }
  return issues
}

const BHT = 'BHT*0019*00*1*20260115*1200*CH'

const ISA =
  'ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     *260115*1200*^*00501*000000001*0*T*:~\n'

/** An 837 set with `n` body segments between ST and SE, SE01 counted right. */
function set837(control: string, body: string[]): string {
  return [`ST*837*${control}*005010X222A1`, ...body, `SE*${body.length + 2}*${control}`]
    .map((s) => `${s}~\n`)
    .join('')
}

function interchange(sets: string[], gsControl = '1'): string {
  return `${ISA}GS*HC*S*R*20260115*1200*${gsControl}*X*005010X222A1~\n${sets.join('')}GE*${sets.length}*${gsControl}~\nIEA*1*000000001~\n`
}

/** Records what the reader routes to an assembler, to test routing without the real models. */
function recordingAssemblers(
  log: string[],
): Record<string, (envelope: { transactionControl: string }) => TransactionAssembler> {
  const make = (type: string) => (envelope: { transactionControl: string }) => {
    const assembler: TransactionAssembler = {
      issues: [],
      push(segment: Segment) {
        log.push(`${type}/${envelope.transactionControl}:${segment.id}@${segment.stIndex}`)
      },
      end() {
        log.push(`${type}/${envelope.transactionControl}:end`)
        return { remittance: undefined }
      },
    }
    return assembler
  }
  return { '837': make('837'), '835': make('835') }
}

describe('X12Reader envelopes', () => {
  it('emits interchange, transaction start/end with envelope context and segment counts', () => {
    const text = interchange([set837('0001', [BHT, 'CLM*A*1']), set837('0002', [BHT])])
    const events = readText(text, new X12Reader({ assemblers: {} }))
    expect(events.map((e) => e.type)).toEqual([
      'interchange-start',
      'transaction-start',
      'transaction-end',
      'transaction-start',
      'transaction-end',
      'interchange-end',
    ])
    const first = events[1]
    expect(first?.type === 'transaction-start' && first.envelope).toMatchObject({
      senderId: 'SUBMITTER01',
      receiverId: 'RECEIVER01',
      interchangeControl: '000000001',
      interchangeDate: '2026-01-15',
      groupControl: '1',
      version: '005010X222A1',
      transactionType: '837',
      transactionControl: '0001',
      implementation: '005010X222A1',
      position: { offset: text.indexOf('ST*837*0001'), segment: 3, stSegment: 1, segmentId: 'ST' },
    })
    const end = events[2]
    expect(end?.type === 'transaction-end' && [end.segmentCount, end.quarantined, end.issues]).toEqual([
      4,
      false,
      [],
    ])
    expect(issuesOf(events)).toEqual([])
  })

  it('routes the segments strictly between ST and SE to the assembler for ST01', () => {
    const log: string[] = []
    const text = `${ISA}GS*HC*S*R*20260115*1200*1*X*005010X222A1~${set837('0001', [BHT, 'CLM*A'])}GE*1*1~GS*FA*S*R*20260115*1200*2*X*005010X231A1~ST*999*0002*005010X231A1~AK1*HC*1~SE*3*0002~GE*1*2~IEA*2*000000001~`
    const events = readText(text, new X12Reader({ assemblers: recordingAssemblers(log) }))
    expect(log).toEqual(['837/0001:BHT@2', '837/0001:CLM@3', '837/0001:end'])
    expect(issuesOf(events)).toEqual([])
  })

  it('calls onSegment for every segment in order', () => {
    const ids: string[] = []
    readText(interchange([set837('0001', [BHT])]), new X12Reader({ onSegment: (s) => ids.push(s.id) }))
    expect(ids).toEqual(['ISA', 'GS', 'ST', 'BHT', 'SE', 'GE', 'IEA'])
  })

  it('quarantines a bad set and reads the sets after it', () => {
    const bad = set837('0001', [BHT]).replace('SE*3*0001', 'SE*9*0001')
    const log: string[] = []
    const events = readText(
      interchange([bad, set837('0002', [BHT])]),
      new X12Reader({ assemblers: recordingAssemblers(log) }),
    )
    const ends = events.filter((e) => e.type === 'transaction-end')
    expect(
      ends.map((e) => e.type === 'transaction-end' && [e.envelope.transactionControl, e.quarantined]),
    ).toEqual([
      ['0001', true],
      ['0002', false],
    ])
    expect(log).toContain('837/0002:end')
    const issue = ends[0]?.type === 'transaction-end' ? ends[0].issues[0] : undefined
    expect(issue?.code).toBe('X12_SE_COUNT')
    expect(issue?.message).toContain('SE01 is "9" but the set has 3 segments')
  })

  it('quarantines a set whose assembler throws an X12Error, and rethrows programming errors', () => {
    const throwing = {
      '837': () => ({
        issues: [],
        push(segment: Segment) {
          if (segment.id === 'CLM') throw new X12Error('X12_BAD_ELEMENT', 'bad CLM')
        },
        end: () => ({ remittance: undefined }),
      }),
    }
    const events = readText(interchange([set837('0001', ['CLM*A'])]), new X12Reader({ assemblers: throwing }))
    const end = events.find((e) => e.type === 'transaction-end')
    expect(end?.type === 'transaction-end' && [end.quarantined, end.issues.map((i) => i.code)]).toEqual([
      true,
      ['X12_BAD_ELEMENT'],
    ])
    const buggy = {
      '837': () => ({
        issues: [],
        push() {
          throw new TypeError('bug')
        },
        end: () => ({ remittance: undefined }),
      }),
    }
    expect(() =>
      readText(interchange([set837('0001', ['CLM*A'])]), new X12Reader({ assemblers: buggy })),
    ).toThrow(TypeError)
  })

  it('reads a 4010 file as an unsupported version, with positions, without assembling it', () => {
    const log: string[] = []
    const text = `${ISA.replace('*^*00501*', '*U*00401*')}GS*HC*S*R*20260115*1200*1*X*004010X098A1~ST*837*0001~CLM*A~SE*3*0001~GE*1*1~IEA*1*000000001~`
    const events = readText(text, new X12Reader({ assemblers: recordingAssemblers(log) }))
    expect(log).toEqual([])
    const codes = issuesOf(events).map((i) => [i.code, i.position?.segmentId, i.position?.element])
    expect(codes).toContainEqual(['X12_UNSUPPORTED_VERSION', 'ISA', 12])
    expect(codes).toContainEqual(['X12_UNSUPPORTED_VERSION', 'ST', undefined])
    const end = events.find((e) => e.type === 'transaction-end')
    expect(end?.type === 'transaction-end' && end.quarantined).toBe(true)
  })

  it('closes open envelopes at end of input when the file is truncated mid-segment', () => {
    const text = `${interchange([set837('0001', [BHT])]).split('GE*')[0]}ST*837*0002~CLM*A*1`
    const events = readText(text, new X12Reader({ assemblers: {} }))
    const ends = events.filter((e) => e.type === 'transaction-end')
    expect(ends.map((e) => e.type === 'transaction-end' && e.quarantined)).toEqual([false, true])
    const issues = issuesOf(events)
    const truncated = issues.find((i) => i.code === 'X12_TRUNCATED')
    expect(truncated?.position).toEqual({
      offset: encoder.encode(text).length - 7,
      segment: 7,
      stSegment: 2,
      segmentId: 'CLM',
    })
    expect(issues.map((i) => i.code)).toEqual(['X12_TRUNCATED', 'X12_MISSING_TRAILER', 'X12_MISSING_TRAILER'])
  })

  it('throws X12_NO_ISA for input without an ISA', () => {
    expect(() => readText('GS*HC~')).toThrow(expect.objectContaining({ code: 'X12_NO_ISA' }))
  })

  it('never puts element values of people into messages', () => {
    const text = interchange([set837('0001', ['NM1*IL*1*TESTPATIENT*ALPHA****MI*SECRETID1'])]).replace(
      'SE*3*0001',
      'SE*4*0001',
    )
    for (const issue of issuesOf(readText(text))) {
      expect(issue.message).not.toMatch(/TESTPATIENT|ALPHA|SECRETID1/)
    }
  })
})

describe('X12Reader invalid fixtures (fixtures/invalid/*.x12 with .expected.json)', () => {
  const dir = path.join(repoRoot, 'fixtures/invalid')
  const cases = readdirSync(dir).filter((f) => f.endsWith('.x12'))

  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10)
  })

  for (const name of cases) {
    it(name, () => {
      const expected = JSON.parse(
        readFileSync(path.join(dir, name.replace(/\.x12$/, '.expected.json')), 'utf8'),
      ) as {
        code: string
        severity: string
        thrown?: boolean
        position: unknown
      }
      const bytes = readFileSync(path.join(dir, name))
      if (expected.thrown === true) {
        let caught: unknown
        try {
          read(bytes)
        } catch (error) {
          caught = error
        }
        expect(caught).toBeInstanceOf(X12Error)
        expect(caught).toMatchObject({ code: expected.code, position: expected.position })
        return
      }
      const issues = issuesOf(read(bytes))
      expect(issues).toContainEqual(
        expect.objectContaining({
          code: expected.code,
          severity: expected.severity,
          position: expected.position,
        }),
      )
    })
  }
})

describe('X12Reader chunk invariance', () => {
  const files = [...fixtureFiles(), ...corpusEntries().map((e) => e.path)]

  function outcome(bytes: Uint8Array, size: number): unknown {
    try {
      return read(bytes, size)
    } catch (error) {
      if (error instanceof X12Error) return { code: error.code, position: error.position }
      throw error
    }
  }

  for (const file of files) {
    it(`same events at every chunk size: ${path.relative(repoRoot, file)}`, () => {
      const bytes = readFileSync(file)
      const whole = outcome(bytes, Number.POSITIVE_INFINITY)
      for (const size of CHUNK_SIZES) expect(outcome(bytes, size)).toEqual(whole)
    })
  }
})
