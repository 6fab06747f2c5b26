import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { type CommitHold, holdFileCommits } from '../../support/commit-hold.js'
import { describePostgresOnly, openTestDatabase, openTwoConnections } from '../../support/databases.js'
import { reportTotalsOf, reworkItemsOf } from '../../support/recovery-state.js'
import { repoRoot } from '../../support/x12-files.js'

// A 277CA that rejects a claim opens a rejection item, which a payment of the claim recovers, as
// ingest works it out in the file's transaction. When the 277CA and the paying 835 are open at
// once, neither's settlement sees the other's rows. The 835 committing first runs its pass after
// the commit before the 277CA has committed (it skips it: no other file yet); the 277CA, committing
// last, must then run one of its own, or the payment never recovers the rejection item.

const dir = mkdtempSync(join(tmpdir(), 'post-commit-277ca-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const CLAIMS = join(repoRoot, 'fixtures/x12/837p-oncology.x12')

/** A 277CA of 2026-01-22 rejecting ONC-P-1002 (A7:562:85) as charged 865.00. */
function rejection(): string {
  const body = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*277CA000000801*20260122*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*MEDICARE PART B EXAMPLE*****PI*99012',
    'TRN*1*277CA000000801',
    'DTP*050*D8*20260122',
    'DTP*009*D8*20260122',
    'HL*2*1*21*1',
    'NM1*41*2*RIVERBEND ONCOLOGY ASSOCIATES*****46*RBONC01',
    'TRN*2*RB20260120A',
    'STC*A1:19:PR*20260122*WQ*865',
    'HL*3*2*19*1',
    'NM1*85*2*RIVERBEND ONCOLOGY ASSOCIATES*****XX*1548267313',
    'HL*4*3*PT',
    'NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK72',
    'TRN*2*ONC-P-1002',
    'STC*A7:562:85*20260122*U*865',
    'DTP*472*D8*20260102',
  ]
  const path = join(dir, 'a.277')
  writeFileSync(
    path,
    [
      'ISA*00*          *00*          *ZZ*EXAMPLECH      *ZZ*RIVERBENDONC   *260122*1200*^*00501*000000801*0*T*:',
      'GS*HN*EXAMPLECH*RIVERBENDONC*20260122*1200*8*X*005010X214',
      ...body,
      `SE*${body.length + 1}*0001`,
      'GE*1*8',
      'IEA*1*000000801',
      '',
    ].join('~'),
  )
  return path
}

/** ONC-P-1002 paid 500.00 on 2026-02-10 (the fixture 835 denies it; here it pays). */
function payment(): string {
  const path = join(dir, 'paid.835')
  const paid = readFileSync(join(repoRoot, 'fixtures/x12/835-oncology.x12'), 'latin1')
    .replace('*000000301*', '*000000311*')
    .replace('IEA*1*000000301~', 'IEA*1*000000311~')
    .replace('*20260123~', '*20260210~')
    .replace('DTM*405*20260121~', 'DTM*405*20260210~')
    .replace('CLP*ONC-P-1002*4*865*0**', 'CLP*ONC-P-1002*1*865*500**')
    .replace('N1*PR*MEDICARE PART B EXAMPLE~', 'N1*PR*MEDICARE PART B EXAMPLE*XV*99012~')
  writeFileSync(path, paid)
  return path
}

describePostgresOnly(
  'a 277CA rejection and the 835 paying the claim, both open at once [postgres]',
  { file: 'post-commit-277ca.test.ts', needs: 'the race', what: 'the PostgreSQL race' },
  (url) => {
    it('ends as the in-order run when the 277CA commits after the 835 and its pass', async () => {
      const rejected = rejection()
      const paid = payment()
      const reference = await openTestDatabase(url)
      const race = await openTwoConnections(url)
      let hold: CommitHold | undefined
      const running: Promise<unknown>[] = []
      try {
        for (const path of [CLAIMS, rejected, paid]) {
          const [result] = await ingestFiles([path], { handle: reference.handle })
          expect(result?.status, path).toBe('ingested')
        }
        const expected = await reworkItemsOf(reference.handle)
        expect(expected.find((i) => i.queue === 'rejection')).toMatchObject({ recovered: 50000 })

        const [claims] = await ingestFiles([CLAIMS], { handle: race.first })
        expect(claims?.status).toBe('ingested')
        hold = await holdFileCommits(race.first, { kind: '277' })
        const acknowledgment = ingestFiles([rejected], { handle: race.first })
        running.push(acknowledgment)
        await hold.waitFor(1)
        // The 835 is stored, committed and its pass after the commit done while the 277CA waits.
        const [remit] = await ingestFiles([paid], { handle: race.second })
        expect(remit?.status).toBe('ingested')
        await hold.release()
        const [ack] = await acknowledgment
        expect(ack?.status).toBe('ingested')
        expect(await reworkItemsOf(race.first)).toEqual(expected)
        expect(await reportTotalsOf(race.first)).toEqual(await reportTotalsOf(reference.handle))
      } finally {
        await hold?.release()
        await Promise.allSettled(running)
        await race.cleanup()
        await reference.cleanup()
      }
    })
  },
)
