/**
 * Writes fixtures/e2e/: a month (January 2026) of synthetic oncology claims (two 837P files, one
 * 837I) and their 835s, including a later 835 that reverses/corrects one claim and pays a reworked
 * one. Made-up people and ids only. Run: `node test/support/e2e-fixture.ts` (Node 24 strips the
 * types; no imports so that it runs as is). The output is committed; the expected numbers in
 * test/acceptance/e2e-rework.test.ts were worked out by hand from these files.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

type El = string | number

const seg = (...elements: El[]): string => `${elements.join('*')}~`

/** ISA..IEA around one ST..SE whose body is given (ST and SE are added and counted). */
function interchange(opts: {
  sender: string
  receiver: string
  control: number
  date: string
  functional: 'HC' | 'HP'
  version: string
  body: string[]
}): string {
  const isa13 = String(opts.control).padStart(9, '0')
  const yymmdd = opts.date.slice(2)
  const st = seg(
    'ST',
    opts.functional === 'HP' ? '835' : '837',
    '0001',
    ...(opts.functional === 'HC' ? [opts.version] : []),
  )
  const se = seg('SE', opts.body.length + 2, '0001')
  return [
    `ISA*00*          *00*          *ZZ*${opts.sender.padEnd(15)}*ZZ*${opts.receiver.padEnd(15)}*${yymmdd}*0900*^*00501*${isa13}*0*T*:~`,
    seg(
      'GS',
      opts.functional,
      opts.sender,
      opts.receiver,
      opts.date,
      '0900',
      opts.control,
      'X',
      opts.version,
    ),
    st,
    ...opts.body,
    se,
    seg('GE', 1, opts.control),
    seg('IEA', 1, isa13),
  ]
    .join('\n')
    .concat('\n')
}

export interface Line837 {
  code: string
  mods?: string[]
  charge: number
  units: number
  dos: string
  control: string
  ndc?: { code: string; qty: number; unit: string }
  revenue?: string
}

export interface Claim837Spec {
  id: string
  member: string
  last: string
  first: string
  birth: string
  gender: 'F' | 'M'
  dx: string
  auth?: string
  lines: Line837[]
}

const money = (dollars: number): string => String(Number(dollars.toFixed(2)))

function claim837P(c: Claim837Spec, payer: { name: string; id: string; sbr09: string }): string[] {
  const total = c.lines.reduce((s, l) => s + l.charge, 0)
  const out: string[] = [
    seg('SBR', 'P', '18', '', '', '', '', '', '', payer.sbr09),
    seg('NM1', 'IL', '1', c.last, c.first, '', '', '', 'MI', c.member),
    seg('N3', '1 EXAMPLE LANE'),
    seg('N4', 'SPRINGFIELD', 'IL', '627020000'),
    seg('DMG', 'D8', c.birth, c.gender),
    seg('NM1', 'PR', '2', payer.name, '', '', '', '', 'PI', payer.id),
    seg('CLM', c.id, money(total), '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'),
  ]
  if (c.auth !== undefined) out.push(seg('REF', 'G1', c.auth))
  out.push(seg('HI', `ABK:${c.dx}`))
  out.push(seg('NM1', '82', '1', 'DOCTOR', 'EXAMPLE', '', '', '', 'XX', '1672098435'))
  c.lines.forEach((l, i) => {
    out.push(seg('LX', i + 1))
    out.push(
      seg('SV1', ['HC', l.code, ...(l.mods ?? [])].join(':'), money(l.charge), 'UN', l.units, '11', '', '1'),
    )
    out.push(seg('DTP', '472', 'D8', l.dos))
    out.push(seg('REF', '6R', l.control))
    if (l.ndc !== undefined) {
      out.push(seg('LIN', '', 'N4', l.ndc.code))
      out.push(seg('CTP', '', '', '', l.ndc.qty, l.ndc.unit))
    }
  })
  return out
}

