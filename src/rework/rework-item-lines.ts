import type { Kysely, RawBuilder } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/database.js'

/** One denied line of a rework item (or its claim-level adjustments: `remitLineId` undefined). */
export interface ReworkItemLineFacts {
  itemId: number
  /** CLM01 of the item's claim. */
  claimId: string
  /** The matched 837 claim row. */
  submittedClaimId: number | undefined
  remitLineId: number | undefined
  submittedLineId: number | undefined
  /** LX01 of the matched 837 line. */
  lineNumber: number | undefined
  procedureCode: string | undefined
  carcs: string[]
  rarcs: string[]
  amount: number
}

interface LineRow {
  item_id: string | number
  claim_id: string
  submitted_claim_id: string | number | null
  remit_line_id: string | number | null
  submitted_line_id: string | number | null
  line_number: number | null
  procedure_code: string | null
  carcs: string[]
  rarcs: string[]
  amount: string | number
}

const toFacts = (r: LineRow): ReworkItemLineFacts => ({
  itemId: Number(r.item_id),
  claimId: r.claim_id,
  submittedClaimId: r.submitted_claim_id === null ? undefined : Number(r.submitted_claim_id),
  remitLineId: r.remit_line_id === null ? undefined : Number(r.remit_line_id),
  submittedLineId: r.submitted_line_id === null ? undefined : Number(r.submitted_line_id),
  lineNumber: r.line_number ?? undefined,
  procedureCode: r.procedure_code ?? undefined,
  carcs: r.carcs,
  rarcs: r.rarcs,
  amount: Number(r.amount),
})

/** True when rework items keep their denied lines in `rework_item_line` (one item per claim and queue). */
export async function hasItemLines(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{
    present: boolean
  }>`select to_regclass('rework_item_line') is not null as present`.execute(db)
  return rows[0]?.present === true
}

/**
 * The denied lines of rework items, in item then line order: the rows of `rework_item_line` when
 * items are one per claim and queue, else the item itself as its one line (one item per denied
 * line or claim-level adjustment). `where` selects the items (an SQL condition on `ri`).
 */
export async function loadItemLines(
  db: Kysely<Database>,
  where: RawBuilder<unknown>,
): Promise<ReworkItemLineFacts[]> {
  const query = (await hasItemLines(db))
    ? sql<LineRow>`select ri.id as item_id, ri.claim_id, ri.submitted_claim_id, ril.remit_line_id, ril.submitted_line_id, sl.line_number,
          ril.procedure_code, ril.carcs, ril.rarcs, ril.amount
        from rework_item ri
        join rework_item_line ril on ril.rework_item_id = ri.id
        left join submitted_line sl on sl.id = ril.submitted_line_id
        where ${where}
        order by ri.id, ril.id`
    : sql<LineRow>`select ri.id as item_id, ri.claim_id, ri.submitted_claim_id, ri.remit_line_id, ri.submitted_line_id, sl.line_number,
          ri.procedure_code, ri.carcs, ri.rarcs, ri.amount
        from rework_item ri
        left join submitted_line sl on sl.id = ri.submitted_line_id
        where ${where}
        order by ri.id`
  const { rows } = await query.execute(db)
  return rows.map(toFacts)
}
