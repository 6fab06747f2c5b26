import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { createLogger } from '../../../src/logger.js'
import type { X12Summary } from '../../../src/pipeline/x12-summary.js'
import { memoryContext } from '../../support/cli-context.js'
import { repoRoot } from '../../support/x12-files.js'

async function inspect(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const m = memoryContext()
  const code = await main(['inspect', ...args], m.context)
  return { code, stdout: m.stdout(), stderr: m.stderr() }
}

function jsonLines(text: string): X12Summary[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as X12Summary)
}

describe('onco-edi inspect', () => {
  it('LOG_LEVEL=info: one log line per file as it finishes (codes only, no PHI)', async () => {
    const m = memoryContext()
    const logged: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString('utf8'))
        done()
      },
    })
    const context = {
      ...m.context,
      config: { ...m.context.config, logLevel: 'info' },
      logger: createLogger('info', sink),
    }
    const code = await main(
      ['inspect', 'fixtures/x12/835-oncology.x12', 'fixtures/x12/837p-oncology.x12'],
      context,
    )
    expect(code).toBe(0)
    const lines = logged
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; file: string; errors: string[] })
    expect(lines.map((l) => [l.msg, l.file, l.errors])).toEqual([
      ['inspected', 'fixtures/x12/835-oncology.x12', []],
      ['inspected', 'fixtures/x12/837p-oncology.x12', []],
    ])
  })

  it('summarizes an 835: claims, statuses, CAS by GROUP-CARC, PLB and BPR, money with two decimals', async () => {
    const { code, stdout } = await inspect(['fixtures/x12/envelope/oncology-835.x12', '--json'])
    expect(code).toBe(0)
    const [summary] = jsonLines(stdout)
    expect(summary).toEqual({
      file: 'fixtures/x12/envelope/oncology-835.x12',
      interchanges: 1,
      groups: 1,
      transactions: { '835': 1 },
      claims: 2,
      serviceLines: 2,
      ndcLines: 0,
      totalCharge: '1450.50',
      totalPaid: '450.00',
      claimStatus: { '1': 1, '4': 1 },
      adjustments: { 'CO-4': '200.00', 'CO-45': '750.50', 'PR-2': '50.00' },
      plbTotal: '70.00',
      bprTotal: '380.00',
      quarantinedTransactions: 0,
      errors: [],
      warnings: [],
    })
  })

  it('summarizes an 837P: CLM02 sum, SV1 lines and LIN*N4 NDC lines', async () => {
    const { code, stdout } = await inspect(['--json', 'fixtures/x12/envelope/oncology-837p.x12'])
    expect(code).toBe(0)
    const [summary] = jsonLines(stdout)
    expect(summary).toMatchObject({
      transactions: { '837': 1 },
      claims: 1,
      serviceLines: 2,
      ndcLines: 1,
      totalCharge: '1250.50',
      totalPaid: '0.00',
      errors: [],
    })
  })

  it('prints one JSON line per file and counts interchanges, groups and sets by type', async () => {
    const { code, stdout } = await inspect([
      '--json',
      'fixtures/x12/envelope/multi-interchange.x12',
      'fixtures/x12/envelope/oncology-835.x12',
    ])
    expect(code).toBe(0)
    const summaries = jsonLines(stdout)
    expect(summaries.map((s) => s.file)).toEqual([
      'fixtures/x12/envelope/multi-interchange.x12',
      'fixtures/x12/envelope/oncology-835.x12',
    ])
    expect(summaries[0]).toMatchObject({
      interchanges: 2,
      groups: 3,
      transactions: { '835': 2, '837': 2 },
      claims: 6,
      claimStatus: { '1': 2, '4': 2 },
    })
  })

  it('reports envelope errors with code, message and position, and exits 1', async () => {
    const { code, stdout } = await inspect(['--json', 'fixtures/invalid/se-count.x12'])
    expect(code).toBe(1)
    const [summary] = jsonLines(stdout)
    const expected = JSON.parse(
      readFileSync(path.join(repoRoot, 'fixtures/invalid/se-count.expected.json'), 'utf8'),
    )
    expect(summary?.errors).toContainEqual({
      code: 'X12_SE_COUNT',
      message: expect.stringContaining('SE01 is "28" but the set has 29 segments'),
      position: expected.position,
    })
    expect(summary?.quarantinedTransactions).toBe(1)
  })

  it('reports a file without an ISA as an error with its position, and exits 1', async () => {
    const { code, stdout } = await inspect(['--json', 'fixtures/invalid/no-isa.x12'])
    expect(code).toBe(1)
    expect(jsonLines(stdout)[0]?.errors).toEqual([
      {
        code: 'X12_NO_ISA',
        message: expect.any(String),
        position: { offset: 1, segment: 0, stSegment: 0, segmentId: 'GS' },
      },
    ])
  })

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await inspect(['fixtures/x12/envelope/oncology-835.x12'])
    expect(code).toBe(0)
    expect(stdout).toContain('fixtures/x12/envelope/oncology-835.x12\n')
    expect(stdout).toMatch(/claims\s+2\n/)
    expect(stdout).toMatch(/adjustments\s+CO-4: 200\.00, CO-45: 750\.50, PR-2: 50\.00\n/)
  })

  it('exits 2 on a missing file and on a missing argument, without hiding the other files', async () => {
    const missing = await inspect(['--json', 'fixtures/nope.x12', 'fixtures/x12/envelope/oncology-835.x12'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('CLI_UNREADABLE_INPUT')
    expect(jsonLines(missing.stdout)).toHaveLength(1)
    expect((await inspect([])).code).toBe(2)
    expect((await inspect(['--bogus', 'x'])).code).toBe(2)
  })

  it('never prints names or member ids of people in error messages', async () => {
    const { stdout } = await inspect(['--json', 'fixtures/invalid/junk-after-iea.x12'])
    expect(stdout).toContain('X12_ENVELOPE_ORDER')
    expect(stdout).not.toMatch(/TESTPATIENT|GAMMA|1EG4TE5MK72/)
  })
})
