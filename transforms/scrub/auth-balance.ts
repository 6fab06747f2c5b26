import type { IsoDate } from '../../parsers/dates.js'
import { daysBetween } from '../../parsers/dates.js'
import type { ScheduledInfusion, ScrubLedger, TrackedAuthorization } from './scrub-context.js'

/**
 * What an active authorization has left against the infusion schedule: units and cycles
 * authorized, already billed (scrubbed, accepted claim lines in its date span), still scheduled
 * (from `asOf` to its end date) and left after both. A payer authorizes a drug for a number of
 * units, cycles (infusion days) and a date span; billing beyond any of them is denied (CARC 197
 * precertification absent, 198 precertification exceeded: X12 Claim Adjustment Reason Codes).
 */
export interface AuthBalance {
  authNumber: string
  payerId: string
  /** PHI: for the caller to mask or show; never logged. */
  memberId: string
  hcpcs: string | undefined
  startDate: IsoDate | undefined
  endDate: IsoDate | undefined
  /** Days from `asOf` to the end date (0 on the day); `undefined` when open-ended. */
  daysLeft: number | undefined
  unitsAuthorized: number | undefined
  unitsBilled: number
  unitsScheduled: number
  /** authorized − billed − scheduled (negative: the schedule needs more); `undefined` when not limited. */
  unitsLeft: number | undefined
  cyclesAuthorized: number | undefined
  cyclesBilled: number
  cyclesScheduled: number
  cyclesLeft: number | undefined
  /** Scheduled infusions this authorization covers from `asOf` on. */
  scheduledInfusions: number
}

/** Inputs of {@link authBalances}. */
export interface AuthBalanceInput {
  authorizations: readonly TrackedAuthorization[]
  schedule: readonly ScheduledInfusion[]
  ledger: ScrubLedger
  asOf: IsoDate
}

/**
 * The balance of every authorization still active on `asOf` (no end date, or ending on or after
 * it), soonest end first. An authorization not limited to one drug counts no usage (the ledger
 * keeps usage per drug), only its scheduled infusions. A scheduled day already billed counts once
 * as a cycle.
 */
export function authBalances(input: AuthBalanceInput): AuthBalance[] {
  const { asOf } = input
  const out: AuthBalance[] = []
  for (const auth of input.authorizations) {
    if (auth.endDate !== undefined && auth.endDate < asOf) continue
    const planned = input.schedule.filter((entry) => entry.date >= asOf && covers(auth, entry))
    const used =
      auth.hcpcs === undefined
        ? { units: 0, dates: new Set<IsoDate>() }
        : input.ledger.usage(auth.payerId, auth.memberId, auth.hcpcs, auth.startDate, auth.endDate, '')
    const unitsScheduled = planned.reduce((n, p) => n + (p.plannedUnits ?? 0), 0)
    const scheduledDays = new Set(planned.map((p) => p.date).filter((d) => !used.dates.has(d)))
    out.push({
      authNumber: auth.authNumber,
      payerId: auth.payerId,
      memberId: auth.memberId,
      hcpcs: auth.hcpcs,
      startDate: auth.startDate,
      endDate: auth.endDate,
      daysLeft: auth.endDate === undefined ? undefined : daysBetween(asOf, auth.endDate),
      unitsAuthorized: auth.unitsAuthorized,
      unitsBilled: used.units,
      unitsScheduled,
      unitsLeft:
        auth.unitsAuthorized === undefined ? undefined : auth.unitsAuthorized - used.units - unitsScheduled,
      cyclesAuthorized: auth.cyclesAuthorized,
      cyclesBilled: used.dates.size,
      cyclesScheduled: scheduledDays.size,
      cyclesLeft:
        auth.cyclesAuthorized === undefined
          ? undefined
          : auth.cyclesAuthorized - used.dates.size - scheduledDays.size,
      scheduledInfusions: planned.length,
    })
  }
  return out.sort(
    (a, b) =>
      (a.endDate ?? '9999-12-31').localeCompare(b.endDate ?? '9999-12-31') ||
      a.authNumber.localeCompare(b.authNumber),
  )
}

function covers(auth: TrackedAuthorization, entry: ScheduledInfusion): boolean {
  return (
    auth.payerId === entry.payerId &&
    auth.memberId === entry.memberId &&
    (auth.hcpcs === undefined || auth.hcpcs === entry.hcpcs) &&
    (auth.startDate === undefined || auth.startDate <= entry.date) &&
    (auth.endDate === undefined || entry.date <= auth.endDate)
  )
}
