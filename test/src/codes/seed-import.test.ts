import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CodeImportResult } from '../../../src/codes/code-table-repository.js'
import {
  importCodeFile,
  loadCodeTableRecords,
  loadCodeTableRecordsFromFiles,
} from '../../../src/codes/code-table-repository.js'
import { detectCodeFile } from '../../../src/codes/detect-code-file.js'
import { readCodeFile } from '../../../src/codes/read-code-file.js'
import type { HcpcsRecord } from '../../../transforms/codes/code-records.js'
import type { CodeTableRecords } from '../../../transforms/scrub/code-table-set.js'
import { describeEachDatabase } from '../../support/databases.js'

/**
 * Imports of the real CMS files in ../shared/fixtures-seed (CI has them). Every file imports in
 * well under a second here (the 5 MB txt ≈ 0.1 s to read, the largest xlsx ≈ 0.8 s), so all run in
 * the default suite.
 */
const SEED = join(import.meta.dirname, '../../../../shared/fixtures-seed')
const seed = (name: string) => join(SEED, name)
const hasSeeds = existsSync(seed('hcpcs-2026-01-anweb.txt'))

async function readHcpcs(name: string): Promise<Map<string, HcpcsRecord>> {
  const records = new Map<string, HcpcsRecord>()
  for await (const batch of readCodeFile(await detectCodeFile(seed(name))))
    if (batch.kind === 'hcpcs') for (const record of batch.records) records.set(record.code, record)
  return records
}

describe.runIf(hasSeeds)('HCPCS seed files, read without a database', () => {
  it('the fixed-width txt and the xlsx of January 2026 hold the same codes and descriptions', async () => {
    const txt = await readHcpcs('hcpcs-2026-01-anweb.txt')
    const xlsx = await readHcpcs('hcpcs-2026-01-anweb.xlsx')
    expect(txt.size).toBe(9006)
    expect([...xlsx.keys()].sort()).toEqual([...txt.keys()].sort())
    // Continuation records joined with one space give the xlsx's whole long description.
    const differing = [...txt.values()].filter((r) => xlsx.get(r.code)?.longDescription !== r.longDescription)
    expect(differing.map((r) => r.code)).toEqual([])
    const differingDates = [...txt.values()].filter(
      (r) =>
        xlsx.get(r.code)?.terminationDate !== r.terminationDate || xlsx.get(r.code)?.addDate !== r.addDate,
    )
    expect(differingDates.map((r) => r.code)).toEqual([])
  })

  it('reads the older 2020 xlsx layout (notes above the header)', async () => {
    const file = await detectCodeFile(seed('hcpcs-2020-10-anweb.xlsx'))
    expect(file).toMatchObject({ kind: 'hcpcs', quarter: '2020-10', quarterSource: 'name', headerLine: 11 })
    const codes = await readHcpcs('hcpcs-2020-10-anweb.xlsx')
    expect(codes.get('J9199')).toMatchObject({ addDate: '2020-01-01', terminationDate: '2020-06-30' })
    expect(codes.get('C9066')).toMatchObject({ addDate: '2020-10-01', terminationDate: undefined })
    expect(codes.get('C9066')?.billingUnit).toEqual({ amount: 10, unit: 'mg' })
    expect(codes.get('J9317')).toBeUndefined()
  })
})

const SEED_FILES = [
  'hcpcs-2025-10-anweb.xlsx',
  'hcpcs-2026-01-anweb.txt',
  'hcpcs-2026-01-transaction-report.xlsx',
  'asp-ndc-hcpcs-crosswalk-2024-01.csv',
  'asp-ndc-hcpcs-crosswalk-2025-01.csv',
  'asp-ndc-hcpcs-crosswalk-2025-07.csv',
  'asp-ndc-hcpcs-crosswalk-2026-01.csv',
  'ncci-add-on-codes-2026-04.xlsx',
  'mue-practitioner-2026-04.csv',
  'mue-outpatient-hospital-2026-04.csv',
]

