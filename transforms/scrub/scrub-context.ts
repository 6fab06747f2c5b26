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
  readonly #byMemberCode = new Map<string, LedgerLine[]>()
  readonly #byClaim = new Map<string, LedgerLine[]>()

  /** Records a claim's lines, replacing what the ledger held for that claim id (idempotent). */
  replaceClaim(claimId: string, lines: LedgerLine[]): void {
    this.removeClaim(claimId)
    this.#byClaim.set(claimId, lines)
    for (const line of lines) {
      const key = `${line.memberId}|${line.hcpcs}`
      const list = this.#byMemberCode.get(key)
      if (list === undefined) this.#byMemberCode.set(key, [line])
      else list.push(line)
    }
  }

  /** Forgets a claim (it was rejected on a re-scrub). */
  removeClaim(claimId: string): void {
    const old = this.#byClaim.get(claimId)
    if (old === undefined) return
    this.#byClaim.delete(claimId)
    for (const line of old) {
      const key = `${line.memberId}|${line.hcpcs}`
      const list = this.#byMemberCode.get(key)
      if (list === undefined) continue
      const kept = list.filter((l) => l.claimId !== claimId)
      if (kept.length === 0) this.#byMemberCode.delete(key)
      else this.#byMemberCode.set(key, kept)
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
    for (const line of this.#byMemberCode.get(`${memberId}|${hcpcs}`) ?? []) {
      if (line.claimId === excludeClaimId || line.payerId !== payerId) continue
      if (from !== undefined && line.dos < from) continue
      if (to !== undefined && line.dos > to) continue
      usage.units += line.units
      usage.dates.add(line.dos)
    }
    return usage
  }

  sameService(memberId: string, dos: IsoDate, hcpcs: string, excludeClaimId: string): LedgerLine[] {
    const lines = this.#byMemberCode.get(`${memberId}|${hcpcs}`)
    if (lines === undefined) return []
    return lines.filter((line) => line.dos === dos && line.claimId !== excludeClaimId)
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
  const auths = new Map<string, TrackedAuthorization[]>()
  for (const auth of options.authorizations ?? []) {
    const key = `${auth.payerId}|${auth.memberId}`
    const list = auths.get(key)
    if (list === undefined) auths.set(key, [auth])
    else list.push(auth)
  }
  const schedule = new Map<string, ScheduledInfusion[]>()
  for (const entry of options.schedule ?? []) {
    const key = `${entry.memberId}|${entry.date}`
    const list = schedule.get(key)
    if (list === undefined) schedule.set(key, [entry])
    else list.push(entry)
  }
  return {
    codes: options.codes,
    reference: options.reference,
    authorizations: (payerId, memberId) => auths.get(`${payerId}|${memberId}`) ?? NONE,
    schedule: (memberId, date) => schedule.get(`${memberId}|${date}`) ?? NO_SCHEDULE,
    ledger: options.ledger ?? new MemoryScrubLedger(),
    asOf: options.asOf ?? new Date().toISOString().slice(0, 10),
  }
}

const NONE: readonly TrackedAuthorization[] = []
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
      facility: claim.kind === '837I' ? (claim.typeOfBill ?? '') : (line.placeOfService ?? claim.facilityCode),
    })
  }
  return lines
}
