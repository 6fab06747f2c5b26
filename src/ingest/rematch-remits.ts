import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { DenialEngine } from '../../transforms/denials/denial-engine.js'
import type { PayerProfile } from '../../transforms/denials/denial-types.js'
import type { SubmittedLine } from '../../transforms/remits/match-remit-line.js'
import { matchRemitLine } from '../../transforms/remits/match-remit-line.js'
import { pickSubmittedClaim } from '../../transforms/remits/pick-submitted-claim.js'
import { arrayLiteral } from '../db/bulk-insert.js'
import type { Database } from '../db/database.js'
import { recomputeDeadlines } from '../rework/recompute-deadlines.js'
import { loadCandidates, loadSubmittedLines, pushTo } from './store-835.js'

/** What {@link rematchRemitClaims} changed. */
export interface RematchResult {
  /** Remit claims (CLPs) that were unmatched and now point at a submitted claim. */
  claims: number
  /** Their remit lines now matched to a submitted line. */
  lines: number
  /** Rework items that now carry the submitted claim (and line). */
  items: number
  /** Of those, the items whose deadline changed with what the submitted claim tells. */
  deadlines: number
}

/**
 * Matches the remit claims that arrived before their 837 to the claims of the 837 file `fileId`,
 * just stored: CLP01 = CLM01, narrowed by payer and DOS, and lines by REF*6R or code, modifiers,
 * DOS and charge (the same rules as at 835 ingest: 005010X221A1 REF*6R, else SVC01 + DTM*472 + SVC02).
 *
 * Why: files arrive in any order (a practice sends a backlog of 837s after the remits, or a day's
 * files are ingested in separate runs). A remit read first is stored `unmatched`, and its rework
 * items could not be corrected (there was no 837 to correct) nor reported by drug. When the 837
 * comes, they are matched here, in the 837 file's transaction.
 *
 * Remit claims that are already matched are left alone. The rework items keep their queue; their
 * deadline is computed again ({@link recomputeDeadlines}), and each item that changes gets an audit
 * event (`matched`). A fixed number of statements whatever the number of claims, each driven by
 * an index (file id, CLP01 or ids).
 */
export async function rematchRemitClaims(
  db: Kysely<Database>,
  engine: DenialEngine,
  profiles: ReadonlyMap<string, PayerProfile>,
  scope: RematchScope,
  actor: string,
): Promise<RematchResult> {
  const result: RematchResult = { claims: 0, lines: 0, items: 0, deadlines: 0 }
  let after = 0
  for (;;) {
    const page = await rematchPage(db, engine, profiles, scope, actor, after)
    result.claims += page.result.claims
    result.lines += page.result.lines
    result.items += page.result.items
    result.deadlines += page.result.deadlines
    if (page.last === undefined) return result
    after = page.last
  }
}

/** Which unmatched remit claims {@link rematchRemitClaims} looks at. */
export type RematchScope =
  /** Those whose CLP01 is a CLM01 of this 837 file (just stored). */
  | { submittedFileId: number }
  /** This 835 file's own (committed while its 837 was still being ingested elsewhere). */
  | { remitFileId: number }
  /** Every unmatched remit claim whose CLP01 is some stored CLM01 (`onco-edi rematch`). */
  | { all: true }

/** Remit claims re-matched per round: memory stays flat on a large database. */
const PAGE = 5_000

