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
function prior(_id: number, fields: PriorFields = {}): PriorReworkItem {
  return {
    status: fields.status ?? 'open',
    queue: fields.queue ?? 'coding',
    lines: [
      {
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
    expect(batch.result).toMatchObject({ claims: 10, matched: 0, unmatched: 10, reversals: 0 })
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

  it('holds a repeated denial back while the earlier item is paid (paid items are worked out again later)', () => {
    const claims = february.filter((c) => c.claimId === 'E2E-P-007')
    const key = remitClaimKey('E2E-P-007', 'MCR01')
    for (const status of ['recovered', 'partially_recovered', 'assigned']) {
      const earlier = prior(1, { procedureCode: 'J9271', carcs: ['CO-16'], status })
      expect(buildRemitBatch(input(claims, { priorItems: new Map([[key, [earlier]]]) })).items).toEqual([])
    }
  })

  it('fails with INGEST_ID_NOT_RESERVED instead of writing remit claim 0 when ids are missing', () => {
    const claims = february.slice(0, 2)
    expect(() => buildRemitBatch(input(claims, { claimIds: [100] }))).toThrow(
      expect.objectContaining({ code: 'INGEST_ID_NOT_RESERVED' }),
    )
    expect(() => buildRemitBatch(input(claims, { lineIds: [] }))).toThrow(
      expect.objectContaining({ code: 'INGEST_ID_NOT_RESERVED' }),
    )
    const batch = buildRemitBatch(input(february))
    expect(batch.items.length).toBeGreaterThan(0)
    expect(() => numberReworkItems(batch.items, [])).toThrow(
      expect.objectContaining({ code: 'INGEST_ID_NOT_RESERVED' }),
    )
    expect(() =>
      numberReworkItems(
        batch.items,
        batch.items.map(() => 0),
      ),
    ).toThrow(expect.objectContaining({ code: 'INGEST_ID_NOT_RESERVED' }))
  })
})
