import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { RemittanceClaim835 } from '../../../parsers/remittance835/remittance835.js'
import { createDenialEngine } from '../../../transforms/denials/denial-engine.js'
import type { PriorReworkItem, RemitBatchInput } from '../../../transforms/remits/build-remit-batch.js'
import {
  buildRemitBatch,
  numberReworkItems,
  pickSubmittedClaims,
} from '../../../transforms/remits/build-remit-batch.js'
import { remitClaimKey } from '../../../transforms/remits/remit-claim-key.js'
import { readX12Events } from '../../support/golden.js'
import { productCarcTable, productDeadlineRules } from '../denials/fixtures.js'

const engine = createDenialEngine(productCarcTable(), productDeadlineRules())

function remitClaims(name: string): RemittanceClaim835[] {
  const path = fileURLToPath(new URL(`../../../fixtures/e2e/${name}`, import.meta.url))
  return readX12Events(path).flatMap((e) => (e.type === 'claim835' ? [e.claim] : []))
}

const february = remitClaims('835-medicare-2026-02-02.x12')
const march = remitClaims('835-medicare-2026-03-02.x12')

function input(claims: RemittanceClaim835[], fields: Partial<RemitBatchInput> = {}): RemitBatchInput {
  const lines = claims.reduce((n, c) => n + c.lines.length, 0)
  return {
    fileId: 7,
    remittanceId: 3,
    engine,
    profiles: new Map(),
    claims,
    matches: claims.map(() => undefined),
    submittedLines: new Map(),
    priorItems: new Map(),
    claimIds: claims.map((_, i) => 100 + i),
    lineIds: Array.from({ length: lines }, (_, i) => 1000 + i),
    carriedReversals: new Map(),
    ...fields,
  }
}

interface PriorFields {
  amount?: number
  status?: string
  queue?: string
  procedureCode?: string
  carcs?: string[]
}

/** An earlier claim item with one line. */
function prior(id: number, fields: PriorFields = {}): PriorReworkItem {
  const amount = fields.amount ?? 40000
  return {
    id,
    amount,
    recoveredAmount: 0,
    status: fields.status ?? 'open',
    queue: fields.queue ?? 'coding',
    lines: [
      {
        id: id * 10,
        amount,
        recoveredAmount: 0,
        level: 'line',
        procedureCode: fields.procedureCode ?? '96413',
        carcs: fields.carcs ?? ['CO-4'],
      },
    ],
  }
}

function itemRows(batch: ReturnType<typeof buildRemitBatch>) {
  return numberReworkItems(
    batch.items,
    batch.items.map((_, i) => 500 + i),
  )
}

