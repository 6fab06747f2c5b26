import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultScrubTablesDir } from '../../../src/project-root.js'
import { loadScrubReference, loadScrubReferenceRows } from '../../../src/scrub/load-scrub-reference.js'

describe('loadScrubReference', () => {
  it('loads the shipped tables', () => {
    const rows = loadScrubReferenceRows()
    expect(
      rows.adminCodes
        .filter((r) => r.role === 'initial')
        .map((r) => r.code)
        .sort(),
    ).toEqual(['96360', '96365', '96374', '96409', '96413'])
    const reference = loadScrubReference()
    expect(reference.successor('J9265')?.successor).toBe('J9267')
    expect(reference.addOnFallback('96411')).toEqual(['96409', '96413'])
    expect(reference.isChemoDrug('J9045')).toBe(true)
    expect(reference.isChemoDrug('J2405')).toBe(false)
    expect(reference.authRequired('ANY', 'J9271')).toBe(true)
    expect(reference.payerProfile('SKMCD1')?.requiresNdc).toBe(true)
  })

  it('fails with SCRUB_BAD_TABLE_ROW naming the file and line of a bad row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-'))
    cpSync(defaultScrubTablesDir(), dir, { recursive: true })
    writeFileSync(
      join(dir, 'admin-codes.csv'),
      'code,family,route,role,rank,class_initial\n96413,chemo,infusion,initial,1,96413\n96409,chemo,drip,initial,2,96409\n',
    )
    expect(() => loadScrubReference(dir)).toThrow(
      expect.objectContaining({
        code: 'SCRUB_BAD_TABLE_ROW',
        message: expect.stringMatching(/admin-codes\.csv line 3: route "drip"/),
      }),
    )
  })

  it('fails with SCRUB_BAD_CSV_HEADER when a column is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-'))
    cpSync(defaultScrubTablesDir(), dir, { recursive: true })
    writeFileSync(join(dir, 'code-successors.csv'), 'code,successor\nJ9265,J9267\n')
    expect(() => loadScrubReference(dir)).toThrow(expect.objectContaining({ code: 'SCRUB_BAD_CSV_HEADER' }))
  })
})
