import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim837 } from '../../../parsers/claim837/claim837.js'
import { readStoredClaim837, toStoredClaim837 } from '../../../parsers/claim837/claim837-stored-form.js'
import type { DatabaseHandle } from '../../../src/db/create-database.js'
import { openDatabase } from '../../../src/db/create-database.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { readX12File } from '../../../src/pipeline/read-x12.js'
import { loadSubmittedClaims } from '../../../src/rework/submitted-claim-reader.js'
import { generate837P, writeX12File } from '../../bench/generate-x12.js'
import { describeEachDatabase, engines, openTestDatabase } from '../../support/databases.js'
import { e2eText } from './fixture-edit.js'

const dir = mkdtempSync(join(tmpdir(), 'store-837-test-'))

/**
 * The e2e 837P with text that COPY's text format must escape: a newline as the segment terminator
 * (so every stored claim_x12 holds newlines), a backslash in a subscriber's name, a double quote and
 * a multi-byte character in the payer's name (segments a set's claims share) and in a rendering
 * provider's (a claim's own), a backslash in a line control number.
 */
function awkward837(): string {
  return (
    e2eText('837p-medicare-2026-01.x12')
      .replaceAll('~\n', '\n')
      .replace('NM1*IL*1*TESTPATIENT*CASE1', 'NM1*IL*1*TEST\\PATIENT*CASE1')
      .replaceAll(/NM1\*PR\*2\*([^*\n]*)/g, 'NM1*PR*2*$1 "É"')
      // In a claim's own segments (2300, 2400): a backslash and a multi-byte character.
      .replace('NM1*82*1*DOCTOR*EXAMPLE', 'NM1*82*1*DOCTOR\\ÖZ*EXAMPLE')
      .replace('REF*6R*P001-1', 'REF*6R*P001\\1')
  )
}

async function claimsOf(path: string): Promise<Claim837[]> {
  const claims: Claim837[] = []
  for await (const events of readX12File(path))
    for (const event of events) if (event.type === 'claim837') claims.push(event.claim)
  return claims
}

