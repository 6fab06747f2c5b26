import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import type { Config } from '../../../src/config.js'
import { createLogger } from '../../../src/logger.js'
import { engines } from '../../support/databases.js'
import { Capture, cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'))

/** The e2e commercial 837 with other claim ids and the given ISA13 (other content, same sender). */
function renamedClaims(name: string, isa13: string, prefix: string): string {
  const text = readFileSync(join(E2E, '837p-commercial-2026-01.x12'), 'latin1')
    .replaceAll('E2E-C-10', `${prefix}-10`)
    .replace(/^(ISA(?:\*[^*]*){12}\*)\d{9}/, `$1${isa13}`)
    .replace(/IEA\*1\*\d{9}/, `IEA*1*${isa13}`)
  const path = join(dir, name)
  writeFileSync(path, text, 'latin1')
  return path
}

function isa13Of(path: string): string {
  return readFileSync(path, 'latin1').split('*')[13] ?? ''
}

for (const engine of engines) {
  describe(`onco-edi ingest [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('stores 837s before 835s whatever the order given, and reports each file as it finishes', async () => {
      const stderr = new Capture()
      const context: CommandContext = {
        stdout: new Capture(),
        stderr,
        config,
        cwd: process.cwd(),
        logger: createLogger('info', stderr),
      }
      const code = await main(
        [
          'ingest',
          join(E2E, '835-medicare-2026-02-02.x12'),
          join(E2E, '837p-medicare-2026-01.x12'),
          '--concurrency',
          '2',
        ],
        context,
      )
      expect(code).toBe(0)
      expect((context.stdout as Capture).text).toBe(
        '837p-medicare-2026-01.x12: 837 stored, 8 claims\n' +
          '835-medicare-2026-02-02.x12: 835 stored, 10 claims, 9 matched, 1 unmatched, 0 reversals, 7 rework items\n',
      )
      // LOG_LEVEL=info: one line per file, when it finishes, with ids and counts only.
      const logged = stderr.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; file: string; status: string; claims: number })
        .filter((line) => line.msg === 'ingested')
      expect(logged.map((l) => [l.file, l.status, l.claims])).toEqual([
        ['837p-medicare-2026-01.x12', 'ingested', 8],
        ['835-medicare-2026-02-02.x12', 'ingested', 10],
      ])
      expect(stderr.text).not.toMatch(/MEMBER|memberId/i)
    })

    it('says "duplicate" the second time and stores nothing (--json: one line per file)', async () => {
      const result = await cli(config, ['ingest', join(E2E, '837p-medicare-2026-01.x12'), '--json'])
      expect(result.code).toBe(0)
      const lines = result.stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      const file = JSON.parse(lines[0] ?? '') as { status: string; claims: number; message: string }
      expect(file).toMatchObject({ status: 'already_ingested', claims: 0 })
      expect(file.message).toMatch(/^already ingested \(same content as file \d+\)$/)
    })

    it('rejects --concurrency 0, a bad --on-duplicate-control and a missing FILE with exit 2', async () => {
      const bad = await cli(config, ['ingest', 'x.x12', '--concurrency', '0'])
      expect([bad.code, bad.stderr]).toEqual([
        2,
        'CLI_BAD_OPTION: Expected --concurrency to be an integer from 1 to 64, got "0"\n',
      ])
      const policy = await cli(config, ['ingest', 'x.x12', '--on-duplicate-control', 'drop'])
      expect([policy.code, policy.stderr]).toEqual([
        2,
        'CLI_USAGE: Expected --on-duplicate-control to be warn or quarantine, got "drop"\n',
      ])
      const none = await cli(config, ['ingest'])
      expect(none.code).toBe(2)
    })

    it('one coded line naming the path for a missing file (exit 2) or a file that is not X12 (exit 1), and goes on', async () => {
      const missing = await cli(config, ['ingest', '/nonexistent.835'])
      expect(missing.code).toBe(2)
      expect(missing.stdout).toBe('')
      expect(missing.stderr).toMatch(/^INGEST_UNREADABLE: Cannot read \/nonexistent\.835: ENOENT[^\n]*\n$/)
      const csv = join(E2E, 'payers.csv')
      const both = await cli(config, ['ingest', csv, join(E2E, '835-medicare-2026-02-02.x12')])
      expect(both.code).toBe(1)
      expect(both.stderr).toMatch(
        new RegExp(`^X12_NO_ISA: ${csv}: Expected the input to start with an ISA segment[^\\n]*\\n$`),
      )
      expect(both.stdout).toMatch(/^835-medicare-2026-02-02\.x12: duplicate: /)
      expect(both.stderr).not.toMatch(/\n\s+at /)
    })

    it('stores a reused sender + ISA13 with other content, with a warning and exit 1', async () => {
      const isa13 = isa13Of(join(E2E, '837p-medicare-2026-01.x12'))
      const reused = renamedClaims('reused-control.x12', isa13, 'E2E-R')
      const result = await cli(config, ['ingest', reused])
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/^reused-control\.x12: 837 stored, 3 claims\n/)
      expect(result.stdout).toMatch(
        new RegExp(
          `\\n  warning: X12_DUPLICATE_CONTROL_NUMBER Expected a new ISA13 from sender E2EONC, found ${isa13}, already used by file \\d+ with other content at ISA13 \\(segment 1, byte 0\\); stored anyway\\n$`,
        ),
      )
    })

    it("names a quarantined set's position once, after the reason", async () => {
      // NM102 (entity type qualifier) emptied in the billing provider's NM1: the set is quarantined.
      const text = readFileSync(join(E2E, '837p-commercial-2026-01.x12'), 'latin1')
        .replaceAll('E2E-C-10', 'E2E-Q-10')
        .replace(/^(ISA(?:\*[^*]*){12}\*)\d{9}/, '$1000000777')
        .replace(/IEA\*1\*\d{9}/, 'IEA*1*000000777')
        .replace('NM1*85*2*', 'NM1*85**')
      const path = join(dir, 'empty-nm102.x12')
      writeFileSync(path, text, 'latin1')
      const result = await cli(config, ['ingest', path])
      expect(result.code).toBe(1)
      const line = result.stdout.split('\n').find((l) => l.includes('X12_BAD_ELEMENT')) ?? ''
      expect(line).toMatch(
        /^ {2}quarantined ST02 \d+: X12_BAD_ELEMENT NM102 is mandatory but empty at NM102 \(segment \d+, /,
      )
      expect(line.match(/ at NM102 \(/g)).toHaveLength(1)
    })

    it('quarantines the sets of a reused sender + ISA13 with --on-duplicate-control quarantine', async () => {
      const isa13 = isa13Of(join(E2E, '837p-medicare-2026-01.x12'))
      const reused = renamedClaims('reused-quarantine.x12', isa13, 'E2E-S')
      const result = await cli(config, ['ingest', reused, '--on-duplicate-control', 'quarantine'])
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/^reused-quarantine\.x12: 837 stored with quarantined sets, 0 claims\n/)
      expect(result.stdout).toMatch(/\n {2}quarantined ST02 \d+: X12_DUPLICATE_CONTROL_NUMBER /)
    })
  })
}
