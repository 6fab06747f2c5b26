import type { DatabaseHandle } from '../../src/db/create-database.js'
import type { IngestFileResult } from '../../src/ingest/ingest-files.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { cashReport, recoveredReport } from '../../src/rework/reports.js'

/**
 * Every rework item with its status and recovery, and its lines' recoveries, in claim and queue
 * order (no ids): what two databases that took the same files must agree on.
 */
export async function reworkItemsOf(handle: DatabaseHandle) {
  const items = await handle.db
    .selectFrom('rework_item')
    .select(['id', 'claim_id', 'queue', 'amount', 'status', 'recovered_amount', 'recovered_date'])
    .orderBy('claim_id')
    .orderBy('queue')
    .execute()
  const lines = await handle.db
    .selectFrom('rework_item_line')
    .select(['rework_item_id', 'procedure_code', 'amount', 'recovered_amount'])
    .orderBy('id')
    .execute()
  return items.map((item) => ({
    claimId: item.claim_id,
    queue: item.queue,
    amount: Number(item.amount),
    status: item.status,
    recovered: Number(item.recovered_amount),
    recoveredDate: item.recovered_date,
    lines: lines
      .filter((l) => Number(l.rework_item_id) === Number(item.id))
      .map((l) => [l.procedure_code, Number(l.amount), Number(l.recovered_amount)]),
  }))
}

/** The recovered-denials and cash reports' totals. */
export async function reportTotalsOf(handle: DatabaseHandle) {
  return {
    denials: (await recoveredReport(handle.db)).totals,
    cash: (await cashReport(handle.db)).totals,
  }
}

/** Ingests each file in its own run, in the order given (one run sorts its 835s by BPR16). */
export async function ingestEachInOrder(
  handle: DatabaseHandle,
  paths: readonly string[],
): Promise<IngestFileResult[]> {
  const results: IngestFileResult[] = []
  for (const path of paths) {
    const [result] = await ingestFiles([path], { handle })
    if (result?.status !== 'ingested')
      throw new Error(`${path} was not ingested: ${result?.status} ${result?.message}`)
    results.push(result)
  }
  return results
}
