import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { runBatchService } from '../../../src/batch/batch-service.js'
import { loadBatchSetup } from '../../../src/batch/batch-setup.js'
import { newClaimId, processClaimedFile } from '../../../src/batch/process-file.js'
import type { Database } from '../../../src/db/database.js'
import type { OwedRecoveryPasses } from '../../../src/ingest/ingest-files.js'
import { ingestFiles, worstExitCode } from '../../../src/ingest/ingest-files.js'
import { silentLogger } from '../../../src/logger.js'
import { engines, withTestDatabase } from '../../support/databases.js'
import { ingestEachInOrder } from '../../support/recovery-state.js'

// A file's transaction has committed, then the re-match and recovery pass after the commit
// (rematchAfterCommit, a transaction of its own) fails. The file is stored: every caller must say
// so, with INGEST_RECOVERY_PENDING naming `onco-edi rematch`, and not report it failed ("nothing
// stored") or keep it to be processed again. The pass is made to fail by the database itself: a
// statement the test runs first in the pass's transaction (the beforeRecoveryPass hook).

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const CLAIMS = join(E2E, '837p-medicare-2026-01.x12')
const DENIAL = join(E2E, '835-medicare-2026-02-02.x12')
const PAYMENT = join(E2E, '835-medicare-2026-03-02.x12')

const outbox = mkdtempSync(join(tmpdir(), 'post-commit-failure-'))
afterAll(() => rmSync(outbox, { recursive: true, force: true }))

/** Fails every time: division by zero (SQLSTATE 22012), an error no retry helps. */
const alwaysFails = async (trx: Kysely<Database>): Promise<void> => {
  await sql`select 1 / 0`.execute(trx)
}

/** The files whose pass after the commit is still owed (recovery_pass_owed). */
async function owedFiles(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('recovery_pass_owed').select('file_id').orderBy('file_id').execute()
  return rows.map((r) => Number(r.file_id))
}

