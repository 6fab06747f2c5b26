import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { loadDenialEngine } from '../../../src/ingest/load-denial-engine.js'
import { recomputeDeadlines } from '../../../src/rework/recompute-deadlines.js'
import { getReworkItemDetail, listReworkPage } from '../../../src/rework/rework-repository.js'
import { describeEachDatabase, openTestDatabase } from '../../support/databases.js'
import { repoRoot } from '../../support/x12-files.js'

const claims837 = join(repoRoot, 'fixtures/x12/837p-oncology.x12')
let dir = ''

/** A 999 from the clearinghouse (EXAMPLECH) to the sender of the fixture 837 (RIVERBENDONC). */
function ack999(status: 'A' | 'R', isa13: string): string {
  const ik5 = status === 'A' ? 'IK5*A' : 'IK3*CLM*37**8~IK4*2*782*7*1540X~IK5*R*5'
  const body = [
    `ST*999*0001*005010X231A1`,
    'AK1*HC*101*005010X222A1',
    'AK2*837*0001*005010X222A1',
    ...ik5.split('~'),
    `AK9*${status}*1*1*${status === 'A' ? 1 : 0}`,
  ]
  return [
    `ISA*00*          *00*          *ZZ*EXAMPLECH      *ZZ*RIVERBENDONC   *260121*0800*^*00501*${isa13}*0*T*:`,
    'GS*FA*EXAMPLECH*RIVERBENDONC*20260121*0800*7*X*005010X231A1',
    ...body,
    `SE*${body.length + 1}*0001`,
    'GE*1*7',
    `IEA*1*${isa13}`,
    '',
  ].join('~')
}

