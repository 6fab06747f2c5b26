import { describe, expect, it } from 'vitest'
import type { X12Event } from '../../parsers/x12-event.js'
import { X12Reader } from '../../parsers/x12-reader.js'
import { X12SummaryCollector } from '../../src/pipeline/x12-summary.js'
import { generate835, generate837P } from '../bench/generate-x12.js'

/** The bench generators must produce clean, balanced X12: the benches measure real work. */

async function readAll(
  source: AsyncIterable<Uint8Array>,
): Promise<{ events: X12Event[]; bytes: Uint8Array[] }> {
  const collector = new X12SummaryCollector()
  const reader = new X12Reader({ onSegment: collector.onSegment })
  const events: X12Event[] = []
  const bytes: Uint8Array[] = []
  for await (const chunk of source) {
    bytes.push(chunk)
    events.push(...reader.write(chunk))
  }
  events.push(...reader.end())
  return { events, bytes }
}

function issues(events: X12Event[]): string[] {
  const found: string[] = []
  for (const e of events) {
    if (e.type === 'issue') found.push(e.issue.code)
    if (e.type === 'transaction-end' || e.type === 'interchange-end')
      found.push(...e.issues.map((i) => i.code))
  }
  return found
}

describe('generate835', () => {
  it('streams a clean, balanced 835 with the oncology denial mix and reversal pairs', async () => {
    const { events } = await readAll(
      generate835(400, { seed: 3, claimsPerTransaction: 150, reversalRate: 0.05 }),
    )
    expect(issues(events)).toEqual([])
    const claims = events.flatMap((e) => (e.type === 'claim835' ? [e.claim] : []))
    const statuses = new Set(claims.map((c) => c.status))
    expect(statuses).toEqual(new Set(['1', '4', '22']))
    const reversals = claims.filter((c) => c.status === '22')
    expect(claims.length).toBe(400 + reversals.length)
    for (const reversal of reversals) {
      const next = claims[claims.indexOf(reversal) + 1]
      expect(next?.claimId).toBe(reversal.claimId)
      expect(next?.paid).toBe(-reversal.paid)
    }
    const carcs = new Set(
      claims.flatMap((c) => c.lines.flatMap((l) => l.adjustments.map((a) => `${a.group}-${a.carc}`))),
    )
    for (const carc of ['CO-4', 'CO-97', 'CO-151', 'CO-50', 'CO-197', 'CO-45', 'PR-2'])
      expect(carcs).toContain(carc)
    expect(events.filter((e) => e.type === 'transaction-end')).toHaveLength(3)
  })

  it('is deterministic for a seed and different across seeds', async () => {
    const join = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1')
    const a = join((await readAll(generate835(50, { seed: 9 }))).bytes)
    const b = join((await readAll(generate835(50, { seed: 9 }))).bytes)
    const c = join((await readAll(generate835(50, { seed: 10 }))).bytes)
    expect(a).toBe(b)
    expect(a).not.toBe(c)
  })
})

describe('generate837P', () => {
  it('streams clean 837P claims with NDC drug lines', async () => {
    const { events } = await readAll(generate837P(300, { seed: 5, claimsPerTransaction: 120 }))
    expect(issues(events)).toEqual([])
    const claims = events.flatMap((e) => (e.type === 'claim837' ? [e.claim] : []))
    expect(claims).toHaveLength(300)
    expect(claims.every((c) => c.kind === '837P')).toBe(true)
    const drugs = claims.flatMap((c) => c.lines.flatMap((l) => (l.drug === undefined ? [] : [l.drug.ndc])))
    expect(drugs.length).toBeGreaterThan(100)
    for (const claim of claims) expect(claim.lines.reduce((s, l) => s + l.charge, 0)).toBe(claim.totalCharge)
  })
})
