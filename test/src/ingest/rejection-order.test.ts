import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { engines, withTestDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'

// Two 277CAs of one day each reject a submission of ONC-P-1002 (the 837 sent it at 865.00, a
// resubmission at 900.00), so each opens its rejection item; a later payment of 500.00 recovers
// one of them. Which one was decided by the items' ids, that is by the order the 277CAs were
// stored in; it is now decided by the 277CA sets' content.

let dir: string
const claims837 = join(repoRoot, 'fixtures/x12/837p-oncology.x12')

/** A 277CA of 2026-01-22 rejecting ONC-P-1002 (A7:562:85) as charged `charge`. */
function rejection(isa13: string, charge: string): string {
  const body = [
    'ST*277*0001*005010X214',
    `BHT*0085*08*277CA${isa13}*20260122*1200*TH`,
    'HL*1**20*1',
    'NM1*PR*2*MEDICARE PART B EXAMPLE*****PI*99012',
    `TRN*1*277CA${isa13}`,
    'DTP*050*D8*20260122',
    'DTP*009*D8*20260122',
    'HL*2*1*21*1',
    'NM1*41*2*RIVERBEND ONCOLOGY ASSOCIATES*****46*RBONC01',
    'TRN*2*RB20260120A',
    `STC*A1:19:PR*20260122*WQ*${charge}`,
    'HL*3*2*19*1',
    'NM1*85*2*RIVERBEND ONCOLOGY ASSOCIATES*****XX*1548267313',
    'HL*4*3*PT',
    'NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK72',
    'TRN*2*ONC-P-1002',
    `STC*A7:562:85*20260122*U*${charge}`,
    'DTP*472*D8*20260102',
  ]
  return [
    `ISA*00*          *00*          *ZZ*EXAMPLECH      *ZZ*RIVERBENDONC   *260122*1200*^*00501*${isa13}*0*T*:`,
    'GS*HN*EXAMPLECH*RIVERBENDONC*20260122*1200*8*X*005010X214',
    ...body,
    `SE*${body.length + 1}*0001`,
    'GE*1*8',
    `IEA*1*${isa13}`,
    '',
  ].join('~')
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'onco-rejection-order-'))
  const resubmission = readFileSync(claims837, 'latin1')
    .replace('*000000101*', '*000000102*')
    .replace('IEA*1*000000101~', 'IEA*1*000000102~')
    .replace('CLM*ONC-P-1002*865*', 'CLM*ONC-P-1002*900*')
    .replace(
      'SV1*HC:99214:25*210*UN*1***1~DTP*472*D8*20260102~',
      'SV1*HC:99214:25*245*UN*1***1~DTP*472*D8*20260102~',
    )
  writeFileSync(join(dir, 'resubmission.837'), resubmission)
  writeFileSync(join(dir, 'a.277'), rejection('000000801', '865'))
  writeFileSync(join(dir, 'b.277'), rejection('000000802', '900'))
  // ONC-P-1002 paid 500.00 on 2026-02-10 (the fixture 835 denies it; here it pays).
  const paid = readFileSync(join(repoRoot, 'fixtures/x12/835-oncology.x12'), 'latin1')
    .replace('*000000301*', '*000000311*')
    .replace('IEA*1*000000301~', 'IEA*1*000000311~')
    .replace('*20260123~', '*20260210~')
    .replace('DTM*405*20260121~', 'DTM*405*20260210~')
    .replace('CLP*ONC-P-1002*4*865*0**', 'CLP*ONC-P-1002*1*865*500**')
    .replace('N1*PR*MEDICARE PART B EXAMPLE~', 'N1*PR*MEDICARE PART B EXAMPLE*XV*99012~')
  writeFileSync(join(dir, 'paid.835'), paid)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

for (const engine of engines)
  describe(`same-day 277CA rejection items [${engine.name}]`, () => {
    it('are recovered in the order of their 277CA sets’ content, whichever 277CA is stored first', async () => {
      const outcome = (order: string[]) =>
        withTestDatabase(engine.url, async (handle) => {
          for (const path of [claims837, join(dir, 'resubmission.837'), ...order, join(dir, 'paid.835')]) {
            const [result] = await ingestFiles([path], { handle, user: 'test' })
            expect(result?.status, path).toBe('ingested')
          }
          const { rows } = await sql<{ amount: string; status: string; recovered: string }>`select
            amount::text as amount, status, recovered_amount::text as recovered
          from rework_item where queue = 'rejection' order by amount`.execute(handle.db)
          return rows
        })
      const ab = await outcome([join(dir, 'a.277'), join(dir, 'b.277')])
      expect(ab.map((r) => r.amount)).toEqual(['86500', '90000'])
      expect(ab.map((r) => r.recovered).sort()).toEqual(['0', '50000'])
      expect(await outcome([join(dir, 'b.277'), join(dir, 'a.277')])).toEqual(ab)
      // Both 277CAs in one file, in either order, under one reused ISA13 (each set ST02 0001).
      const together = (first: string, second: string) => {
        const path = join(dir, `${first}${second}.277`)
        writeFileSync(path, rejection('000000801', first) + rejection('000000801', second))
        return path
      }
      expect(await outcome([together('865', '900')])).toEqual(ab)
      expect(await outcome([together('900', '865')])).toEqual(ab)
    })
  })
