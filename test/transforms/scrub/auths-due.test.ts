import { describe, expect, it } from 'vitest'
import { listAuthsDue } from '../../../transforms/scrub/auths-due.js'
import type { ScheduledInfusion, TrackedAuthorization } from '../../../transforms/scrub/scrub-context.js'
import { MemoryScrubLedger } from '../../../transforms/scrub/scrub-context.js'

const auth = (overrides: Partial<TrackedAuthorization>): TrackedAuthorization => ({
  authNumber: 'A1',
  payerId: 'P1',
  memberId: 'M1',
  hcpcs: 'J9271',
  unitsAuthorized: undefined,
  cyclesAuthorized: undefined,
  startDate: '2026-01-01',
  endDate: '2026-06-30',
  ...overrides,
})
const infusion = (date: string, hcpcs = 'J9271', memberId = 'M1'): ScheduledInfusion => ({
  memberId,
  payerId: 'P1',
  date,
  hcpcs,
  plannedUnits: 200,
})

describe('listAuthsDue', () => {
  it('flags an authorization expiring within N days, not one expiring later or already expired', () => {
    const items = listAuthsDue({
      authorizations: [
        auth({ authNumber: 'SOON', endDate: '2026-02-24' }),
        auth({ authNumber: 'LATER', endDate: '2026-02-25' }),
        auth({ authNumber: 'GONE', endDate: '2026-02-09' }),
      ],
      schedule: [],
      ledger: new MemoryScrubLedger(),
      asOf: '2026-02-10',
      withinDays: 14,
    })
    expect(items.map((i) => [i.kind, i.authNumber])).toEqual([['expiring', 'SOON']])
  })

  it('counts billed usage plus scheduled infusions against units and cycles', () => {
    const ledger = new MemoryScrubLedger()
    ledger.replaceClaim('C1', [
      {
        claimId: 'C1',
        lineNumber: 1,
        kind: '837P',
        payerId: 'P1',
        memberId: 'M1',
        dos: '2026-01-20',
        hcpcs: 'J9271',
        units: 200,
        facility: '11',
      },
    ])
    const items = listAuthsDue({
      authorizations: [auth({ unitsAuthorized: 500, cyclesAuthorized: 3 })],
      schedule: [infusion('2026-02-20'), infusion('2026-03-13'), infusion('2026-04-03')],
      ledger,
      asOf: '2026-02-10',
      withinDays: 14,
      unitPrice: () => 5850,
    })
    expect(items.map((i) => [i.date, i.kind, i.atRisk])).toEqual([
      ['2026-03-13', 'units-short', 2 * 200 * 5850],
      ['2026-04-03', 'cycles-short', 200 * 5850],
    ])
  })

  it('lists every scheduled infusion no active authorization covers, sorted by date then dollars', () => {
    const items = listAuthsDue({
      authorizations: [auth({ hcpcs: 'J9271', endDate: '2026-03-01' })],
      schedule: [
        infusion('2026-03-02'),
        infusion('2026-02-20', 'J9299'),
        infusion('2026-02-20', 'J9045', 'M2'),
        infusion('2026-02-15'),
      ],
      ledger: new MemoryScrubLedger(),
      asOf: '2026-02-10',
      withinDays: 0,
      unitPrice: (code) => (code === 'J9299' ? 3000 : undefined),
    })
    expect(items.map((i) => [i.date, i.kind, i.hcpcs])).toEqual([
      ['2026-02-20', 'uncovered-infusion', 'J9299'],
      ['2026-02-20', 'uncovered-infusion', 'J9045'],
      ['2026-03-02', 'uncovered-infusion', 'J9271'],
    ])
  })
})
