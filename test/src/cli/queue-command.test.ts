import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { databaseOptionsFromConfig, openDatabase } from '../../../src/db/create-database.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')

interface Item {
  id: number
  claimId: string
  procedureCode: string
  queue: string
  carcs: string[]
  amount: string
  deadline: string | null
  daysLeft: number | null
  status: string
}

for (const engine of engines) {
  describe(`onco-edi queue [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
      await cli(config, ['payers', 'import', join(E2E, 'payers.csv')])
      const ingest = await cli(config, [
        'ingest',
        ...['837p-commercial-2026-01.x12', '835-commercial-2026-02-05.x12'].map((n) => join(E2E, n)),
      ])
      expect(ingest.code).toBe(0)
    })
    afterAll(() => cleanup())

    const list = async (...args: string[]): Promise<Item[]> => {
      const result = await cli(config, ['queue', 'list', '--json', '--as-of', '2026-02-10', ...args])
      expect(result.code).toBe(0)
      return JSON.parse(result.stdout) as Item[]
    }

    it('filters by payer, CARC, assignee and status, and pages by keyset with a printed cursor', async () => {
      const ids = (items: Item[]) => items.map((i) => i.claimId)
      expect(ids(await list('--payer', 'COM01'))).toEqual(['E2E-C-101', 'E2E-C-102'])
      expect(await list('--payer', 'MCR01')).toEqual([])
      expect(ids(await list('--carc', '197'))).toEqual(['E2E-C-101', 'E2E-C-102'])
      expect(ids(await list('--carc', 'co-197'))).toEqual(['E2E-C-101', 'E2E-C-102'])
      expect(await list('--carc', 'PR-197')).toEqual([])
      expect(await list('--assignee', 'nobody')).toEqual([])
      expect(await list('--status', 'recovered')).toEqual([])
      const page = async (...args: string[]) => {
        const result = await cli(config, ['queue', 'list', '--json', '--as-of', '2026-02-10', ...args])
        expect(result.code).toBe(0)
        return JSON.parse(result.stdout) as { items: Item[]; next: string | null }
      }
      const first = await page('--limit', '1')
      expect([ids(first.items), typeof first.next]).toEqual([['E2E-C-101'], 'string'])
      const second = await page('--limit', '1', '--after', first.next ?? '')
      expect([ids(second.items), second.next]).toEqual([['E2E-C-102'], null])
      const text = await cli(config, ['queue', 'list', '--as-of', '2026-02-10', '--limit', '1'])
      expect(text.stdout).toContain(`1 item(s); next page: --after '${first.next}'`)
      const bad = await cli(config, ['queue', 'list', '--after', 'yesterday'])
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('CLI_BAD_OPTION')])
    })

    it('puts the denied lines inside the item, with the linked items of the same claim', async () => {
      const items = await list()
      expect(items[0]).toMatchObject({
        claimId: 'E2E-C-101',
        linkedItemIds: [],
        lines: [
          {
            level: 'line',
            procedureCode: 'J9299',
            carcs: ['CO-197'],
            rarcs: [],
            amount: '8000.00',
            deadline: '2026-06-05',
            recoveredAmount: '0.00',
          },
        ],
      })
    })

    it('lists items as JSON with the documented fields', async () => {
      const items = await list()
      expect(items).toHaveLength(2)
      expect(items[0]).toMatchObject({
        claimId: 'E2E-C-101',
        payerClaimNumber: 'COM0205101',
        payerId: 'COM01',
        queue: 'authorization',
        carcs: ['CO-197'],
        rarcs: [],
        action: 'appeal',
        amount: '8000.00',
        deadline: '2026-06-05',
        daysLeft: 115,
        status: 'open',
      })
      expect(await list('--queue', 'coding')).toEqual([])
      expect((await list('--due-within', '114')).length).toBe(0)
      expect((await list('--due-within', '115')).length).toBe(2)
    })

    it('prints a table by default', async () => {
      const result = await cli(config, ['queue', 'list', '--as-of', '2026-02-10'])
      expect(result.stdout.split('\n')[0]).toMatch(/^id\s+deadline\s+days\s+amount\s+queue/)
      expect(result.stdout).toMatch(/2026-06-05\s+115\s+8000\.00\s+authorization\s+CO-197/)
      expect(result.stdout).toMatch(/2 item\(s\)\n$/)
    })

    it('rejects an unknown queue or status with exit 2', async () => {
      const result = await cli(config, ['queue', 'list', '--queue', 'billing'])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^CLI_BAD_OPTION: Expected --queue to be one of coding, /)
    })

    it('shows, assigns and resolves an item, with the user on the audit trail', async () => {
      const [first, second] = await list()
      if (first === undefined || second === undefined) throw new Error('two items expected')
      const shown = await cli(config, ['queue', 'show', String(first.id), '--as-of', '2026-02-10'])
      expect(shown.code).toBe(0)
      expect(shown.stdout).toMatch(/authorization \/ appeal/)
      expect(shown.stdout).toMatch(/J9299 .*00003377211/)
      expect(shown.stdout).toMatch(/line 1: CO-197 8000\.00/)
      const assigned = await cli(config, [
        'queue',
        'assign',
        String(first.id),
        '--to',
        'alice',
        '--user',
        'lead',
      ])
      expect([assigned.code, assigned.stdout]).toEqual([0, `item ${first.id} assigned to alice\n`])
      const resolved = await cli(config, [
        'queue',
        'resolve',
        String(second.id),
        '--action',
        'appealed',
        '--note',
        'records sent',
      ])
      expect([resolved.code, resolved.stdout]).toEqual([0, `item ${second.id} appealed\n`])
      const detail = JSON.parse(
        (await cli(config, ['queue', 'show', String(second.id), '--json'])).stdout,
      ) as {
        history: { actor: string; action: string; note: string }[]
      }
      expect(detail.history).toEqual([
        expect.objectContaining({ actor: 'tester', action: 'resolve:appealed', note: 'records sent' }),
      ])
      expect((await list()).map((i) => [i.id, i.status])).toEqual([[first.id, 'assigned']])
    })

    it('rejects a bad resolution and an unknown id', async () => {
      const bad = await cli(config, ['queue', 'resolve', '1', '--action', 'ignored'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(
        /^CLI_BAD_OPTION: Expected --action to be one of corrected, appealed, written_off, patient_billed/,
      )
      const missing = await cli(config, ['queue', 'show', '424242'])
      expect([missing.code, missing.stderr]).toEqual([1, 'DB_NOT_FOUND: No rework item with id 424242\n'])
    })

    it('refuses to write a corrected claim that still has scrub errors (CORRECTION_SCRUB_ERRORS, exit 1)', async () => {
      const [first] = await list()
      if (first === undefined) throw new Error('an item expected')
      const out = join(mkdtempSync(join(tmpdir(), 'queue-')), 'c101.x12')
      const result = await cli(config, [
        'queue',
        'corrected-claim',
        String(first.id),
        '--out',
        out,
        '--date',
        '2026-02-11',
      ])
      // E2E-C-101's J9299 needs a prior authorization the claim never carried: no line edit fixes it.
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /^CORRECTION_SCRUB_ERRORS: The corrected claim of item \d+ \(claim E2E-C-101\) still has 1 scrub error\(s\): auth-missing line 1: /,
      )
      expect(existsSync(out)).toBe(false)
    })

    it('recomputes the deadlines of open items after the payer table was edited outside payers import', async () => {
      const unchanged = await cli(config, ['queue', 'recompute', '--json'])
      expect(unchanged.code, unchanged.stderr).toBe(0)
      const open = (await list()).length
      expect(JSON.parse(unchanged.stdout)).toEqual({ items: open, changed: 0 })
      // An edit straight in the table (SQL, or an older onco-edi that did not recompute).
      const handle = await openDatabase(databaseOptionsFromConfig(config))
      try {
        await handle.db
          .updateTable('payer_profile')
          .set({ appeal_days: 30 })
          .where('payer_id', '=', 'COM01')
          .execute()
      } finally {
        await handle.close()
      }
      const appeals = (await list()).filter((i) => i.deadline !== null)
      const recomputed = await cli(config, ['queue', 'recompute', '--payer', 'COM01', '--user', 'dana'])
      expect(recomputed.code, recomputed.stderr).toBe(0)
      expect(recomputed.stdout).toMatch(
        new RegExp(
          `^recomputed the deadlines of [1-9]\\d* of ${open} open or assigned rework item\\(s\\)\n$`,
        ),
      )
      const after = await list()
      for (const item of appeals) {
        const now = after.find((i) => i.id === item.id)
        expect(now?.deadline, `item ${item.id}`).not.toBe(item.deadline)
      }
      const none = await cli(config, ['queue', 'recompute', '--payer', 'NOPE01', '--json'])
      expect(JSON.parse(none.stdout)).toEqual({ items: 0, changed: 0 })
    })

    it('refuses a move outside the transition table (exit 1) and reopens with an audited note', async () => {
      const [appealed] = await list('--status', 'appealed')
      if (appealed === undefined) throw new Error('the item appealed above is expected')
      const id = String(appealed.id)
      const refused = await cli(config, ['queue', 'resolve', id, '--action', 'corrected'])
      expect([refused.code, refused.stderr]).toEqual([
        1,
        `DB_INVALID_TRANSITION: Rework item ${id}: an appealed item cannot be corrected; allowed: write_off, bill_patient, recover, reopen\n`,
      ])
      const noNote = await cli(config, ['queue', 'reopen', id])
      expect([noNote.code, noNote.stderr]).toEqual([
        2,
        'CLI_USAGE: Expected --note TEXT saying why the item is reopened\n',
      ])
      const reopened = await cli(config, [
        'queue',
        'reopen',
        id,
        '--note',
        'payer wants a corrected claim',
        '--user',
        'lead',
      ])
      expect([reopened.code, reopened.stdout]).toEqual([0, `item ${id} reopened (open)\n`])
      const again = await cli(config, ['queue', 'reopen', id, '--note', 'twice'])
      expect(again.code).toBe(1)
      const detail = JSON.parse((await cli(config, ['queue', 'show', id, '--json'])).stdout) as {
        history: { actor: string; action: string; beforeStatus: string; afterStatus: string; note: string }[]
      }
      expect(detail.history.at(-1)).toMatchObject({
        actor: 'lead',
        action: 'reopen',
        beforeStatus: 'appealed',
        afterStatus: 'open',
        note: 'payer wants a corrected claim',
      })
      expect((await cli(config, ['queue', 'resolve', id, '--action', 'corrected'])).code).toBe(0)
    })
  })
}
