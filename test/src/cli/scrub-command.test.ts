import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import { silentLogger } from '../../../src/logger.js'
import { projectRoot } from '../../../src/project-root.js'

const root = projectRoot()

function context(): { ctx: CommandContext; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk))
        callback()
      },
    })
  const home = mkdtempSync(join(tmpdir(), 'onco-home-'))
  return {
    ctx: {
      stdout: sink((s) => {
        out += s
      }),
      stderr: sink((s) => {
        err += s
      }),
      config: { databaseUrl: undefined, home, user: 'test', logLevel: 'silent' },
      cwd: root,
      logger: silentLogger(),
    },
    out: () => out,
    err: () => err,
  }
}

const files = ['fixtures/x12/837p-oncology.x12', 'fixtures/x12/837i-oncology.x12']

describe('onco-edi scrub', () => {
  it('exits 1 with error findings and prints the per-rule and per-claim summary (database-less)', async () => {
    const { ctx, out } = context()
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const code = await main(
      ['scrub', ...files, '--codes', 'fixtures/codes', '--out', dir, '--as-of', '2026-02-10'],
      ctx,
    )
    expect(code).toBe(1)
    expect(out()).toMatch(/Claims: 6 \(accepted 4, rejected 2\)/)
    expect(out()).toMatch(/auth-missing\s+2 errors/)
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toBe(out())
  })

  it('exits 0 when every claim is clean, and --json prints the summary as JSON', async () => {
    const { ctx, out } = context()
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const code = await main(
      [
        'scrub',
        ...files,
        '--codes',
        'fixtures/codes',
        '--auths',
        'fixtures/auths/sample-auths.csv',
        '--out',
        dir,
        '--as-of',
        '2026-02-10',
        '--json',
      ],
      ctx,
    )
    expect(code).toBe(0)
    const summary = JSON.parse(out())
    expect(summary).toMatchObject({ claims: 6, accepted: 6, rejected: 0, errors: 0, asOf: '2026-02-10' })
  })

  it('uses the database (with the bundled code subset when none is imported) and stores the run', async () => {
    const { ctx, out, err } = context()
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const imported = await main(['auths', 'import', 'fixtures/auths/sample-auths.csv'], ctx)
    expect(imported).toBe(0)
    const code = await main(['scrub', ...files, '--out', dir, '--as-of', '2026-02-10'], ctx)
    expect(err()).toContain('bundled subset')
    expect(code).toBe(0)
    expect(out()).toContain('accepted 6')
  })

  it('exits 2 on usage errors', async () => {
    const { ctx, err } = context()
    expect(await main(['scrub'], ctx)).toBe(2)
    expect(
      await main(['scrub', files[0] ?? '', '--as-of', '2026-02-30', '--codes', 'fixtures/codes'], ctx),
    ).toBe(2)
    expect(err()).toContain('CLI_BAD_OPTION')
    expect(
      await main(['scrub', files[0] ?? '', '--codes', 'fixtures/codes', '--tables', 'fixtures/x12'], ctx),
    ).toBe(2)
    expect(err()).toContain('SCRUB_UNREADABLE_TABLE')
    expect(await main(['scrub', 'fixtures/x12/no-such.x12', '--codes', 'fixtures/codes'], ctx)).toBe(2)
    expect(err()).toContain('CLI_UNREADABLE_INPUT')
  })
})
