import { describe, expect, it } from 'vitest'
import { authBalances } from '../../../transforms/scrub/auth-balance.js'
import type { LedgerLine, TrackedAuthorization } from '../../../transforms/scrub/scrub-context.js'
import { MemoryScrubLedger } from '../../../transforms/scrub/scrub-context.js'

const auth = (over: Partial<TrackedAuthorization> = {}): TrackedAuthorization => ({
  authNumber: 'PA1',
  payerId: 'P1',
  memberId: 'M0001',
  hcpcs: 'J9271',
  unitsAuthorized: 600,
  cyclesAuthorized: 3,
  startDate: '2026-01-01',
  endDate: '2026-03-31',
  ...over,
})

const billed = (dos: string, units: number): LedgerLine => ({
  claimId: `C-${dos}`,
  lineNumber: 1,
  kind: '837P',
  payerId: 'P1',
  memberId: 'M0001',
  dos,
  hcpcs: 'J9271',
  units,
  facility: '11',
})

describe('authBalances', () => {
  it('subtracts billed and scheduled units and cycles from what was authorized', () => {
    const ledger = new MemoryScrubLedger()
    ledger.load([billed('2026-01-10', 200)])
    const [balance, ...rest] = authBalances({
      authorizations: [auth()],
      schedule: [
        { memberId: 'M0001', payerId: 'P1', date: '2026-02-10', hcpcs: 'J9271', plannedUnits: 200 },
        { memberId: 'M0001', payerId: 'P1', date: '2026-03-10', hcpcs: 'J9271', plannedUnits: 250 },
        // Past the authorization: not counted against it.
        { memberId: 'M0001', payerId: 'P1', date: '2026-04-10', hcpcs: 'J9271', plannedUnits: 200 },
        // Another drug.
        { memberId: 'M0001', payerId: 'P1', date: '2026-02-10', hcpcs: 'J9045', plannedUnits: 5 },
      ],
      ledger,
      asOf: '2026-02-01',
    })
    expect(rest).toEqual([])
    expect(balance).toMatchObject({
      daysLeft: 58,
      unitsBilled: 200,
      unitsScheduled: 450,
      unitsLeft: -50,
      cyclesBilled: 1,
      cyclesScheduled: 2,
      cyclesLeft: 0,
      scheduledInfusions: 2,
    })
  })

  it('leaves out expired authorizations and keeps open-ended limits undefined', () => {
    const balances = authBalances({
      authorizations: [
        auth({ authNumber: 'OLD', endDate: '2026-01-31' }),
        auth({
          authNumber: 'OPEN',
          endDate: undefined,
          unitsAuthorized: undefined,
          cyclesAuthorized: undefined,
        }),
      ],
      schedule: [],
      ledger: new MemoryScrubLedger(),
      asOf: '2026-02-01',
    })
    expect(balances.map((b) => [b.authNumber, b.unitsLeft, b.cyclesLeft, b.daysLeft])).toEqual([
      ['OPEN', undefined, undefined, undefined],
    ])
  })
})
