import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultScrubTablesDir } from '../../../src/project-root.js'
import { loadScrubReference, loadScrubReferenceRows } from '../../../src/scrub/load-scrub-reference.js'
import type { PayerClass } from '../../../transforms/denials/denial-types.js'

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
    // Payer profiles come from the bundled fixtures/payers.csv by default.
    expect(reference.payerProfile('SKMCD1')?.payerClass).toBe('medicaid')
    expect(reference.drugAuthorization('SKCOM1', 'J9271')).toBe('required')
    expect(reference.drugAuthorization('SKMA01', 'J9271')).toBe('required')
    expect(reference.drugAuthorization('SKMCR1', 'J9271')).toBe('not_required')
    expect(reference.drugAuthorization('SKMCD1', 'J9271')).toBe('not_required')
    expect(reference.drugAuthorization('SKMCD1', 'J9035')).toBe('required')
    expect(reference.drugAuthorization('ANY', 'J9271')).toBe('no_profile')
    expect(reference.drugAuthorization(undefined, 'J9271')).toBe('no_profile')
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

  it('reads the drug list by class, by payer id and for every class (*, or the old payer_id "*")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-'))
    cpSync(defaultScrubTablesDir(), dir, { recursive: true })
    writeFileSync(
      join(dir, 'auth-required-drugs.csv'),
      'payer_class,payer_id,hcpcs\nmedicaid,,J9271\n,P-COM,J9299\n*,,J9022\nmedicare,,J9035\n',
    )
    const profile = (payerId: string, payerClass: PayerClass, drugAuthorization?: 'none' | 'list') => ({
      payerId,
      name: payerId,
      payerClass,
      timelyFilingDays: undefined,
      correctedClaimDays: undefined,
      appealDays: undefined,
      drugAuthorization,
    })
    const reference = loadScrubReference(dir, [
      profile('P-MCD', 'medicaid'),
      profile('P-COM', 'commercial'),
      profile('P-MCR', 'medicare'),
      profile('P-MCR-LIST', 'medicare', 'list'),
      profile('P-COM-NONE', 'commercial', 'none'),
    ])
    const needs = (payer: string) =>
      ['J9271', 'J9299', 'J9022', 'J9035'].filter(
        (code) => reference.drugAuthorization(payer, code) === 'required',
      )
    expect(needs('P-MCD')).toEqual(['J9271', 'J9022'])
    expect(needs('P-COM')).toEqual(['J9299', 'J9022'])
    // Traditional Medicare's class default is "none": its list rows apply only when the profile says "list".
    expect(needs('P-MCR')).toEqual([])
    expect(needs('P-MCR-LIST')).toEqual(['J9022', 'J9035'])
    expect(needs('P-COM-NONE')).toEqual([])

    writeFileSync(join(dir, 'auth-required-drugs.csv'), 'payer_id,hcpcs\n*,J9271\nP-COM,J9299\n')
    const old = loadScrubReference(dir, [profile('P-COM', 'commercial'), profile('P-MCR', 'medicare')])
    expect(old.drugAuthorization('P-COM', 'J9271')).toBe('required')
    expect(old.drugAuthorization('P-COM', 'J9299')).toBe('required')
    expect(old.drugAuthorization('P-MCR', 'J9271')).toBe('not_required')
  })
})