/** One page of unmatched remit claims (ids above `after`); `last` is undefined on the last page. */
async function rematchPage(
  db: Kysely<Database>,
  engine: DenialEngine,
  profiles: ReadonlyMap<string, PayerProfile>,
  scope: RematchScope,
  actor: string,
  after: number,
): Promise<{ result: RematchResult; last: number | undefined }> {
  const result: RematchResult = { claims: 0, lines: 0, items: 0, deadlines: 0 }
  // The file's CLM01s through submitted_claim_file (migration 0004), each probed in
  // remit_claim_match (claim_id, payer_id): nothing held in memory while the 837 streams.
  let query = db
    .selectFrom('remit_claim')
    .select(['id', 'claim_id', 'payer_id', 'statement_from'])
    .where('match_status', '=', 'unmatched')
    .where('id', '>', after)
  if ('submittedFileId' in scope)
    query = query.where(
      'claim_id',
      'in',
      db.selectFrom('submitted_claim').select('claim_id').where('file_id', '=', scope.submittedFileId),
    )
  else {
    if ('remitFileId' in scope) query = query.where('file_id', '=', scope.remitFileId)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('submitted_claim')
          .select('submitted_claim.id')
          .whereRef('submitted_claim.claim_id', '=', 'remit_claim.claim_id'),
      ),
    )
  }
  const remits = await query.orderBy('id').limit(PAGE).execute()
  const lastRemit = remits.at(-1)
  const last = remits.length === PAGE && lastRemit !== undefined ? Number(lastRemit.id) : undefined
  if (remits.length === 0) return { result, last }
  const when =
    'submittedFileId' in scope
      ? `when 837 file ${scope.submittedFileId} was ingested`
      : 'remitFileId' in scope
        ? `after 835 file ${scope.remitFileId} was committed`
        : 'by onco-edi rematch'

  const remitIds = remits.map((r) => Number(r.id))
  const remitLines = await db
    .selectFrom('remit_line')
    .select(['id', 'remit_claim_id', 'procedure_code', 'modifiers', 'charge', 'service_from', 'line_control'])
    .where(sql<boolean>`remit_claim_id = any(${arrayLiteral(remitIds, 'int8')}::int8[])`)
    .orderBy('remit_claim_id')
    .orderBy('line_seq')
    .execute()
  const linesByRemit = new Map<number, typeof remitLines>()
  for (const line of remitLines) pushTo(linesByRemit, Number(line.remit_claim_id), line)

  const candidates = await loadCandidates(db, [...new Set(remits.map((r) => r.claim_id))])
  const picks = remits.map((remit) => {
    const lines = linesByRemit.get(Number(remit.id)) ?? []
    const dos = remit.statement_from ?? lines.find((l) => l.service_from !== null)?.service_from ?? undefined
    return {
      remit,
      lines,
      dos,
      submitted: pickSubmittedClaim(candidates.get(remit.claim_id) ?? [], remit.payer_id, dos),
    }
  })
  const submittedIds = [...new Set(picks.flatMap((p) => (p.submitted === undefined ? [] : [p.submitted.id])))]
  const submittedLines = await loadSubmittedLines(db, submittedIds)

  const remitClaimIds: number[] = []
  const claimTargets: number[] = []
  /** CLP01 of the matched remit claims: rework_item_claim finds their items. */
  const matchedClaimIds = new Set<string>()
  const lineIds: number[] = []
  const lineTargets: number[] = []
  /** The remit claim of each entry of lineIds. */
  const lineOwners: number[] = []
  for (const pick of picks) {
    if (pick.submitted === undefined) continue
    remitClaimIds.push(Number(pick.remit.id))
    claimTargets.push(pick.submitted.id)
    matchedClaimIds.add(pick.remit.claim_id)
    const pool: readonly SubmittedLine[] = submittedLines.get(pick.submitted.id) ?? []
    const used = new Set<number>()
    for (const line of pick.lines) {
      const matched = matchRemitLine(
        {
          procedureCode: line.procedure_code,
          modifiers: line.modifiers,
          charge: Number(line.charge),
          serviceFrom: line.service_from ?? undefined,
          lineControlNumber: line.line_control ?? undefined,
        },
        pick.dos,
        pool,
        used,
      )
      if (matched === undefined) continue
      used.add(matched.id)
      lineIds.push(Number(line.id))
      lineTargets.push(matched.id)
      lineOwners.push(Number(pick.remit.id))
    }
  }
  if (remitClaimIds.length === 0) return { result, last }

  const claimPairs = sql`unnest(${arrayLiteral(remitClaimIds, 'int8')}::int8[], ${arrayLiteral(claimTargets, 'int8')}::int8[]) as pair(id, target)`
  // `unmatched` is checked again under the row lock: two passes at once (an 837 and an 835
  // committing together) match each remit claim once.
  const updated = await sql<{
    id: string | number
  }>`update remit_claim set submitted_claim_id = pair.target, match_status = 'matched'
    from ${claimPairs} where remit_claim.id = pair.id and remit_claim.match_status = 'unmatched'
    returning remit_claim.id`.execute(db)
  const won = new Set(updated.rows.map((row) => Number(row.id)))
  result.claims = won.size
  if (won.size === 0) return { result, last }
  const wonLines: number[] = []
  const wonLineTargets: number[] = []
  lineIds.forEach((id, i) => {
    if (won.has(lineOwners[i] ?? -1)) {
      wonLines.push(id)
      wonLineTargets.push(lineTargets[i] ?? 0)
    }
  })
  const wonIds = remitClaimIds.filter((id) => won.has(id))
  if (wonLines.length > 0) {
    const linePairs = sql`unnest(${arrayLiteral(wonLines, 'int8')}::int8[], ${arrayLiteral(wonLineTargets, 'int8')}::int8[]) as pair(id, target)`
    await sql`update remit_line set submitted_line_id = pair.target
      from ${linePairs} where remit_line.id = pair.id`.execute(db)
    result.lines = wonLines.length
  }
  // The items follow their remit claim (and line): the submitted ids are copied from the rows just
  // updated, and the `unmatched` flag is dropped.
  // A DOS the remit lacked comes from the submitted line, else the claim (as at 835 ingest).
  const items = await sql<{ id: string }>`update rework_item set
      submitted_claim_id = remit_claim.submitted_claim_id,
      submitted_line_id = coalesce(
        (select remit_line.submitted_line_id from remit_line where remit_line.id = rework_item.remit_line_id),
        rework_item.submitted_line_id),
      service_date = coalesce(rework_item.service_date,
        (select submitted_line.service_from from submitted_line
          join remit_line on remit_line.submitted_line_id = submitted_line.id
          where remit_line.id = rework_item.remit_line_id),
        (select submitted_claim.service_from from submitted_claim
          where submitted_claim.id = remit_claim.submitted_claim_id)),
      flags = array_remove(rework_item.flags, 'unmatched')
    from remit_claim
    where rework_item.remit_claim_id = remit_claim.id
      and remit_claim.id = any(${arrayLiteral(wonIds, 'int8')}::int8[])
      and rework_item.claim_id = any(${arrayLiteral([...matchedClaimIds], 'text')}::text[])
      and rework_item.submitted_claim_id is null
    returning rework_item.id`.execute(db)
  result.items = items.rows.length
  if (items.rows.length > 0) {
    // The items' lines follow their remit lines the same way; the item's DOS is its lines' earliest.
    const matchedItems = arrayLiteral(
      items.rows.map((row) => Number(row.id)),
      'int8',
    )
    await sql`update rework_item_line set
        submitted_line_id = coalesce(
          (select remit_line.submitted_line_id from remit_line where remit_line.id = rework_item_line.remit_line_id),
          rework_item_line.submitted_line_id),
        service_date = coalesce(rework_item_line.service_date,
          (select submitted_line.service_from from submitted_line
            join remit_line on remit_line.submitted_line_id = submitted_line.id
            where remit_line.id = rework_item_line.remit_line_id),
          (select submitted_claim.service_from from submitted_claim
            join rework_item on rework_item.submitted_claim_id = submitted_claim.id
            where rework_item.id = rework_item_line.rework_item_id))
      where rework_item_id = any(${matchedItems}::int8[])`.execute(db)
    await sql`update rework_item set service_date = coalesce(
        (select min(service_date) from rework_item_line where rework_item_id = rework_item.id), service_date)
      where id = any(${matchedItems}::int8[])`.execute(db)
    // Now that the submitted claim is known (its kind and Through date, and a DOS the remit lacked).
    result.deadlines = (
      await recomputeDeadlines(
        db,
        engine,
        profiles,
        { itemIds: items.rows.map((row) => Number(row.id)) },
        actor,
      )
    ).changed
    // One statement (a row per item would pass the 65,535-parameter limit on a large backlog).
    const itemIds = arrayLiteral(
      items.rows.map((row) => Number(row.id)),
      'int8',
    )
    await sql`insert into audit_event (actor, entity, entity_id, action, note)
      select ${actor}, 'rework_item', id::text, 'matched',
        'matched to submitted claim ' || submitted_claim_id || ' ' || ${when}
      from rework_item where id = any(${itemIds}::int8[]) order by id`.execute(db)
  }
  return { result, last }
}
