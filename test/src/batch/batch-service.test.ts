import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { runBatchService } from '../../../src/batch/batch-service.js'
import type { BatchSetup } from '../../../src/batch/batch-setup.js'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import { claimInboxFile, inboxFolders, prepareInbox } from '../../../src/batch/inbox.js'
import type { BatchResult } from '../../../src/batch/process-file.js'
import { processClaimedFile } from '../../../src/batch/process-file.js'
import type { Database } from '../../../src/db/database.js'
import { silentLogger } from '../../../src/logger.js'
import { fixturesDir } from '../../../src/project-root.js'
import { writeBatchInputs } from '../../support/batch-inputs.js'
import { describeEachDatabase } from '../../support/databases.js'
import { parseRecordsOf } from '../../support/parse-records.js'

function folders(): { inbox: string; outbox: string } {
  const root = mkdtempSync(join(tmpdir(), 'batch-test-'))
  return { inbox: join(root, 'in'), outbox: join(root, 'out') }
}

function readResult(outbox: string, base: string): BatchResult {
  return JSON.parse(readFileSync(join(outbox, `${base}.result.json`), 'utf8')) as BatchResult
}

async function stored(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, number>>`select
    (select count(*)::int from batch_file) as batch_files,
    (select count(*)::int from scrub_run) as scrub_runs,
    (select count(*)::int from remit_claim) as remit_claims,
    (select count(*)::int from ingest_file) as ingest_files`.execute(db)
  return rows[0] ?? {}
}

