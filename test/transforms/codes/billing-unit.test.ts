import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readHcpcsFixedWidth } from '../../../src/codes/read-hcpcs-fixed-width.js'
import { parseBillingUnit, unitConversionFactor } from '../../../transforms/codes/billing-unit.js'
import type { HcpcsRecord } from '../../../transforms/codes/code-records.js'

const SEED_TXT = join(import.meta.dirname, '../../../../shared/fixtures-seed/hcpcs-2026-01-anweb.txt')

describe('parseBillingUnit', () => {
  it.each([
    ['Injection, paclitaxel, 1 mg', 1, 'mg'],
    ['Injection, paclitaxel, 30 mg', 30, 'mg'],
    ['Injection, carboplatin, 50 mg', 50, 'mg'],
    ['Injection, oxaliplatin, 0.5 mg', 0.5, 'mg'],
    ['Injection, sacituzumab govitecan-hziy, 2.5 mg', 2.5, 'mg'],
    ['Injection, interferon alfacon-1, recombinant, 1 microgram', 1, 'mcg'],
    ['Injection, filgrastim (g-csf), excludes biosimilars, 1 microgram', 1, 'mcg'],
    ['Injection, denileukin diftitox-cxdl, 1 mcg', 1, 'mcg'],
    ['Injection, epoetin alfa, (for non-esrd use), 1000 units', 1000, 'units'],
    ['Injection, asparaginase (erwinaze), 1,000 iu', 1000, 'iu'],
    ['Injection, asparaginase, not otherwise specified, 10,000 units', 10000, 'units'],
    ['Injection, ampicillin sodium/sulbactam sodium, per 1.5 gm', 1.5, 'g'],
    ['Injection, cefotaxime sodium, per gm', 1, 'g'],
    ['Injection, streptomycin, up to 1 gm', 1, 'g'],
    ['Injection, rituximab, 10 mg', 10, 'mg'],
    ['Injection, melphalan flufenamide, 1mg', 1, 'mg'],
    ['Injection, chorionic gonadotropin, per 1,000 usp units', 1000, 'units'],
    ['Injection, hyaluronidase, ovine, preservative free, per 1 usp unit (up to 999 usp units)', 1, 'units'],
    ['Injection, aprotonin, 10,000 kiu', 10000, 'kiu'],
    ['Injection, potassium chloride, per 2 meq', 2, 'meq'],
    ['Injection, iv, urokinase, 250,000 i.u. vial', 250000, 'iu'],
    ['Injection, gemcitabine hydrochloride (infugem), 200 mg', 200, 'mg'],
    [
      'Injection, midazolam in 0.9% sodium chloride, intravenous, not therapeutically equivalent to j2250, 1 mg',
      1,
      'mg',
    ],
    ['Insulin (lyumjev) for administration through dme (i.e., insulin pump) per 50 units', 50, 'units'],
    [
      'Injection, valoctocogene roxaparvovec-rvox, per ml, containing nominal 2 x 10^13 vector genomes',
      1,
      'ml',
    ],
    ['Injection, aldesleukin, per single use vial', 1, 'vial'],
    ['Injection, atezolizumab, 5 mg and hyaluronidase-tqjs', 5, 'mg'],
    ['Injection, asparaginase (erwinaze), 1,000 iu, per vial, 10,000 units', 10000, 'units'],
    ['Injection, interferon alfa-2b, recombinant, 1 million units', 1, 'million units'],
  ])('%s → %d %s', (description, amount, unit) => {
    expect(parseBillingUnit(description)).toEqual({ amount, unit })
  })

  it.each([
    'Unclassified drugs',
    'Not otherwise classified, antineoplastic drugs',
    'Injection, elivaldogene autotemcel, per treatment',
    'Injection, etranacogene dezaparvovec-drlb, per therapeutic dose',
    'Laetrile, amygdalin, vitamin b17',
    'Injection, buprenorphine extended-release (brixadi), less than or equal to 7 days of therapy',
    'Injection, liposomal, 1 mg daunorubicin and 2.27 mg cytarabine',
    'Injection, fosnetupitant 235 mg and palonosetron 0.25 mg',
  ])('%s has no billing unit', (description) => {
    expect(parseBillingUnit(description)).toBeUndefined()
  })

  it.runIf(existsSync(SEED_TXT))(
    'parses the billing unit of the drug codes (J0–J3, J9, Q5) of the real January 2026 HCPCS file',
    async () => {
      const drugs: HcpcsRecord[] = []
      for await (const batch of readHcpcsFixedWidth(SEED_TXT, '2026-01', () => {}))
        for (const record of batch)
          if (/^(J[0-3]\d{3}|J9\d{3}|Q5\d{3})$/.test(record.code)) drugs.push(record)
      const missing = drugs.filter((record) => record.billingUnit === undefined)
      const combinations = missing.filter((r) =>
        /\d\s*(mg|mcg|units)\b.*\band\b.*\d\s*(mg|mcg|units)\b/.test(r.longDescription),
      )
      const coverage = (drugs.length - missing.length) / drugs.length
      console.info(
        `billing unit coverage: ${drugs.length - missing.length}/${drugs.length} drug codes (${(coverage * 100).toFixed(1)}%); ` +
          `combination doses (no single unit): ${combinations.map((r) => r.code).join(' ')}; ` +
          `no dose in the descriptor: ${missing
            .filter((r) => !combinations.includes(r))
            .map((r) => r.code)
            .join(' ')}`,
      )
      expect(drugs.length).toBeGreaterThan(1000)
      expect(coverage).toBeGreaterThan(0.95)
      expect(combinations.map((r) => r.code)).toEqual(expect.arrayContaining(['J9153', 'J1454', 'J0695']))
      // What is left has no dose at its end: per treatment/therapeutic dose/instillation, NOC, prose.
      for (const record of missing.filter((r) => !combinations.includes(r)))
        expect(record.longDescription, record.code).not.toMatch(
          /,\s*(\d[\d,.]*)\s*(mg|mcg|units?|ml|iu)\s*$/i,
        )
      // DOMAIN.md §3 billing units (CMS ASP crosswalk).
      const unitOf = (code: string) => drugs.find((record) => record.code === code)?.billingUnit
      expect(unitOf('J9045')).toEqual({ amount: 50, unit: 'mg' })
      expect(unitOf('J9267')).toEqual({ amount: 1, unit: 'mg' })
      expect(unitOf('J9271')).toEqual({ amount: 1, unit: 'mg' })
      expect(unitOf('J9035')).toEqual({ amount: 10, unit: 'mg' })
      expect(unitOf('J9312')).toEqual({ amount: 10, unit: 'mg' })
      expect(unitOf('J9263')).toEqual({ amount: 0.5, unit: 'mg' })
      expect(unitOf('J9190')).toEqual({ amount: 500, unit: 'mg' })
      expect(unitOf('J9060')).toEqual({ amount: 10, unit: 'mg' })
      expect(unitOf('J9299')).toEqual({ amount: 1, unit: 'mg' })
      expect(unitOf('J9022')).toEqual({ amount: 10, unit: 'mg' })
      expect(unitOf('Q5107')).toEqual({ amount: 10, unit: 'mg' })
    },
  )
})

