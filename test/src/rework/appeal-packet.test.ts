import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { auditTrail } from '../../../src/db/audit.js'
import { ingestFiles } from '../../../src/ingest/ingest-files.js'
import { loadAppealFacts, writeAppealPacket } from '../../../src/rework/appeal-packet.js'
import { upsertPayerProfiles } from '../../../src/rework/payer-repository.js'
import type { ReworkItemView } from '../../../src/rework/rework-repository.js'
import { listReworkItems } from '../../../src/rework/rework-repository.js'
import { saveAuthorizations } from '../../../src/scrub/scrub-repository.js'
import { parsePayerProfilesCsv } from '../../../transforms/denials/payer-profile.js'
import { describeEachDatabase } from '../../support/databases.js'
import { pdfText } from '../../support/pdf-text.js'

const E2E = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'e2e')
const f = (name: string) => join(E2E, name)

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    return error instanceof Error && 'code' in error ? String(error.code) : 'no code'
  }
  return undefined
}

describeEachDatabase('appeal packets', (ctx) => {
  let items: ReworkItemView[] = []
  const item = (claimId: string): ReworkItemView => {
    const found = items.find((i) => i.claimId === claimId)
    if (found === undefined) throw new Error(`no item for ${claimId}`)
    return found
  }

  beforeAll(async () => {
    const { profiles } = parsePayerProfilesCsv(readFileSync(f('payers.csv'), 'utf8'))
    await upsertPayerProfiles(ctx.handle.db, profiles, 'tester')
    await ingestFiles([f('837p-medicare-2026-01.x12'), f('835-medicare-2026-02-02.x12')], {
      handle: ctx.handle,
      user: 'tester',
    })
    // E2E-P-004's member, payer and drug: the letter lists it as on file.
    await saveAuthorizations(ctx.handle.db, [
      {
        authNumber: 'PA-TEST-1',
        payerId: 'MCR01',
        memberId: 'E2EM000004',
        hcpcs: 'J9035',
        unitsAuthorized: 40,
        cyclesAuthorized: 4,
        startDate: '2026-01-01',
        endDate: '2026-06-30',
      },
    ])
    items = await listReworkItems(ctx.handle.db, { asOf: '2026-03-16' })
  })

  it('gathers the facts of the item: lines, NDC, units, adjustments, payer class, authorization', async () => {
    const facts = await loadAppealFacts(ctx.handle.db, item('E2E-P-004').id)
    expect(facts).toMatchObject({
      claimId: 'E2E-P-004',
      payerClaimNumber: 'MCR26020004',
      payer: { id: 'MCR01', name: 'MEDICARE PART B EXAMPLE', payerClass: 'medicare' },
      patient: { memberId: 'E2EM000004' },
      queue: 'coverage',
      action: 'appeal',
      carcs: ['CO-50'],
      rarcs: ['N115'],
      amount: 100_000,
      remitDate: '2026-02-02',
      deadline: '2026-06-07',
      appealable: true,
    })
    expect(facts.lines).toEqual([
      {
        lineNumber: 1,
        serviceDate: '2026-01-08',
        procedureCode: 'J9035',
        modifiers: [],
        units: 10,
        ndc: '50242006001',
        ndcQuantity: 4,
        ndcUnit: 'ML',
        charge: 100_000,
        paid: 0,
        adjustments: [{ group: 'CO', carc: '50', amount: 100_000 }],
        rarcs: ['N115'],
        priorAuthorization: undefined,
      },
    ])
    expect(facts.authorizations.map((a) => a.authNumber)).toEqual(['PA-TEST-1'])
  })

  it('writes the letter as Markdown and PDF, owner-only, atomically, then audits', async () => {
    const id = item('E2E-P-004').id
    const root = mkdtempSync(join(tmpdir(), 'appeal-'))
    const outDir = join(root, 'packets', 'feb')
    const written = await writeAppealPacket(ctx.handle.db, id, {
      outDir,
      user: 'maria',
      date: '2026-03-16',
      compressPdf: false,
    })
    expect(written).toMatchObject({ claimId: 'E2E-P-004', carcs: ['CO-50'], deadline: '2026-06-07' })
    expect(statSync(outDir).mode & 0o777).toBe(0o700)
    expect(readdirSync(outDir).sort()).toEqual([`appeal-item-${id}.md`, `appeal-item-${id}.pdf`])
    for (const path of [written.markdownPath, written.pdfPath])
      expect(statSync(path).mode & 0o777).toBe(0o600)

    const markdown = readFileSync(written.markdownPath, 'utf8')
    expect(markdown).toContain('Patient: CASE4 TESTPATIENT, member id E2EM000004')
    expect(markdown).toContain(
      '| 1 | 2026-01-08 | J9035 |  | 10 | 50242006001 | 4 ML | 1000.00 | 0.00 | CO-50 1000.00 | N115 |',
    )
    expect(markdown).toContain('- File by: 2026-06-07')
    expect(markdown).toContain('- PA-TEST-1: J9035, 40 units, 4 cycles, 2026-01-01 to 2026-06-30')

    const pdf = readFileSync(written.pdfPath)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF')
    const text = pdfText(pdf).join('\n')
    expect(text).toContain('Request for redetermination')
    expect(text).toContain('E2E-P-004')
    // Wrapped lines are separate text operators: check fragments that fit on one line.
    for (const fragment of [
      'Code: J9035',
      'Units: 10',
      'NDC: 50242006001',
      'NDC quantity: 4 ML',
      'Billed: 1000.00',
    ])
      expect(text).toContain(fragment)
    expect(text).toContain('File by: 2026-06-07')

    const audit = (await auditTrail(ctx.handle.db, 'rework_item', id)).filter(
      (e) => e.action === 'appeal_packet_written',
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: 'maria', beforeStatus: 'open', afterStatus: 'open' })
    expect(audit[0]?.note).toContain(`appeal-item-${id}.md`)
    expect(audit[0]?.note).not.toContain('TESTPATIENT')
    expect(audit[0]?.note).not.toContain('E2EM000004')

    // The same facts and date give the same bytes; a rewrite replaces the files and leaves no temp file.
    const again = await writeAppealPacket(ctx.handle.db, id, {
      outDir,
      user: 'maria',
      date: '2026-03-16',
      compressPdf: false,
    })
    expect(readFileSync(again.pdfPath).equals(pdf)).toBe(true)
    expect(readdirSync(outDir)).toHaveLength(2)
  })

  it('compresses the PDF by default and it still parses as a PDF', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'appeal-z-'))
    const written = await writeAppealPacket(ctx.handle.db, item('E2E-P-005').id, {
      outDir,
      user: 'maria',
      date: '2026-03-16',
    })
    const pdf = readFileSync(written.pdfPath)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.toString('latin1')).toContain('/FlateDecode')
    expect(pdfText(pdf)).toEqual([])
  })

  it('refuses items that are not appeals, or not appealable, with a code and no file or audit event', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'appeal-no-')), 'out')
    const corrected = item('E2E-P-002')
    expect(corrected.action).toBe('corrected_claim')
    expect(
      await codeOf(writeAppealPacket(ctx.handle.db, corrected.id, { outDir, user: 'u', date: '2026-03-16' })),
    ).toBe('APPEAL_NOT_APPEALABLE')
    // Medicare CO-29: routed to appeal, but 42 CFR 405.926(n) makes it not appealable.
    const late = item('E2E-P-008')
    expect(late.flags).toContain('not_appealable')
    expect(
      await codeOf(writeAppealPacket(ctx.handle.db, late.id, { outDir, user: 'u', date: '2026-03-16' })),
    ).toBe('APPEAL_NOT_APPEALABLE')
    expect(
      await codeOf(writeAppealPacket(ctx.handle.db, 999_999, { outDir, user: 'u', date: '2026-03-16' })),
    ).toBe('DB_NOT_FOUND')
    expect(() => statSync(outDir)).toThrow()
    const events = await auditTrail(ctx.handle.db, 'rework_item', corrected.id)
    expect(events.some((e) => e.action === 'appeal_packet_written')).toBe(false)
  })
})