async function storedRemitClaims(db: Kysely<Database>, name: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from remit_claim rc
    join ingest_file f on f.id = rc.file_id where f.name = ${name}`.execute(db)
  return rows[0]?.n ?? -1
}

describe.each(engines)('a pass after the commit that fails [$name]', ({ url }) => {
  it('ingest reports the file stored with INGEST_RECOVERY_PENDING, exit 1', async () => {
    await withTestDatabase(url, async (handle) => {
      await ingestEachInOrder(handle, [CLAIMS, DENIAL])
      const [result] = await ingestFiles([PAYMENT], { handle, beforeRecoveryPass: alwaysFails })
      expect(result?.status).toBe('ingested')
      expect(result?.error).toBeUndefined()
      expect(result?.message).toMatch(/claims stored/)
      expect(result?.warnings.map((w) => w.code)).toEqual(['INGEST_RECOVERY_PENDING'])
      const warning = result?.warnings[0]?.message ?? ''
      expect(warning).toContain(`${PAYMENT} is stored (file ${result?.fileId})`)
      expect(warning).toContain('division by zero')
      expect(warning).toContain('onco-edi rematch')
      expect(worstExitCode(result === undefined ? [] : [result])).toBe(1)
      // It is stored: its claims are there, and a run again says so.
      expect(await storedRemitClaims(handle.db, basename(PAYMENT))).toBe(result?.claims)
      expect(result?.claims).toBeGreaterThan(0)
      // The pass is owed; the next run tries it first (failing again, it stays owed), then runs it.
      expect(await owedFiles(handle.db)).toEqual([result?.fileId])
      const reports: OwedRecoveryPasses[] = []
      const onOwedRecoveryPasses = (report: OwedRecoveryPasses) => reports.push(report)
      const [still] = await ingestFiles([PAYMENT], {
        handle,
        onOwedRecoveryPasses,
        beforeRecoveryPass: alwaysFails,
      })
      expect(still?.status).toBe('already_ingested')
      expect(reports).toEqual([
        {
          ran: 0,
          failed: [
            { fileId: result?.fileId, kind: '835', message: expect.stringContaining('division by zero') },
          ],
        },
      ])
      expect(await owedFiles(handle.db)).toEqual([result?.fileId])
      const [again] = await ingestFiles([PAYMENT], { handle, onOwedRecoveryPasses })
      expect(again?.status).toBe('already_ingested')
      expect(reports[1]).toEqual({ ran: 1, failed: [] })
      expect(await owedFiles(handle.db)).toEqual([])
    })
  })

  it('a pass that ran leaves nothing owed', async () => {
    await withTestDatabase(url, async (handle) => {
      await ingestEachInOrder(handle, [CLAIMS, DENIAL, PAYMENT])
      expect(await owedFiles(handle.db)).toEqual([])
    })
  })

  it('ingest tries the pass again after a serialization failure (40001), then reports no warning', async () => {
    await withTestDatabase(url, async (handle) => {
      await ingestEachInOrder(handle, [CLAIMS, DENIAL])
      let attempts = 0
      const [result] = await ingestFiles([PAYMENT], {
        handle,
        beforeRecoveryPass: async (trx) => {
          attempts++
          if (attempts === 1)
            await sql`do $$ begin raise exception 'injected' using errcode = '40001'; end $$`.execute(trx)
        },
      })
      expect(attempts).toBe(2)
      expect(result?.status).toBe('ingested')
      expect(result?.warnings).toEqual([])
      expect(worstExitCode(result === undefined ? [] : [result])).toBe(0)
    })
  })

  it('batch and worker publish the file as processed with INGEST_RECOVERY_PENDING in its result', async () => {
    await withTestDatabase(url, async (handle) => {
      await ingestEachInOrder(handle, [CLAIMS, DENIAL])
      const setup = await loadBatchSetup(handle, { user: 'batch-test' })
      const file = { claimId: newClaimId(), name: basename(PAYMENT), path: PAYMENT }
      const done = await processClaimedFile(file, { handle, setup, outbox, beforeRecoveryPass: alwaysFails })
      expect(done.result.status).toBe('processed')
      expect(done.result.codes).toContain('INGEST_RECOVERY_PENDING')
      expect(done.result.warnings?.map((w) => w.code)).toEqual(['INGEST_RECOVERY_PENDING'])
      expect(done.result.warnings?.[0]?.message).toContain('onco-edi rematch')
      // The result file in the outbox says the same.
      const published = JSON.parse(readFileSync(join(outbox, `${done.outputBase}.result.json`), 'utf8'))
      expect(published).toMatchObject({ status: 'processed', codes: ['INGEST_RECOVERY_PENDING'] })
      expect(await storedRemitClaims(handle.db, basename(PAYMENT))).toBe(done.result.counts.claims)
      // The claim processed again (a crash before it was retired) runs the pass again: stored,
      // and without the warning now that the pass succeeds.
      const again = await processClaimedFile(file, { handle, setup, outbox })
      expect(again.result.status).toBe('processed')
      expect(again.result.codes).not.toContain('INGEST_RECOVERY_PENDING')
      expect(await owedFiles(handle.db)).toEqual([])
    })
  })

  it('the batch service runs the passes left owed when it starts', async () => {
    await withTestDatabase(url, async (handle) => {
      await ingestEachInOrder(handle, [CLAIMS, DENIAL])
      const [stored] = await ingestFiles([PAYMENT], { handle, beforeRecoveryPass: alwaysFails })
      expect(stored?.warnings.map((w) => w.code)).toEqual(['INGEST_RECOVERY_PENDING'])
      expect(await owedFiles(handle.db)).toEqual([stored?.fileId])
      const setup = await loadBatchSetup(handle, { user: 'batch-test' })
      const root = mkdtempSync(join(outbox, 'service-'))
      const inbox = join(root, 'in')
      mkdirSync(inbox)
      await runBatchService({
        handle,
        setup,
        inbox,
        outbox: join(root, 'out'),
        concurrency: 1,
        once: true,
        logger: silentLogger(),
      })
      expect(await owedFiles(handle.db)).toEqual([])
    })
  })
})