describe('unitConversionFactor', () => {
  it('converts units of the old billing unit into units of the new one', () => {
    expect(unitConversionFactor({ amount: 30, unit: 'mg' }, { amount: 1, unit: 'mg' })).toBe(30)
    expect(unitConversionFactor({ amount: 100, unit: 'mg' }, { amount: 10, unit: 'mg' })).toBe(10)
    expect(unitConversionFactor({ amount: 10, unit: 'mg' }, { amount: 2, unit: 'mg' })).toBe(5)
    expect(unitConversionFactor({ amount: 200, unit: 'mg' }, { amount: 100, unit: 'mg' })).toBe(2)
    expect(unitConversionFactor({ amount: 10, unit: 'mg' }, { amount: 2.5, unit: 'mg' })).toBe(4)
    expect(unitConversionFactor({ amount: 1, unit: 'mg' }, { amount: 10, unit: 'mg' })).toBe(0.1)
  })

  it('converts between g, mg and mcg', () => {
    expect(unitConversionFactor({ amount: 1, unit: 'g' }, { amount: 100, unit: 'mg' })).toBe(10)
    expect(unitConversionFactor({ amount: 1, unit: 'mg' }, { amount: 1, unit: 'mcg' })).toBe(1000)
    expect(unitConversionFactor({ amount: 0.3, unit: 'mg' }, { amount: 0.1, unit: 'mg' })).toBe(3)
  })

  it('refuses units that do not compare', () => {
    expect(unitConversionFactor({ amount: 1, unit: 'mg' }, { amount: 1, unit: 'units' })).toBeUndefined()
    expect(unitConversionFactor({ amount: 1, unit: 'vial' }, { amount: 1, unit: 'mg' })).toBeUndefined()
  })
})
