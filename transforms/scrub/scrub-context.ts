import type { Claim837, Claim837Kind } from '../../parsers/claim837/claim837.js'
import type { IsoDate } from '../../parsers/dates.js'
import type { CodeTableSet } from './code-table-set.js'
import type { ScrubReference } from './scrub-reference.js'

/** A tracked prior authorization (`auths import`). Blank limits are `undefined` ("not limited"). */
export interface TrackedAuthorization {
  authNumber: string
  payerId: string
  /** PHI: used for matching only, never in a message. */
  memberId: string
  /** `undefined` when the authorization is not limited to one drug. */
  hcpcs: string | undefined
  unitsAuthorized: number | undefined
  cyclesAuthorized: number | undefined
  startDate: IsoDate | undefined
  endDate: IsoDate | undefined
}

/** One planned infusion (`schedule import`), optionally with its clock times (HHMM). */
export interface ScheduledInfusion {
  memberId: string
  payerId: string
  date: IsoDate
  hcpcs: string
  plannedUnits: number | undefined
  startTime?: string | undefined
  endTime?: string | undefined
}

/** One scrubbed, accepted claim line, as the ledger keeps it across runs. */
export interface LedgerLine {
  claimId: string
  lineNumber: number
  kind: Claim837Kind
  payerId: string
  /** PHI: stored, never logged. */
  memberId: string
  dos: IsoDate
  hcpcs: string
  units: number
  /** POS (837P) or type of bill (837I). */
  facility: string
}

/** Cumulative usage of a drug under an authorization, from lines already scrubbed. */
export interface AuthUsage {
  units: number
  /** Distinct dates of service: one infusion day is one cycle day. */
  dates: Set<IsoDate>
}

/** The claims already scrubbed (earlier in the batch or in the database). */
export interface ScrubLedger {
  /** Usage for payer + member + drug within [from, to], leaving out one claim (a re-scrub). */
  usage(
    payerId: string,
    memberId: string,
    hcpcs: string,
    from: IsoDate | undefined,
    to: IsoDate | undefined,
    excludeClaimId: string,
  ): AuthUsage
  /** Lines of other claims for the same member, DOS and code. */
  sameService(memberId: string, dos: IsoDate, hcpcs: string, excludeClaimId: string): LedgerLine[]
}

/** Everything the rules read besides the claim. */
export interface ScrubContext {
  codes: CodeTableSet
  reference: ScrubReference
  /** Authorizations for a payer + member (all drugs). */
  authorizations(payerId: string, memberId: string): readonly TrackedAuthorization[]
  /** Scheduled infusions of a member on a date. */
  schedule(memberId: string, date: IsoDate): readonly ScheduledInfusion[]
  ledger: ScrubLedger
  /** The run's "today", for dates missing on a claim. */
  asOf: IsoDate
}

/** In-memory ledger: the database rows of earlier runs plus the claims accepted in this run. */
export class MemoryScrubLedger implements ScrubLedger {
  /** member → code → lines: nested maps, so that a lookup builds no key string. */
  readonly #byMember = new Map<string, Map<string, LedgerLine[]>>()
  readonly #byClaim = new Map<string, LedgerLine[]>()

  /** Records a claim's lines, replacing what the ledger held for that claim id (idempotent). */
  replaceClaim(claimId: string, lines: LedgerLine[]): void {
    this.removeClaim(claimId)
    this.#byClaim.set(claimId, lines)
    for (const line of lines) {
      let byCode = this.#byMember.get(line.memberId)
      if (byCode === undefined) {
        byCode = new Map()
        this.#byMember.set(line.memberId, byCode)
      }
      const list = byCode.get(line.hcpcs)
      if (list === undefined) byCode.set(line.hcpcs, [line])
      else list.push(line)
    }
  }

  /** Forgets a claim (it was rejected on a re-scrub). */
  removeClaim(claimId: string): void {
    const old = this.#byClaim.get(claimId)
    if (old === undefined) return
    this.#byClaim.delete(claimId)
    for (const line of old) {
      const byCode = this.#byMember.get(line.memberId)
      const list = byCode?.get(line.hcpcs)
      if (byCode === undefined || list === undefined) continue
      const kept = list.filter((l) => l.claimId !== claimId)
      if (kept.length > 0) byCode.set(line.hcpcs, kept)
      else {
        byCode.delete(line.hcpcs)
        if (byCode.size === 0) this.#byMember.delete(line.memberId)
      }
    }
  }

