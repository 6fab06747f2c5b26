import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { Database } from '../../../../src/db/database.js'
import { down, up } from '../../../../src/db/migrations/0021-submitted-claim-prefix.js'
import { loadSubmittedClaim } from '../../../../src/rework/submitted-claim-reader.js'
import { describeEachDatabase } from '../../../support/databases.js'
import { insertIngestFile, sqlState } from '../../../support/reference-checks.js'

const ENVELOPE = JSON.stringify({
  envelope: {
    senderId: 'SUBMITTER01',
    receiverId: 'PAYER01',
    interchangeControl: '000000101',
    usageIndicator: 'T',
    interchangeDate: '2026-01-15',
    groupControl: '101',
    version: '005010X222A1',
    transactionType: '837',
    transactionControl: '0001',
    implementation: '005010X222A1',
    position: { offset: 0, segment: 3, stSegment: 1, segmentId: 'ST' },
  },
  delimiters: { element: '*', component: ':', repetition: '^', segment: '~' },
})

/** A made-up set header and billing provider loop, then one claim's own loops. */
const PREFIX =
  'BHT*0019*00*B1*20260115*1200*CH~NM1*41*2*SAMPLE BILLING*****46*123456789~NM1*40*2*SAMPLE PAYER*****46*12345~' +
  'HL*1**20*1~NM1*85*2*SAMPLE CLINIC*****XX*1234567893~N3*1 MAIN ST~N4*ANYTOWN*OH*430041234~REF*EI*123456789~'
const OWN =
  'HL*2*1*22*0~SBR*P*18*******MB~NM1*IL*1*FICTIVE*PERSON****MI*9000000001A~NM1*PR*2*SAMPLE PAYER*****PI*12345~' +
  'CLM*PFX-1*350***11:B:1*Y*A*Y*Y~HI*ABK:C3410~LX*1~SV1*HC:96413*350*UN*1***1~DTP*472*D8*20260301~'

function insertPrefix(db: Kysely<Database>, fileId: number, prefixNo: number) {
  return sql`insert into submitted_claim_prefix (file_id, prefix_no, claim_envelope, prefix_x12)
    values (${fileId}, ${prefixNo}, ${ENVELOPE}, ${PREFIX})`.execute(db)
}

function insertClaim(
  db: Kysely<Database>,
  fileId: number,
  claimId: string,
  form: { prefixNo: number | null; envelope: string | null; x12: string },
) {
  return sql<{ id: string | number }>`insert into submitted_claim (file_id, claim_id, kind, member_id,
      total_charge, frequency_code, facility_code, interchange_control, transaction_control,
      prefix_no, claim_envelope, claim_x12)
    values (${fileId}, ${claimId}, '837P', 'M1', 35000, '1', '11', '000000101', '0001',
      ${form.prefixNo}, ${form.envelope}, ${form.x12}) returning id`.execute(db)
}

describeEachDatabase('migration 0021: the text a batch of claims share, stored once', (ctx) => {
  it('reads a claim as its prefix and its own text, and one stored before as it was', async () => {
    const db = ctx.handle.db
    const fileId = await insertIngestFile(db, 'prefix-1')
    await insertPrefix(db, fileId, 1)
    const split = await insertClaim(db, fileId, 'PFX-1', { prefixNo: 1, envelope: null, x12: OWN })
    const whole = await insertClaim(db, fileId, 'PFX-1', {
      prefixNo: null,
      envelope: ENVELOPE,
      x12: PREFIX + OWN,
    })
    const a = await loadSubmittedClaim(db, Number(split.rows[0]?.id))
    const b = await loadSubmittedClaim(db, Number(whole.rows[0]?.id))
    expect(a?.claimId).toBe('PFX-1')
    expect(a?.billingProvider.id).toBe('1234567893')
    expect(a?.lines.map((l) => l.procedureCode)).toEqual(['96413'])
    expect(a).toEqual(b)
  })

  it('refuses a claim whose prefix is missing, a prefix still in use being deleted, and a row in both forms', async () => {
    const db = ctx.handle.db
    const fileId = await insertIngestFile(db, 'prefix-2')
    await insertPrefix(db, fileId, 1)
    expect(await sqlState(insertClaim(db, fileId, 'PFX-2', { prefixNo: 2, envelope: null, x12: OWN }))).toBe(
      '23503',
    )
    // The prefix of another file does not count.
    const other = await insertIngestFile(db, 'prefix-3')
    expect(await sqlState(insertClaim(db, other, 'PFX-2', { prefixNo: 1, envelope: null, x12: OWN }))).toBe(
      '23503',
    )
    const { rows } = await insertClaim(db, fileId, 'PFX-2', { prefixNo: 1, envelope: null, x12: OWN })
    const claimId = Number(rows[0]?.id)
    expect(
      await sqlState(sql`delete from submitted_claim_prefix where file_id = ${fileId}`.execute(db)),
    ).toBe('23503')
    expect(
      await sqlState(sql`update submitted_claim set prefix_no = 7 where id = ${claimId}`.execute(db)),
    ).toBe('23503')
    // Both forms at once, or neither: refused by the check (23514).
    expect(
      await sqlState(insertClaim(db, fileId, 'PFX-3', { prefixNo: 1, envelope: ENVELOPE, x12: OWN })),
    ).toBe('23514')
    expect(
      await sqlState(insertClaim(db, fileId, 'PFX-3', { prefixNo: null, envelope: null, x12: OWN })),
    ).toBe('23514')
    // A prefix no claim names can go.
    await insertPrefix(db, fileId, 2)
    await sql`delete from submitted_claim_prefix where file_id = ${fileId} and prefix_no = 2`.execute(db)
    const count = await sql<{ n: string | number }>`select count(*) as n from submitted_claim
      where file_id = ${fileId}`.execute(db)
    expect(Number(count.rows[0]?.n)).toBe(1)
  })

  it('down puts each prefix back in front of its claims, and up splits the table again', async () => {
    const db = ctx.handle.db
    const untyped = db as unknown as Kysely<unknown>
    const fileId = await insertIngestFile(db, 'prefix-4')
    await insertPrefix(db, fileId, 1)
    const { rows } = await insertClaim(db, fileId, 'PFX-4', { prefixNo: 1, envelope: null, x12: OWN })
    const id = Number(rows[0]?.id)
    const before = await loadSubmittedClaim(db, id)
    await down(untyped)
    const restored = await sql<{ claim_envelope: string; claim_x12: string }>`select claim_envelope, claim_x12
      from submitted_claim where id = ${id}`.execute(db)
    expect(restored.rows).toEqual([{ claim_envelope: ENVELOPE, claim_x12: PREFIX + OWN }])
    await up(untyped)
    // Read as a claim stored before the migration: the same claim.
    expect(await loadSubmittedClaim(db, id)).toEqual(before)
  })
})
