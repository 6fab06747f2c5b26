import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/main.js'
import { readJsonRecords } from '../../../src/json/read-json-records.js'
import { memoryContext } from '../../support/cli-context.js'

async function parse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const m = memoryContext()
  const code = await main(['parse', ...args], m.context)
  return { code, stdout: m.stdout(), stderr: m.stderr() }
}

describe('onco-edi parse', () => {
  it('streams the 835 header once, then one claim per NDJSON line pointing to it', async () => {
    const { code, stdout, stderr } = await parse(['fixtures/x12/envelope/oncology-835.x12'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const [header, ...claims] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(header).toMatchObject({ type: 'header', id: 1, transactionType: '835', totalPaid: 38000 })
    expect(header.envelope.transactionControl).toBe('0011')
    expect(claims.map((c) => [c.type, c.header, c.claimId, c.status, c.charge, c.paid])).toEqual([
      ['claim', 1, 'PCN0011', '1', 125050, 45000],
      ['claim', 1, 'PCN90011', '4', 20000, 0],
    ])
    expect(stdout).not.toContain('"position"')
  })

  it('keeps positions with --positions', async () => {
    const { code, stdout } = await parse(['fixtures/x12/envelope/oncology-835.x12', '--positions'])
    expect(code).toBe(0)
    const claim = JSON.parse(stdout.trim().split('\n')[1] ?? '')
    expect(claim.position).toMatchObject({ segmentId: 'CLP' })
    expect(claim.lines[0].adjustments[0].position.segmentId).toBe('CAS')
  })

  it('writes 837 claims without their raw source segments', async () => {
    const { code, stdout } = await parse(['fixtures/x12/envelope/oncology-837p.x12', '--format', 'ndjson'])
    expect(code).toBe(0)
    const [header, claim] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(header).toMatchObject({ type: 'header', transactionType: '837', batchReference: 'BATCH0010' })
    expect(header.submitter).toMatchObject({ name: 'ONCOLOGY BILLING LLC' })
    expect(claim).toMatchObject({ type: 'claim', header: 1 })
    expect(claim.envelope).toBeUndefined()
    expect(claim.claimId).toBe('PCN0010')
    expect(claim.totalCharge).toBe(125050)
    expect(claim.source).toBeUndefined()
    expect(claim.lines).toHaveLength(2)
  })

  it('writes a JSON array with --format json, also when empty', async () => {
    const { code, stdout } = await parse(['--format', 'json', 'fixtures/x12/envelope/multi-interchange.x12'])
    expect(code).toBe(0)
    const records = JSON.parse(stdout) as { type: string; claimId: string }[]
    const claims = records.filter((r) => r.type === 'claim')
    expect(records.filter((r) => r.type === 'header')).toHaveLength(4)
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

  it('--format json is one JSON document that stream-json reads back to the same records as NDJSON', async () => {
    for (const file of [
      'fixtures/x12/835-oncology.x12',
      'fixtures/x12/837i-oncology.x12',
      'fixtures/x12/envelope/multi-interchange.x12',
    ]) {
      const json = await parse(['--format', 'json', file])
      const ndjson = await parse([file])
      const chunks = Readable.from(
        Buffer.from(json.stdout)
          .toString('utf8')
          .match(/[\s\S]{1,61}/g) ?? [],
      )
      const read: unknown[] = []
      for await (const { value } of readJsonRecords(chunks)) read.push(value)
      const expected = ndjson.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(read, file).toEqual(expected)
      expect(read.filter((r) => (r as { type: string }).type === 'claim').length).toBeGreaterThan(0)
    }
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