  /** Adds rows loaded from the database. */
  load(lines: Iterable<LedgerLine>): void {
    const grouped = new Map<string, LedgerLine[]>()
    for (const line of lines) {
      const list = grouped.get(line.claimId)
      if (list === undefined) grouped.set(line.claimId, [line])
      else list.push(line)
    }
    for (const [claimId, claimLines] of grouped) this.replaceClaim(claimId, claimLines)
  }

  usage(
    payerId: string,
    memberId: string,
    hcpcs: string,
    from: IsoDate | undefined,
    to: IsoDate | undefined,
    excludeClaimId: string,
  ): AuthUsage {
    const usage: AuthUsage = { units: 0, dates: new Set() }
    for (const line of this.#byMember.get(memberId)?.get(hcpcs) ?? NO_LINES) {
      if (line.claimId === excludeClaimId || line.payerId !== payerId) continue
      if (from !== undefined && line.dos < from) continue
      if (to !== undefined && line.dos > to) continue
      usage.units += line.units
      usage.dates.add(line.dos)
    }
    return usage
  }

  sameService(memberId: string, dos: IsoDate, hcpcs: string, excludeClaimId: string): LedgerLine[] {
    const lines = this.#byMember.get(memberId)?.get(hcpcs)
    if (lines === undefined) return NO_LINES
    let found: LedgerLine[] | undefined
    for (const line of lines) {
      if (line.dos !== dos || line.claimId === excludeClaimId) continue
      if (found === undefined) found = [line]
      else found.push(line)
    }
    return found ?? NO_LINES
  }
}

/** Options for {@link createScrubContext}; everything but the tables is optional. */
export interface ScrubContextOptions {
  codes: CodeTableSet
  reference: ScrubReference
  authorizations?: readonly TrackedAuthorization[]
  schedule?: readonly ScheduledInfusion[]
  ledger?: ScrubLedger
  asOf?: IsoDate
}

/** Builds a context, indexing authorizations by payer + member and the schedule by member + date. */
export function createScrubContext(options: ScrubContextOptions): ScrubContext {
  // Nested maps: lookups run for every claim and allocate no key strings.
  const auths = new Map<string, Map<string, TrackedAuthorization[]>>()
  for (const auth of options.authorizations ?? []) pushNested(auths, auth.payerId, auth.memberId, auth)
  const schedule = new Map<string, Map<string, ScheduledInfusion[]>>()
  for (const entry of options.schedule ?? []) pushNested(schedule, entry.memberId, entry.date, entry)
  return {
    codes: options.codes,
    reference: options.reference,
    authorizations: (payerId, memberId) => auths.get(payerId)?.get(memberId) ?? NONE,
    schedule: (memberId, date) => schedule.get(memberId)?.get(date) ?? NO_SCHEDULE,
    ledger: options.ledger ?? new MemoryScrubLedger(),
    asOf: options.asOf ?? new Date().toISOString().slice(0, 10),
  }
}

function pushNested<T>(index: Map<string, Map<string, T[]>>, outer: string, inner: string, value: T): void {
  let byInner = index.get(outer)
  if (byInner === undefined) {
    byInner = new Map()
    index.set(outer, byInner)
  }
  const list = byInner.get(inner)
  if (list === undefined) byInner.set(inner, [value])
  else list.push(value)
}

const NONE: readonly TrackedAuthorization[] = []
const NO_LINES: LedgerLine[] = []
const NO_SCHEDULE: readonly ScheduledInfusion[] = []

/** The ledger lines of a claim: one per service line with a code and a date. */
export function ledgerLinesOf(claim: Claim837, asOf: IsoDate): LedgerLine[] {
  const lines: LedgerLine[] = []
  for (const line of claim.lines) {
    if (line.procedureCode === undefined) continue
    lines.push({
      claimId: claim.claimId,
      lineNumber: line.lineNumber,
      kind: claim.kind,
      payerId: claim.payer.id ?? '',
      memberId: claim.subscriber.memberId,
      dos: line.serviceFrom ?? claim.serviceFrom ?? asOf,
      hcpcs: line.procedureCode,
      units: line.units,
      facility:
        claim.kind === '837I' ? (claim.typeOfBill ?? '') : (line.placeOfService ?? claim.facilityCode),
    })
  }
  return lines
}
