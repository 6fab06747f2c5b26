import { describe, expect, it } from 'vitest'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import {
  FILING_INDICATOR_PAYER_CLASSES,
  parsePayerProfilesCsv,
  payerClassFromFilingIndicator,
} from '../../../transforms/denials/payer-profile.js'
import { readDenialFixture } from './fixtures.js'

const HEADER = 'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days'

describe('parsePayerProfilesCsv', () => {
  it('reads the sample payers: a Medicare MAC, a commercial payer and a Medicaid plan', () => {
    const { profiles, rejects } = parsePayerProfilesCsv(readDenialFixture('payers-sample.csv'))
    expect(rejects).toEqual([])
    const classes = profiles.map((p) => p.payerClass)
    expect(classes).toContain('medicare')
    expect(classes).toContain('commercial')
    expect(classes).toContain('medicaid')
    const medicare = profiles.find((p) => p.payerClass === 'medicare')
    expect(medicare?.timelyFilingDays).toBeUndefined()
    expect(profiles.find((p) => p.payerClass === 'commercial')?.appealDays).toBe(180)
  })

  it('rejects bad rows with their line and reason and keeps every good row', () => {
    const text = [
      HEADER,
      'P1,Good One,commercial,90,90,180',
      'P2,Bad Class,medicar,90,,',
      '',
      'P3,Bad Days,medicaid,-5,abc,',
      ',No Id,medicare,,,',
      'P1,Duplicate,commercial,,,',
      'P4,"Quoted, Name",Medicare_Advantage,,,60',
      'P5,Short Row,commercial',
    ].join('\r\n')
    const { profiles, rejects } = parsePayerProfilesCsv(text)
    expect(profiles.map((p) => p.payerId)).toEqual(['P1', 'P4'])
    expect(profiles[1]).toEqual({
      payerId: 'P4',
      name: 'Quoted, Name',
      payerClass: 'medicare_advantage',
      timelyFilingDays: undefined,
      correctedClaimDays: undefined,
      appealDays: 60,
    })
    expect(rejects.map((r) => r.line)).toEqual([3, 5, 6, 7, 9])
    expect(rejects[0]?.reason).toContain(
      "payer_class: expected one of medicare/medicaid/commercial/medicare_advantage, found 'medicar'",
    )
    expect(rejects[1]?.reason).toContain(
      "timely_filing_days: expected a whole number of days from 1 to 3650 or blank, found '-5'",
    )
    expect(rejects[1]?.reason).toContain('corrected_claim_days')
    expect(rejects[2]?.reason).toContain('payer_id: expected a value')
    expect(rejects[3]?.reason).toContain('already defined on line 2')
    expect(rejects[4]?.reason).toContain('expected 6 fields, found 3')
  })

  it('accepts the columns in any order', () => {
    const { profiles } = parsePayerProfilesCsv(
      'appeal_days,payer_class,payer_id,name,corrected_claim_days,timely_filing_days\n30,medicaid,M1,State,,365\n',
    )
    expect(profiles[0]?.appealDays).toBe(30)
    expect(profiles[0]?.timelyFilingDays).toBe(365)
  })

  it('throws DENIAL_CSV_HEADER on a missing column; rejects an unclosed quote alone (DENIAL_CSV_SYNTAX)', () => {
    const header = (() => {
      try {
        parsePayerProfilesCsv('payer_id,name,payer_class\nP1,x,medicare\n')
      } catch (error) {
        return error
      }
    })()
    expect(header).toBeInstanceOf(DenialError)
    expect(header instanceof DenialError ? [header.code, header.line, header.column] : []).toEqual([
      'DENIAL_CSV_HEADER',
      1,
      'timely_filing_days',
    ])
    const syntax = parsePayerProfilesCsv(
      `${HEADER}\nP1,x,medicare,,,\nP2,"open,medicare,,,\nP3,y,medicaid,,,\n`,
    )
    expect(syntax.profiles.map((p) => p.payerId)).toEqual(['P1', 'P3'])
    expect(syntax.rejects).toEqual([
      {
        line: 3,
        column: 2,
        code: 'DENIAL_CSV_SYNTAX',
        reason: 'name: the quote opened on line 3 is never closed',
      },
    ])
  })
})

describe('payerClassFromFilingIndicator', () => {
  it('maps the X12 claim filing indicator codes (element 1032)', () => {
    expect(payerClassFromFilingIndicator('MB')).toBe('medicare')
    expect(payerClassFromFilingIndicator('MA')).toBe('medicare')
    expect(payerClassFromFilingIndicator('MC')).toBe('medicaid')
    expect(payerClassFromFilingIndicator('16')).toBe('medicare_advantage')
    for (const code of ['CI', 'BL', 'HM', '12', '13', '14'])
      expect(payerClassFromFilingIndicator(code)).toBe('commercial')
    expect(payerClassFromFilingIndicator(' mb ')).toBe('medicare')
  })

  it('returns undefined for ZZ, unknown, blank and prototype keys', () => {
    expect(payerClassFromFilingIndicator('ZZ')).toBeUndefined()
    expect(payerClassFromFilingIndicator('Q9')).toBeUndefined()
    expect(payerClassFromFilingIndicator(undefined)).toBeUndefined()
    expect(payerClassFromFilingIndicator('')).toBeUndefined()
    expect(payerClassFromFilingIndicator('constructor')).toBeUndefined()
  })

  it('takes an edited map', () => {
    expect(payerClassFromFilingIndicator('ZZ', { ...FILING_INDICATOR_PAYER_CLASSES, ZZ: 'medicaid' })).toBe(
      'medicaid',
    )
  })
})
