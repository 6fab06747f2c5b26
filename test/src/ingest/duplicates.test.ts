import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { describeEachDatabase } from '../../support/databases.js'
import { e2eText, withSecondSet } from './fixture-edit.js'

const dir = mkdtempSync(join(tmpdir(), 'duplicates-test-'))
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`select
    (select count(*)::int from transaction_set) as sets,
    (select count(*)::int from remittance) as remittances,
    (select count(*)::int from remit_claim) as remit_claims,
    (select count(*)::int from submitted_claim) as submitted_claims,
    (select count(*)::int from quarantine) as quarantined`.execute(db)
  return rows[0] ?? {}
}

/** The commercial 835 with a second set (its claims renamed E2E-Q-*); `broken` gives it a bad SE01. */
function twoSetRemit(broken: boolean, isa13: string): string {
  return withSecondSet(e2eText('835-commercial-2026-02-05.x12'), {
    breakSe01: broken,
    mutate: (set) => set.replaceAll('E2E-C-10', 'E2E-Q-10'),
  }).replaceAll('000003002', isa13)
}

describeEachDatabase('ingest duplicate policy', (ctx) => {
  it('stores the fixed set of a resent file once, and nothing it already stored', async () => {
    const first = file('remit.x12', twoSetRemit(true, '000002001'))
    const [partial] = await ingestFiles([first], { handle: ctx.handle })
    expect(partial?.status).toBe('partial')
    expect(partial?.quarantined.map((q) => q.transactionControl)).toEqual(['0002'])
    expect(await counts(ctx.handle.db)).toMatchObject({
      sets: 1,
      remittances: 1,
      remit_claims: 3,
      quarantined: 1,
    })

    // The sender fixed SE01 and sent the file again, in a new interchange.
    const fixed = file('remit-fixed.x12', twoSetRemit(false, '000002002'))
    const [resent] = await ingestFiles([fixed], { handle: ctx.handle })
    expect(resent?.status).toBe('ingested')
    expect([resent?.sets, resent?.claims]).toEqual([1, 3])
    expect(resent?.duplicateSets).toEqual([
      { interchangeControl: '000002002', transactionControl: '0001', fileId: partial?.fileId },
    ])
    expect(resent?.message).toBe(
      `3 claims stored, 1 transaction set(s) already stored from file ${partial?.fileId}`,
    )
    expect(await counts(ctx.handle.db)).toMatchObject({
      sets: 2,
      remittances: 2,
      remit_claims: 6,
      quarantined: 1,
    })
    const claimIds = await ctx.handle.db
      .selectFrom('remit_claim')
      .select('claim_id')
      .orderBy('claim_id')
      .execute()
    expect(claimIds.map((r) => r.claim_id)).toEqual([
      'E2E-C-101',
      'E2E-C-102',
      'E2E-C-103',
      'E2E-Q-101',
      'E2E-Q-102',
      'E2E-Q-103',
    ])

    // A third send stores nothing: every set is there.
    const again = file('remit-again.x12', twoSetRemit(false, '000002003'))
    const [third] = await ingestFiles([again], { handle: ctx.handle })
    expect(third?.status).toBe('already_ingested')
    expect(third?.message).toBe(
      `already ingested (every transaction set was stored from file ${partial?.fileId}, ${resent?.fileId})`,
    )
    expect(await counts(ctx.handle.db)).toMatchObject({ sets: 2, remit_claims: 6 })
    const row = await ctx.handle.db
      .selectFrom('ingest_file')
      .select(['status', 'duplicate_set_count'])
      .where('id', '=', third?.fileId ?? -1)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'duplicate', duplicate_set_count: 2 })
  })

  it('stores a reused sender + ISA13 with other content and records the warning on the file', async () => {
    const original = file('claims.x12', e2eText('837p-medicare-2026-01.x12'))
    const [stored] = await ingestFiles([original], { handle: ctx.handle })
    const other = file(
      'other-claims.x12',
      e2eText('837p-commercial-2026-01.x12')
        .replaceAll('000001002', '000001001')
        .replaceAll('E2E-C-10', 'E2E-D-10'),
    )
    const [result] = await ingestFiles([other], { handle: ctx.handle })
    expect(result?.status).toBe('ingested')
    expect(result?.claims).toBe(3)
    expect(result?.warnings).toEqual([
      {
        code: 'X12_DUPLICATE_CONTROL_NUMBER',
        severity: 'warning',
        message: `Expected a new ISA13 from sender E2EONC, found 000001001, already used by file ${stored?.fileId} with other content at ISA13 (segment 1, byte 0); stored anyway`,
        position: { offset: 0, segment: 1, stSegment: 0, segmentId: 'ISA', element: 13 },
      },
    ])
    const row = await ctx.handle.db
      .selectFrom('ingest_file')
      .select(['status', 'warnings'])
      .where('id', '=', result?.fileId ?? -1)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('ingested')
    expect(row.warnings).toEqual([expect.objectContaining({ code: 'X12_DUPLICATE_CONTROL_NUMBER' })])
  })

  it('quarantines only the set with a NUL byte in an element, with its position', async () => {
    const text = withSecondSet(e2eText('835-medicare-2026-02-02.x12'), {
      mutate: (set) => set.replaceAll('E2E-P-0', 'E2E-N-0').replace('CLP*E2E-N-001*', 'CLP*E2E-N-0\u000001*'),
    })
    const nulAt = Buffer.from(text, 'latin1').indexOf(0)
    const clpAt = text.lastIndexOf('\nCLP*', nulAt) + 1
    const path = file('nul.x12', Buffer.from(text, 'latin1'))
    const before = await counts(ctx.handle.db)
    const [result] = await ingestFiles([path], { handle: ctx.handle })
    expect(result?.status).toBe('partial')
    expect(result?.claims).toBe(10)
    expect(result?.quarantined).toEqual([
      expect.objectContaining({
        transactionControl: '0002',
        reasons: [
          expect.objectContaining({
            code: 'X12_BAD_ELEMENT',
            message: expect.stringMatching(
              /^Expected X12 characters, found a NUL byte \(0x00\) at character 8 of CLP01 /,
            ),
            position: expect.objectContaining({ segmentId: 'CLP', element: 1, offset: clpAt }),
          }),
        ],
      }),
    ])
    const after = await counts(ctx.handle.db)
    expect((after.remit_claims ?? 0) - (before.remit_claims ?? 0)).toBe(10)
  })
})
