import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import { createProgress, formatProgressLine } from '../../../src/cli/progress.js'
import type { Config } from '../../../src/config.js'
import { silentLogger } from '../../../src/logger.js'
import { cliDatabase } from './cli-support.js'

/** A terminal as far as the bar can tell: `isTTY` and a width. */
class FakeTty extends Writable {
  readonly isTTY = true
  readonly columns = 100
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

/** A pipe or a file: no `isTTY`. */
class Pipe extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

/** One drawn bar: carriage return, the line, then ESC [K (erase to the end of the line). */
const BAR = new RegExp(
  String.raw`\r(ingest|scrub|codes import) \[#*\.*\] +\d+% {2}\d+\.\d\/\d+\.\d MB {2}[\d,]+ (claims|rows) {2}\d+\.\d MB\/s( {2}ETA \d+:\d\d)?` +
    `${String.fromCharCode(27)}\\[K`,
)

describe('progress bar', () => {
  it('draws bytes, count, rate and ETA on a terminal, at most every 100 ms, and clears itself', () => {
    const tty = new FakeTty()
    let clock = 0
    const progress = createProgress({
      stream: tty,
      label: 'ingest',
      totalBytes: 10_000_000,
      unit: 'claims',
      now: () => clock,
    })
    clock = 5_000
    progress.update({ bytes: 5_000_000, count: 1234 })
    expect(tty.text).toBe(
      '\ringest [###############...............]   50%  5.0/10.0 MB  1,234 claims  1.0 MB/s  ETA 0:05\u001b[K',
    )
    clock = 5_050
    progress.update({ bytes: 6_000_000, count: 1500 })
    expect(tty.text.split('\r')).toHaveLength(2)
    clock = 5_100
    progress.update({ bytes: 6_000_000, count: 1500 })
    expect(tty.text.split('\r')).toHaveLength(3)
    expect(tty.text).toMatch(/60%.*1,500 claims/)
    progress.finish()
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true)
  })

  it('writes nothing off a terminal', () => {
    const pipe = new Pipe()
    const progress = createProgress({ stream: pipe, label: 'ingest', totalBytes: 100 })
    progress.update({ bytes: 50, count: 1 })
    progress.finish()
    expect(pipe.text).toBe('')
  })

  it('fits narrow terminals and unknown totals', () => {
    const line = formatProgressLine({
      label: 'scrub',
      totalBytes: 0,
      unit: 'claims',
      bytes: 2_500_000,
      count: 10,
      elapsedMs: 1000,
      width: 80,
    })
    expect(line).toBe('scrub  2.5 MB  10 claims  2.5 MB/s')
    const narrow = formatProgressLine({
      label: 'ingest',
      totalBytes: 10_000_000,
      bytes: 1_000_000,
      count: 99,
      elapsedMs: 1000,
      width: 40,
    })
    expect(narrow.length).toBeLessThanOrEqual(39)
  })
})

describe('progress of the commands', () => {
  let config: Config
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ config, cleanup } = await cliDatabase(undefined))
  })
  afterAll(() => cleanup())

  const run = async (args: string[], stderr: Writable): Promise<number> => {
    const stdout = new Pipe()
    const context: CommandContext = { stdout, stderr, config, cwd: process.cwd(), logger: silentLogger() }
    return main(args, context)
  }

  it('ingest and codes import draw the bar on a terminal and clear it; off a terminal, nothing', async () => {
    const tty = new FakeTty()
    expect(await run(['ingest', 'fixtures/e2e/837p-commercial-2026-01.x12'], tty)).toBe(0)
    expect(tty.text).toMatch(BAR)
    expect(tty.text.startsWith('\ringest [')).toBe(true)
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true)

    const codes = new FakeTty()
    expect(await run(['codes', 'import', 'fixtures/codes/mue-practitioner-2026-04.csv'], codes)).toBe(0)
    expect(codes.text).toMatch(/\rcodes import \[.*rows/)
    expect(codes.text.endsWith('\r\u001b[K')).toBe(true)

    const pipe = new Pipe()
    expect(await run(['ingest', 'fixtures/e2e/835-commercial-2026-02-05.x12'], pipe)).toBe(0)
    expect(pipe.text).toBe('')
  }, 300_000)

  it('scrub draws the bar on a terminal', async () => {
    const tty = new FakeTty()
    const out = mkdtempSync(join(tmpdir(), 'progress-scrub-'))
    const code = await run(
      ['scrub', 'fixtures/x12/837p-oncology.x12', '--codes', 'fixtures/codes', '--out', out],
      tty,
    )
    expect([0, 1]).toContain(code)
    expect(tty.text).toMatch(BAR)
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true)
  }, 120_000)
})
