import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CodesError } from '../../../src/codes/codes-error.js'
import { detectCodeFile } from '../../../src/codes/detect-code-file.js'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/codes')
const fixture = (name: string) => join(FIXTURES, name)

async function failure(promise: Promise<unknown>): Promise<CodesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof CodesError)) throw new Error(`expected a CodesError, got ${String(error)}`)
  return error
}

describe('detectCodeFile', () => {
  it.each([
    ['hcpcs-2026-01-anweb.txt', 'hcpcs', 'fixed-width', '2026-01', 'name'],
    ['hcpcs-2025-10-anweb.xlsx', 'hcpcs', 'xlsx', '2025-10', 'content'],
    ['hcpcs-2026-01-transaction-report.xlsx', 'hcpcs-changes', 'xlsx', '2026-01', 'name'],
    ['asp-ndc-hcpcs-crosswalk-2024-01.csv', 'crosswalk', 'csv', '2024-01', 'content'],
    ['asp-ndc-hcpcs-crosswalk-2025-07.csv', 'crosswalk', 'csv', '2025-07', 'content'],
    ['ncci-add-on-codes-2026-04.xlsx', 'add-on', 'xlsx', '2026-04', 'content'],
    ['mue-practitioner-2026-04.csv', 'mue-practitioner', 'csv', '2026-04', 'name'],
    ['mue-outpatient-hospital-2026-04.csv', 'mue-outpatient-hospital', 'csv', '2026-04', 'name'],
  ])('%s is a %s file (%s) of %s, quarter from %s', async (name, kind, format, quarter, quarterSource) => {
    expect(await detectCodeFile(fixture(name))).toMatchObject({ kind, format, quarter, quarterSource })
  })

  it('recognizes files by content, not name: the quarter then comes from the content or the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onco-edi-detect-'))
    const renamed = (from: string, to: string) => {
      copyFileSync(fixture(from), join(dir, to))
      return join(dir, to)
    }
    // The crosswalk title says "Effective January 1, 2024"; the column is named _2023_CODE.
    expect(await detectCodeFile(renamed('asp-ndc-hcpcs-crosswalk-2024-01.csv', 'x.csv'))).toMatchObject({
      kind: 'crosswalk',
      quarter: '2024-01',
      quarterSource: 'content',
    })
    expect(await detectCodeFile(renamed('ncci-add-on-codes-2026-04.xlsx', 'download.xlsx'))).toMatchObject({
      kind: 'add-on',
      quarter: '2026-04',
    })
    const txt = renamed('hcpcs-2026-01-anweb.txt', 'anweb.txt')
    expect(await detectCodeFile(txt, { quarter: '2026-01' })).toMatchObject({
      kind: 'hcpcs',
      quarter: '2026-01',
      quarterSource: 'option',
    })
    const noQuarter = await failure(detectCodeFile(txt))
    expect(noQuarter.code).toBe('CODES_NO_QUARTER')
    expect(noQuarter.position).toEqual({ path: txt })
    const mue = renamed('mue-practitioner-2026-04.csv', 'mue.csv')
    expect((await failure(detectCodeFile(mue))).code).toBe('CODES_NO_QUARTER')
    expect((await failure(detectCodeFile(mue, { quarter: '2026-05' }))).code).toBe('CODES_NO_QUARTER')
  })

  it('rejects a file that is not a CMS code file, and a DME MUE table', async () => {
    const readme = await failure(detectCodeFile(fixture('README.md')))
    expect(readme.code).toBe('CODES_UNKNOWN_FILE')
    expect(readme.position.path).toBe(fixture('README.md'))
    const dir = mkdtempSync(join(tmpdir(), 'onco-edi-detect-'))
    const dme = join(dir, 'mue-dme-2026-04.csv')
    writeFileSync(
      dme,
      '"HCPCS/\nCPT Code",DME Supplier Services MUE Values,MUE Adjudication Indicator,MUE Rationale\nA4216,1,1 Line Edit,x\n',
    )
    const error = await failure(detectCodeFile(dme))
    expect(error.code).toBe('CODES_UNKNOWN_FILE')
    // The line the header record starts on (its quoted first field spans lines 1-2).
    expect(error.position).toEqual({ path: dme, line: 1 })
    const missing = await failure(detectCodeFile(join(dir, 'nope.csv')))
    expect(missing.code).toBe('CODES_UNREADABLE_FILE')
  })
})