describe('buildRemitBatch', () => {
  it('stores every CLP, SVC and CAS, and opens an item per claim and queue, flagged unmatched without an 837', () => {
    const batch = buildRemitBatch(input(february))
    expect(batch.result).toMatchObject({ claims: 10, matched: 0, unmatched: 10, reversals: 0, recovered: 0 })
    expect(batch.claimRows.map((r) => r.id)).toEqual(february.map((_, i) => 100 + i))
    expect(batch.lineRows).toHaveLength(february.reduce((n, c) => n + c.lines.length, 0))
    expect(new Set(batch.lineRows.map((r) => r.id)).size).toBe(batch.lineRows.length)
    expect(batch.adjustmentRows.length).toBeGreaterThan(0)
    const { itemRows: rows, lineRows } = itemRows(batch)
    expect(rows).toHaveLength(batch.result.items)
    const p007 = rows.find((r) => r.claim_id === 'E2E-P-007')
    expect(p007).toMatchObject({
      id: expect.any(Number),
      level: 'claim',
      procedure_code: 'J9271',
      queue: 'coding',
      carcs: ['CO-16'],
      rarcs: ['M119'],
      amount: 600000,
      remit_date: '2026-02-02',
      service_date: '2026-01-10',
      submitted_claim_id: null,
    })
    expect(p007?.flags).toContain('unmatched')
    expect(lineRows.filter((l) => l.rework_item_id === p007?.id)).toMatchObject([
      { level: 'line', procedure_code: 'J9271', amount: 600000, carcs: ['CO-16'], units: 20 },
    ])
    // E2E-P-003: two lines denied CO-4 make one coding item of 700.00, due on the earlier deadline.
    const p003 = rows.filter((r) => r.claim_id === 'E2E-P-003')
    expect(p003.map((r) => [r.queue, r.amount, r.carcs])).toEqual([['coding', 70000, ['CO-4']]])
    const p003Lines = lineRows.filter((l) => l.rework_item_id === p003[0]?.id)
    expect(p003Lines.map((l) => [l.procedure_code, l.amount])).toEqual([
      ['96413', 40000],
      ['J9045', 30000],
    ])
    const earliest = p003Lines.map((l) => l.deadline ?? '').sort()[0]
    expect(p003[0]?.deadline).toBe(earliest)
    // Every line row points at its claim row.
    const claimIds = new Set(batch.claimRows.map((r) => r.id))
    expect(batch.lineRows.every((r) => claimIds.has(r.remit_claim_id))).toBe(true)
  })

  it('matches CLPs and SVCs to the submitted claim and lines it is given', () => {
    const claims = february.filter((c) => c.claimId === 'E2E-P-004')
    const candidates = new Map([
      [
        'E2E-P-004',
        [
          {
            id: 44,
            claimId: 'E2E-P-004',
            payerId: 'MCR01',
            serviceFrom: '2026-01-08',
            serviceTo: '2026-01-08',
            filingIndicator: 'MB',
            kind: '837P',
          },
        ],
      ],
    ])
    const matches = pickSubmittedClaims(claims, candidates)
    expect(matches.map((m) => m?.id)).toEqual([44])
    const submittedLines = new Map([
      [
        44,
        claims[0]?.lines.map((l, i) => ({
          id: 440 + i,
          claimRef: 44,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers.join(':'),
          charge: l.charge,
          serviceFrom: null,
          lineControl: null,
        })) ?? [],
      ],
    ])
    const batch = buildRemitBatch(input(claims, { matches, submittedLines }))
    expect(batch.claimRows.map((r) => [r.submitted_claim_id, r.match_status])).toEqual([[44, 'matched']])
    expect(batch.lineRows.map((r) => r.submitted_line_id)).toEqual([440, 441])
    const { itemRows: rows, lineRows } = itemRows(batch)
    expect(rows.map((r) => [r.submitted_claim_id, r.flags])).toEqual([[44, []]])
    expect(lineRows.map((r) => r.submitted_line_id)).toEqual([440])
  })

  it('does not open a denial already open for the same line and reasons', () => {
    const claims = february.filter((c) => c.claimId === 'E2E-P-007')
    const key = remitClaimKey('E2E-P-007', 'MCR01')
    const open = prior(1, { procedureCode: 'J9271', carcs: ['CO-16'], amount: 600000 })
    expect(buildRemitBatch(input(claims, { priorItems: new Map([[key, [open]]]) })).items).toEqual([])
    const worked = { ...open, status: 'corrected' }
    expect(buildRemitBatch(input(claims, { priorItems: new Map([[key, [worked]]]) })).items).toHaveLength(1)
  })

  it('sums a split claim’s parts into one recovery, credited to the last part', () => {
    const claims = february.filter((c) => c.claimId === 'E2E-P-007')
    expect(claims.map((c) => c.paid)).toEqual([24000, 0])
    const key = remitClaimKey('E2E-P-007', 'MCR01')
    const batch = buildRemitBatch(
      input(claims, { priorItems: new Map([[key, [prior(5, { status: 'corrected', amount: 30000 })]]]) }),
    )
    expect(batch.recoveries).toEqual([
      {
        itemId: 5,
        beforeStatus: 'corrected',
        afterStatus: 'partially_recovered',
        amount: 24000,
        recoveredAmount: 24000,
        lines: [{ lineId: 50, recoveredAmount: 24000 }],
        date: '2026-02-02',
        remitClaimId: 101,
      },
    ])
  })

  it('nets a reversal with its correction, opens nothing for it, and recovers the rest oldest first', () => {
    const p003 = remitClaimKey('E2E-P-003', 'MCR01')
    const p006 = remitClaimKey('E2E-P-006', 'MCR01')
    const batch = buildRemitBatch(
      input(march, {
        priorItems: new Map([
          [p003, [prior(1, { status: 'corrected' }), prior(2, { procedureCode: 'J9045', amount: 30000 })]],
          [p006, [prior(3, { amount: 10000 })]],
        ]),
      }),
    )
    expect(batch.result).toMatchObject({
      claims: 3,
      reversals: 1,
      items: 0,
      recovered: 3,
      recoveredAmount: 60000,
    })
    expect(batch.claimRows.map((r) => [r.claim_id, r.is_reversal])).toEqual([
      ['E2E-P-006', true],
      ['E2E-P-006', false],
      ['E2E-P-003', false],
    ])
    // E2E-P-006: reversal −240.00, correction 280.00: 40.00 more.
    expect(batch.recoveries.map((r) => [r.itemId, r.amount, r.recoveredAmount, r.remitClaimId])).toEqual([
      [3, 4000, 4000, 101],
      [1, 40000, 40000, 102],
      [2, 16000, 16000, 102],
    ])
    expect(batch.carriedReversals.size).toBe(0)
  })

  it('carries a reversal at the end of a batch into the next one', () => {
    const [reversal, correction] = march
    if (reversal === undefined || correction === undefined) throw new Error('fixture changed')
    const key = remitClaimKey('E2E-P-006', 'MCR01')
    const first = buildRemitBatch(input([reversal]))
    expect([...first.carriedReversals]).toEqual([[key, -24000]])
    const second = buildRemitBatch(
      input([correction], {
        carriedReversals: first.carriedReversals,
        priorItems: new Map([[key, [prior(3, { amount: 10000 })]]]),
      }),
    )
    expect(second.recoveries.map((r) => r.amount)).toEqual([4000])
  })
})
