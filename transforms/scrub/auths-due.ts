import type { IsoDate } from '../../parsers/dates.js'
import { addDays } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'
import type { ScheduledInfusion, ScrubLedger, TrackedAuthorization } from './scrub-context.js'

/** Why an authorization or an infusion needs the biller's attention. */
export type AuthDueKind = 'expiring' | 'units-short' | 'cycles-short' | 'uncovered-infusion'

/** One item of the daily authorization work list (`onco-edi auths due`). */
export interface AuthDueItem {
  kind: AuthDueKind
  /** The date that matters: expiry, the first infusion past the limit, or the uncovered infusion. */
  date: IsoDate
  authNumber: string | undefined
  payerId: string
  /** PHI: for the caller to mask or show; never logged. */
  memberId: string
  hcpcs: string | undefined
  detail: string
  /** Dollars at risk when a price is known (planned units × price per unit), else `undefined`. */
  atRisk: Cents | undefined
}

/** Inputs of {@link listAuthsDue}. */
export interface AuthsDueInput {
  authorizations: readonly TrackedAuthorization[]
  /** Scheduled infusions (only those on or after `asOf` are considered). */
  schedule: readonly ScheduledInfusion[]
  /** Usage already billed (scrubbed, accepted claim lines). */
  ledger: ScrubLedger
  asOf: IsoDate
  /** Flag authorizations expiring within this many days (default 14, a common practice buffer). */
  withinDays: number
  /** Optional price per billing unit of a HCPCS code, in cents, for dollars at risk. */
  unitPrice?: (hcpcs: string) => Cents | undefined
}

/**
 * The daily authorization review (a payer's authorization covers a drug, units or
 * cycles and a date span; no cycle is given without an active authorization):
 * authorizations expiring within N days, authorizations whose remaining units or cycles are short
 * of the scheduled infusions, and every scheduled infusion no active authorization covers.
 * Sorted by date, then by dollars at risk (largest first; unknown last).
 */
export function listAuthsDue(input: AuthsDueInput): AuthDueItem[] {
  const { asOf, ledger } = input
  const horizon = addDays(asOf, input.withinDays)
  const price = input.unitPrice ?? (() => undefined)
  const items: AuthDueItem[] = []
  const upcoming = input.schedule.filter((entry) => entry.date >= asOf)

  for (const auth of input.authorizations) {
    if (auth.endDate !== undefined && auth.endDate < asOf) continue
    const base = {
      authNumber: auth.authNumber,
      payerId: auth.payerId,
      memberId: auth.memberId,
      hcpcs: auth.hcpcs,
    }
    const planned = upcoming
      .filter((entry) => covers(auth, entry))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    if (auth.endDate !== undefined && auth.endDate <= horizon)
      items.push({
        ...base,
        kind: 'expiring',
        date: auth.endDate,
        detail: `expires ${auth.endDate} (${daysFrom(asOf, auth.endDate)} days); ${planned.length} scheduled infusion(s) before then`,
        atRisk: sumRisk(planned, price),
      })
    if (auth.hcpcs === undefined) continue
    const used = ledger.usage(auth.payerId, auth.memberId, auth.hcpcs, auth.startDate, auth.endDate, '')
    let units = used.units
    const dates = new Set(used.dates)
    let unitsFlagged = false
    let cyclesFlagged = false
    for (const entry of planned) {
      units += entry.plannedUnits ?? 0
      dates.add(entry.date)
      if (!unitsFlagged && auth.unitsAuthorized !== undefined && units > auth.unitsAuthorized) {
        unitsFlagged = true
        items.push({
          ...base,
          kind: 'units-short',
          date: entry.date,
          detail: `${used.units} units billed + scheduled reach ${units} on ${entry.date}; ${auth.unitsAuthorized} authorized`,
          atRisk: sumRisk(
            planned.filter((p) => p.date >= entry.date),
            price,
          ),
        })
      }
      if (!cyclesFlagged && auth.cyclesAuthorized !== undefined && dates.size > auth.cyclesAuthorized) {
        cyclesFlagged = true
        items.push({
          ...base,
          kind: 'cycles-short',
          date: entry.date,
          detail: `${used.dates.size} cycle(s) billed + scheduled reach ${dates.size} on ${entry.date}; ${auth.cyclesAuthorized} authorized`,
          atRisk: sumRisk(
            planned.filter((p) => p.date >= entry.date),
            price,
          ),
        })
      }
    }
  }

  for (const entry of upcoming) {
    const active = input.authorizations.some((auth) => covers(auth, entry))
    if (active) continue
    items.push({
      kind: 'uncovered-infusion',
      date: entry.date,
      authNumber: undefined,
      payerId: entry.payerId,
      memberId: entry.memberId,
      hcpcs: entry.hcpcs,
      detail: `scheduled ${entry.hcpcs}${entry.plannedUnits === undefined ? '' : ` × ${entry.plannedUnits}`} on ${entry.date} has no active authorization`,
      atRisk: sumRisk([entry], price),
    })
  }

  return items.sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1
    return (b.atRisk ?? -1) - (a.atRisk ?? -1)
  })
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

function sumRisk(
  entries: readonly ScheduledInfusion[],
  price: (hcpcs: string) => Cents | undefined,
): Cents | undefined {
  let total: Cents | undefined
  for (const entry of entries) {
    const unit = price(entry.hcpcs)
    if (unit === undefined || entry.plannedUnits === undefined) continue
    total = (total ?? 0) + Math.round(unit * entry.plannedUnits)
  }
  return total
}

function daysFrom(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