export function file837P(opts: {
  control: number
  date: string
  payer: { name: string; id: string; sbr09: string }
  claims: Claim837Spec[]
}): string {
  const body: string[] = [
    seg('BHT', '0019', '00', `E2E${opts.control}`, opts.date, '0900', 'CH'),
    seg('NM1', '41', '2', 'EXAMPLE ONCOLOGY GROUP', '', '', '', '', '46', 'E2EONC'),
    seg('PER', 'IC', 'BILLING OFFICE', 'TE', '5555550100'),
    seg('NM1', '40', '2', 'EXAMPLE CLEARINGHOUSE', '', '', '', '', '46', 'EXAMPLECH'),
    seg('HL', 1, '', 20, 1),
    seg('NM1', '85', '2', 'EXAMPLE ONCOLOGY GROUP', '', '', '', '', 'XX', '1548267313'),
    seg('N3', '100 EXAMPLE PARKWAY'),
    seg('N4', 'SPRINGFIELD', 'IL', '627010000'),
    seg('REF', 'EI', '990000001'),
  ]
  opts.claims.forEach((c, i) => {
    body.push(seg('HL', i + 2, 1, 22, 0))
    body.push(...claim837P(c, opts.payer))
  })
  return interchange({
    sender: 'E2EONC',
    receiver: 'EXAMPLECH',
    control: opts.control,
    date: opts.date,
    functional: 'HC',
    version: '005010X222A1',
    body,
  })
}

export interface Adj {
  group: string
  carc: string
  amount: number
}
export interface Svc835 {
  code: string
  mods?: string[]
  charge: number
  paid: number
  units: number
  dos: string
  control?: string
  revenue?: string
  adjustments: Adj[]
  rarcs?: string[]
}
export interface Clp835 {
  id: string
  status: string
  patientShare: number
  filing: string
  payerClaim: string
  facility: string
  frequency: string
  moa?: string[]
  lines: Svc835[]
}

export function file835(opts: {
  control: number
  date: string
  payDate: string
  payer: { name: string; id: string }
  trace: string
  claims: Clp835[]
}): string {
  let total = 0
  const claims: string[] = []
  for (const c of opts.claims) {
    const charge = c.lines.reduce((s, l) => s + l.charge, 0)
    const paid = c.lines.reduce((s, l) => s + l.paid, 0)
    total += paid
    claims.push(
      seg(
        'CLP',
        c.id,
        c.status,
        money(charge),
        money(paid),
        money(c.patientShare),
        c.filing,
        c.payerClaim,
        c.facility,
        c.frequency,
      ),
    )
    claims.push(seg('NM1', 'QC', '1', 'TESTPATIENT', 'EXAMPLE', '', '', '', 'MI', 'E2EMEMBER'))
    if (c.moa !== undefined) claims.push(seg('MOA', '', '', ...c.moa))
    for (const l of c.lines) {
      const svc01 = ['HC', l.code, ...(l.mods ?? [])].join(':')
      claims.push(seg('SVC', svc01, money(l.charge), money(l.paid), l.revenue ?? '', l.units))
      claims.push(seg('DTM', '472', l.dos))
      for (const a of l.adjustments) claims.push(seg('CAS', a.group, a.carc, money(a.amount)))
      if (l.control !== undefined) claims.push(seg('REF', '6R', l.control))
      if (l.rarcs !== undefined) claims.push(seg('LQ', 'HE', ...l.rarcs))
    }
  }
  const body = [
    seg(
      'BPR',
      'I',
      money(total),
      'C',
      'ACH',
      'CCP',
      '01',
      '011000015',
      'DA',
      '1234567890',
      '1990000012',
      '',
      '01',
      '021000021',
      'DA',
      '9876543210',
      opts.payDate,
    ),
    seg('TRN', '1', opts.trace, '1990000012'),
    seg('DTM', '405', opts.payDate),
    seg('N1', 'PR', opts.payer.name, 'XV', opts.payer.id),
    seg('N1', 'PE', 'EXAMPLE ONCOLOGY GROUP', 'XX', '1548267313'),
    seg('LX', 1),
    ...claims,
  ]
  return interchange({
    sender: 'EXAMPLECH',
    receiver: 'E2EONC',
    control: opts.control,
    date: opts.date,
    functional: 'HP',
    version: '005010X221A1',
    body,
  })
}

