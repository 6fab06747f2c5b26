import type { Kysely } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { addDays } from '../../parsers/dates.js'
import type { CodeChange } from '../../transforms/codes/code-changes.js'
import type { Database } from '../db/database.js'

/** How far back `codes changes` looks for stored claim lines that use a terminated code. */
export const USAGE_LOOKBACK_DAYS = 90

/** A tracked prior authorization that names a terminated code. No member id: it is PHI. */
export interface AuthorizationUsage {
  authNumber: string
  payerId: string
  hcpcs: string
  startDate: IsoDate | undefined
  endDate: IsoDate | undefined
  /** The first day the code is no longer valid (the day after its TERM DT). */
  codeEndsOn: IsoDate
  /** The terminated code's successor, when known. */
  successor: string | undefined
  unitFactor: number | undefined
}

/**
 * A claim line stored in the look-back window that bills a terminated code: scrubbed
 * (`onco-edi scrub`) or submitted (`onco-edi ingest` of an 837).
 */
export interface ClaimLineUsage {
  /** Where it was stored; a line both scrubbed and ingested is listed once, as `scrubbed`. */
  source: 'scrubbed' | 'submitted'
  /** CLM01. */
  claimId: string
  /** LX number. */
  line: number
  kind: string
  hcpcs: string
  units: number
  serviceDate: IsoDate
  storedAt: string
  /** True when the line's DOS is on or after the day the code ended (the payer denies it: CARC 181). */
  invalidOnServiceDate: boolean
  successor: string | undefined
  unitFactor: number | undefined
}

/** The biller's work list after a code change: authorizations and recent claim lines to update. */
export interface TerminatedCodeUsage {
  /** First day of the claim-line window (as-of minus `USAGE_LOOKBACK_DAYS`). */
  since: IsoDate
  authorizations: AuthorizationUsage[]
  claimLines: ClaimLineUsage[]
}

/**
 * Finds every tracked authorization (table `prior_auth`) for a terminated code that is still open on
 * the day the code ended, and every claim line stored by a scrub (`scrubbed_claim_line`) or by the
 * ingest of an 837 (`submitted_line`) in the `USAGE_LOOKBACK_DAYS` days up to `asOf` that bills a
 * terminated code. Member ids are not read.
 */
export async function findTerminatedCodeUsage(
  db: Kysely<Database>,
  terminated: readonly CodeChange[],
  options: { asOf: IsoDate },
): Promise<TerminatedCodeUsage> {
  const since = addDays(options.asOf, -USAGE_LOOKBACK_DAYS)
  const windowStart = new Date(`${since}T00:00:00Z`)
  const windowEnd = new Date(`${addDays(options.asOf, 1)}T00:00:00Z`)
  const byCode = new Map(terminated.map((change) => [change.code, change]))
  if (byCode.size === 0) return { since, authorizations: [], claimLines: [] }
  const codes = [...byCode.keys()]
  const auths = await db
    .selectFrom('prior_auth')
    .select(['auth_number', 'payer_id', 'hcpcs', 'start_date', 'end_date'])
    .where('hcpcs', 'in', codes)
    .orderBy('hcpcs')
    .orderBy('auth_number')
    .execute()
  const authorizations: AuthorizationUsage[] = []
  for (const auth of auths) {
    const change = auth.hcpcs === null ? undefined : byCode.get(auth.hcpcs)
    if (change === undefined || auth.hcpcs === null) continue
    // An authorization that ended before the code did needs no update.
    if (auth.end_date !== null && auth.end_date < change.effectiveDate) continue
    authorizations.push({
      authNumber: auth.auth_number,
      payerId: auth.payer_id,
      hcpcs: auth.hcpcs,
      startDate: auth.start_date ?? undefined,
      endDate: auth.end_date ?? undefined,
      codeEndsOn: change.effectiveDate,
      successor: change.successor?.code,
      unitFactor: change.successor?.unitFactor,
    })
  }
  const lines = await db
    .selectFrom('scrubbed_claim_line')
    .select(['claim_id', 'line_number', 'kind', 'hcpcs', 'units', 'dos', 'scrubbed_at'])
    .where('hcpcs', 'in', codes)
    .where('scrubbed_at', '>=', windowStart)
    .where('scrubbed_at', '<', windowEnd)
    .orderBy('dos')
    .orderBy('claim_id')
    .orderBy('line_number')
    .execute()
  const submitted = await db
    .selectFrom('submitted_line as l')
    .innerJoin('submitted_claim as c', 'c.id', 'l.submitted_claim_id')
    .select([
      'c.claim_id',
      'l.line_number',
      'c.kind',
      'l.procedure_code',
      'l.units',
      'l.service_from',
      'c.service_from as claim_from',
      'c.created_at',
    ])
    .where('l.procedure_code', 'in', codes)
    .where('c.created_at', '>=', windowStart)
    .where('c.created_at', '<', windowEnd)
    .orderBy('c.claim_id')
    .orderBy('l.line_number')
    .execute()
  const claimLines: ClaimLineUsage[] = []
  const seen = new Set<string>()
  for (const line of lines) {
    const change = byCode.get(line.hcpcs)
    if (change === undefined) continue
    seen.add(`${line.claim_id}\u0000${line.line_number}`)
    claimLines.push({
      source: 'scrubbed',
      claimId: line.claim_id,
      line: line.line_number,
      kind: line.kind,
      hcpcs: line.hcpcs,
      units: line.units,
      serviceDate: line.dos,
      storedAt: new Date(line.scrubbed_at).toISOString(),
      invalidOnServiceDate: line.dos >= change.effectiveDate,
      successor: change.successor?.code,
      unitFactor: change.successor?.unitFactor,
    })
  }
  for (const line of submitted) {
    const change = line.procedure_code === null ? undefined : byCode.get(line.procedure_code)
    const serviceDate = line.service_from ?? line.claim_from
    if (change === undefined || line.procedure_code === null || serviceDate === null) continue
    if (seen.has(`${line.claim_id}\u0000${line.line_number}`)) continue
    claimLines.push({
      source: 'submitted',
      claimId: line.claim_id,
      line: line.line_number,
      kind: line.kind,
      hcpcs: line.procedure_code,
      units: line.units,
      serviceDate,
      storedAt: new Date(line.created_at).toISOString(),
      invalidOnServiceDate: serviceDate >= change.effectiveDate,
      successor: change.successor?.code,
      unitFactor: change.successor?.unitFactor,
    })
  }
  claimLines.sort(
    (a, b) =>
      a.serviceDate.localeCompare(b.serviceDate) || a.claimId.localeCompare(b.claimId) || a.line - b.line,
  )
  return { since, authorizations, claimLines }
}
