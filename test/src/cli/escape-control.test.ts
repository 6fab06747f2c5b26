import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeControl } from '../../../src/cli/escape-control.js'
import type { Config } from '../../../src/config.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const ESC = '\u001b'
/** Any raw control character (tab and newline excepted: they lay out the output itself). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/

describe('escapeControl', () => {
  it('escapes C0, DEL, C1, line separators and bidi overrides, and keeps other text', () => {
    expect(escapeControl(`a${ESC}[2Jb`)).toBe('a\\x1b[2Jb')
    expect(escapeControl('one\ntwo\r\tthree')).toBe('one\\ntwo\\r\\tthree')
    expect(escapeControl('\u0000\u007f\u0085')).toBe('\\x00\\x7f\\x85')
    expect(escapeControl('evil\u202Etxt.exe\u2028')).toBe('evil\\u202etxt.exe\\u2028')
    expect(escapeControl('Müller — ✓ 100%')).toBe('Müller — ✓ 100%')
  })
})

for (const engine of engines) {
  describe(`control characters are stored but printed escaped [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    const work = mkdtempSync(join(tmpdir(), 'escape-'))
    /** A file name that would clear the screen if printed raw. */
    const hostile = join(work, `claims${ESC}[2J.x12`)
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      copyFileSync(join(E2E, '837p-commercial-2026-01.x12'), hostile)
      await cli(config, ['payers', 'import', join(E2E, 'payers.csv')])
    }, 300_000)
    afterAll(() => cleanup())

    it('escapes file names, assignees, actors and notes in ingest, queue list and queue show', async () => {
      const ingest = await cli(config, ['ingest', hostile, join(E2E, '835-commercial-2026-02-05.x12')])
      expect(ingest.code, ingest.stderr).toBe(0)
      expect(ingest.stdout).toContain('claims\\x1b[2J.x12: 837 stored')
      expect(ingest.stdout).not.toMatch(RAW_CONTROL)

      const items = JSON.parse(
        (await cli(config, ['queue', 'list', '--json', '--as-of', '2026-02-10'])).stdout,
      ) as { id: number }[]
      const [first, second] = items
      if (first === undefined || second === undefined) throw new Error('two items expected')
      const assignee = `eve${ESC}]0;owned\u0007`
      const assigned = await cli(config, [
        'queue',
        'assign',
        String(first.id),
        '--to',
        assignee,
        '--user',
        `mal\rlory`,
      ])
      expect(assigned.stdout).toBe(`item ${first.id} assigned to eve\\x1b]0;owned\\x07\n`)
      const note = `sent\nfake line${ESC}[31m`
      const resolved = await cli(config, [
        'queue',
        'resolve',
        String(second.id),
        '--action',
        'appealed',
        '--note',
        note,
      ])
      expect(resolved.code, resolved.stderr).toBe(0)

      const list = await cli(config, ['queue', 'list', '--as-of', '2026-02-10'])
      expect(list.stdout).toContain('assigned:eve\\x1b]0;owned\\x07')
      expect(list.stdout).not.toMatch(RAW_CONTROL)

      const shownFirst = await cli(config, ['queue', 'show', String(first.id), '--as-of', '2026-02-10'])
      expect(shownFirst.stdout).toContain('(eve\\x1b]0;owned\\x07)')
      expect(shownFirst.stdout).toContain('mal\\rlory assign')
      expect(shownFirst.stdout).not.toMatch(RAW_CONTROL)
      const shown = await cli(config, ['queue', 'show', String(second.id), '--as-of', '2026-02-10'])
      expect(shown.stdout).toContain('(sent\\nfake line\\x1b[31m)')
      expect(shown.stdout).not.toMatch(RAW_CONTROL)

      // Stored unchanged: the JSON output carries the exact note (JSON escapes it itself).
      const detail = JSON.parse(
        (await cli(config, ['queue', 'show', String(second.id), '--json'])).stdout,
      ) as {
        history: { note: string | null }[]
      }
      expect(detail.history.map((h) => h.note)).toContain(note)
    }, 300_000)

    it('refuses an empty --user, an empty ONCO_EDI_USER, and no user at all with CLI_USAGE', async () => {
      const empty = await cli(config, ['queue', 'assign', '1', '--to', 'bob', '--user', '  '])
      expect([empty.code, empty.stderr]).toEqual([
        2,
        'CLI_USAGE: Expected --user to name a user, got an empty value\n',
      ])
      const blankEnv = await cli({ ...config, user: '' }, ['queue', 'resolve', '1', '--action', 'appealed'])
      expect(blankEnv.code).toBe(2)
      expect(blankEnv.stderr).toMatch(/^CLI_USAGE: ONCO_EDI_USER is set but empty/)
      const nobody = await cli({ ...config, user: undefined }, ['ingest', join(E2E, 'payers.csv')])
      expect(nobody.code).toBe(2)
      expect(nobody.stderr).toMatch(/^CLI_USAGE: No user to record on the audit trail/)
    })
  })
}