const MCR = { name: 'MEDICARE PART B EXAMPLE', id: 'MCR01' }
const MCRA = { name: 'MEDICARE PART A EXAMPLE', id: 'MCRA1' }
const COM = { name: 'EXAMPLE COMMERCIAL HEALTH PLAN', id: 'COM01' }
const person = (n: number): Pick<Claim837Spec, 'member' | 'last' | 'first' | 'birth' | 'gender'> => ({
  member: `E2EM${String(n).padStart(6, '0')}`,
  last: 'TESTPATIENT',
  first: `CASE${n}`,
  birth: '19550101',
  gender: n % 2 === 0 ? 'F' : 'M',
})
const chemo = (dos: string, control: string, charge = 400): Line837 => ({
  code: '96413',
  charge,
  units: 1,
  dos,
  control,
})

export function buildE2eFixtures(): Record<string, string> {
  const files: Record<string, string> = {}
  files['837p-medicare-2026-01.x12'] = file837P({
    control: 1001,
    date: '20260120',
    payer: { ...MCR, sbr09: 'MB' },
    claims: [
      {
        id: 'E2E-P-001',
        ...person(1),
        dx: 'C3411',
        lines: [
          chemo('20260105', 'P001-1'),
          {
            code: 'J9271',
            charge: 6000,
            units: 20,
            dos: '20260105',
            control: 'P001-2',
            ndc: { code: '00006302602', qty: 8, unit: 'ML' },
          },
        ],
      },
      {
        id: 'E2E-P-002',
        ...person(2),
        dx: 'C3411',
        lines: [
          chemo('20260106', 'P002-1'),
          { code: '96417', charge: 150, units: 1, dos: '20260106', control: 'P002-2' },
        ],
      },
      {
        id: 'E2E-P-003',
        ...person(3),
        dx: 'C509',
        lines: [
          chemo('20260107', 'P003-1'),
          {
            code: 'J9045',
            charge: 300,
            units: 10,
            dos: '20260107',
            control: 'P003-2',
            ndc: { code: '16729029512', qty: 50, unit: 'ML' },
          },
        ],
      },
      {
        id: 'E2E-P-004',
        ...person(4),
        dx: 'C61',
        lines: [
          {
            code: 'J9035',
            charge: 1000,
            units: 10,
            dos: '20260108',
            control: 'P004-1',
            ndc: { code: '50242006001', qty: 4, unit: 'ML' },
          },
          chemo('20260108', 'P004-2'),
        ],
      },
      { id: 'E2E-P-005', ...person(5), dx: 'C189', lines: [chemo('20260109', 'P005-1')] },
      { id: 'E2E-P-006', ...person(6), dx: 'C189', lines: [chemo('20260109', 'P006-1')] },
      {
        id: 'E2E-P-007',
        ...person(7),
        dx: 'C3411',
        auth: 'AUTH7001',
        lines: [
          chemo('20260110', 'P007-1'),
          {
            code: 'J9271',
            charge: 6000,
            units: 20,
            dos: '20260110',
            control: 'P007-2',
            ndc: { code: '00006302602', qty: 8, unit: 'ML' },
          },
        ],
      },
      { id: 'E2E-P-008', ...person(8), dx: 'C3411', lines: [chemo('20250102', 'P008-1')] },
    ],
  })
  files['837p-commercial-2026-01.x12'] = file837P({
    control: 1002,
    date: '20260121',
    payer: { ...COM, sbr09: 'CI' },
    claims: [
      {
        id: 'E2E-C-101',
        ...person(101),
        dx: 'C3411',
        lines: [
          {
            code: 'J9299',
            charge: 8000,
            units: 240,
            dos: '20260112',
            control: 'C101-1',
            ndc: { code: '00003377211', qty: 24, unit: 'ML' },
          },
          chemo('20260112', 'C101-2'),
        ],
      },
      {
        id: 'E2E-C-102',
        ...person(102),
        dx: 'C439',
        lines: [
          {
            code: 'J9299',
            charge: 8000,
            units: 240,
            dos: '20260113',
            control: 'C102-1',
            ndc: { code: '00003377211', qty: 24, unit: 'ML' },
          },
          chemo('20260113', 'C102-2'),
        ],
      },
      {
        id: 'E2E-C-103',
        ...person(103),
        dx: 'C439',
        lines: [{ code: '99214', charge: 200, units: 1, dos: '20260114', control: 'C103-1' }],
      },
    ],
  })
  // 837I: hospital outpatient infusion, TOB 131 (DOMAIN.md §6).
  const inst = [
    seg('BHT', '0019', '00', 'E2EH2001', '20260122', '0900', 'CH'),
    seg('NM1', '41', '2', 'EXAMPLE COMMUNITY HOSPITAL', '', '', '', '', '46', 'E2EHOSP'),
    seg('PER', 'IC', 'PATIENT ACCOUNTS', 'TE', '5555550199'),
    seg('NM1', '40', '2', 'EXAMPLE CLEARINGHOUSE', '', '', '', '', '46', 'EXAMPLECH'),
    seg('HL', 1, '', 20, 1),
    seg('NM1', '85', '2', 'EXAMPLE COMMUNITY HOSPITAL', '', '', '', '', 'XX', '1773915248'),
    seg('N3', '900 EXAMPLE BOULEVARD'),
    seg('N4', 'SPRINGFIELD', 'IL', '627040000'),
    seg('REF', 'EI', '990000002'),
    seg('HL', 2, 1, 22, 0),
    seg('SBR', 'P', '18', '', '', '', '', '', '', 'MA'),
    seg('NM1', 'IL', '1', 'TESTPATIENT', 'CASE201', '', '', '', 'MI', 'E2EM000201'),
    seg('N3', '7 PRETEND LANE'),
    seg('N4', 'SPRINGFIELD', 'IL', '627050000'),
    seg('DMG', 'D8', '19480530', 'F'),
    seg('NM1', 'PR', '2', MCRA.name, '', '', '', '', 'PI', MCRA.id),
    seg('CLM', 'E2E-I-201', '9900', '', '', '13:A:1', '', 'A', 'Y', 'Y'),
    seg('DTP', '434', 'RD8', '20260115-20260115'),
    seg('CL1', '3', '1', '01'),
    seg('HI', 'ABK:C3411'),
    seg('NM1', '71', '1', 'ATTENDING', 'EXAMPLE', '', '', '', 'XX', '1458930124'),
    seg('LX', 1),
    seg('SV2', '0335', 'HC:96413', '900', 'UN', '1'),
    seg('DTP', '472', 'D8', '20260115'),
    seg('REF', '6R', 'I201-1'),
    seg('LX', 2),
    seg('SV2', '0636', 'HC:J9271', '9000', 'UN', '20'),
    seg('DTP', '472', 'D8', '20260115'),
    seg('REF', '6R', 'I201-2'),
    seg('LIN', '', 'N4', '00006302602'),
    seg('CTP', '', '', '', '8', 'ML'),
  ]
  files['837i-medicare-2026-01.x12'] = interchange({
    sender: 'E2EHOSP',
    receiver: 'EXAMPLECH',
    control: 2001,
    date: '20260122',
    functional: 'HC',
    version: '005010X223A2',
    body: inst,
  })

  const paid = (charge: number, paidAmount: number, patient: number, group = 'PR', carc = '2'): Adj[] => [
    { group: 'CO', carc: '45', amount: charge - paidAmount - patient },
    ...(patient > 0 ? [{ group, carc, amount: patient }] : []),
  ]
  files['835-medicare-2026-02-02.x12'] = file835({
    control: 3001,
    date: '20260202',
    payDate: '20260202',
    payer: MCR,
    trace: 'E2EEFT0202',
    claims: [
      {
        id: 'E2E-P-001',
        status: '1',
        patientShare: 1060,
        filing: 'MB',
        payerClaim: 'MCR26020001',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 240,
            units: 1,
            dos: '20260105',
            control: 'P001-1',
            adjustments: paid(400, 240, 60),
          },
          {
            code: 'J9271',
            charge: 6000,
            paid: 4000,
            units: 20,
            dos: '20260105',
            control: 'P001-2',
            adjustments: paid(6000, 4000, 1000),
          },
        ],
      },
      {
        id: 'E2E-P-002',
        status: '1',
        patientShare: 60,
        filing: 'MB',
        payerClaim: 'MCR26020002',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 240,
            units: 1,
            dos: '20260106',
            control: 'P002-1',
            adjustments: paid(400, 240, 60),
          },
          {
            code: '96417',
            charge: 150,
            paid: 0,
            units: 1,
            dos: '20260106',
            control: 'P002-2',
            adjustments: [{ group: 'CO', carc: '97', amount: 150 }],
            rarcs: ['M15'],
          },
        ],
      },
      {
        id: 'E2E-P-003',
        status: '4',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26020003',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 0,
            units: 1,
            dos: '20260107',
            control: 'P003-1',
            adjustments: [{ group: 'CO', carc: '4', amount: 400 }],
          },
          {
            code: 'J9045',
            charge: 300,
            paid: 0,
            units: 10,
            dos: '20260107',
            control: 'P003-2',
            adjustments: [{ group: 'CO', carc: '4', amount: 300 }],
          },
        ],
      },
      // No REF*6R here: lines match on code + modifiers + DOS + charge.
      {
        id: 'E2E-P-004',
        status: '1',
        patientShare: 60,
        filing: 'MB',
        payerClaim: 'MCR26020004',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: 'J9035',
            charge: 1000,
            paid: 0,
            units: 10,
            dos: '20260108',
            adjustments: [{ group: 'CO', carc: '50', amount: 1000 }],
            rarcs: ['N115'],
          },
          {
            code: '96413',
            charge: 400,
            paid: 240,
            units: 1,
            dos: '20260108',
            adjustments: paid(400, 240, 60),
          },
        ],
      },
      {
        id: 'E2E-P-005',
        status: '4',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26020005',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 0,
            units: 1,
            dos: '20260109',
            control: 'P005-1',
            adjustments: [{ group: 'CO', carc: '151', amount: 400 }],
          },
        ],
      },
      {
        id: 'E2E-P-006',
        status: '1',
        patientShare: 60,
        filing: 'MB',
        payerClaim: 'MCR26020006',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 240,
            units: 1,
            dos: '20260109',
            control: 'P006-1',
            adjustments: paid(400, 240, 60),
          },
        ],
      },
      // A split claim (MA15): two CLPs for one CLM01.
      {
        id: 'E2E-P-007',
        status: '1',
        patientShare: 60,
        filing: 'MB',
        payerClaim: 'MCR26020071',
        facility: '11',
        frequency: '1',
        moa: ['MA15'],
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 240,
            units: 1,
            dos: '20260110',
            control: 'P007-1',
            adjustments: paid(400, 240, 60),
          },
        ],
      },
      {
        id: 'E2E-P-007',
        status: '4',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26020072',
        facility: '11',
        frequency: '1',
        moa: ['MA15'],
        lines: [
          {
            code: 'J9271',
            charge: 6000,
            paid: 0,
            units: 20,
            dos: '20260110',
            control: 'P007-2',
            adjustments: [{ group: 'CO', carc: '16', amount: 6000 }],
            rarcs: ['M119'],
          },
        ],
      },
      {
        id: 'E2E-P-008',
        status: '4',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26020008',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 0,
            units: 1,
            dos: '20250102',
            control: 'P008-1',
            adjustments: [{ group: 'CO', carc: '29', amount: 400 }],
          },
        ],
      },
      // Unmatched: no 837 has this CLM01.
      {
        id: 'E2E-P-999',
        status: '4',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26020999',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 0,
            units: 1,
            dos: '20260111',
            adjustments: [{ group: 'CO', carc: '18', amount: 400 }],
          },
        ],
      },
    ],
  })
  files['835-commercial-2026-02-05.x12'] = file835({
    control: 3002,
    date: '20260205',
    payDate: '20260205',
    payer: COM,
    trace: 'E2ECHK0205',
    claims: [
      {
        id: 'E2E-C-101',
        status: '1',
        patientShare: 50,
        filing: 'CI',
        payerClaim: 'COM0205101',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: 'J9299',
            charge: 8000,
            paid: 0,
            units: 240,
            dos: '20260112',
            control: 'C101-1',
            adjustments: [{ group: 'CO', carc: '197', amount: 8000 }],
          },
          {
            code: '96413',
            charge: 400,
            paid: 300,
            units: 1,
            dos: '20260112',
            control: 'C101-2',
            adjustments: paid(400, 300, 50, 'PR', '3'),
          },
        ],
      },
      {
        id: 'E2E-C-102',
        status: '1',
        patientShare: 50,
        filing: 'CI',
        payerClaim: 'COM0205102',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: 'J9299',
            charge: 8000,
            paid: 0,
            units: 240,
            dos: '20260113',
            control: 'C102-1',
            adjustments: [{ group: 'CO', carc: '197', amount: 8000 }],
          },
          {
            code: '96413',
            charge: 400,
            paid: 300,
            units: 1,
            dos: '20260113',
            control: 'C102-2',
            adjustments: paid(400, 300, 50, 'PR', '3'),
          },
        ],
      },
      {
        id: 'E2E-C-103',
        status: '1',
        patientShare: 200,
        filing: 'CI',
        payerClaim: 'COM0205103',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '99214',
            charge: 200,
            paid: 0,
            units: 1,
            dos: '20260114',
            control: 'C103-1',
            adjustments: [{ group: 'PR', carc: '1', amount: 200 }],
          },
        ],
      },
    ],
  })
  files['835-medicare-parta-2026-02-06.x12'] = file835({
    control: 3003,
    date: '20260206',
    payDate: '20260206',
    payer: MCRA,
    trace: 'E2EEFT0206',
    claims: [
      {
        id: 'E2E-I-201',
        status: '1',
        patientShare: 100,
        filing: 'MA',
        payerClaim: 'MCRA2602201',
        facility: '13',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 900,
            paid: 600,
            units: 1,
            dos: '20260115',
            control: 'I201-1',
            revenue: '0335',
            adjustments: paid(900, 600, 100),
          },
          // CARC 15 was deactivated on 2018-05-01, yet slow payers still send it.
          {
            code: 'J9271',
            charge: 9000,
            paid: 0,
            units: 20,
            dos: '20260115',
            control: 'I201-2',
            revenue: '0636',
            adjustments: [{ group: 'CO', carc: '15', amount: 9000 }],
          },
        ],
      },
    ],
  })
  // A month later: a reversal of E2E-P-006 with its corrected CLP, and the payment of the
  // corrected (frequency-7) E2E-P-003.
  files['835-medicare-2026-03-02.x12'] = file835({
    control: 3004,
    date: '20260302',
    payDate: '20260302',
    payer: MCR,
    trace: 'E2EEFT0302',
    claims: [
      {
        id: 'E2E-P-006',
        status: '22',
        patientShare: -60,
        filing: 'MB',
        payerClaim: 'MCR26020006',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: -400,
            paid: -240,
            units: -1,
            dos: '20260109',
            control: 'P006-1',
            adjustments: [
              { group: 'CO', carc: '45', amount: -100 },
              { group: 'PR', carc: '2', amount: -60 },
            ],
          },
        ],
      },
      {
        id: 'E2E-P-006',
        status: '1',
        patientShare: 20,
        filing: 'MB',
        payerClaim: 'MCR26030006',
        facility: '11',
        frequency: '1',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 280,
            units: 1,
            dos: '20260109',
            control: 'P006-1',
            adjustments: paid(400, 280, 20),
          },
        ],
      },
      {
        id: 'E2E-P-003',
        status: '1',
        patientShare: 0,
        filing: 'MB',
        payerClaim: 'MCR26030003',
        facility: '11',
        frequency: '7',
        lines: [
          {
            code: '96413',
            charge: 400,
            paid: 320,
            units: 1,
            dos: '20260107',
            control: 'P003-1',
            adjustments: paid(400, 320, 0),
          },
          {
            code: 'J9045',
            charge: 300,
            paid: 240,
            units: 10,
            dos: '20260107',
            control: 'P003-2',
            adjustments: paid(300, 240, 0),
          },
        ],
      },
    ],
  })
  files['payers.csv'] = [
    'payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days',
    'MCR01,MEDICARE PART B EXAMPLE,medicare,,,',
    'MCRA1,MEDICARE PART A EXAMPLE,medicare,,,',
    'COM01,EXAMPLE COMMERCIAL HEALTH PLAN,commercial,,60,120',
    '',
  ].join('\n')
  return files
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'e2e')
  mkdirSync(out, { recursive: true })
  for (const [name, text] of Object.entries(buildE2eFixtures())) writeFileSync(join(out, name), text)
  console.log(`wrote ${Object.keys(buildE2eFixtures()).length} files to ${out}`)
}
