import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordAudit } from '../../src/db/audit.js'
import type { DatabaseHandle } from '../../src/db/create-database.js'
import { ingestFiles } from '../../src/ingest/ingest-files.js'
import { upsertPayerProfiles } from '../../src/rework/payer-repository.js'
import { assignReworkItem } from '../../src/rework/rework-repository.js'
import { saveAuthorizations, saveSchedule } from '../../src/scrub/scrub-repository.js'
import { parsePayerProfilesCsv } from '../../transforms/denials/payer-profile.js'
import type { Adj, Claim837Spec, Clp835, Line837, Svc835 } from './e2e-fixture.js'
import { file835, file837P } from './e2e-fixture.js'

/**
 * Payers as a clearinghouse names them: some ids long, every name long (made up, "EXAMPLE").
 * What a biller's real month looks like in the tables, unlike the three payers of fixtures/e2e.
 */
export const WIDE_PAYERS: readonly { id: string; name: string }[] = [
  'BLUE CROSS AND BLUE SHIELD OF EXAMPLE STATE FEDERAL EMPLOYEE PROGRAM',
  'EXAMPLE COMMUNITY HEALTH PLAN MEDICAID MANAGED CARE ORGANIZATION',
  'EXAMPLE MEDICARE ADVANTAGE PREFERRED PROVIDER ORGANIZATION PLUS',
  'EXAMPLE RAILROAD RETIREMENT BOARD SPECIALTY MEDICARE CONTRACTOR',
  'EXAMPLE UNITED HEALTHCARE COMMUNITY PLAN OF THE GREAT LAKES REGION',
  'EXAMPLE WORKERS COMPENSATION SELF-INSURED EMPLOYER TRUST FUND',
  'EXAMPLE TRICARE EAST REGION MANAGED CARE SUPPORT CONTRACTOR',
  'EXAMPLE VETERANS AFFAIRS COMMUNITY CARE NETWORK REGION THREE',
  'EXAMPLE HEALTH INSURANCE MARKETPLACE SILVER EXCLUSIVE PROVIDER',
  'EXAMPLE CATHOLIC HEALTH PARTNERS EMPLOYEE BENEFIT PLAN',
  'EXAMPLE STATE TEACHERS RETIREMENT SYSTEM HEALTH BENEFIT PROGRAM',
  'EXAMPLE DUAL ELIGIBLE SPECIAL NEEDS PLAN (D-SNP) HMO POINT OF SERVICE',
  'EXAMPLE AUTO INSURANCE PERSONAL INJURY PROTECTION CLAIMS UNIT',
  'EXAMPLE CHILDREN’S HEALTH INSURANCE PROGRAM MANAGED CARE',
  'EXAMPLE REGIONAL HEALTH ALLIANCE THIRD PARTY ADMINISTRATOR',
  'EXAMPLE PACE PROGRAM OF ALL-INCLUSIVE CARE FOR THE ELDERLY',
  'EXAMPLE NATIONAL LABOR UNION HEALTH AND WELFARE FUND',
  'EXAMPLE STUDENT HEALTH INSURANCE PLAN STATE UNIVERSITY SYSTEM',
  'EXAMPLE CANCER CENTER OF EXCELLENCE NARROW NETWORK COMMERCIAL',
  'EXAMPLE HIGH DEDUCTIBLE HEALTH PLAN WITH HEALTH SAVINGS ACCOUNT',
  'EXAMPLE INDIAN HEALTH SERVICE PURCHASED REFERRED CARE PROGRAM',
  'EXAMPLE SECONDARY MEDIGAP SUPPLEMENT PLAN G CROSSOVER CARRIER',
  'EXAMPLE COUNTY INDIGENT CARE PROGRAM AND CHARITY ASSISTANCE',
  'EXAMPLE INTERNATIONAL TRAVEL MEDICAL INSURANCE UNDERWRITERS',
].map((name, i) => ({
  // Every third id is as long as an id gets in practice (a plan, a product and a number).
  id:
    i % 3 === 0
      ? `EXAMPLE-PLAN-${String(i + 1).padStart(2, '0')}-MEDICARE-ADVANTAGE-PPO-00621`
      : `WD${i + 1}`,
  name,
}))

/** Oncology drugs (HCPCS) with an NDC each: one denied drug line per payer. */
const DRUGS: readonly { code: string; ndc: string }[] = [
  'J9271',
  'J9299',
  'J9022',
  'J9035',
  'J9045',
  'J9060',
  'J9145',
  'J9173',
  'J9190',
  'J9201',
  'J9206',
  'J9217',
  'J9228',
  'J9264',
  'J9267',
  'J9305',
  'J9306',
  'J9312',
  'J9355',
  'J9395',
  'J0897',
  'J2505',
  'J1442',
  'J9041',
].map((code, i) => ({ code, ndc: String(50242000000 + i * 1013).padStart(11, '0') }))

