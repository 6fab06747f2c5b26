import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { commands } from '../../../src/cli/commands/index.js'
import { main } from '../../../src/cli/main.js'
import { createLogger } from '../../../src/logger.js'
import { memoryContext } from '../../support/cli-context.js'

describe('onco-edi main', () => {
  it('lists every command in --help and exits 0', async () => {
    const m = memoryContext()
    expect(await main(['--help'], m.context)).toBe(0)
    for (const command of commands)
      expect(m.stdout()).toContain(`  ${command.name.padEnd(10)} ${command.summary}`)
    expect(m.stdout()).toContain('DATABASE_URL')
  })

  it('exits 2 with usage when no command is given', async () => {
    const m = memoryContext()
    expect(await main([], m.context)).toBe(2)
    expect(m.stdout()).toContain('Usage: onco-edi COMMAND')
  })

  it('rejects an unknown command with CLI_UNKNOWN_COMMAND and exit 2', async () => {
    const m = memoryContext()
    expect(await main(['frobnicate'], m.context)).toBe(2)
    expect(m.stderr()).toMatch(/^CLI_UNKNOWN_COMMAND: unknown command "frobnicate"/)
  })

  it.each(commands.map((c) => c.name))('prints help for `%s --help` without running it', async (name) => {
    const m = memoryContext()
    expect(await main([name, '--help'], m.context)).toBe(0)
    expect(m.stdout()).toMatch(/^Usage:(\n {2}| )onco-edi /)
    expect(m.stdout()).not.toContain('not implemented')
  })

  it('turns an unknown option into CLI_USAGE and exit 2, not a crash', async () => {
    const m = memoryContext()
    expect(await main(['inspect', '--no-such-option', 'x.x12'], m.context)).toBe(2)
    expect(m.stderr()).toMatch(/^CLI_(USAGE|BAD_OPTION): .*--no-such-option/)
  })

  it('reports a coded input failure with its code and exit 2', async () => {
    const m = memoryContext()
    expect(await main(['inspect', 'does-not-exist.x12'], m.context)).toBe(2)
    expect(m.stderr()).toMatch(/^[A-Z0-9]+_[A-Z0-9_]+: /)
  })
})

describe('onco-edi main: lazy commands, bounds and internal errors', () => {
  it('keeps the registry (what --help lists) in step with each command module', async () => {
    for (const entry of commands) {
      const command = await entry.load()
      expect([command.name, command.summary]).toEqual([entry.name, entry.summary])
    }
  })

  it.each([
    [['queue', 'show', '99999999999999999999'], /^CLI_USAGE: Expected a rework item id/],
    [['queue', 'show', '0'], /^CLI_USAGE: Expected a rework item id/],
    [['queue', 'list', '--due-within', '99999999999999'], /^CLI_BAD_OPTION: .*--due-within .* 0 to 36500/],
    [['ingest', 'x.x12', '--concurrency', '100000000000000000000'], /^CLI_BAD_OPTION: .*--concurrency/],
    [['auths', 'due', '--within', '1e308'], /^CLI_BAD_OPTION: .*--within/],
    [['--wait=soon', 'queue', 'list'], /^CLI_BAD_OPTION: Expected --wait to be a number of seconds/],
    [['--wait=999999', 'queue', 'list'], /^CLI_BAD_OPTION: Expected --wait .* 0 to 86400/],
  ])('refuses %j with a coded usage error and exit 2, before any database work', async (argv, message) => {
    const m = memoryContext()
    expect(await main(argv, m.context)).toBe(2)
    expect(m.stderr()).toMatch(message)
    expect(m.stderr().trim().split('\n')).toHaveLength(1)
  })

  it('takes --wait out of the arguments wherever it stands', async () => {
    const m = memoryContext()
    expect(await main(['inspect', '--wait', 'fixtures/x12/835-oncology.x12'], m.context)).toBe(0)
    expect(m.stdout()).toContain('fixtures/x12/835-oncology.x12')
  })

  it('prints an error without a code as one CLI_INTERNAL line, exit 3, the stack in the log only', async () => {
    const logged = new Capture()
    const stderr = new Capture()
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk on fire'))
      },
    })
    broken.on('error', () => {})
    const stdout = Object.assign(broken, {
      write(): boolean {
        throw new TypeError('stdout is broken')
      },
    })
    const context: CommandContext = {
      stdout,
      stderr,
      config: memoryContext().context.config,
      cwd: process.cwd(),
      logger: createLogger('error', logged),
    }
    expect(await main(['--help'], context)).toBe(3)
    expect(stderr.text).toBe('CLI_INTERNAL: stdout is broken (details in the log)\n')
    const log = JSON.parse(logged.text.trim()) as { level: number; err: { stack: string } }
    expect(log.level).toBe(50)
    expect(log.err.stack).toMatch(/TypeError: stdout is broken\n\s+at /)
  })

  it('names the path when it runs through a regular file (ENOTDIR), exit 2', async () => {
    const m = memoryContext()
    expect(await main(['parse', 'fixtures/x12/835-oncology.x12/inner'], m.context)).toBe(2)
    expect(m.stderr()).toMatch(/^CLI_UNREADABLE_INPUT: Cannot read fixtures\/x12\/835-oncology\.x12\/inner: /)
  })
})

/** A writable that keeps what was written. */
class Capture extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}
