import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  importCodeFile,
  listCodeImports,
  loadCodeTableRecords,
  loadCodeTableRecordsFromFiles,
  loadHcpcsChangeRecords,
} from '../../../src/codes/code-table-repository.js'
import type { CodeTableRecords } from '../../../transforms/scrub/code-table-set.js'
import { describeEachDatabase } from '../../support/databases.js'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/codes')
const fixtureFiles = readdirSync(FIXTURES)
  .filter((name) => !name.endsWith('.md'))
  .sort()
  .map((name) => join(FIXTURES, name))

/** Records in a stable order, to compare what two loaders read regardless of row order. */
function sorted(records: CodeTableRecords): CodeTableRecords {
  const by =
    <T>(key: (r: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b))
  return {
    hcpcs: [...records.hcpcs].sort(by((r) => `${r.sourceQuarter}|${r.code}`)),
    crosswalk: [...records.crosswalk].sort(
      by((r) => `${r.quarter}|${r.hcpcs}|${r.ndc}|${JSON.stringify(r)}`),
    ),
    addOns: [...records.addOns].sort(
      by((r) => `${r.sourceQuarter}|${r.addOnCode}|${r.primaryCode}|${r.effectiveDate}`),
    ),
    mue: [...records.mue].sort(by((r) => `${r.setting}|${r.sourceQuarter}|${r.code}`)),
  }
}

describe('loadCodeTableRecordsFromFiles (no database)', () => {
  it('reads the bundled subset folder, skipping its README', async () => {
    const loaded = await loadCodeTableRecordsFromFiles(FIXTURES)
    expect(loaded.files.map((f) => f.kind).sort()).toEqual([
      'add-on',
      'crosswalk',
      'crosswalk',
      'crosswalk',
      'crosswalk',
      'hcpcs',
      'hcpcs',
      'hcpcs-changes',
      'mue-outpatient-hospital',
      'mue-practitioner',
    ])
    const j9265 = loaded.hcpcs.find((r) => r.code === 'J9265' && r.sourceQuarter === '2026-01')
    expect(j9265).toMatchObject({
      terminationDate: '2014-12-31',
      billingUnit: { amount: 30, unit: 'mg' },
      successor: { code: 'J9267', basis: 'same-drug', unitFactor: 30 },
    })
    expect(new Set(loaded.crosswalk.map((r) => r.quarter))).toEqual(
      new Set(['2024-01', '2025-01', '2025-07', '2026-01']),
    )
    expect(loaded.crosswalk.every((r) => /^\d{11}$/.test(r.ndc))).toBe(true)
    expect(loaded.addOns.filter((r) => r.addOnCode === '96417').map((r) => r.primaryCode)).toContain('96413')
    expect(loaded.changes.some((c) => c.code === 'J9326' && c.change === 'added')).toBe(true)
  })

  it('throws CODES_UNKNOWN_FILE for a listed file that is not a code file', async () => {
    await expect(loadCodeTableRecordsFromFiles([join(FIXTURES, 'README.md')])).rejects.toMatchObject({
      code: 'CODES_UNKNOWN_FILE',
      position: { path: join(FIXTURES, 'README.md') },
    })
  })
})

describeEachDatabase('code table repository', (ctx) => {
  it('stores the bundled subset and reads back exactly what the files hold', async () => {
    for (const file of fixtureFiles) {
      const result = await importCodeFile(ctx.handle.db, file)
      expect(result.alreadyImported, file).toBe(false)
      expect(result.rows, file).toBeGreaterThan(0)
    }
    const fromDb = await loadCodeTableRecords(ctx.handle.db)
    const fromFiles = await loadCodeTableRecordsFromFiles(fixtureFiles)
    expect(sorted(fromDb)).toEqual(sorted(fromFiles))
    const changes = await loadHcpcsChangeRecords(ctx.handle.db)
    expect(changes).toEqual(fromFiles.changes)
    expect((await listCodeImports(ctx.handle.db)).length).toBe(fixtureFiles.length)
  })

  it('does nothing when the same file is imported again', async () => {
    const file = join(FIXTURES, 'mue-practitioner-2026-04.csv')
    const before = await loadCodeTableRecords(ctx.handle.db)
    const again = await importCodeFile(ctx.handle.db, file)
    expect(again).toMatchObject({ alreadyImported: true, kind: 'mue-practitioner', quarter: '2026-04' })
    expect(again.rows).toBe(before.mue.filter((r) => r.setting === 'practitioner').length)
    expect((await loadCodeTableRecords(ctx.handle.db)).mue.length).toBe(before.mue.length)
    expect((await listCodeImports(ctx.handle.db)).length).toBe(fixtureFiles.length)
  })

  it('replaces only the same kind and quarter when another file of that quarter comes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onco-edi-codes-'))
    const file = join(dir, 'mue-practitioner-2026-04.csv')
    writeFileSync(
      file,
      '"HCPCS/\nCPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n96413,2,3 Date of Service Edit: Clinical,Clinical: Data\n',
    )
    const result = await importCodeFile(ctx.handle.db, file)
    expect(result).toMatchObject({ alreadyImported: false, kind: 'mue-practitioner', rows: 1 })
    const { mue } = await loadCodeTableRecords(ctx.handle.db)
    expect(mue.filter((r) => r.setting === 'practitioner')).toEqual([
      {
        setting: 'practitioner',
        code: '96413',
        units: 2,
        mai: 3,
        rationale: 'Clinical: Data',
        sourceQuarter: '2026-04',
      },
    ])
    // The outpatient hospital table of the same quarter is another kind: untouched.
    expect(mue.find((r) => r.setting === 'outpatient_hospital' && r.code === '96413')?.units).toBe(1)
  })

  it('imports a file once when two imports of it run at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onco-edi-codes-'))
    const file = join(dir, 'mue-outpatient-hospital-2025-10.csv')
    writeFileSync(
      file,
      '"HCPCS/\nCPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n96415,8,3 Date of Service Edit: Clinical,x\n',
    )
    const results = await Promise.all([
      importCodeFile(ctx.handle.db, file),
      importCodeFile(ctx.handle.db, file),
    ])
    expect(results.map((r) => r.alreadyImported).sort()).toEqual([false, true])
    const { mue } = await loadCodeTableRecords(ctx.handle.db)
    expect(mue.filter((r) => r.sourceQuarter === '2025-10')).toHaveLength(1)
  })

  it('stores nothing of a file that fails half way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onco-edi-codes-'))
    const file = join(dir, 'mue-outpatient-hospital-2026-04.csv')
    // The same code twice breaks the (setting, quarter, code) key on the second row.
    writeFileSync(
      file,
      '"HCPCS/\nCPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n96413,5,3 Date of Service Edit: Clinical,x\n96413,6,3 Date of Service Edit: Clinical,x\n',
    )
    const before = await loadCodeTableRecords(ctx.handle.db)
    const imports = (await listCodeImports(ctx.handle.db)).length
    await expect(importCodeFile(ctx.handle.db, file)).rejects.toThrow()
    expect(await loadCodeTableRecords(ctx.handle.db)).toEqual(before)
    expect((await listCodeImports(ctx.handle.db)).length).toBe(imports)
  })
})
