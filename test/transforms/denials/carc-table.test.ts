import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  carcCodes,
  findCarcRule,
  normalizeCarc,
  parseCarcRules,
  resolveCarcRule,
} from '../../../transforms/denials/carc-table.js'
import { parseCsvRecords } from '../../../transforms/denials/csv-records.js'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import { productCarcTable, readDenialFixture } from './fixtures.js'

const seedDir = fileURLToPath(new URL('../../../../shared/fixtures-seed/', import.meta.url))
const x12Seed = `${seedDir}carc-x12-2026-05.csv`
const productSeed = `${seedDir}carc-codes.csv`

const HEADER =
  'code,rarc,status,start_date,last_modified,stop_date,queue_co,queue_pr,queue_oa,queue_pi,action,summary,guidance'

function thrown(fn: () => unknown): DenialError {
  try {
    fn()
  } catch (error) {
    if (error instanceof DenialError) return error
    throw error
  }
  throw new Error('expected a DenialError')
}

describe('parseCarcRules', () => {
  it('reads base rows and RARC rows with their dates', () => {
    const table = parseCarcRules(
      [
        HEADER,
        '15,,deactivated,1995-01-01,2017-11-01,2018-05-01,authorization,authorization,authorization,authorization,appeal,auth missing,get auth',
        '16,,active,1995-01-01,,,coding,coding,coding,coding,corrected_claim,see remark,fix it',
        '16,m119,active,1995-01-01,,,coding,coding,coding,coding,corrected_claim,NDC,"fix LIN, CTP"',
      ].join('\n'),
    )
    const rule15 = findCarcRule(table, '15')
    expect(rule15?.status).toBe('deactivated')
    expect(rule15?.stopDate).toBe('2018-05-01')
    expect(rule15?.queues.CO).toBe('authorization')
    expect(rule15?.line).toBe(2)
    expect(resolveCarcRule(table, '16', ['N1', 'M119'])?.guidance).toBe('fix LIN, CTP')
    expect(resolveCarcRule(table, '16', ['N1'])?.rarc).toBeUndefined()
    expect(carcCodes(table)).toEqual(['15', '16'])
  })

  it('normalizes codes as remits spell them', () => {
    expect(normalizeCarc(' 004 ')).toBe('4')
    expect(normalizeCarc('b15')).toBe('B15')
  })

  it('rejects a bad queue with its line and column', () => {
    const error = thrown(() =>
      parseCarcRules(`${HEADER}\n4,,active,1995-01-01,,,codnig,coding,coding,coding,corrected_claim,x,y\n`),
    )
    expect(error.code).toBe('DENIAL_CSV_ROW')
    expect(error.line).toBe(2)
    expect(error.column).toBe('queue_co')
  })

  it('rejects a duplicate code naming both lines', () => {
    const row = '4,,active,1995-01-01,,,coding,coding,coding,coding,corrected_claim,x,y'
    const error = thrown(() => parseCarcRules(`${HEADER}\n${row}\n${row}\n`))
    expect(error.code).toBe('DENIAL_CSV_ROW')
    expect(error.line).toBe(3)
    expect(error.message).toContain('line 2')
  })

  it('rejects a RARC row without a base row', () => {
    const error = thrown(() =>
      parseCarcRules(
        `${HEADER}\n16,M119,active,1995-01-01,,,coding,coding,coding,coding,corrected_claim,x,y\n`,
      ),
    )
    expect(error.code).toBe('DENIAL_CSV_ROW')
    expect(error.line).toBe(2)
  })

  it('rejects a header without a required column', () => {
    const error = thrown(() => parseCarcRules('code,status\n4,active\n'))
    expect(error.code).toBe('DENIAL_CSV_HEADER')
    expect(error.line).toBe(1)
    expect(error.column).toBe('rarc')
  })
})

describe('fixtures/denials/carc-rules.csv', () => {
  const table = productCarcTable()

  it.skipIf(!existsSync(x12Seed))('holds every CARC of the X12 list with its status and dates', () => {
    const seed = parseCsvRecords(readFileSync(x12Seed, 'utf8')).slice(1)
    expect(seed.length).toBeGreaterThan(400)
    for (const { fields } of seed) {
      const [code = '', status, start, lastModified, stop] = fields
      const rule = findCarcRule(table, code)
      expect(rule, `CARC ${code}`).toBeDefined()
      expect(rule?.status).toBe(status)
      expect(rule?.startDate ?? '').toBe(start)
      expect(rule?.lastModified ?? '').toBe(lastModified)
      expect(rule?.stopDate ?? '').toBe(stop)
    }
    expect(table.byCode.size).toBe(seed.length)
  })

  it.skipIf(!existsSync(productSeed))('keeps our paraphrase and default queue of carc-codes.csv', () => {
    const seed = parseCsvRecords(readFileSync(productSeed, 'utf8')).slice(1)
    for (const { fields } of seed) {
      const [code = '', , queue, summary] = fields
      const rule = findCarcRule(table, code)
      expect(rule?.summary, `CARC ${code}`).toBe(summary)
      const expected = queue === 'none' ? 'none' : queue
      // PR reads the same queue except for the patient's own share and CO-only codes.
      expect(rule?.queues.CO === expected || ['1', '2', '3'].includes(code), `CARC ${code}`).toBe(true)
    }
  })

  it.skipIf(!existsSync(x12Seed))('never copies X12 description text', () => {
    const descriptions = parseCsvRecords(readFileSync(x12Seed, 'utf8'))
      .slice(1)
      .map((r) => r.fields[5] ?? '')
      .filter((d) => d.length > 25)
    const ours = readDenialFixture('carc-rules.csv')
    const copied = descriptions.filter((d) => ours.includes(d))
    expect(copied).toEqual([])
  })

  it('maps the DOMAIN.md §8 families', () => {
    const expectQueue = (code: string, queue: string): void =>
      expect(findCarcRule(table, code)?.queues.CO, `CO-${code}`).toBe(queue)
    for (const c of ['4', '5', '11', '16', '146', '167', '181', '182', '189']) expectQueue(c, 'coding')
    for (const c of ['15', '62', '197', '198', '284', '296', '302', '39']) expectQueue(c, 'authorization')
    for (const c of ['50', '96', '204']) expectQueue(c, 'coverage')
    for (const c of ['97', '234', '236', 'B15']) expectQueue(c, 'bundling')
    for (const c of ['151', '119', '272', '273']) expectQueue(c, 'medical_necessity')
    for (const c of ['18', '22', '27', '29', '109', '170', '171', '185', 'B7', '242', '252'])
      expectQueue(c, 'other')
    for (const c of ['45', '253', '23']) expectQueue(c, 'none')
    for (const c of ['1', '2', '3']) expect(findCarcRule(table, c)?.queues.PR).toBe('none')
    expect(findCarcRule(table, '23')?.queues.OA).toBe('none')
    expect(findCarcRule(table, '15')?.stopDate).toBe('2018-05-01')
    expect(findCarcRule(table, '62')?.stopDate).toBe('2007-04-01')
  })
})
