import type { Kysely } from 'kysely'
import type { Claim837Kind } from '../../parsers/claim837/claim837.js'
import type { IsoDate } from '../../parsers/dates.js'
import type {
  LedgerLine,
  ScheduledInfusion,
  TrackedAuthorization,
} from '../../transforms/scrub/scrub-context.js'
import type { Finding } from '../../transforms/scrub/scrub-rule.js'
import type { Database } from '../db/database.js'

/** Rows per INSERT: well under PostgreSQL's 65535 bind parameters. */
const BATCH = 500

/**
 * Stores authorizations. A row with the same auth number + payer + member + drug replaces the
 * stored one (re-importing a file is idempotent). Returns how many were new and how many replaced.
 */
export async function saveAuthorizations(
  db: Kysely<Database>,
  authorizations: readonly TrackedAuthorization[],
): Promise<{ inserted: number; replaced: number }> {
  let inserted = 0
  let replaced = 0
  await db.transaction().execute(async (trx) => {
    for (const auth of authorizations) {
      const removed = await trx
        .deleteFrom('prior_auth')
        .where('auth_number', '=', auth.authNumber)
        .where('payer_id', '=', auth.payerId)
        .where('member_id', '=', auth.memberId)
        .where((eb) => (auth.hcpcs === undefined ? eb('hcpcs', 'is', null) : eb('hcpcs', '=', auth.hcpcs)))
        .executeTakeFirst()
      if (Number(removed.numDeletedRows) > 0) replaced++
      else inserted++
      await trx
        .insertInto('prior_auth')
        .values({
          auth_number: auth.authNumber,
          payer_id: auth.payerId,
          member_id: auth.memberId,
          hcpcs: auth.hcpcs ?? null,
          units_authorized: auth.unitsAuthorized ?? null,
          cycles_authorized: auth.cyclesAuthorized ?? null,
          start_date: auth.startDate ?? null,
          end_date: auth.endDate ?? null,
        })
        .execute()
    }
  })
  return { inserted, replaced }
}

/** Every tracked authorization. */
export async function listAuthorizations(db: Kysely<Database>): Promise<TrackedAuthorization[]> {
  const rows = await db.selectFrom('prior_auth').selectAll().orderBy('id').execute()
  return rows.map((row) => ({
    authNumber: row.auth_number,
    payerId: row.payer_id,
    memberId: row.member_id,
    hcpcs: row.hcpcs ?? undefined,
    unitsAuthorized: row.units_authorized ?? undefined,
    cyclesAuthorized: row.cycles_authorized ?? undefined,
    startDate: row.start_date ?? undefined,
    endDate: row.end_date ?? undefined,
  }))
}

/** Stores schedule entries; the same member + payer + date + drug is updated, not duplicated. */
export async function saveSchedule(
  db: Kysely<Database>,
  entries: readonly ScheduledInfusion[],
): Promise<number> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < entries.length; i += BATCH) {
      const values = entries.slice(i, i + BATCH).map((entry) => ({
        member_id: entry.memberId,
        payer_id: entry.payerId,
        date: entry.date,
        hcpcs: entry.hcpcs,
        planned_units: entry.plannedUnits ?? null,
        start_time: entry.startTime ?? null,
        end_time: entry.endTime ?? null,
      }))
      await trx
        .insertInto('infusion_schedule')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['member_id', 'payer_id', 'date', 'hcpcs']).doUpdateSet((eb) => ({
            planned_units: eb.ref('excluded.planned_units'),
            start_time: eb.ref('excluded.start_time'),
            end_time: eb.ref('excluded.end_time'),
          })),
        )
        .execute()
    }
  })
  return entries.length
}

/** Schedule entries, optionally from a date on. */
export async function listSchedule(db: Kysely<Database>, from?: IsoDate): Promise<ScheduledInfusion[]> {
  let query = db.selectFrom('infusion_schedule').selectAll()
  if (from !== undefined) query = query.where('date', '>=', from)
  const rows = await query.orderBy('date').orderBy('id').execute()
  return rows.map((row) => ({
    memberId: row.member_id,
    payerId: row.payer_id,
    date: row.date,
    hcpcs: row.hcpcs,
    plannedUnits: row.planned_units ?? undefined,
    startTime: row.start_time ?? undefined,
    endTime: row.end_time ?? undefined,
  }))
}

