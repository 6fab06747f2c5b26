import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import { candidateRules, parsePreventionMap } from '../../../transforms/prevention/prevention-map.js'
import { SCRUB_RULES } from '../../../transforms/scrub/rules/index.js'

const RULES = SCRUB_RULES.map((r) => r.id)
const map = parsePreventionMap(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'fixtures', 'prevention', 'denial-rules.csv'),
    'utf8',
  ),
  RULES,
)

describe('prevention map (fixtures/prevention/denial-rules.csv)', () => {
  it('names only real scrub rules, and every row cites a source', () => {
    expect(map.length).toBeGreaterThan(10)
    for (const row of map) {
      expect(row.source, `line ${row.line}`).not.toBe('')
      for (const rule of row.rules) expect(RULES).toContain(rule)
    }
  })

  it('links CO-4 to the JW/JZ rule first, then the code validity rules', () => {
    expect(candidateRules(map, { carcs: ['CO-4'], rarcs: [], procedureCode: 'J9045' })).toEqual([
      'jw-jz-modifier',
      'jcode-valid-on-dos',
      'c-code-on-professional',
    ])
  })

  it('links CO-16, CO-4 and 181 to jcode-valid-on-dos, and M119 to the NDC rules under any CARC', () => {
    for (const carc of ['CO-16', 'CO-4', 'CO-181', 'OA-181'])
      expect(candidateRules(map, { carcs: [carc], rarcs: [], procedureCode: 'J9999' })).toContain(
        'jcode-valid-on-dos',
      )
    expect(
      candidateRules(map, { carcs: ['CO-16'], rarcs: ['M119'], procedureCode: 'J9271' }).slice(0, 3),
    ).toEqual(['ndc-hcpcs-mismatch', 'ndc-format', 'ndc-required'])
    expect(candidateRules(map, { carcs: ['CO-96'], rarcs: ['M119'], procedureCode: 'J9271' })).toEqual([
      'ndc-hcpcs-mismatch',
      'ndc-format',
      'ndc-required',
    ])
  })

  it('links authorization denials (197, 15, 198) to the authorization rules', () => {
    expect(candidateRules(map, { carcs: ['CO-197'], rarcs: [], procedureCode: 'J9299' })).toEqual([
      'auth-missing',
      'auth-out-of-scope',
    ])
    expect(candidateRules(map, { carcs: ['CO-15'], rarcs: [], procedureCode: undefined })).toEqual([
      'auth-missing',
      'auth-out-of-scope',
    ])
    expect(candidateRules(map, { carcs: ['CO-198'], rarcs: [], procedureCode: 'J9271' })).toEqual([
      'auth-out-of-scope',
    ])
  })

  it('links CO-97 and B15 to the administration rules only on administration codes', () => {
    for (const code of ['96413', '96415', '96417'])
      expect(candidateRules(map, { carcs: ['CO-97'], rarcs: ['M15'], procedureCode: code })).toEqual([
        'admin-sequence',
        'admin-initial-unique',
        'admin-addon-without-primary',
        'admin-hierarchy',
      ])
    expect(candidateRules(map, { carcs: ['CO-97'], rarcs: [], procedureCode: 'J9271' })).toEqual([])
    expect(candidateRules(map, { carcs: ['CO-97'], rarcs: [], procedureCode: undefined })).toEqual([])
    expect(candidateRules(map, { carcs: ['CO-B15'], rarcs: [], procedureCode: '96417' })[0]).toBe(
      'admin-addon-without-primary',
    )
  })

  it('has no rule for coverage or timely filing denials', () => {
    expect(candidateRules(map, { carcs: ['CO-50'], rarcs: ['N115'], procedureCode: 'J9035' })).toEqual([])
    expect(candidateRules(map, { carcs: ['CO-29'], rarcs: [], procedureCode: '96413' })).toEqual([])
  })

  it('refuses a misspelt rule or a row without rules, naming the line', () => {
    const header = 'carc,rarc,hcpcs,rules,source\n'
    const fail = (text: string): DenialError => {
      try {
        parsePreventionMap(text, RULES)
      } catch (error) {
        if (error instanceof DenialError) return error
      }
      throw new Error('expected a DenialError')
    }
    const typo = fail(`${header}4,,,jw-jz-modifer,CMS\n`)
    expect([typo.code, typo.line, typo.column]).toEqual(['DENIAL_CSV_ROW', 2, 'rules'])
    expect(typo.message).toContain('"jw-jz-modifer" is not a scrub rule')
    expect(fail(`${header}# note\n4,,,jw-jz-modifier,CMS\n5,,,,CMS\n`).line).toBe(4)
    expect(fail('carc,rules\n').code).toBe('DENIAL_CSV_HEADER')
  })
})