/** Denials with long paraphrases and RARCs (fixtures/denials/carc-rules.csv, rarc-paraphrases.csv). */
const DENIALS: readonly { carc: string; rarcs: string[] }[] = [
  { carc: '16', rarcs: ['M80', 'MA130'] },
  { carc: '50', rarcs: ['N386', 'M86'] },
  { carc: '197', rarcs: ['N115'] },
  { carc: '188', rarcs: ['M15', 'N386'] },
  { carc: '204', rarcs: ['N115', 'M80'] },
  { carc: '116', rarcs: ['MA130'] },
]

/** Who the seeded items are assigned to: a username as long as people's are (an e-mail address). */
export const WIDE_ASSIGNEE = 'billing.specialist@example.org'

/** The claim with many lines (each drug twice, with its administration). */
export const WIDE_MANY_LINES_CLAIM = 'WIDE-MANY-LINES-0001'

const dollars = (cents: number): number => cents / 100
const ymd = (year: number, month: number, day: number): string =>
  `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`

/** The month `i` months before December 2026 (remits over a year: many months on the charts). */
function monthOf(i: number): { year: number; month: number } {
  const index = 2026 * 12 + 11 - (i % 12) - 1
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/**
 * Seeds a realistic volume on top of fixtures/e2e: 24 payers with long names (a third with long
 * ids), 24 drugs, denials remitted over 12 months with long CARC/RARC paraphrases and amounts up
 * to six figures, one claim of many lines, and authorizations with a schedule. Made-up people and
 * ids only. Returns the claim id of the many-lines claim.
 */
export async function seedWideData(handle: DatabaseHandle): Promise<{ manyLinesClaimId: string }> {
  const csv = [
    'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days',
    ...WIDE_PAYERS.map((p, i) => `${p.id},${p.name},commercial,${i % 2 === 0 ? '' : '365'},60,120`),
    '',
  ].join('\n')
  const { profiles, rejects } = parsePayerProfilesCsv(csv)
  if (rejects.length > 0) throw new Error(`wide payers rejected: ${JSON.stringify(rejects)}`)
  await upsertPayerProfiles(handle.db, profiles, 'seed')

  const dir = mkdtempSync(join(tmpdir(), 'wide-data-'))
  try {
    const files: string[] = []
    const write = (name: string, text: string) => {
      const path = join(dir, name)
      writeFileSync(path, text)
      files.push(path)
    }
    WIDE_PAYERS.forEach((payer, i) => {
      const drug = DRUGS[i % DRUGS.length] as (typeof DRUGS)[number]
      const denial = DENIALS[i % DENIALS.length] as (typeof DENIALS)[number]
      const { year, month } = monthOf(i)
      const dos = ymd(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1, 10 + (i % 15))
      // Six-figure drug charges on some claims: the widest amounts a table has to show.
      const drugCents = 1_234_567 + i * 9_876_543
      const claims: { spec: Claim837Spec; remit: Clp835 }[] = []
      const manyLines = i === 0
      const count = manyLines ? 18 : 1
      const lines837: Line837[] = []
      const lines835: Svc835[] = []
      for (let n = 0; n < count; n++) {
        const d = DRUGS[(i + n) % DRUGS.length] as (typeof DRUGS)[number]
        const deny = DENIALS[(i + n) % DENIALS.length] as (typeof DENIALS)[number]
        const charge = manyLines ? dollars(1_234_567 + n * 345_678) : dollars(drugCents)
        lines837.push(
          { code: '96413', charge: 400, units: 1, dos, control: `W${i}-${n}-A` },
          {
            code: manyLines ? d.code : drug.code,
            mods: ['JZ'],
            charge,
            units: 120 + n,
            dos,
            control: `W${i}-${n}-D`,
            ndc: { code: manyLines ? d.ndc : drug.ndc, qty: 12.5, unit: 'ML' },
          },
        )
        const adj: Adj[] = [{ group: 'CO', carc: '45', amount: 160 }]
        lines835.push(
          { code: '96413', charge: 400, paid: 240, units: 1, dos, control: `W${i}-${n}-A`, adjustments: adj },
          {
            code: manyLines ? d.code : drug.code,
            mods: ['JZ'],
            charge,
            paid: 0,
            units: 120 + n,
            dos,
            control: `W${i}-${n}-D`,
            adjustments: [{ group: 'CO', carc: (manyLines ? deny : denial).carc, amount: charge }],
            rarcs: (manyLines ? deny : denial).rarcs,
          },
        )
      }
      const id = manyLines ? WIDE_MANY_LINES_CLAIM : `WIDE-${String(i + 1).padStart(2, '0')}-0001`
      claims.push({
        spec: {
          id,
          member: `WIDEMEMBER${String(i).padStart(8, '0')}`,
          last: 'TESTPATIENT',
          first: `WIDE${i}`,
          birth: '19550101',
          gender: i % 2 === 0 ? 'F' : 'M',
          dx: 'C3411',
          auth: `PA-${year}-${String(i).padStart(7, '0')}-LONGAUTHREFERENCE`,
          lines: lines837,
        },
        remit: {
          id,
          status: '1',
          patientShare: 0,
          filing: 'CI',
          payerClaim: `${payer.id.slice(0, 12)}-ICN-2026${String(i).padStart(10, '0')}`,
          facility: '11',
          frequency: '1',
          lines: lines835,
        },
      })
      // A second, paid claim for each payer: the denial rate is not 100 %.
      const paidId = `WIDE-${String(i + 1).padStart(2, '0')}-0002`
      claims.push({
        spec: {
          id: paidId,
          member: `WIDEMEMBER${String(i + 100).padStart(8, '0')}`,
          last: 'TESTPATIENT',
          first: `WIDEPAID${i}`,
          birth: '19600101',
          gender: 'F',
          dx: 'C509',
          lines: [{ code: '96413', charge: 400, units: 1, dos, control: `WP${i}-A` }],
        },
        remit: {
          id: paidId,
          status: '1',
          patientShare: 0,
          filing: 'CI',
          payerClaim: `WPAID${String(i).padStart(6, '0')}`,
          facility: '11',
          frequency: '1',
          lines: [
            {
              code: '96413',
              charge: 400,
              paid: 240,
              units: 1,
              dos,
              control: `WP${i}-A`,
              adjustments: [{ group: 'CO', carc: '45', amount: 160 }],
            },
          ],
        },
      })
      const date = ymd(year, month, 1)
      write(
        `837p-wide-${i}.x12`,
        file837P({
          control: 700_100 + i,
          date: dos,
          payer: { name: payer.name, id: payer.id, sbr09: 'CI' },
          claims: claims.map((c) => c.spec),
        }),
      )
      write(
        `835-wide-${i}.x12`,
        file835({
          control: 700_200 + i,
          date,
          payDate: ymd(year, month, 2 + (i % 20)),
          payer,
          trace: `WIDEEFT${i}`,
          claims: claims.map((c) => c.remit),
        }),
      )
    })
    await ingestFiles(files, { handle, user: 'seed' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  // Every third item assigned (the worklist's status reads "assigned: NAME"), notes on the
  // many-lines claim's items (its history).
  const items = await handle.db
    .selectFrom('rework_item')
    .select(['id', 'claim_id'])
    .where('claim_id', 'like', 'WIDE-%')
    .orderBy('id')
    .execute()
  for (const [n, item] of items.entries()) {
    if (n % 3 === 0) await assignReworkItem(handle.db, Number(item.id), WIDE_ASSIGNEE, 'seed')
    if (item.claim_id === WIDE_MANY_LINES_CLAIM)
      await recordAudit(handle.db, {
        actor: WIDE_ASSIGNEE,
        entity: 'rework_item',
        entityId: Number(item.id),
        action: 'note',
        beforeStatus: n % 3 === 0 ? 'assigned' : 'open',
        afterStatus: n % 3 === 0 ? 'assigned' : 'open',
        note: 'Called the payer (reference 2026-1204-778812-EXAMPLE): the NDC units must match the HCPCS billing units per line; resubmitting lines 2-36 with corrected NDC quantities after the pharmacy confirms the vial sizes.',
      })
  }

  // Authorizations: long numbers and payer ids, ending around today, with a schedule ahead.
  const now = new Date()
  const day = (offset: number): string =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset))
      .toISOString()
      .slice(0, 10)
  await saveAuthorizations(
    handle.db,
    WIDE_PAYERS.map((payer, i) => ({
      authNumber: `PA-2026-${String(i).padStart(7, '0')}-LONGAUTHREFERENCE`,
      payerId: payer.id,
      memberId: `WIDEMEMBER${String(i).padStart(8, '0')}`,
      hcpcs: (DRUGS[i % DRUGS.length] as (typeof DRUGS)[number]).code,
      unitsAuthorized: 1200 + i * 10,
      cyclesAuthorized: 6,
      startDate: day(-120),
      endDate: day(i % 4 === 0 ? 5 + i : 90 + i),
    })),
  )
  await saveSchedule(
    handle.db,
    WIDE_PAYERS.flatMap((payer, i) => [
      {
        memberId: `WIDEMEMBER${String(i).padStart(8, '0')}`,
        payerId: payer.id,
        date: day(3 + i),
        hcpcs: (DRUGS[i % DRUGS.length] as (typeof DRUGS)[number]).code,
        plannedUnits: 900 + i * 20,
      },
      // An infusion no authorization covers.
      {
        memberId: `WIDEUNCOVERED${String(i).padStart(6, '0')}`,
        payerId: payer.id,
        date: day(2 + i),
        hcpcs: (DRUGS[(i + 7) % DRUGS.length] as (typeof DRUGS)[number]).code,
        plannedUnits: 300,
      },
    ]),
  )
  return { manyLinesClaimId: WIDE_MANY_LINES_CLAIM }
}