/** Every ledger line, read in keyset pages (PGlite has no cursor). */
export async function loadLedgerLines(db: Kysely<Database>): Promise<LedgerLine[]> {
  const lines: LedgerLine[] = []
  let after: { claim: string; line: number } | undefined
  for (;;) {
    let query = db.selectFrom('scrubbed_claim_line').selectAll()
    const cursor = after
    if (cursor !== undefined)
      query = query.where((eb) =>
        eb.or([
          eb('claim_id', '>', cursor.claim),
          eb.and([eb('claim_id', '=', cursor.claim), eb('line_number', '>', cursor.line)]),
        ]),
      )
    const rows = await query.orderBy('claim_id').orderBy('line_number').limit(5000).execute()
    for (const row of rows)
      lines.push({
        claimId: row.claim_id,
        lineNumber: row.line_number,
        kind: row.kind === '837I' ? '837I' : ('837P' satisfies Claim837Kind),
        payerId: row.payer_id,
        memberId: row.member_id,
        dos: row.dos,
        hcpcs: row.hcpcs,
        units: row.units,
        facility: row.facility,
      })
    const last = rows.at(-1)
    if (last === undefined || rows.length < 5000) break
    after = { claim: last.claim_id, line: last.line_number }
  }
  return lines
}

/** Starts a scrub run and returns its id. */
export async function createScrubRun(
  db: Kysely<Database>,
  asOf: IsoDate,
  files: readonly string[],
): Promise<number> {
  const row = await db
    .insertInto('scrub_run')
    .values({ as_of: asOf, files: JSON.stringify(files) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Counts stored when a run ends. */
export interface ScrubRunCounts {
  claims: number
  accepted: number
  rejected: number
  errors: number
  warnings: number
  fixes: number
}

/** Closes a run with its counts. */
export async function finishScrubRun(
  db: Kysely<Database>,
  runId: number,
  counts: ScrubRunCounts,
): Promise<void> {
  await db
    .updateTable('scrub_run')
    .set({
      finished_at: new Date(),
      claim_count: counts.claims,
      accepted_count: counts.accepted,
      rejected_count: counts.rejected,
      error_count: counts.errors,
      warning_count: counts.warnings,
      fix_count: counts.fixes,
    })
    .where('id', '=', runId)
    .execute()
}

/** One claim's outcome to persist. */
export interface ScrubbedClaimRecord {
  claimId: string
  accepted: boolean
  findings: readonly Finding[]
  /** The claim's lines, stored in the ledger when it is accepted. */
  lines: readonly LedgerLine[]
}

/**
 * Stores a batch of scrubbed claims in one transaction: their findings (replacing those of an
 * earlier scrub of the same claim), and the ledger lines of the accepted ones. A claim's earlier ledger lines are replaced (keyed on claim id + line), and a
 * claim rejected on a re-scrub leaves the ledger, so authorization usage is never counted twice.
 */
export async function saveScrubbedClaims(
  db: Kysely<Database>,
  runId: number | undefined,
  claims: readonly ScrubbedClaimRecord[],
): Promise<void> {
  if (claims.length === 0) return
  // Inside the caller's transaction when given one (the batch service stores a file's scrub and
  // its result together); kysely cannot nest transactions.
  const inTransaction = <T>(body: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    db.isTransaction ? body(db) : db.transaction().execute(body)
  await inTransaction(async (trx) => {
    const ids = claims.map((claim) => claim.claimId)
    for (let i = 0; i < ids.length; i += BATCH) {
      const slice = ids.slice(i, i + BATCH)
      await trx.deleteFrom('scrubbed_claim_line').where('claim_id', 'in', slice).execute()
      // scrub_finding holds each claim's latest scrub (rework shows it); scrub_run keeps the history.
      await trx.deleteFrom('scrub_finding').where('claim_id', 'in', slice).execute()
    }
    const findings = claims.flatMap((claim) => claim.findings)
    for (let i = 0; i < findings.length; i += BATCH)
      await trx
        .insertInto('scrub_finding')
        .values(
          findings.slice(i, i + BATCH).map((f) => ({
            run_id: runId ?? null,
            claim_id: f.claimId,
            line_number: f.line ?? null,
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            suggestion: f.suggestion ?? null,
            position: JSON.stringify(f.position),
          })),
        )
        .execute()
    const lines = claims.filter((claim) => claim.accepted).flatMap((claim) => claim.lines)
    for (let i = 0; i < lines.length; i += BATCH)
      await trx
        .insertInto('scrubbed_claim_line')
        .values(
          lines.slice(i, i + BATCH).map((line) => ({
            claim_id: line.claimId,
            line_number: line.lineNumber,
            kind: line.kind,
            payer_id: line.payerId,
            member_id: line.memberId,
            dos: line.dos,
            hcpcs: line.hcpcs,
            units: line.units,
            facility: line.facility,
          })),
        )
        .onConflict((oc) => oc.columns(['claim_id', 'line_number']).doNothing())
        .execute()
  })
}