describeEachDatabase('837 claims stored with COPY', (ctx) => {
  it('stores each claim and line as read, text needing escapes included, across batches', async () => {
    const path = join(dir, 'awkward.837')
    writeFileSync(path, awkward837())
    const claims = await claimsOf(path)
    expect(claims.length).toBe(8)
    expect(claims.some((c) => /TEST\\PATIENT\*CASE1.*\n/.test(toStoredClaim837(c).x12))).toBe(true)
    // Batches of 3: three batches, each with its own reserved ids.
    const [result] = await ingestFiles([path], { handle: ctx.handle, batchSize: 3 })
    expect([result?.status, result?.claims]).toEqual(['ingested', 8])
    const db = ctx.handle.db
    const rows = await db.selectFrom('submitted_claim').selectAll().orderBy('id').execute()
    expect(rows.map((r) => r.claim_id)).toEqual(claims.map((c) => c.claimId))
    const prefixes = await db
      .selectFrom('submitted_claim_prefix')
      .selectAll()
      .where('file_id', '=', result?.fileId ?? -1)
      .execute()
    const prefixOf = new Map(prefixes.map((p) => [p.prefix_no, p]))
    // The shared text is kept once per batch and billing provider, not once per claim.
    expect(prefixes.length).toBeGreaterThanOrEqual(3)
    expect(prefixes.length).toBeLessThan(claims.length)
    const loaded = await loadSubmittedClaims(
      db,
      rows.map((r) => Number(r.id)),
    )
    for (const [i, claim] of claims.entries()) {
      const row = rows[i]
      if (row === undefined) throw new Error(`claim ${i} not stored`)
      const stored = toStoredClaim837(claim)
      const prefix = prefixOf.get(row.prefix_no ?? -1)
      if (prefix === undefined) throw new Error(`claim ${i} has no prefix row`)
      // Byte for byte the stored form: what a corrected claim is re-written from.
      expect(row.claim_envelope).toBeNull()
      expect(prefix.prefix_x12 + row.claim_x12).toBe(stored.x12)
      expect(prefix.claim_envelope).toBe(stored.envelope)
      // The claim's own text starts at its subscriber's HL: the set header is in the prefix.
      expect(row.claim_x12.startsWith('HL*')).toBe(true)
      expect(prefix.prefix_x12.startsWith('BHT*')).toBe(true)
      expect(
        readStoredClaim837({ envelope: prefix.claim_envelope, x12: prefix.prefix_x12 + row.claim_x12 }),
      ).toEqual(readStoredClaim837(stored))
      expect(loaded.get(Number(row.id))).toEqual(readStoredClaim837(stored))
      expect([row.payer_name, row.member_id, Number(row.total_charge), row.diagnoses]).toEqual([
        claim.payer.organizationName ?? null,
        claim.subscriber.memberId,
        claim.totalCharge,
        claim.diagnoses.map((d) => d.code),
      ])
      const lines = await db
        .selectFrom('submitted_line')
        .selectAll()
        .where('submitted_claim_id', '=', row.id)
        .orderBy('line_number')
        .execute()
      expect(
        lines.map((l) => [
          l.line_number,
          l.procedure_code,
          l.modifiers,
          Number(l.charge),
          l.units,
          l.ndc,
          l.ndc_quantity,
        ]),
      ).toEqual(
        claim.lines.map((l) => [
          l.lineNumber,
          l.procedureCode ?? null,
          l.modifiers.join(':'),
          l.charge,
          l.units,
          l.drug?.ndc ?? null,
          l.drug?.quantity ?? null,
        ]),
      )
    }
    expect(rows.some((r) => r.payer_name?.endsWith(' "É"'))).toBe(true)
    expect(rows.some((r) => r.claim_x12.includes('NM1*82*1*DOCTOR\\ÖZ*EXAMPLE'))).toBe(true)
    const control = await db.selectFrom('submitted_line').select('line_control').execute()
    expect(control.map((l) => l.line_control)).toContain('P001\\1')
  })

  it('gives a file of one-claim sets consecutive claim ids: ids a batch left unused go to the next set', async () => {
    // Clearinghouses often send one claim per ST..SE. Each set ends its batch; a batch that
    // reserved a whole batch of ids for one claim threw the rest away, so every set drew (and
    // sent to the client) 1,000 sequence values for its one claim.
    const path = join(dir, 'one-claim-sets.837')
    await writeX12File(path, generate837P(6, { claimsPerTransaction: 1, firstClaim: 9001 }))
    const [result] = await ingestFiles([path], { handle: ctx.handle })
    expect([result?.status, result?.claims, result?.sets]).toEqual(['ingested', 6, 6])
    const rows = await ctx.handle.db
      .selectFrom('submitted_claim')
      .select('id')
      .where('file_id', '=', result?.fileId ?? -1)
      .orderBy('id')
      .execute()
    const ids = rows.map((r) => Number(r.id))
    expect(ids.length).toBe(6)
    expect(ids.map((id) => id - (ids[0] ?? 0))).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('keeps every stored claim with its prefix when sets are quarantined or dropped as duplicates between batches', async () => {
    // Sets of 4 claims in batches of 3: each set is written as two batches under its savepoint.
    // The second file carries a copy of the first file's first set (dropped: stored before), a set
    // whose SE01 is wrong (quarantined) and a new set; a batch's prefix rows go with its claims.
    const text = async (count: number, options: Parameters<typeof generate837P>[1]): Promise<string[]> => {
      const path = join(dir, `sets-${options?.firstClaim}.837`)
      await writeX12File(path, generate837P(count, options))
      return readFileSync(path, 'latin1').split('\n')
    }
    const first = await text(8, { claimsPerTransaction: 4, firstClaim: 30_001, firstControl: 301 })
    const second = await text(12, { claimsPerTransaction: 4, firstClaim: 30_101, firstControl: 302 })
    const sets = (lines: string[]): [number, number][] => {
      const out: [number, number][] = []
      lines.forEach((line, i) => {
        if (line.startsWith('ST*')) out.push([i, i])
        if (line.startsWith('SE*')) (out.at(-1) as [number, number])[1] = i
      })
      return out
    }
    const [copied] = sets(first)
    const [replaced, broken] = sets(second)
    if (copied === undefined || replaced === undefined || broken === undefined) throw new Error('no sets')
    const secondLines = [...second]
    secondLines[broken[1]] = (secondLines[broken[1]] ?? '').replace(/^SE\*\d+/, 'SE*1')
    secondLines.splice(replaced[0], replaced[1] - replaced[0] + 1, ...first.slice(copied[0], copied[1] + 1))
    const firstPath = join(dir, 'sets-first.837')
    const secondPath = join(dir, 'sets-second.837')
    writeFileSync(firstPath, first.join('\n'))
    writeFileSync(secondPath, secondLines.join('\n'))
    const results = await ingestFiles([firstPath, secondPath], { handle: ctx.handle, batchSize: 3 })
    expect(results.map((r) => [r.claims, r.quarantined.length, r.duplicateSets.length])).toEqual([
      [8, 0, 0],
      [4, 1, 1],
    ])
    const db = ctx.handle.db
    const fileIds = results.map((r) => r.fileId ?? -1)
    const rows = await db
      .selectFrom('submitted_claim as c')
      .leftJoin('submitted_claim_prefix as p', (join) =>
        join.onRef('p.file_id', '=', 'c.file_id').onRef('p.prefix_no', '=', 'c.prefix_no'),
      )
      .select(['c.id', 'c.claim_id', 'c.file_id', 'p.prefix_no'])
      .where('c.file_id', 'in', fileIds)
      .orderBy('c.id')
      .execute()
    expect(rows.length).toBe(12)
    expect(rows.filter((r) => r.prefix_no === null)).toEqual([])
    // No prefix row without a claim: those of the dropped and quarantined sets were rolled back.
    const prefixes = await db
      .selectFrom('submitted_claim_prefix')
      .select(['file_id', 'prefix_no'])
      .where('file_id', 'in', fileIds)
      .execute()
    const used = new Set(rows.map((r) => `${r.file_id}/${r.prefix_no}`))
    expect(prefixes.length).toBeGreaterThan(0)
    expect(prefixes.filter((p) => !used.has(`${p.file_id}/${p.prefix_no}`))).toEqual([])
    const expected = new Map<string, Claim837>()
    for (const path of [firstPath, secondPath])
      for (const claim of await claimsOf(path))
        if (!expected.has(claim.claimId)) expected.set(claim.claimId, claim)
    const loaded = await loadSubmittedClaims(
      db,
      rows.map((r) => Number(r.id)),
    )
    for (const row of rows) {
      const claim = expected.get(row.claim_id)
      if (claim === undefined) throw new Error(`claim ${row.claim_id} not in the files`)
      expect(loaded.get(Number(row.id))).toEqual(readStoredClaim837(toStoredClaim837(claim)))
    }
  })

  it("gives a file's claims consecutive ids in file order when its first batch is a short one", async () => {
    // On PostgreSQL the file's first batch is sent after 250 claims and the next one takes the rest
    // of its 1,000 reserved ids; sets of 300 end batches in the middle of both.
    const path = join(dir, 'first-batch.837')
    await writeX12File(path, generate837P(1_300, { claimsPerTransaction: 300, firstClaim: 20_001 }))
    const [result] = await ingestFiles([path], { handle: ctx.handle })
    expect([result?.status, result?.claims]).toEqual(['ingested', 1_300])
    const rows = await ctx.handle.db
      .selectFrom('submitted_claim')
      .select(['id', 'claim_id'])
      .where('file_id', '=', result?.fileId ?? -1)
      .orderBy('id')
      .execute()
    const ids = rows.map((r) => Number(r.id))
    expect(ids.map((id) => id - (ids[0] ?? 0))).toEqual(ids.map((_, i) => i))
    expect(rows.map((r) => r.claim_id)).toEqual((await claimsOf(path)).map((c) => c.claimId))
  })
})

const postgres = engines.find((e) => e.name === 'postgres')
describe('837 claim ids on PostgreSQL with every pool connection in a file transaction', () => {
  let opened: { handle: DatabaseHandle; cleanup(): Promise<void> } | undefined
  let small: DatabaseHandle | undefined
  beforeAll(async () => {
    if (postgres?.url === undefined) return
    opened = await openTestDatabase(postgres.url)
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
      opened.handle.db,
    )
    small = await openDatabase({
      databaseUrl: postgres.url,
      schema: rows[0]?.schema,
      poolSize: 2,
      migrate: false,
    })
  })
  afterAll(async () => {
    await small?.close()
    await opened?.cleanup()
  })

  it('ingests more files at once than the pool has connections (ids reserved in each transaction)', async () => {
    if (small === undefined) {
      console.log('DATABASE_URL not set: the PostgreSQL pool test was not run')
      return
    }
    const files = [1, 2, 3].map((n) => {
      const path = join(dir, `pool-${n}.837`)
      writeFileSync(
        path,
        e2eText('837p-medicare-2026-01.x12')
          .replaceAll('E2E-P-', `E2E-K${n}-`)
          .replaceAll('000001001', `00000700${n}`),
      )
      return path
    })
    const handle = small
    // Batches of 2: each file reserves ids four times while it holds one of the pool's two connections.
    const run = ingestFiles(files, { handle, concurrency: 3, batchSize: 2 })
    let timer: NodeJS.Timeout | undefined
    const stuck = new Promise<'stuck'>((resolve) => {
      timer = setTimeout(() => resolve('stuck'), 20_000)
    })
    const results = await Promise.race([run, stuck])
    clearTimeout(timer)
    expect(results).not.toBe('stuck')
    if (results === 'stuck') return
    expect(results.map((r) => [r.status, r.claims])).toEqual([
      ['ingested', 8],
      ['ingested', 8],
      ['ingested', 8],
    ])
  }, 60_000)
})
