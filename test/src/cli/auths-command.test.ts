import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import { silentLogger } from '../../../src/logger.js'
import { projectRoot } from '../../../src/project-root.js'

const root = projectRoot()

function context(home = mkdtempSync(join(tmpdir(), 'onco-home-'))) {
  let out = ''
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk)
      callback()
    },
  })
  const ctx: CommandContext = {
    stdout: sink,
    stderr: sink,
    config: { databaseUrl: undefined, home, user: 'test', logLevel: 'silent' },
    cwd: root,
    logger: silentLogger(),
  }
  return { ctx, home, out: () => out }
}

describe('onco-edi auths / schedule', () => {
  it('imports good rows, rejects bad ones with line numbers (exit 1), and is idempotent', async () => {
    const { ctx, home, out } = context()
    const dir = mkdtempSync(join(tmpdir(), 'auths-'))
    const file = join(dir, 'auths.csv')
    writeFileSync(
      file,
      [
        'auth_number,payer_id,member_id,hcpcs,units_authorized,cycles_authorized,start_date,end_date',
        'A1,P1,M1,J9271,400,2,2026-01-01,2026-03-31',
        'A2,P1,M2,J9271,-5,2,2026-01-01,2026-03-31',
        'A3,P1,M3,,,,,',
      ].join('\n'),
    )
    expect(await main(['auths', 'import', file], ctx)).toBe(1)
    expect(out()).toContain('2 authorizations added, 0 updated, 1 rejected')
    expect(out()).toContain(
      'auths.csv:3:5: SCRUB_CSV_VALUE: units_authorized "-5" is not a number from 0 to 1000000',
    )
    expect(out()).not.toContain('M2')
    const again = context(home)
    expect(await main(['auths', 'import', file, '--json'], again.ctx)).toBe(1)
    expect(JSON.parse(again.out())).toMatchObject({ inserted: 0, replaced: 2, rejected: [{ line: 3 }] })
  })

  it('lists expiring, short and uncovered items sorted by date, with masked member ids', async () => {
    const { ctx, home } = context()
    expect(await main(['auths', 'import', 'fixtures/auths/sample-auths.csv'], ctx)).toBe(0)
    expect(await main(['schedule', 'import', 'fixtures/auths/sample-schedule.csv'], ctx)).toBe(0)
    // Scrubbing the fixture claims records the J9271 given on 2026-02-02 under MCRPA77310 (1 cycle, 200 units).
    const outDir = mkdtempSync(join(tmpdir(), 'scrub-'))
    const scrub = [
      'scrub',
      'fixtures/x12/837p-oncology.x12',
      'fixtures/x12/837i-oncology.x12',
      '--out',
      outDir,
      '--as-of',
      '2026-02-10',
    ]
    expect(await main(scrub, context(home).ctx)).toBe(0)
    const prices = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.csv')
    writeFileSync(prices, 'hcpcs,unit_price\nJ9271,58.50\n')
    const due = context(home)
    expect(await main(['auths', 'due', '--as-of', '2026-02-10', '--prices', prices, '--json'], due.ctx)).toBe(
      0,
    )
    const { items } = JSON.parse(due.out())
    expect(
      items.map((i: { date: string; kind: string; authNumber: string | null }) => [
        i.date,
        i.kind,
        i.authNumber ?? null,
      ]),
    ).toEqual([
      ['2026-02-20', 'expiring', 'EHPAUTH5521'],
      ['2026-02-23', 'units-short', 'MCRPA77310'],
      ['2026-02-23', 'cycles-short', 'MCRPA77310'],
      ['2026-02-24', 'uncovered-infusion', null],
    ])
    expect(items[3]).toMatchObject({ memberId: '***2233', hcpcs: 'J9271', atRisk: 1170000 })
    const text = context(home)
    expect(await main(['auths', 'due', '--as-of', '2026-02-10', '--within', '5'], text.ctx)).toBe(0)
    expect(text.out()).not.toContain('expiring')
    expect(text.out()).toContain('uncovered-infusion')
    expect(text.out()).not.toContain('EHP700112233')
  })

  it('rejects bad schedule rows with their line numbers and bad options with exit 2', async () => {
    const { ctx, out } = context()
    const file = join(mkdtempSync(join(tmpdir(), 'sched-')), 's.csv')
    writeFileSync(
      file,
      'member_id,payer_id,date,hcpcs,planned_units\nM1,P1,2026-02-01,J9271,200\nM1,P1,tomorrow,J9271,200\n',
    )
    expect(await main(['schedule', 'import', file], ctx)).toBe(1)
    expect(out()).toContain('1 scheduled infusions stored, 1 rejected')
    expect(out()).toContain('s.csv:3:3: SCRUB_CSV_VALUE: date "tomorrow" is not YYYY-MM-DD')
    expect(await main(['auths', 'due', '--within', 'soon'], ctx)).toBe(2)
    expect(await main(['auths', 'frobnicate'], ctx)).toBe(2)
  })
})