describeEachDatabase('batch inbox', (ctx) => {
  let setup: BatchSetup
  beforeAll(async () => {
    setup = await loadBatchSetup(ctx.handle, { user: 'batch-test', asOf: '2026-03-01' })
  })
  const run = (inbox: string, outbox: string, results: BatchResult[] = []) =>
    runBatchService({
      handle: ctx.handle,
      setup,
      inbox,
      outbox,
      concurrency: 3,
      once: true,
      logger: silentLogger(),
      onResult: (r) => results.push(r),
    })

  it('answers every file: 837 scrubbed, 835 stored, a corrupt 837 and a non-X12 file do not stop the rest', async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    const [p837, p835, i837] = writeBatchInputs(inbox, 3, 0)
    copyFileSync(fixturesDir('invalid', 'se-count.x12'), join(inbox, 'corrupt.x12'))
    writeFileSync(join(inbox, 'notes.txt'), 'not an interchange\n')
    writeFileSync(join(inbox, 'upload.x12.part'), 'still being written')
    const results: BatchResult[] = []
    const counts = await run(inbox, outbox, results)
    expect(counts).toMatchObject({ done: 4, failed: 1, duplicates: 0, errors: 0 })
    expect(results).toHaveLength(5)

    const scrubbed = readResult(outbox, p837 ?? '')
    expect(scrubbed).toMatchObject({ kind: '837', status: 'processed', counts: { claims: 8 } })
    expect(scrubbed.counts.accepted + scrubbed.counts.rejected).toBe(8)
    for (const output of scrubbed.outputs) expect(existsSync(join(outbox, output))).toBe(true)
    expect(scrubbed.outputs.at(-1)).toBe(`${p837}.result.json`)
    expect(readResult(outbox, i837 ?? '').kind).toBe('837')
    expect(readResult(outbox, p835 ?? '')).toMatchObject({
      kind: '835',
      status: 'processed',
      counts: { claims: 10 },
    })

    // The corrupt 837: its bad set is quarantined and coded; the file is still answered.
    const corrupt = readResult(outbox, 'corrupt.x12')
    expect(corrupt).toMatchObject({ kind: '837', status: 'processed', counts: { quarantinedSets: 1 } })
    expect(corrupt.codes).toContain('X12_SE_COUNT')
    // Its 999 rejects the bad set (IK5*R) and says so for the group (AK9 R or P).
    expect(corrupt.acknowledgment).toBe('corrupt.x12.ack.x12')
    const ack = readFileSync(join(outbox, 'corrupt.x12.ack.x12'), 'latin1')
    expect(ack).toMatch(/ST\*999\*/)
    expect(ack).toMatch(/IK5\*R/)
    expect(ack).toMatch(/AK9\*[RP]\*/)
    // A clean 837 gets its 999 too; the 835 none.
    expect(scrubbed.acknowledgment).toBe(`${p837}.ack.x12`)
    expect(readFileSync(join(outbox, `${p837}.ack.x12`), 'latin1')).toMatch(/AK9\*A\*/)
    expect(readResult(outbox, p835 ?? '').acknowledgment).toBeNull()

    // Our 999 read back through the inbox: a 999 in is stored as an acknowledgment.
    copyFileSync(join(outbox, 'corrupt.x12.ack.x12'), join(inbox, 'answer.999'))
    await run(inbox, outbox)
    expect(readResult(outbox, 'answer.999')).toMatchObject({ kind: '999', status: 'processed' })

    // Not X12: .failed/ with its result, and a result in the outbox.
    const failed = readResult(outbox, 'notes.txt')
    expect(failed).toMatchObject({ status: 'failed', codes: ['X12_NO_ISA'], kind: null })
    const { done, failed: failedDir, work } = inboxFolders(inbox)
    expect(readdirSync(failedDir).sort()).toEqual(['notes.txt', 'notes.txt.result.json'])
    expect(readdirSync(done).sort()).toEqual([p835, p837, i837, 'corrupt.x12', 'answer.999'].sort())
    expect(readdirSync(work)).toEqual([])
    // The file still being written stays where it is; nothing is left staged.
    expect(readdirSync(inbox).filter((n) => !n.startsWith('.'))).toEqual(['upload.x12.part'])
    expect(readdirSync(join(outbox, '.staging'))).toEqual([])
  })

  it('reads a JSON claim file: written as an 837 and scrubbed as one; not JSON fails alone', async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    const [x12Name] = writeBatchInputs(inbox, 1, 72)
    const x12Path = join(inbox, x12Name ?? '')
    writeFileSync(join(inbox, 'claims.json'), `[\n${parseRecordsOf(x12Path).texts.join(',\n')}\n]`)
    writeFileSync(join(inbox, 'broken.json'), '{"type": "header", ')
    const before = await stored(ctx.handle.db)
    await run(inbox, outbox)
    const direct = readResult(outbox, x12Name ?? '')
    const json = readResult(outbox, 'claims.json')
    expect(json).toMatchObject({ input: 'json', kind: '837', status: 'processed' })
    expect(json.counts).toEqual({ ...direct.counts, rejectedRecords: 0 })
    expect(json.outputs).toContain('claims.json.837.x12')
    expect(parseRecordsOf(join(outbox, 'claims.json.837.x12')).errors).toBe(0)
    expect(readResult(outbox, 'broken.json')).toMatchObject({ status: 'failed', codes: ['JSON_SYNTAX'] })
    expect((await stored(ctx.handle.db)).scrub_runs).toBe((before.scrub_runs ?? 0) + 2)
  })

  it('acknowledges the same bytes dropped twice as a duplicate and stores nothing twice', async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    const [first, second] = writeBatchInputs(inbox, 2, 9)
    await run(inbox, outbox)
    const before = await stored(ctx.handle.db)
    // Same bytes under another name, and under the same name again.
    copyFileSync(join(inboxFolders(inbox).done, first ?? ''), join(inbox, 'resent.x12'))
    copyFileSync(join(inboxFolders(inbox).done, second ?? ''), join(inbox, second ?? ''))
    const results: BatchResult[] = []
    const counts = await run(inbox, outbox, results)
    expect(counts).toMatchObject({ done: 0, duplicates: 2 })
    expect(await stored(ctx.handle.db)).toEqual({ ...before, batch_files: (before.batch_files ?? 0) + 2 })
    const resent = readResult(outbox, 'resent.x12')
    expect(resent).toMatchObject({ status: 'duplicate', duplicateOf: { file: first } })
    // The duplicate 837 is answered with a TA1 025 (duplicate interchange control number).
    expect(resent.acknowledgment).toBe('resent.x12.ack.x12')
    expect(readFileSync(join(outbox, 'resent.x12.ack.x12'), 'latin1')).toMatch(/TA1\*[^~]*\*R\*025/)
    // The second drop of a name never overwrites the first's result.
    const again = results.find((r) => r.file === second)
    expect(again?.status).toBe('duplicate')
    expect(again?.outputs).toEqual([`${second}.${again?.claimId}.result.json`])
    expect(readResult(outbox, second ?? '').status).toBe('processed')
  })

  it('answers an interchange reusing the sender and ISA13 of one accepted before with TA1 025 and reads nothing of it', async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    // Two 837Ps (every third input is one) with their own senders and claim ids.
    const [first] = writeBatchInputs(inbox, 1, 60)
    const aside = mkdtempSync(join(tmpdir(), 'batch-aside-'))
    const [other] = writeBatchInputs(aside, 1, 63)
    const firstText = readFileSync(join(inbox, first ?? ''), 'latin1')
    const otherText = readFileSync(join(aside, other ?? ''), 'latin1')
    await run(inbox, outbox)
    expect(readResult(outbox, first ?? '')).toMatchObject({ status: 'processed', counts: { claims: 8 } })
    const [isa] = firstText.split('~')
    const isa13 = isa?.split('*')[13] ?? ''
    // Other bytes (a changed BHT03), the same ISA: the sender and ISA13 were used up by `first`.
    const reused = firstText.replace(/BHT\*0019\*00\*([^*]+)\*/, 'BHT*0019*00*$1R*')
    expect(reused).not.toBe(firstText)
    writeFileSync(join(inbox, 'reused.x12'), reused, 'latin1')
    const before = await stored(ctx.handle.db)
    const results: BatchResult[] = []
    let counts = await run(inbox, outbox, results)
    expect(counts).toMatchObject({ done: 0, duplicates: 1, failed: 0, errors: 0 })
    const result = readResult(outbox, 'reused.x12')
    expect(result).toMatchObject({
      kind: '837',
      status: 'duplicate',
      duplicateOf: { file: first },
      codes: ['BATCH_DUPLICATE_INTERCHANGE'],
      counts: { claims: 0, accepted: 0, rejected: 0, duplicateInterchanges: 1 },
      storedFiles: [],
    })
    expect(result.outputs).toEqual(['reused.x12.ack.x12', 'reused.x12.result.json'])
    const ack = readFileSync(join(outbox, 'reused.x12.ack.x12'), 'latin1')
    expect(ack).toContain(`TA1*${isa13}*`)
    expect(ack).toMatch(/TA1\*[^~]*\*R\*025~/)
    expect(ack).not.toContain('ST*999')
    expect(await stored(ctx.handle.db)).toEqual({ ...before, batch_files: (before.batch_files ?? 0) + 1 })

    // Two interchanges in one file: a new one is read; the reused one is rejected alone.
    writeFileSync(
      join(inbox, 'mixed.x12'),
      otherText + reused.replace('BHT*0019*00*', 'BHT*0019*00*M'),
      'latin1',
    )
    const otherClaims = [...otherText.matchAll(/CLM\*([^*~]+)/g)].map((m) => m[1])
    counts = await run(inbox, outbox, results)
    expect(counts).toMatchObject({ done: 1, duplicates: 0 })
    const mixed = readResult(outbox, 'mixed.x12')
    expect(mixed).toMatchObject({
      status: 'processed',
      duplicateOf: null,
      counts: { claims: 8, duplicateInterchanges: 1 },
    })
    expect(mixed.codes).toContain('BATCH_DUPLICATE_INTERCHANGE')
    const mixedAck = readFileSync(join(outbox, 'mixed.x12.ack.x12'), 'latin1')
    expect(mixedAck.match(/TA1\*/g)).toHaveLength(1)
    expect(mixedAck).toMatch(new RegExp(`TA1\\*${isa13}\\*[^~]*\\*R\\*025~`))
    expect(mixedAck.match(/ST\*999\*/g)).toHaveLength(1)
    // Only the new interchange's claims were scrubbed and stored.
    const outClaims = ['accepted.x12', 'rejected.x12']
      .filter((suffix) => mixed.outputs.includes(`mixed.x12.${suffix}`))
      .flatMap((suffix) => [
        ...readFileSync(join(outbox, `mixed.x12.${suffix}`), 'latin1').matchAll(/CLM\*([^*~]+)/g),
      ])
      .map((m) => m[1])
    expect(outClaims.sort()).toEqual([...otherClaims].sort())
    const registered = await ctx.handle.db
      .selectFrom('batch_interchange')
      .select(['sender_id', 'control', 'claim_id'])
      .where('control', '=', isa13)
      .where('sender_id', 'in', [isa?.split('*')[6]?.trim() ?? ''])
      .execute()
    expect(registered.map((r) => r.claim_id)).toEqual([readResult(outbox, first ?? '').claimId])
  })

  it("takes a submitter's interchange whose ISA13 one of our accepted batches carries: ours were never received", async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    const [first] = writeBatchInputs(inbox, 1, 69)
    await run(inbox, outbox)
    expect(readResult(outbox, first ?? '').outputs).toContain(`${first}.accepted.x12`)
    const ours =
      readFileSync(join(outbox, `${first}.accepted.x12`), 'latin1')
        .split('~')[0]
        ?.split('*') ?? []
    const text = readFileSync(join(inboxFolders(inbox).done, first ?? ''), 'latin1')
    const theirs = text.split('~')[0]?.split('*') ?? []
    // Our batch goes out under the submitter's ISA06 (no ONCO_EDI_ISA06 here) with our ISA13.
    expect(ours[6]).toBe(theirs[6])
    expect(ours[13]).not.toBe(theirs[13])
    writeFileSync(join(inbox, 'next.x12'), text.replaceAll(theirs[13] ?? '', ours[13] ?? ''), 'latin1')
    await run(inbox, outbox)
    expect(readResult(outbox, 'next.x12')).toMatchObject({
      status: 'processed',
      codes: [],
      counts: { claims: 8, duplicateInterchanges: 0 },
    })
    expect(readFileSync(join(outbox, 'next.x12.ack.x12'), 'latin1')).not.toMatch(/TA1\*/)
  })

  it('finishes files a dead process left in .work/, committed or not, once', async () => {
    const { inbox, outbox } = folders()
    await prepareInbox(inbox, outbox)
    const [committedName, uncommittedName] = writeBatchInputs(inbox, 2, 20)
    // Committed, then the process died before publishing: its outputs are still staged.
    const committed = await claimInboxFile(inbox, committedName ?? '')
    if (committed === undefined) throw new Error('claim failed')
    const row = await processClaimedFile(committed, { handle: ctx.handle, setup, outbox })
    const published = readFileSync(join(outbox, `${committedName}.result.json`), 'utf8')
    const staged = join(outbox, '.staging', committed.claimId)
    mkdirSync(staged, { recursive: true })
    for (const suffix of row.outputs)
      renameSync(join(outbox, `${committedName}.${suffix}`), join(staged, suffix))
    rmSync(join(outbox, `${committedName}.result.json`))
    // Claimed, then the process died mid-transaction: staged garbage, no row.
    const uncommitted = await claimInboxFile(inbox, uncommittedName ?? '')
    if (uncommitted === undefined) throw new Error('claim failed')
    mkdirSync(join(outbox, '.staging', uncommitted.claimId), { recursive: true })
    writeFileSync(join(outbox, '.staging', uncommitted.claimId, 'accepted.x12'), 'partial')
    mkdirSync(join(outbox, '.staging', 'gone-claim'), { recursive: true })

    const before = await stored(ctx.handle.db)
    const results: BatchResult[] = []
    const counts = await run(inbox, outbox, results)
    expect(counts).toMatchObject({ done: 2, duplicates: 0 })
    // The committed file is published from its row, byte for byte; nothing is stored again.
    expect(readFileSync(join(outbox, `${committedName}.result.json`), 'utf8')).toBe(published)
    for (const suffix of row.outputs)
      expect(existsSync(join(outbox, `${committedName}.${suffix}`))).toBe(true)
    expect((await stored(ctx.handle.db)).batch_files).toBe((before.batch_files ?? 0) + 1)
    expect(readResult(outbox, uncommittedName ?? '').status).toBe('processed')
    expect(readdirSync(join(outbox, '.staging'))).toEqual([])
    expect(readdirSync(inboxFolders(inbox).work)).toEqual([])
  })

  it("keeps a committed file's staged outputs when publishing fails, and publishes them when the claim is processed again", async () => {
    const { inbox, outbox } = folders()
    await prepareInbox(inbox, outbox)
    const [name] = writeBatchInputs(inbox, 1, 39)
    const claimed = await claimInboxFile(inbox, name ?? '')
    if (claimed === undefined) throw new Error('claim failed')
    // A directory where the acknowledgment goes: its rename fails after the file's commit.
    const blocker = join(outbox, `${name}.ack.x12`)
    mkdirSync(join(blocker, 'in-the-way'), { recursive: true })
    await expect(processClaimedFile(claimed, { handle: ctx.handle, setup, outbox })).rejects.toThrow()
    rmSync(blocker, { recursive: true })
    const row = await processClaimedFile(claimed, { handle: ctx.handle, setup, outbox })
    expect(row.result.status).toBe('processed')
    expect(row.outputs).toContain('ack.x12')
    for (const output of row.result.outputs) expect(existsSync(join(outbox, output)), output).toBe(true)
    expect(readFileSync(join(outbox, `${name}.ack.x12`), 'latin1')).toMatch(/^ISA\*/)
  })

  it('watches the inbox: a file written as .part is taken when renamed', async () => {
    const { inbox, outbox } = folders()
    await prepareInbox(inbox, outbox)
    const controller = new AbortController()
    const results: BatchResult[] = []
    const service = runBatchService({
      handle: ctx.handle,
      setup,
      inbox,
      outbox,
      concurrency: 2,
      once: false,
      rescanSeconds: 60,
      logger: silentLogger(),
      signal: controller.signal,
      onResult: (r) => {
        results.push(r)
        controller.abort()
      },
    })
    const staging = mkdtempSync(join(tmpdir(), 'batch-drop-'))
    const [name] = writeBatchInputs(staging, 1, 30)
    await new Promise((r) => setTimeout(r, 300))
    copyFileSync(join(staging, name ?? ''), join(inbox, `${name}.part`))
    await new Promise((r) => setTimeout(r, 300))
    expect(results).toEqual([])
    renameSync(join(inbox, `${name}.part`), join(inbox, name ?? ''))
    await service
    expect(results.map((r) => [r.file, r.status])).toEqual([[name, 'processed']])
  }, 20_000)

  it("stores an 837's accepted claims as submitted claims: their 835s match back, the rejected ones' do not", async () => {
    const { inbox, outbox } = folders()
    mkdirSync(inbox, { recursive: true })
    const e2e = readdirSync(fixturesDir('e2e'))
    for (const name of e2e.filter((n) => n.startsWith('837')))
      copyFileSync(fixturesDir('e2e', name), join(inbox, name))
    await run(inbox, outbox)
    const accepted = new Set<string>()
    for (const name of readdirSync(outbox).filter((n) => n.endsWith('.accepted.x12')))
      for (const m of readFileSync(join(outbox, name), 'latin1').matchAll(/CLM\*([^*~]+)/g))
        accepted.add(m[1] ?? '')
    expect(accepted.size).toBeGreaterThan(0)

    for (const name of e2e.filter((n) => n.startsWith('835')))
      copyFileSync(fixturesDir('e2e', name), join(inbox, name))
    await run(inbox, outbox)
    const remits = await ctx.handle.db
      .selectFrom('remit_claim')
      .select(['claim_id', 'match_status'])
      .where('claim_id', 'like', 'E2E-%')
      .execute()
    expect(remits.length).toBeGreaterThan(0)
    const matched = remits.filter((r) => r.match_status === 'matched').map((r) => r.claim_id)
    // Matched: exactly the remits of claims that went out in an accepted batch.
    expect(matched.length).toBeGreaterThan(0)
    expect(new Set(matched)).toEqual(new Set(remits.map((r) => r.claim_id).filter((id) => accepted.has(id))))
    const submitted = await ctx.handle.db
      .selectFrom('ingest_file')
      .select('name')
      .where('name', 'like', '%.accepted.x12')
      .execute()
    expect(
      submitted
        .map((f) => f.name)
        .filter((n) => e2e.some((e) => n.startsWith(e)))
        .sort(),
    ).toEqual(
      readdirSync(outbox)
        .filter((n) => n.endsWith('.accepted.x12') && e2e.some((e) => n.startsWith(e)))
        .sort(),
    )
  })
})
