import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Cents } from '../../parsers/money.js'
import { formatX12Amount } from '../../parsers/money.js'

/**
 * Synthetic oncology X12 for benchmarks and load tests: 835 remittances and 837P claims with
 * made-up people and providers, streamed in ~64 KiB chunks so that any size can be produced in flat
 * memory. Seeded: the same options give the same bytes.
 *
 * @example
 * ```ts
 * await writeX12File('/tmp/remit.835', generate835(100_000, { seed: 7 }))
 * for await (const chunk of generate837P(1000)) reader.write(chunk)
 * ```
 */

/** Options shared by the generators. */
export interface GenerateOptions {
  /** PRNG seed (default 1). */
  seed?: number
  /** Claims per ST..SE (default 5000): big payer files split their claims over several sets. */
  claimsPerTransaction?: number
  /** Interchange control number of the first ISA (default 1). */
  firstControl?: number
  /** Line break written after each terminator (default `'\n'`; `''` for one long line). */
  lineBreak?: string
  /** Claims numbered from this one (837P, default 1): files of one batch get distinct claim ids. */
  firstClaim?: number
}

/** Options of {@link generate835}. */
export interface Generate835Options extends GenerateOptions {
  /** Share of service lines denied (default 0.15). */
  denialRate?: number
  /**
   * CARCs used for denied lines, all in group CO (default 4 modifier, 97 bundled, 151 frequency,
   * 50 not medically necessary, 197 no prior authorization: the oncology denials of DOMAIN.md §8).
   */
  denialCarcs?: readonly string[]
  /** Share of claims that come as a reversal (CLP02 22) followed by the correction (default 0.01). */
  reversalRate?: number
  /** BPR16 payment date, CCYYMMDD (default `20260201`); DTM*405 is the day before. */
  paymentDate?: string
}

/** Mulberry32: a small, fast, seedable PRNG (public domain). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const LAST_NAMES = [
  'TESTPERSON',
  'SAMPLEDOE',
  'EXAMPLEROE',
  'FICTIVO',
  'MOCKSMITH',
  'PLACEHOLDA',
  'DUMMYJONES',
]
const FIRST_NAMES = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'GOLF', 'HOTEL']

/** Oncology services: HCPCS/CPT, modifiers, unit charge in cents, units, and an NDC for drugs. */
const SERVICES: readonly {
  code: string
  modifier?: string
  unitCharge: Cents
  units: number
  ndc?: string
  unit?: string
}[] = [
  { code: '96413', unitCharge: 35000, units: 1 },
  { code: '96415', unitCharge: 9000, units: 1 },
  { code: '96417', unitCharge: 15000, units: 1 },
  { code: '96375', unitCharge: 6500, units: 1 },
  { code: 'J9045', unitCharge: 3002, units: 30, ndc: '00703424401', unit: 'ML' },
  { code: 'J9045', modifier: 'JW', unitCharge: 3002, units: 5, ndc: '00703424401', unit: 'ML' },
  { code: 'J9267', unitCharge: 250, units: 300, ndc: '00703476001', unit: 'ML' },
  { code: 'J9271', unitCharge: 5850, units: 200, ndc: '00006302602', unit: 'ML' },
  { code: 'J1100', unitCharge: 150, units: 12, ndc: '63323016501', unit: 'ML' },
  { code: 'J2405', unitCharge: 120, units: 8, ndc: '00409175501', unit: 'ML' },
]
const DIAGNOSES = ['C3410', 'C50911', 'C189', 'C61', 'C250', 'C8338']

