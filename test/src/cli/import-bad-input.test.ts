import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config.js'
import { databaseOptionsFromConfig, openDatabase } from '../../../src/db/create-database.js'
import type { Database } from '../../../src/db/database.js'
import { engines } from '../../support/databases.js'
import { cli, cliDatabase } from './cli-support.js'

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures')

/**
 * The bad-input matrix over every import (codes, auths, schedule, payers): each bad row is
 * reported alone on one line as FILE:LINE[:COLUMN]: CODE: reason, the exit code is 1, nothing is
 * printed that looks like a stack trace, and every good row of the same file is stored. A file
 * the command cannot use at all (a missing column) is one coded line and exit 1 (bad data).
 */
for (const engine of engines) {
  describe(`bad input on every import [${engine.name}]`, () => {
    let config: Config
    let cleanup: () => Promise<void>
    const dir = mkdtempSync(join(tmpdir(), 'bad-input-'))
    const file = (name: string, ...parts: (string | Buffer)[]): string => {
      const path = join(dir, name)
      writeFileSync(path, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))))
      return path
    }
    const count = async (query: (db: Kysely<Database>) => Promise<number>): Promise<number> => {
      const handle = await openDatabase(databaseOptionsFromConfig(config))
      try {
        return await query(handle.db)
      } finally {
        await handle.close()
      }
    }
    beforeAll(async () => {
      ;({ config, cleanup } = await cliDatabase(engine.url))
    })
    afterAll(() => cleanup())

    it('auths import: NUL, 2^31 cycles, a 1 MB field, an unclosed quote, a duplicate; Latin-1 kept with a warning', async () => {
      const path = file(
        'auths.csv',
        'auth_number,payer_id,member_id,hcpcs,units_authorized,cycles_authorized,start_date,end_date\n',
        'A1,P1,M1,J9271,400,2,2026-01-01,2026-03-31\n',
        'A2,P1,M2,J9271,400,3000000000,2026-01-01,2026-03-31\n',
        'A3,P1,M\u00003,J9271,1,1,,\n',
        `A4,P1,${'9'.repeat(1024 * 1024)},J9271,1,1,,\n`,
        'A5,"P1,M5,J9271,1,1,,\n',
        'A1,P1,M1,J9271,400,2,2026-01-01,2026-03-31\n',
        'A6,P1,M',
        Buffer.from([0xe9]),
        '6,J9271,1,1,,\n',
        'A7,P1,M7,J9271,99999999999,1,,\n',
      )
      const result = await cli(config, ['auths', 'import', path])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe(`${path}: 2 authorizations added, 0 updated, 6 rejected\n`)
      expect(result.stderr.split('\n').filter(Boolean)).toEqual([
        `${path}:8:3: warning SCRUB_CSV_ENCODING: member_id: byte 0xE9 at character 8 is not UTF-8; the line was read as Windows-1252`,
        `${path}:3:6: SCRUB_CSV_VALUE: cycles_authorized "3000000000" is not a whole number from 0 to 1000`,
        `${path}:4:3: SCRUB_CSV_CONTROL_CHAR: member_id: control character U+0000 (NUL) at character 2`,
        `${path}:5:3: SCRUB_CSV_TOO_LONG: member_id: 1048576 characters, more than the 80 allowed`,
        `${path}:6:2: SCRUB_CSV_SYNTAX: payer_id: the quote opened on line 6 is never closed`,
        `${path}:7: SCRUB_CSV_DUPLICATE: same auth_number, payer, member and hcpcs as line 2`,
        `${path}:9:5: SCRUB_CSV_VALUE: units_authorized "99999999999" is not a number from 0 to 1000000`,
      ])
      const stored = await count(async (db) => {
        const rows = await db.selectFrom('prior_auth').select(['auth_number', 'member_id']).execute()
        expect(rows.map((r) => [r.auth_number, r.member_id]).sort()).toEqual([
          ['A1', 'M1'],
          ['A6', 'M\u00e96'],
        ])
        return rows.length
      })
      expect(stored).toBe(2)
    })

    it('schedule import: a duplicate row, 2^31 units and a NUL are rejected alone', async () => {
      const path = file(
        'schedule.csv',
        'member_id,payer_id,date,hcpcs,planned_units\n',
        'M1,P1,2026-02-02,J9271,200\n',
        'M1,P1,2026-02-02,J9271,200\n',
        'M1,P1,2026-02-23,J9271,2147483648\n',
        'M1,P1\u0000,2026-03-16,J9271,200\n',
        'M1,P1,2026-03-16,J9271,200\n',
      )
      const result = await cli(config, ['schedule', 'import', path])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe(`${path}: 2 scheduled infusions stored, 3 rejected\n`)
      expect(result.stderr.split('\n').filter(Boolean)).toEqual([
        `${path}:3: SCRUB_CSV_DUPLICATE: same member, payer, date and hcpcs as line 2`,
        `${path}:4:5: SCRUB_CSV_VALUE: planned_units "2147483648" is not a number from 0 to 100000`,
        `${path}:5:2: SCRUB_CSV_CONTROL_CHAR: payer_id: control character U+0000 (NUL) at character 3`,
      ])
      expect(
        await count(async (db) => (await db.selectFrom('infusion_schedule').select('id').execute()).length),
      ).toBe(2)
    })

    it('payers import: a 50 MB name, a NUL, 2^31 days, a duplicate id; a Latin-1 name kept with a warning', async () => {
      const header = 'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days\n'
      const path = file(
        'payers.csv',
        header,
        `BIG,${'x'.repeat(50 * 1024 * 1024)},commercial,,,\n`,
        'NUL1,A\u0000B,commercial,,,\n',
        'DAYS,Days Plan,commercial,2147483648,,\n',
        'GOOD,Good Plan,commercial,90,,\n',
        'GOOD,Good Plan Again,commercial,90,,\n',
        'SAO,S',
        Buffer.from([0xe3]),
        'o Paulo Sa',
        Buffer.from([0xfa]),
        'de,medicaid,,,\n',
      )
      const result = await cli(config, ['payers', 'import', path])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('imported 2 new and 0 updated payer profile(s)\n')
      expect(result.stderr.split('\n').filter(Boolean)).toEqual([
        `${path}:7:2: warning DENIAL_CSV_ENCODING: name: byte 0xE3 at character 6 is not UTF-8; the line was read as Windows-1252`,
        `${path}:2:2: DENIAL_CSV_TOO_LONG: name: 52428800 characters, more than the 200 allowed`,
        `${path}:3:2: DENIAL_CSV_CONTROL_CHAR: name: control character U+0000 (NUL) at character 2`,
        `${path}:4:4: DENIAL_CSV_ROW: timely_filing_days: expected a whole number of days from 1 to 3650 or blank, found '2147483648'`,
        `${path}:6:1: DENIAL_CSV_DUPLICATE: payer_id: 'GOOD' already defined on line 5`,
      ])
      const listed = JSON.parse((await cli(config, ['payers', 'list', '--json'])).stdout) as {
        name: string
      }[]
      expect(listed.map((p) => p.name)).toEqual(['Good Plan', 'São Paulo Saúde'])
    })

    it('codes import: a HCPCS record cut to 40 characters, 2^31 MUE units and a NUL are skipped alone (exit 1)', async () => {
      const hcpcs = readFileSync(join(FIXTURES, 'codes', 'hcpcs-2026-01-anweb.txt'), 'latin1').split('\r\n')
      const cutAt = hcpcs.findIndex((line) => line.startsWith('J9045'))
      hcpcs[cutAt] = (hcpcs[cutAt] ?? '').slice(0, 40)
      const hcpcsPath = file('hcpcs-2026-01-anweb.txt', Buffer.from(hcpcs.join('\r\n'), 'latin1'))
      const mue = readFileSync(join(FIXTURES, 'codes', 'mue-practitioner-2026-04.csv'), 'latin1')
        .replace('J9045,22,', 'J9045,3000000000,')
        .replace(
          'J9271,400,3 Date of Service Edit: Clinical,',
          'J9271,400,3 Date of Service Edit: Clinical\u0000,',
        )
      const muePath = file('mue-practitioner-2026-04.csv', Buffer.from(mue, 'latin1'))
      const result = await cli(config, ['codes', 'import', hcpcsPath, muePath])
      expect(result.code).toBe(1)
      expect(result.stderr.split('\n').filter(Boolean)).toEqual([
        `${hcpcsPath}:${cutAt + 1}:41: CODES_BAD_RECORD_LENGTH: J9045: 40 characters; a HCPCS record is 320 characters (CMS record layout)`,
        expect.stringMatching(
          new RegExp(
            `^${muePath}:\\d+: CODES_BAD_ROW: J9045: units "3000000000" \\(a whole number from 0 to 1000000\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^${muePath}:\\d+:3: CODES_CONTROL_CHAR: field 3: control character U\\+0000 \\(NUL\\)`),
        ),
      ])
      expect(result.stdout).toMatch(
        /hcpcs-2026-01-anweb\.txt: hcpcs \(fixed-width\) quarter 2026-01 \(from name\), 532 rows, 1 rows skipped/,
      )
      expect(result.stdout).toMatch(/mue-practitioner-2026-04\.csv: .*, 328 rows, 2 rows skipped/)
      const codes = await count(async (db) => {
        const rows = await db
          .selectFrom('hcpcs_code')
          .select('code')
          .where('source_quarter', '=', '2026-01')
          .execute()
        expect(rows.some((r) => r.code === 'J9045')).toBe(false)
        expect(rows.some((r) => r.code === 'J9060')).toBe(true)
        return rows.length
      })
      expect(codes).toBe(532)
    })

    it('codes import: an unclosed quote rejects its record alone (FILE:LINE:COLUMN), a Windows-1252 byte is a warning (exit 1)', async () => {
      const mue = readFileSync(join(FIXTURES, 'codes', 'mue-practitioner-2026-04.csv'), 'latin1')
        .replace('J9060,24,3 Date', 'J9060,"24,3 Date')
        .replace(
          'J9271,400,3 Date of Service Edit: Clinical,Prescribing Information',
          'J9271,400,3 Date of Service Edit: Clinical,Prescribing Information \u00e9',
        )
      const path = file('mue-practitioner-2026-04-quote.csv', Buffer.from(mue, 'latin1'))
      const result = await cli(config, ['codes', 'import', path])
      expect(result.code).toBe(1)
      expect(result.stderr).not.toMatch(/\n\s+at /)
      expect(result.stderr.split('\n').filter(Boolean)).toEqual([
        `${path}:213:4: warning CODES_CSV_ENCODING: field 4: byte 0xE9 at character 68 is not UTF-8; the line was read as Windows-1252`,
        `${path}:137:2: CODES_CSV_SYNTAX: field 2: the quote opened on line 137 is never closed`,
      ])
      // The file's other 329 rows are stored (330 in the fixture, less the broken J9060).
      expect(result.stdout).toMatch(/mue-practitioner-2026-04-quote\.csv: .*, 329 rows, 1 rows skipped/)
      const rationale = await count(async (db) => {
        const rows = await db
          .selectFrom('mue_edit')
          .select(['code', 'rationale'])
          .where('source_quarter', '=', '2026-04')
          .where('setting', '=', 'practitioner')
          .execute()
        expect(rows.some((r) => r.code === 'J9060')).toBe(false)
        expect(rows.some((r) => r.code === 'J9045')).toBe(true)
        return rows.filter((r) => r.code === 'J9271' && r.rationale === 'Prescribing Information é').length
      })
      expect(rationale).toBe(1)
    })

    it('a file without a required column is one coded line naming it and exit 1 (bad data), with no stack trace', async () => {
      const path = file('no-hcpcs.csv', 'member_id,payer_id,date,planned_units\nM1,P1,2026-02-02,1\n')
      for (const command of ['schedule', 'auths', 'payers']) {
        const result = await cli(config, [command, 'import', path])
        expect(result.code).toBe(1)
        expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
        expect(result.stderr).toMatch(/^(SCRUB_BAD_CSV_HEADER|DENIAL_CSV_HEADER): /)
        expect(result.stderr).toContain(path)
        expect(result.stderr).not.toMatch(/\n\s+at /)
      }
    })
  })
}
