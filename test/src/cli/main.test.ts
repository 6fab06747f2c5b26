import { describe, expect, it } from 'vitest'
import { commands } from '../../../src/cli/commands/index.js'
import { main } from '../../../src/cli/main.js'
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
