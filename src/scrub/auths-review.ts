import type { Kysely } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import type { Cents } from '../../parsers/money.js'
import type { AuthBalance } from '../../transforms/scrub/auth-balance.js'
import { authBalances } from '../../transforms/scrub/auth-balance.js'
import type { AuthDueItem } from '../../transforms/scrub/auths-due.js'
import { listAuthsDue } from '../../transforms/scrub/auths-due.js'
import { MemoryScrubLedger } from '../../transforms/scrub/scrub-context.js'
import type { Database } from '../db/database.js'
import { listAuthorizations, listSchedule, loadLedgerLines } from './scrub-repository.js'

/** Shows only the last 4 characters of a member id (PHI) on the work list. */
export function maskMember(memberId: string): string {
  return memberId.length <= 4 ? '****' : `***${memberId.slice(-4)}`
}

/** The daily authorization review, member ids masked (what `auths due` and the web page show). */
export interface AuthsReview {
  asOf: IsoDate
  withinDays: number
  /** Expiring within `withinDays`, short of units or cycles, uncovered infusions (`auths due`). */
  items: AuthDueItem[]
  /** Every active authorization's units and cycles left against the schedule. */
  balances: AuthBalance[]
}

/**
 * Reads the authorizations, the schedule from `asOf` and the billed usage (the scrub ledger) and
 * computes the review: {@link listAuthsDue} and {@link authBalances}. Member ids come back masked.
 */
export async function loadAuthsReview(
  db: Kysely<Database>,
  options: {
    asOf: IsoDate
    withinDays: number
    unitPrice?: ((hcpcs: string) => Cents | undefined) | undefined
  },
): Promise<AuthsReview> {
  const ledger = new MemoryScrubLedger()
  ledger.load(await loadLedgerLines(db))
  const authorizations = await listAuthorizations(db)
  const schedule = await listSchedule(db, options.asOf)
  const items = listAuthsDue({
    authorizations,
    schedule,
    ledger,
    asOf: options.asOf,
    withinDays: options.withinDays,
    ...(options.unitPrice === undefined ? {} : { unitPrice: options.unitPrice }),
  })
  const balances = authBalances({ authorizations, schedule, ledger, asOf: options.asOf })
  return {
    asOf: options.asOf,
    withinDays: options.withinDays,
    items: items.map((item) => ({ ...item, memberId: maskMember(item.memberId) })),
    balances: balances.map((b) => ({ ...b, memberId: maskMember(b.memberId) })),
  }
}
