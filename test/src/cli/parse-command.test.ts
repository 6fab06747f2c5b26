import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { memoryContext } from '../../support/cli-context.js'

async function parse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const m = memoryContext()
  const code = await main(['parse', ...args], m.context)
  return { code, stdout: m.stdout(), stderr: m.stderr() }
}

describe('onco-edi parse', () => {
  it('streams one 835 claim per NDJSON line, with its header context', async () => {
    const { code, stdout, stderr } = await parse(['fixtures/x12/envelope/oncology-835.x12'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((c) => [c.claimId, c.status, c.charge, c.paid])).toEqual([
      ['PCN0011', '1', 125050, 45000],
      ['PCN90011', '4', 20000, 0],
    ])
    expect(lines[0].header.envelope.transactionControl).toBe('0011')
  })

  it('writes 837 claims without their raw source segments', async () => {
    const { code, stdout } = await parse(['fixtures/x12/envelope/oncology-837p.x12', '--format', 'ndjson'])
    expect(code).toBe(0)
    const [claim] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(claim.claimId).toBe('PCN0010')
    expect(claim.totalCharge).toBe(125050)
    expect(claim.source).toBeUndefined()
    expect(claim.lines).toHaveLength(2)
  })

  it('writes a JSON array with --format json, also when empty', async () => {
    const { code, stdout } = await parse(['--format', 'json', 'fixtures/x12/envelope/multi-interchange.x12'])
    expect(code).toBe(0)
    const claims = JSON.parse(stdout)
    expect(claims.map((c: { claimId: string }) => c.claimId)).toEqual([
      'PCN0001',
      'PCN0002',
      'PCN0003',
      'PCN90003',
      'PCN0004',
      'PCN90004',
    ])
    const dir = mkdtempSync(path.join(tmpdir(), 'onco-parse-'))
    const empty = path.join(dir, 'empty.x12')
    writeFileSync(
      empty,
      'ISA*00*          *00*          *ZZ*S              *ZZ*R              *260115*1200*^*00501*000000001*0*T*:~IEA*0*000000001~',
    )
    const none = await parse(['--format', 'json', empty])
    expect(none.code).toBe(0)
    expect(JSON.parse(none.stdout)).toEqual([])
  })

  it('prints the issues of a bad set on stderr with their position and exits 1', async () => {
    const { code, stderr } = await parse(['fixtures/invalid/se-count.x12'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/error: X12_SE_COUNT .*\[SE01 \(segment 31, ST segment 29, byte \d+\)\]/)
  })

  it('exits 1 with X12_NO_ISA on a file without an ISA, and 2 on usage errors or a missing file', async () => {
    const noIsa = await parse(['fixtures/invalid/no-isa.x12'])
    expect(noIsa.code).toBe(1)
    expect(noIsa.stderr).toContain('X12_NO_ISA')
    expect((await parse([])).code).toBe(2)
    expect((await parse(['a', 'b'])).code).toBe(2)
    expect((await parse(['--format', 'xml', 'fixtures/x12/envelope/oncology-835.x12'])).code).toBe(2)
    const missing = await parse(['fixtures/nope.x12'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('CLI_UNREADABLE_INPUT')
  })
})