/** A 277CA accepting ONC-P-1001 (A2) and rejecting ONC-P-1002 (A7:562:85, invalid information). */
function ack277(isa13: string): string {
  const body = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*277CA01*20260122*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*MEDICARE PART B EXAMPLE*****PI*99012',
    'TRN*1*277CA01',
    'DTP*050*D8*20260122',
    'DTP*009*D8*20260122',
    'HL*2*1*21*1',
    'NM1*41*2*RIVERBEND ONCOLOGY ASSOCIATES*****46*RBONC01',
    'TRN*2*RB20260120A',
    'STC*A1:19:PR*20260122*WQ*2405',
    'HL*3*2*19*1',
    'NM1*85*2*RIVERBEND ONCOLOGY ASSOCIATES*****XX*1548267313',
    'HL*4*3*PT',
    'NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK72',
    'TRN*2*ONC-P-1001',
    'STC*A2:20:PR*20260122*WQ*1540',
    'REF*1K*PCN0001',
    'DTP*472*D8*20260108',
    'HL*5*3*PT',
    'NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK72',
    'TRN*2*ONC-P-1002',
    'STC*A7:562:85*20260122*U*865',
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
  dir = mkdtempSync(join(tmpdir(), 'onco-ack-'))
  writeFileSync(join(dir, 'accept.999'), ack999('A', '000000701'))
  writeFileSync(join(dir, 'reject.999'), ack999('R', '000000702'))
  writeFileSync(join(dir, 'status.277'), ack277('000000703'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeEachDatabase('ingest of 999 and 277CA', (ctx) => {
  const statuses = async (): Promise<Record<string, string>> => {
    const rows = await sql<{ claim_id: string; status: string; source: string }>`
      select sc.claim_id, s.status, s.source from submitted_claim_status s
      join submitted_claim sc on sc.id = s.submitted_claim_id order by sc.claim_id`.execute(ctx.handle.db)
    return Object.fromEntries(rows.rows.map((r) => [r.claim_id, `${r.status} (${r.source})`]))
  }

  it('a 999 acceptance marks the claims of the 837 set accepted; a rejection marks them rejected', async () => {
    const [claims, accepted] = await ingestFiles([claims837, join(dir, 'accept.999')], {
      handle: ctx.handle,
      user: 'test',
    })
    expect(claims?.status).toBe('ingested')
    expect(accepted).toMatchObject({
      kind: '999',
      status: 'ingested',
      claims: 4,
      acknowledged: { accepted: 4, rejected: 0, unmatched: 0 },
    })
    expect(Object.values(await statuses())).toEqual(Array(4).fill('accepted (999)'))
    const [rejected] = await ingestFiles([join(dir, 'reject.999')], { handle: ctx.handle, user: 'test' })
    expect(rejected).toMatchObject({
      kind: '999',
      status: 'ingested',
      acknowledged: { accepted: 0, rejected: 4 },
    })
    expect(Object.values(await statuses())).toEqual(Array(4).fill('rejected (999)'))
    const [again] = await ingestFiles([join(dir, 'reject.999')], { handle: ctx.handle, user: 'test' })
    expect(again?.status).toBe('already_ingested')
  })

  it('a 277CA rejection (A7) opens a rejection item due by the timely filing limit; an A2 marks the claim accepted', async () => {
    const [result] = await ingestFiles([join(dir, 'status.277')], { handle: ctx.handle, user: 'test' })
    expect(result).toMatchObject({
      kind: '277',
      status: 'ingested',
      claims: 2,
      items: 1,
      acknowledged: { accepted: 1, rejected: 1 },
    })
    expect(await statuses()).toMatchObject({
      'ONC-P-1001': 'accepted (277CA)',
      'ONC-P-1002': 'rejected (277CA)',
    })
    const page = await listReworkPage(ctx.handle.db, { queue: 'rejection' })
    expect(page.items).toHaveLength(1)
    const [item] = page.items
    expect(item).toMatchObject({
      claimId: 'ONC-P-1002',
      queue: 'rejection',
      action: 'resubmit',
      amount: '865.00',
      // Medicare Part B (SBR09 MB): 12 months from the date of service, 42 CFR 424.44(a)(1).
      deadline: '2027-01-02',
      status: 'open',
      matched: true,
    })
    expect(item?.deadlineBasis).toContain('42 CFR 424.44')
    // queue show: no remit behind it, the submitted claim and the 277CA codes in its guidance.
    const detail = await getReworkItemDetail(ctx.handle.db, item?.id ?? 0, '2026-01-22')
    expect(detail.remit).toBeUndefined()
    expect(detail.claim).toMatchObject({ kind: '837P', totalCharge: '865.00' })
    expect(detail.item.guidance).toContain('A7:562:85')
    expect(detail.history.map((h) => h.action)).toEqual(['opened'])
    // A payer profile with 30 timely-filing days moves it (queue recompute, payers import).
    const profiles = new Map([
      [
        '99012',
        {
          payerId: '99012',
          name: 'Example',
          payerClass: 'medicare' as const,
          timelyFilingDays: 30,
          correctedClaimDays: undefined,
          appealDays: undefined,
        },
      ],
    ])
    const recomputed = await recomputeDeadlines(
      ctx.handle.db,
      await loadDenialEngine(),
      profiles,
      'all',
      'test',
    )
    expect(recomputed.changed).toBeGreaterThanOrEqual(1)
    const moved = (await listReworkPage(ctx.handle.db, { queue: 'rejection' })).items[0]
    expect(moved?.deadline).toBe('2026-02-01')
    // The same rejection in another file opens no second item.
    writeFileSync(join(dir, 'status-again.277'), ack277('000000704').replace('277CA01', '277CA02'))
    const [second] = await ingestFiles([join(dir, 'status-again.277')], { handle: ctx.handle, user: 'test' })
    expect(second).toMatchObject({ status: 'ingested', items: 0 })
    expect((await listReworkPage(ctx.handle.db, { queue: 'rejection' })).items).toHaveLength(1)
  })

  it('quarantines a 999 set that cannot be read, and goes on', async () => {
    writeFileSync(
      join(dir, 'bad.999'),
      ack999('A', '000000705').replace('AK9*A*1*1*1', 'AK9*A*1*1*1~ZZ-BAD*1'),
    )
    const [result] = await ingestFiles([join(dir, 'bad.999')], { handle: ctx.handle, user: 'test' })
    expect(result?.status).toBe('partial')
    expect(result?.quarantined[0]?.reasons.map((r) => r.code)).toContain('X12_BAD_SEGMENT')
  })

  it('a rejection item is recovered by a later-dated payment of its claim whichever is stored first', async () => {
    // ONC-P-1002 paid 500.00 on 2026-02-10 (the fixture 835 denies it; here it pays).
    const paid = readFileSync(join(repoRoot, 'fixtures/x12/835-oncology.x12'), 'latin1')
      .replace('*000000301*', '*000000311*')
      .replace('IEA*1*000000301~', 'IEA*1*000000311~')
      .replace('*20260123~', '*20260210~')
      .replace('DTM*405*20260121~', 'DTM*405*20260210~')
      .replace('CLP*ONC-P-1002*4*865*0**', 'CLP*ONC-P-1002*1*865*500**')
      // The payer by its id (N1*PR N104), as the rejection names it.
      .replace('N1*PR*MEDICARE PART B EXAMPLE~', 'N1*PR*MEDICARE PART B EXAMPLE*XV*99012~')
    writeFileSync(join(dir, 'paid.835'), paid)
    const outcome = async (order: string[]) => {
      const db = await openTestDatabase(
        ctx.handle.engine === 'postgres' ? process.env.DATABASE_URL : undefined,
      )
      try {
        for (const path of [claims837, ...order])
          await ingestFiles([path], { handle: db.handle, user: 'test' })
        const { rows } = await sql<{ status: string; recovered: string }>`select status,
            recovered_amount::text as recovered from rework_item where queue = 'rejection'`.execute(
          db.handle.db,
        )
        return rows
      } finally {
        await db.cleanup()
      }
    }
    const inOrder = await outcome([join(dir, 'status.277'), join(dir, 'paid.835')])
    expect(inOrder).toEqual([{ status: 'partially_recovered', recovered: '50000' }])
    expect(await outcome([join(dir, 'paid.835'), join(dir, 'status.277')])).toEqual(inOrder)
  })
})