if (hasSeeds)
  describeEachDatabase('import of the real CMS seed files', (ctx) => {
    const results = new Map<string, CodeImportResult>()
    let records: CodeTableRecords
    const hcpcs = (code: string, quarter = '2026-01') =>
      records.hcpcs.find((r) => r.code === code && r.sourceQuarter === quarter)

    beforeAll(async () => {
      for (const name of SEED_FILES) results.set(name, await importCodeFile(ctx.handle.db, seed(name)))
      records = await loadCodeTableRecords(ctx.handle.db)
    }, 120_000)

    it('recognizes every file and its quarter', () => {
      expect([...results.entries()].map(([name, r]) => [name, r.kind, r.quarter])).toEqual([
        ['hcpcs-2025-10-anweb.xlsx', 'hcpcs', '2025-10'],
        ['hcpcs-2026-01-anweb.txt', 'hcpcs', '2026-01'],
        ['hcpcs-2026-01-transaction-report.xlsx', 'hcpcs-changes', '2026-01'],
        ['asp-ndc-hcpcs-crosswalk-2024-01.csv', 'crosswalk', '2024-01'],
        ['asp-ndc-hcpcs-crosswalk-2025-01.csv', 'crosswalk', '2025-01'],
        ['asp-ndc-hcpcs-crosswalk-2025-07.csv', 'crosswalk', '2025-07'],
        ['asp-ndc-hcpcs-crosswalk-2026-01.csv', 'crosswalk', '2026-01'],
        ['ncci-add-on-codes-2026-04.xlsx', 'add-on', '2026-04'],
        ['mue-practitioner-2026-04.csv', 'mue-practitioner', '2026-04'],
        ['mue-outpatient-hospital-2026-04.csv', 'mue-outpatient-hospital', '2026-04'],
      ])
    })

    it('keeps the HCPCS dates, cross-references and billing units of the transitions', () => {
      // CMS leaves XREF1 blank for J9265: the successor is the same drug added the next day.
      expect(hcpcs('J9265')).toMatchObject({
        terminationDate: '2014-12-31',
        xrefs: [],
        successor: { code: 'J9267', basis: 'same-drug', unitFactor: 30 },
      })
      expect(hcpcs('J9267')).toMatchObject({ addDate: '2015-01-01', billingUnit: { amount: 1, unit: 'mg' } })
      expect(hcpcs('J9310')?.successor).toEqual({ code: 'J9312', basis: 'same-drug', unitFactor: 10 })
      expect(hcpcs('J9199')?.successor).toEqual({ code: 'J9198', basis: 'same-drug', unitFactor: 2 })
      expect(hcpcs('J9031')?.successor).toMatchObject({
        code: 'J9030',
        basis: 'same-drug',
        unitFactor: undefined,
      })
      expect(hcpcs('C9027')).toMatchObject({ xrefs: ['J9271'], successor: { code: 'J9271', basis: 'xref1' } })
      expect(hcpcs('C9453')?.successor).toMatchObject({ code: 'J9299', basis: 'xref1', unitFactor: 1 })
      expect(hcpcs('C9066')?.successor).toMatchObject({ code: 'J9317', basis: 'xref1' })
      expect(hcpcs('C9170')?.successor).toMatchObject({ code: 'J9026', unitFactor: 1 })
      expect(hcpcs('C9302')?.successor).toMatchObject({ code: 'J9276', basis: 'xref1' })
      expect(hcpcs('C9174')?.successor).toMatchObject({ code: 'J9011', unitFactor: 1 })
      expect(hcpcs('C9306')).toMatchObject({ actionCode: 'D', successor: { code: 'J9326' } })
      expect(hcpcs('Q5139')).toMatchObject({
        terminationDate: '2025-03-31',
        successor: { code: 'Q5152', basis: 'same-drug', unitFactor: 5 },
      })
      expect(hcpcs('Q5152')?.billingUnit).toEqual({ amount: 2, unit: 'mg' })
      expect(hcpcs('J9045')?.billingUnit).toEqual({ amount: 50, unit: 'mg' })
    })

    it('keeps MUE units and MAI per setting', () => {
      const mue = (code: string, setting: string) =>
        records.mue.find((r) => r.code === code && r.setting === setting && r.sourceQuarter === '2026-04')
      expect(mue('96413', 'practitioner')).toMatchObject({ units: 1, mai: 3 })
      expect(mue('96415', 'practitioner')).toMatchObject({ units: 8, mai: 3 })
      expect(mue('96417', 'practitioner')).toMatchObject({ units: 3, mai: 3 })
      expect(mue('96368', 'practitioner')).toMatchObject({ units: 1, mai: 2 })
      expect(mue('J9045', 'outpatient_hospital')).toMatchObject({ units: 22, mai: 3 })
      expect(records.mue.filter((r) => r.setting === 'practitioner')).toHaveLength(15095)
      expect(records.mue.filter((r) => r.setting === 'outpatient_hospital')).toHaveLength(15045)
    })

    it('keeps each add-on code with its primaries and Julian dates', () => {
      const primaries = (addOn: string) => records.addOns.filter((r) => r.addOnCode === addOn)
      expect(primaries('96417').map((r) => r.primaryCode)).toContain('96413')
      expect(primaries('96415')).toEqual([
        {
          addOnCode: '96415',
          primaryCode: '96413',
          editType: '1',
          effectiveDate: '2013-04-01',
          deletionDate: undefined,
          sourceQuarter: '2026-04',
        },
      ])
      expect(
        primaries('96411')
          .map((r) => r.primaryCode)
          .sort(),
      ).toEqual(['96409', '96413'])
      // 0663T's edits were deleted on Julian 2025365.
      expect(primaries('0663T').every((r) => r.deletionDate === '2025-12-31')).toBe(true)
      expect(records.addOns).toHaveLength(9000)
    })

    it('keeps the crosswalk of every quarter with 11-digit NDCs', () => {
      const count = (quarter: string) => records.crosswalk.filter((r) => r.quarter === quarter).length
      expect([count('2024-01'), count('2025-01'), count('2025-07'), count('2026-01')]).toEqual([
        5989, 6478, 6733, 7124,
      ])
      expect(results.get('asp-ndc-hcpcs-crosswalk-2026-01.csv')).toMatchObject({
        rows: 7124,
        skippedCount: 1,
      })
      expect(records.crosswalk.every((r) => /^\d{11}$/.test(r.ndc))).toBe(true)
      const hyperHepB = records.crosswalk.find((r) => r.quarter === '2026-01' && r.ndc === '13533063601')
      expect(hyperHepB).toMatchObject({
        hcpcs: '90371',
        dosage: '1 ML',
        billUnits: 1,
        billUnitsPerPackage: 1,
      })
      expect(records.crosswalk.some((r) => r.quarter === '2026-01' && r.hcpcs === 'J9267')).toBe(true)
    })

    it('re-importing a file is a no-op; a newer quarter keeps the older rows', async () => {
      const again = await importCodeFile(ctx.handle.db, seed('hcpcs-2026-01-anweb.txt'))
      expect(again).toMatchObject({ alreadyImported: true, rows: 9006 })
      const xlsx = await importCodeFile(ctx.handle.db, seed('hcpcs-2026-01-anweb.xlsx'))
      expect(xlsx).toMatchObject({ alreadyImported: false, quarter: '2026-01', rows: 9006 })
      const after = await loadCodeTableRecords(ctx.handle.db)
      const byQuarter = (quarter: string) => after.hcpcs.filter((r) => r.sourceQuarter === quarter).length
      expect([byQuarter('2025-10'), byQuarter('2026-01')]).toEqual([8846, 9006])
      // J9326 is new in January 2026: only that quarter has it. J9265 is in both.
      expect(after.hcpcs.filter((r) => r.code === 'J9326').map((r) => r.sourceQuarter)).toEqual(['2026-01'])
      expect(
        after.hcpcs
          .filter((r) => r.code === 'J9265')
          .map((r) => r.sourceQuarter)
          .sort(),
      ).toEqual(['2025-10', '2026-01'])
    })
  })

describe.runIf(hasSeeds)('loadCodeTableRecordsFromFiles on the seed files', () => {
  it('gives the database-less scrub the same HCPCS facts', async () => {
    const loaded = await loadCodeTableRecordsFromFiles([
      seed('hcpcs-2026-01-anweb.txt'),
      seed('mue-practitioner-2026-04.csv'),
    ])
    expect(loaded.hcpcs.find((r) => r.code === 'Q5139')?.successor).toEqual({
      code: 'Q5152',
      basis: 'same-drug',
      unitFactor: 5,
    })
    expect(loaded.mue.find((r) => r.code === '96413')).toMatchObject({ units: 1, mai: 3 })
  })
})
