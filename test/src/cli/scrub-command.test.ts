import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import { silentLogger } from '../../../src/logger.js'
import { projectRoot } from '../../../src/project-root.js'

const root = projectRoot()

/** One PGlite home for the tests that only need the control-number counter (an initdb each is slow). */
const sharedHome = mkdtempSync(join(tmpdir(), 'onco-home-'))

function context(ownHome = false): { ctx: CommandContext; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk))
        callback()
      },
    })
  const home = ownHome ? mkdtempSync(join(tmpdir(), 'onco-home-')) : sharedHome
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
    // The Medicare Part A claim ONC-I-2002 needs no prior authorization for J9271.
    expect(out()).toMatch(/claims: 6 \(accepted 4, rejected 2\)/)
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
    const { ctx, out, err } = context(true)
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

describe('onco-edi scrub: files and outputs that cannot be used', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |Error:|internal error/)

  it('scrub DIR: a folder given as a file is a coded one-line error naming it, exit 2', async () => {
    const { ctx, out, err } = context()
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const code = await main(['scrub', 'fixtures/x12', '--codes', 'fixtures/codes', '--out', dir], ctx)
    expect(code).toBe(2)
    expect(err()).toBe('CLI_UNREADABLE_INPUT: Cannot read fixtures/x12: it is a folder (EISDIR)\n')
    expect(out()).toContain('  fixtures/x12: unreadable: CLI_UNREADABLE_INPUT: Cannot read fixtures/x12')
    noStack(out() + err())
  })

  it('--out at a file, under a file or in /proc: CLI_UNWRITABLE_OUTPUT naming the path, exit 2, nothing read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const file = join(dir, 'existing.txt')
    writeFileSync(file, 'keep me')
    const cases: [string, RegExp][] = [
      [file, /it exists and is not a folder \(EEXIST\)/],
      [join(file, 'sub'), /a part of the path is not a folder \(ENOTDIR\)/],
      ['/proc/onco-edi-scrub-cli/out', /\(ENOENT\)/],
    ]
    for (const [target, reason] of cases) {
      const { ctx, out, err } = context()
      const code = await main(['scrub', ...files, '--codes', 'fixtures/codes', '--out', target], ctx)
      expect(code).toBe(2)
      expect(err()).toMatch(
        new RegExp(`^CLI_UNWRITABLE_OUTPUT: Cannot write to the folder ${target}: .+\\n$`),
      )
      expect(err()).toMatch(reason)
      expect(out()).toBe('')
      noStack(err())
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  it('a bad ONCO_EDI_ISA06 is CLI_BAD_OPTION naming the variable, exit 2', async () => {
    const { ctx, err } = context()
    ctx.config = { ...ctx.config, outbound: { isa06: 'A*SENDER' } }
    const code = await main(['scrub', ...files, '--codes', 'fixtures/codes'], ctx)
    expect(code).toBe(2)
    expect(err()).toMatch(/^CLI_BAD_OPTION: Expected ONCO_EDI_ISA06 to be 1 to 15 letters/)
  })

  it('two --codes runs on one home number their output from the database counter: increasing ISA13s', async () => {
    const { ctx, out } = context()
    // ISA13 per interchange sender (ISA06): each sender/receiver pair has its own counter.
    const isa13s: Record<string, number[]> = {}
    for (const run of ['first', 'second']) {
      const dir = mkdtempSync(join(tmpdir(), `scrub-${run}-`))
      const code = await main(
        ['scrub', ...files, '--codes', 'fixtures/codes', '--out', dir, '--as-of', '2026-02-10'],
        ctx,
      )
      expect(code).toBe(1)
      const accepted = readFileSync(join(dir, 'accepted.x12'), 'utf8')
      for (const m of accepted.matchAll(/^ISA(?:\*[^*]*){5}\*([^*]+?) *(?:\*[^*]*){6}\*(\d{9})\*/gm)) {
        const sender = m[1] ?? ''
        isa13s[sender] = [...(isa13s[sender] ?? []), Number(m[2])]
      }
    }
    expect(Object.keys(isa13s).sort()).toEqual(['RIVERBENDHOSP', 'RIVERBENDONC'])
    for (const numbers of Object.values(isa13s)) {
      expect(numbers).toHaveLength(2)
      const [first = 0, second = 0] = numbers
      expect(second).toBeGreaterThan(first)
    }
    expect(out()).toContain('837p-oncology.x12: scrubbed: 2 accepted / 2 rejected')
  })

  it('--json keeps stdout for the JSON summary and reports each file on stderr', async () => {
    const { ctx, out, err } = context()
    const dir = mkdtempSync(join(tmpdir(), 'scrub-cli-'))
    const utf16 = join(dir, 'utf16.x12')
    writeFileSync(utf16, Buffer.from(readFileSync(join(root, files[0] ?? ''), 'utf8'), 'utf16le'))
    const code = await main(
      ['scrub', utf16, ...files, '--codes', 'fixtures/codes', '--out', dir, '--json'],
      ctx,
    )
    expect(code).toBe(1)
    const summary = JSON.parse(out())
    expect(summary.files.map((f: { file: string; status: string }) => [f.file, f.status])).toEqual([
      [utf16, 'unreadable'],
      ['fixtures/x12/837p-oncology.x12', 'scrubbed'],
      ['fixtures/x12/837i-oncology.x12', 'scrubbed'],
    ])
    expect(err()).toContain(
      `  ${utf16}: unreadable: X12_NO_ISA at (segment 0, byte 0): The input looks like UTF-16`,
    )
    expect(err()).toContain('  fixtures/x12/837i-oncology.x12: scrubbed: ')
  })
})