function pick<T>(random: () => number, list: readonly T[]): T {
  const value = list[Math.floor(random() * list.length)]
  if (value === undefined) throw new Error('empty list')
  return value
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function date(random: () => number): string {
  return `2026${pad(1 + Math.floor(random() * 12), 2)}${pad(1 + Math.floor(random() * 28), 2)}`
}

const amount = formatX12Amount

/** Batches segment strings into ~64 KiB UTF-8 chunks. */
class ChunkWriter {
  #parts: string[] = []
  #length = 0
  readonly #encoder = new TextEncoder()
  readonly #lineBreak: string

  constructor(lineBreak: string) {
    this.#lineBreak = lineBreak
  }

  segment(text: string): void {
    const line = `${text}~${this.#lineBreak}`
    this.#parts.push(line)
    this.#length += line.length
  }

  /** A chunk when enough text is buffered (or `force`), else `undefined`. */
  take(force = false): Uint8Array | undefined {
    if (this.#length === 0 || (!force && this.#length < 65536)) return undefined
    const chunk = this.#encoder.encode(this.#parts.join(''))
    this.#parts = []
    this.#length = 0
    return chunk
  }
}

function isa(control: number, functional: string): string[] {
  const c = pad(control, 9)
  return [
    `ISA*00*          *00*          *ZZ*ONCOSUBMIT01   *ZZ*PAYERRECV01    *260115*1200*^*00501*${c}*0*P*:`,
    `GS*${functional}*ONCOSUBMIT01*PAYERRECV01*20260115*1200*${control}*X*${functional === 'HP' ? '005010X221A1' : '005010X222A1'}`,
  ]
}

interface LinePayment {
  text: string[]
  charge: Cents
  paid: Cents
  patient: Cents
}

/**
 * Streams a synthetic 835 (005010X221A1) with `claimCount` claims. Balanced per DOMAIN.md §7: each
 * line SVC02 − SVC03 = Σ line CAS, each claim CLP03 − CLP04 = Σ CAS, and BPR02 = Σ CLP04 − Σ PLB.
 */
export async function* generate835(
  claimCount: number,
  options: Generate835Options = {},
): AsyncGenerator<Uint8Array> {
  const random = createRandom(options.seed ?? 1)
  const perSet = options.claimsPerTransaction ?? 5000
  const denialRate = options.denialRate ?? 0.15
  const denialCarcs = options.denialCarcs ?? ['4', '97', '151', '50', '197']
  const reversalRate = options.reversalRate ?? 0.01
  const paymentDate = options.paymentDate ?? '20260201'
  const productionDate = new Date(
    Date.UTC(+paymentDate.slice(0, 4), +paymentDate.slice(4, 6) - 1, +paymentDate.slice(6, 8) - 1),
  )
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '')
  const control = options.firstControl ?? 1
  const out = new ChunkWriter(options.lineBreak ?? '\n')
  const sets = Math.max(1, Math.ceil(claimCount / perSet))
  const [isaText, gsText] = isa(control, 'HP')
  out.segment(isaText ?? '')
  out.segment(gsText ?? '')
  let claimNumber = 0
  for (let set = 0; set < sets; set++) {
    const claimsHere = Math.min(perSet, claimCount - set * perSet)
    // The claims are built first (BPR02 needs their sum), one set at a time: a set of 5000 claims
    // is about 3 MB of text, which bounds the generator's memory.
    const body: string[] = []
    let totalPaid: Cents = 0
    for (let i = 0; i < claimsHere; i++) {
      claimNumber++
      const pcn = `PCN${pad(claimNumber, 9)}`
      const payerClaim = `PYR${pad(claimNumber, 11)}`
      const claim = buildClaim835(random, pcn, claimNumber, denialRate, denialCarcs)
      if (random() < reversalRate) {
        // The reversal negates the original payment; the correction follows (DOMAIN.md §7).
        body.push(...claimSegments(claim, payerClaim, '22', -1))
        totalPaid -= claim.paid
        body.push(...claimSegments(claim, payerClaim, '1', 1))
        totalPaid += claim.paid
      } else {
        body.push(...claimSegments(claim, payerClaim, claim.paid > 0 ? '1' : '4', 1))
        totalPaid += claim.paid
      }
    }
    const plb: Cents = claimsHere > 10 ? 2500 : 0
    const st = pad(set + 1, 4)
    const header = [
      `ST*835*${st}*005010X221A1`,
      `BPR*I*${amount(totalPaid - plb)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*${paymentDate}`,
      `TRN*1*EFT${pad(control, 4)}${st}*1512345678`,
      `DTM*405*${productionDate}`,
      'N1*PR*MEDICARE PART B SAMPLE*XV*12345',
      'N3*1 PAYER PLAZA',
      'N4*ANYTOWN*OH*43004',
      'REF*2U*12345',
      'N1*PE*SAMPLE CANCER CENTER*XX*1234567893',
      'N3*100 MAIN ST',
      'N4*ANYTOWN*OH*43004',
      'REF*TJ*123456789',
      'LX*1',
    ]
    for (const s of header) out.segment(s)
    let count = header.length
    for (const s of body) {
      out.segment(s)
      count++
      const chunk = out.take()
      if (chunk !== undefined) yield chunk
    }
    if (plb !== 0) {
      out.segment(`PLB*1234567893*20261231*WO:ADJ${st}*${amount(plb)}`)
      count++
    }
    out.segment(`SE*${count + 1}*${st}`)
  }
  out.segment(`GE*${sets}*${control}`)
  out.segment(`IEA*1*${pad(control, 9)}`)
  const last = out.take(true)
  if (last !== undefined) yield last
}

interface Claim835 {
  pcn: string
  patient: [string, string, string]
  renderingNpi: string
  date: string
  lines: LinePayment[]
  charge: Cents
  paid: Cents
  patientResponsibility: Cents
}

function buildClaim835(
  random: () => number,
  pcn: string,
  n: number,
  denialRate: number,
  denialCarcs: readonly string[],
): Claim835 {
  const day = date(random)
  const lineCount = 2 + Math.floor(random() * 4)
  const lines: LinePayment[] = []
  for (let l = 0; l < lineCount; l++) {
    const service = pick(random, SERVICES)
    const charge = service.unitCharge * service.units
    const code =
      service.modifier === undefined ? `HC:${service.code}` : `HC:${service.code}:${service.modifier}`
    const text: string[] = []
    let paid: Cents = 0
    let patient: Cents = 0
    if (random() < denialRate) {
      const carc = pick(random, denialCarcs)
      text.push(`SVC*${code}*${amount(charge)}*0**${service.units}`)
      text.push(`DTM*472*${day}`)
      text.push(`CAS*CO*${carc}*${amount(charge)}`)
      text.push(`REF*6R*${pcn}L${l + 1}`)
      text.push(carc === '4' ? 'LQ*HE*M114' : carc === '197' ? 'LQ*HE*N54' : 'LQ*HE*N130')
    } else {
      const allowed = Math.round(charge * 0.8)
      paid = Math.round(allowed * 0.8)
      patient = allowed - paid
      text.push(`SVC*${code}*${amount(charge)}*${amount(paid)}**${service.units}`)
      text.push(`DTM*472*${day}`)
      text.push(`CAS*CO*45*${amount(charge - allowed)}`)
      if (patient !== 0) text.push(`CAS*PR*2*${amount(patient)}`)
      text.push(`REF*6R*${pcn}L${l + 1}`)
      text.push(`AMT*B6*${amount(allowed)}`)
    }
    lines.push({ text, charge, paid, patient })
  }
  let charge = 0
  let paid = 0
  let patientResponsibility = 0
  for (const line of lines) {
    charge += line.charge
    paid += line.paid
    patientResponsibility += line.patient
  }
  return {
    pcn,
    patient: [pick(random, LAST_NAMES), pick(random, FIRST_NAMES), `9${pad(n, 9)}A`],
    renderingNpi: `1${pad(Math.floor(random() * 1e9), 9)}`,
    date: day,
    lines,
    charge,
    paid,
    patientResponsibility,
  }
}

/** Negates every amount of a segment (for a reversal, CLP02 = 22). */
function negate(segment: string, sign: 1 | -1): string {
  if (sign === 1) return segment
  const elements = segment.split('*')
  const id = elements[0]
  const money: Record<string, number[]> = { SVC: [2, 3], CAS: [3, 6, 9], AMT: [2] }
  for (const i of money[id ?? ''] ?? []) {
    const value = elements[i]
    if (value !== undefined && value !== '' && value !== '0')
      elements[i] = value.startsWith('-') ? value.slice(1) : `-${value}`
  }
  return elements.join('*')
}

function claimSegments(claim: Claim835, payerClaim: string, status: string, sign: 1 | -1): string[] {
  const s = (cents: Cents): string => amount(sign * cents)
  const out = [
    `CLP*${claim.pcn}*${status}*${s(claim.charge)}*${s(claim.paid)}*${s(claim.patientResponsibility)}*MB*${payerClaim}*11*1`,
    `NM1*QC*1*${claim.patient[0]}*${claim.patient[1]}****MI*${claim.patient[2]}`,
    `NM1*82*1*ONCOLOGIST*SAMPLE****XX*${claim.renderingNpi}`,
    `REF*EA*MRN${claim.pcn.slice(3)}`,
    `DTM*232*${claim.date}`,
    `DTM*233*${claim.date}`,
    `DTM*050*${claim.date}`,
  ]
  for (const line of claim.lines) for (const segment of line.text) out.push(negate(segment, sign))
  return out
}

/**
 * Streams a synthetic 837P (005010X222A1) with `claimCount` oncology claims: chemotherapy
 * administration (96413/96415/96417) with carboplatin, paclitaxel or pembrolizumab lines carrying
 * their NDC (loop 2410 LIN*N4 + CTP), made-up subscribers who are the patients.
 */
export async function* generate837P(
  claimCount: number,
  options: GenerateOptions = {},
): AsyncGenerator<Uint8Array> {
  const random = createRandom(options.seed ?? 1)
  const perSet = options.claimsPerTransaction ?? 5000
  const control = options.firstControl ?? 1
  const out = new ChunkWriter(options.lineBreak ?? '\n')
  const sets = Math.max(1, Math.ceil(claimCount / perSet))
  const [isaText, gsText] = isa(control, 'HC')
  out.segment(isaText ?? '')
  out.segment(gsText ?? '')
  let claimNumber = (options.firstClaim ?? 1) - 1
  for (let set = 0; set < sets; set++) {
    const claimsHere = Math.min(perSet, claimCount - set * perSet)
    const st = pad(set + 1, 4)
    let count = 0
    const emit = (segment: string): void => {
      out.segment(segment)
      count++
    }
    emit(`ST*837*${st}*005010X222A1`)
    emit(`BHT*0019*00*B${pad(control, 4)}${st}*20260115*1200*CH`)
    emit('NM1*41*2*SAMPLE CANCER CENTER*****46*123456789')
    emit('PER*IC*BILLING OFFICE*TE*5555550100')
    emit('NM1*40*2*MEDICARE PART B SAMPLE*****46*12345')
    emit('HL*1**20*1')
    emit('NM1*85*2*SAMPLE CANCER CENTER*****XX*1234567893')
    emit('N3*100 MAIN ST')
    emit('N4*ANYTOWN*OH*430041234')
    emit('REF*EI*123456789')
    for (let i = 0; i < claimsHere; i++) {
      claimNumber++
      const day = date(random)
      emit(`HL*${i + 2}*1*22*0`)
      emit('SBR*P*18*******MB')
      emit(`NM1*IL*1*${pick(random, LAST_NAMES)}*${pick(random, FIRST_NAMES)}****MI*9${pad(claimNumber, 9)}A`)
      emit(`N3*${1 + Math.floor(random() * 999)} TEST LANE`)
      emit('N4*ANYTOWN*OH*430041234')
      emit(`DMG*D8*19${40 + Math.floor(random() * 50)}0101*${random() < 0.5 ? 'F' : 'M'}`)
      emit('NM1*PR*2*MEDICARE PART B SAMPLE*****PI*12345')
      const lineCount = 2 + Math.floor(random() * 4)
      const lines = Array.from({ length: lineCount }, () => pick(random, SERVICES))
      const total = lines.reduce((sum, s) => sum + s.unitCharge * s.units, 0)
      emit(`CLM*PCN${pad(claimNumber, 9)}*${amount(total)}***11:B:1*Y*A*Y*Y`)
      if (lines.some((s) => s.code === 'J9271')) emit(`REF*G1*AUTH${pad(claimNumber, 8)}`)
      emit(`HI*ABK:${pick(random, DIAGNOSES)}`)
      emit(`NM1*82*1*ONCOLOGIST*SAMPLE****XX*1${pad(Math.floor(random() * 1e9), 9)}`)
      emit('PRV*PE*PXC*207RX0202X')
      for (const [l, service] of lines.entries()) {
        const code =
          service.modifier === undefined ? `HC:${service.code}` : `HC:${service.code}:${service.modifier}`
        emit(`LX*${l + 1}`)
        emit(`SV1*${code}*${amount(service.unitCharge * service.units)}*UN*${service.units}***1`)
        emit(`DTP*472*D8*${day}`)
        emit(`REF*6R*PCN${pad(claimNumber, 9)}L${l + 1}`)
        if (service.ndc !== undefined) {
          emit(`LIN**N4*${service.ndc}`)
          emit(`CTP****${service.units}*${service.unit ?? 'UN'}`)
        }
      }
      const chunk = out.take()
      if (chunk !== undefined) yield chunk
    }
    out.segment(`SE*${count + 1}*${st}`)
  }
  out.segment(`GE*${sets}*${control}`)
  out.segment(`IEA*1*${pad(control, 9)}`)
  const last = out.take(true)
  if (last !== undefined) yield last
}

/** Writes a generated stream to a file; returns its size in bytes. */
export async function writeX12File(path: string, source: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      bytes += chunk.length
      yield chunk
    }
  }
  await pipeline(Readable.from(counted()), createWriteStream(path))
  return bytes
}
