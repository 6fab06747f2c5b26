import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { main } from '../../../src/cli/main.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { createLogger, silentLogger } from '../../../src/logger.js'
import { seedPgliteDataDir } from '../../support/pglite-template.js'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/codes')
const ROOT = join(import.meta.dirname, '../../..')

class Capture extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

/**
 * The CLI opens the database of its configuration; these tests give it an embedded PGlite in a
 * fresh ONCO_EDI_HOME (the repository tests cover PostgreSQL).
 */
function cli(home: string) {
  return async (...args: string[]) => {
    const stdout = new Capture()
    const stderr = new Capture()
    const context: CommandContext = {
      stdout,
      stderr,
      cwd: ROOT,
      logger: silentLogger(),
      config: { databaseUrl: undefined, home, user: 'tester', logLevel: 'silent' },
    }
    const code = await main(args, context)
    return { code, stdout: stdout.text, stderr: stderr.text }
  }
}

describe('onco-edi codes', () => {
  const home = mkdtempSync(join(tmpdir(), 'onco-edi-codes-cli-'))
  const run = cli(home)
  // The home's database starts as a copy of the run's migrated template.
  beforeAll(() => seedPgliteDataDir(join(home, 'pgdata')))

  it('imports the bundled files and prints kind, quarter and rows; a repeat is "already imported"', async () => {
    const files = readdirSync(FIXTURES)
      .filter((name) => !name.endsWith('.md'))
      .map((name) => `fixtures/codes/${name}`)
    const first = await run('codes', 'import', ...files)
    // Only warnings: the CMS crosswalks carry Windows-1252 bytes (0xA0, a no-break space, in a
    // drug name), each named by line and column; the rows are kept.
    const stderr = first.stderr.split('\n').filter(Boolean)
    expect(stderr.length).toBeGreaterThan(0)
    for (const line of stderr)
      expect(line).toMatch(
        /^fixtures\/codes\/asp-ndc-hcpcs-crosswalk-\d{4}-\d{2}\.csv:\d+:6: warning CODES_CSV_ENCODING: field 6: byte 0xA0 at character \d+ is not UTF-8; the line was read as Windows-1252$/,
      )
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      'fixtures/codes/hcpcs-2026-01-anweb.txt: hcpcs (fixed-width) quarter 2026-01 (from name), 533 rows',
    )
    expect(first.stdout).toMatch(
      /asp-ndc-hcpcs-crosswalk-2024-01\.csv: crosswalk \(csv\) quarter 2024-01 \(from content\), \d+ rows/,
    )
    expect(first.stdout).toMatch(
      /mue-practitioner-2026-04\.csv: mue-practitioner \(csv\) quarter 2026-04 \(from name\), \d+ rows/,
    )
    expect(first.stdout.trim().split('\n')).toHaveLength(files.length)
    const again = await run('codes', 'import', 'fixtures/codes/hcpcs-2026-01-anweb.txt', '--json')
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({
      alreadyImported: true,
      kind: 'hcpcs',
      quarter: '2026-01',
      rows: 533,
    })
  })

  it('reports a file that is not a code file with exit 1 (bad data) and goes on with the others', async () => {
    const junk = join(mkdtempSync(join(tmpdir(), 'onco-edi-codes-junk-')), 'claims.csv')
    writeFileSync(junk, 'claim_id,amount\nC1,100\n')
    const result = await run('codes', 'import', junk, 'fixtures/codes/ncci-add-on-codes-2026-04.xlsx')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${junk}: CODES_UNKNOWN_FILE: `)
    expect(result.stdout).toContain('ncci-add-on-codes-2026-04.xlsx: already imported')
  })

  it('skips the README that comes with a glob of the fixture folder', async () => {
    const result = await run(
      'codes',
      'import',
      'fixtures/codes/README.md',
      'fixtures/codes/mue-practitioner-2026-04.csv',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('fixtures/codes/README.md: skipped (documentation, not a code file)')
  })

  it('rejects bad usage', async () => {
    expect((await run('codes')).code).toBe(2)
    expect((await run('codes', 'import')).stderr).toContain('CLI_USAGE')
    expect((await run('codes', 'import', 'x.txt', '--quarter', '2026-02')).stderr).toContain('CLI_BAD_OPTION')
    expect((await run('codes', 'changes', '--from', '2026-02-30')).stderr).toContain('CLI_BAD_OPTION')
    expect((await run('codes', 'changes', '--from', '2026-03-01', '--to', '2026-01-01')).code).toBe(2)
  })

  it('lists the changes of the newest quarter by default', async () => {
    const result = await run('codes', 'changes')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^HCPCS changes from 2026-01-01 to 2026-03-31: \d+/)
    expect(result.stdout).toMatch(
      /2026-01-01 {2}added {7}J9326 {2}Injection, telisotuzumab vedotin-tllv, 1 mg/,
    )
    expect(result.stdout).toMatch(
      /terminated {2}C9306 .*\n +→ J9326 \(same drug, added the next day\), same billing unit 1 mg/,
    )
  })

  it('names each terminated code with its successor and unit change (--json)', async () => {
    const result = await run('codes', 'changes', '--from', '2015-01-01', '--to', '2015-01-01', '--json')
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json.period).toEqual({ from: '2015-01-01', to: '2015-01-01' })
    const j9265 = json.changes.find((c: { code: string }) => c.code === 'J9265')
    expect(j9265).toMatchObject({
      change: 'terminated',
      effectiveDate: '2015-01-01',
      terminationDate: '2014-12-31',
      billingUnit: { amount: 30, unit: 'mg' },
      successor: { code: 'J9267', unitFactor: 30, billingUnit: { amount: 1, unit: 'mg' } },
    })
    expect(json.changes.find((c: { code: string }) => c.code === 'J9267')).toMatchObject({ change: 'added' })
    const q = await run('codes', 'changes', '--from', '2025-04-01')
    expect(q.stdout).toMatch(
      /terminated {2}Q5139 .*\n +→ Q5152 \(same drug, added the next day\), 10 mg → 2 mg, units ×5/,
    )
  })

  describe('the work list', () => {
    beforeAll(async () => {
      const handle = await openDatabase({ dataDir: join(home, 'pgdata') })
      try {
        await handle.db
          .insertInto('prior_auth')
          .values([
            {
              auth_number: 'PA-1',
              payer_id: 'P1',
              member_id: 'M-FAKE-1',
              hcpcs: 'Q5139',
              start_date: '2025-01-01',
              end_date: '2025-12-31',
            },
            {
              auth_number: 'PA-2',
              payer_id: 'P1',
              member_id: 'M-FAKE-2',
              hcpcs: 'Q5139',
              start_date: '2024-01-01',
              end_date: '2024-12-31',
            },
            {
              auth_number: 'PA-3',
              payer_id: 'P1',
              member_id: 'M-FAKE-3',
              hcpcs: 'Q5152',
              start_date: '2025-04-01',
              end_date: null,
            },
          ])
          .execute()
        const line = { kind: '837P', payer_id: 'P1', member_id: 'M-FAKE-1', units: 30, facility: '11' }
        await handle.db
          .insertInto('scrubbed_claim_line')
          .values([
            {
              ...line,
              claim_id: 'CLM-1',
              line_number: 1,
              dos: '2025-04-15',
              hcpcs: 'Q5139',
              scrubbed_at: new Date('2025-05-01T10:00:00Z'),
            },
            {
              ...line,
              claim_id: 'CLM-2',
              line_number: 1,
              dos: '2025-03-20',
              hcpcs: 'Q5139',
              scrubbed_at: new Date('2025-04-02T10:00:00Z'),
            },
            {
              ...line,
              claim_id: 'CLM-3',
              line_number: 1,
              dos: '2024-12-01',
              hcpcs: 'Q5139',
              scrubbed_at: new Date('2024-12-05T10:00:00Z'),
            },
            {
              ...line,
              claim_id: 'CLM-4',
              line_number: 2,
              dos: '2025-04-15',
              hcpcs: 'Q5152',
              scrubbed_at: new Date('2025-05-01T10:00:00Z'),
            },
          ])
          .execute()
      } finally {
        await handle.close()
      }
    })

    it('lists open authorizations and recent claim lines of terminated codes, without member ids', async () => {
      const result = await run('codes', 'changes', '--from', '2025-04-01', '--as-of', '2025-05-15', '--json')
      const { workList } = JSON.parse(result.stdout)
      expect(workList.since).toBe('2025-02-14')
      expect(workList.authorizations).toEqual([
        {
          authNumber: 'PA-1',
          payerId: 'P1',
          hcpcs: 'Q5139',
          startDate: '2025-01-01',
          endDate: '2025-12-31',
          codeEndsOn: '2025-04-01',
          successor: 'Q5152',
          unitFactor: 5,
        },
      ])
      expect(
        workList.claimLines.map((l: { claimId: string; invalidOnServiceDate: boolean }) => [
          l.claimId,
          l.invalidOnServiceDate,
        ]),
      ).toEqual([
        ['CLM-2', false],
        ['CLM-1', true],
      ])
      expect(result.stdout).not.toContain('M-FAKE')
      const text = await run('codes', 'changes', '--from', '2025-04-01', '--as-of', '2025-05-15')
      expect(text.stdout).toContain(
        'auth PA-1  payer P1  Q5139 (ends 2025-04-01)  valid 2025-01-01 to 2025-12-31  → Q5152 units ×5',
      )
      expect(text.stdout).toContain(
        'claim CLM-1 line 1 (837P)  Q5139 × 30  DOS 2025-04-15 (code not valid on DOS)  → Q5152 units ×5',
      )
      expect(text.stdout).not.toContain('M-FAKE')
    })

    it('also lists lines of ingested 837 claims stored in the look-back window', async () => {
      const handle = await openDatabase({ dataDir: join(home, 'pgdata') })
      try {
        // Stored now, so the window of the default as-of date (today) holds it.
        const file = await handle.db
          .insertInto('ingest_file')
          .values({
            sha256: 'f'.repeat(64),
            name: 'late.837',
            kind: '837',
            sender_id: 'S',
            byte_size: 1,
            status: 'ingested',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const claim = await handle.db
          .insertInto('submitted_claim')
          .values({
            file_id: Number(file.id),
            claim_id: 'SUB-9',
            kind: '837P',
            payer_id: 'P1',
            payer_name: null,
            billing_provider_id: null,
            member_id: 'M-FAKE-9',
            filing_indicator: 'MB',
            service_from: '2025-04-20',
            service_to: '2025-04-20',
            total_charge: 100,
            frequency_code: '1',
            facility_code: '11',
            type_of_bill: null,
            prior_authorization: null,
            payer_claim_control: null,
            diagnoses: [],
            interchange_control: '1',
            transaction_control: '1',
            claim_envelope: '{}',
            claim_x12: '',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await handle.db
          .insertInto('submitted_line')
          .values({
            submitted_claim_id: Number(claim.id),
            line_number: 3,
            revenue_code: null,
            procedure_code: 'Q5139',
            modifiers: '',
            charge: 100,
            unit_basis: 'UN',
            units: 12,
            place_of_service: null,
            service_from: '2025-04-20',
            service_to: '2025-04-20',
            line_control: null,
            prior_authorization: null,
            ndc: null,
            ndc_quantity: null,
            ndc_unit: null,
          })
          .execute()
      } finally {
        await handle.close()
      }
      const result = await run('codes', 'changes', '--from', '2025-04-01', '--json')
      const { workList } = JSON.parse(result.stdout)
      expect(workList.claimLines).toEqual([
        expect.objectContaining({
          source: 'submitted',
          claimId: 'SUB-9',
          line: 3,
          hcpcs: 'Q5139',
          units: 12,
          serviceDate: '2025-04-20',
          invalidOnServiceDate: true,
          successor: 'Q5152',
          unitFactor: 5,
        }),
      ])
      expect(result.stdout).not.toContain('M-FAKE')
      const text = await run('codes', 'changes', '--from', '2025-04-01')
      expect(text.stdout).toContain(
        'claim SUB-9 line 3 (837P, submitted)  Q5139 × 12  DOS 2025-04-20 (code not valid on DOS)',
      )
    })
  })

  it('LOG_LEVEL=info: logs each file as it finishes (before the next file is read)', async () => {
    const junk = join(mkdtempSync(join(tmpdir(), 'onco-edi-codes-log-')), 'claims.csv')
    writeFileSync(junk, 'claim_id,amount\nC1,100\n')
    // One stream for the output and the log, to see the order they were written in.
    const all = new Capture()
    const code = await main(['codes', 'import', 'fixtures/codes/mue-outpatient-hospital-2026-04.csv', junk], {
      stdout: all,
      stderr: all,
      cwd: ROOT,
      logger: createLogger('info', all),
      config: {
        databaseUrl: undefined,
        // The suite's home: its database exists already (a fresh one costs PGlite's initdb).
        home,
        user: 'tester',
        logLevel: 'info',
      },
    })
    expect(code).toBe(1)
    const lines = all.text.trim().split('\n')
    const logs = lines.flatMap((line, index) => {
      if (!line.startsWith('{')) return []
      const entry = JSON.parse(line) as { msg: string; file: string; rows?: number; code?: string }
      return [{ index, msg: entry.msg, file: entry.file, rows: entry.rows, code: entry.code }]
    })
    expect(logs.map(({ msg, file, rows, code }) => [msg, file, rows ?? code])).toEqual([
      ['code file imported', 'fixtures/codes/mue-outpatient-hospital-2026-04.csv', expect.any(Number)],
      ['code file not imported', junk, 'CODES_UNKNOWN_FILE'],
    ])
    // The first file's log line comes before anything about the second file.
    const second = lines.findIndex((line) => !line.startsWith('{') && line.includes(junk))
    expect(logs[0]?.index).toBeLessThan(second)
  })
})
