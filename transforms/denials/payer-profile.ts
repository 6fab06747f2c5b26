import type { CsvProblem } from '../../parsers/csv/csv-reader.js'
import { readCsv } from '../../parsers/csv/csv-reader.js'
import { NUMBER_LIMITS } from '../../parsers/csv/field-limits.js'
import type { DenialErrorCode } from './denial-error.js'
import { DenialError } from './denial-error.js'
import {
  DRUG_AUTHORIZATION_POLICIES,
  type DrugAuthorizationPolicy,
  PAYER_CLASSES,
  type PayerClass,
  type PayerProfile,
} from './denial-types.js'

/** The required columns of a payer profile CSV (`onco-edi payers import FILE.csv`), in any order. */
export const PAYER_PROFILE_COLUMNS = [
  'payer_id',
  'name',
  'payer_class',
  'timely_filing_days',
  'corrected_claim_days',
  'appeal_days',
] as const

/**
 * Optional columns: the claim requirements scrub reads. A file without them (the first release's
 * format) still imports, and a blank value takes the payer class default ({@link payerRequirements}).
 */
export const PAYER_PROFILE_OPTIONAL_COLUMNS = ['requires_ndc', 'jw_jz_required', 'drug_prior_auth'] as const

/** A row that was not imported (or, for a warning, imported with a remark): line, column, code, why. */
export interface PayerProfileReject {
  line: number
  /** 1-based column of the field at fault, when one is. */
  column?: number | undefined
  code: DenialErrorCode
  reason: string
}

/** The result of {@link parsePayerProfilesCsv}: every good row, every bad row with its reason, warnings. */
export interface PayerProfileParseResult {
  profiles: PayerProfile[]
  rejects: PayerProfileReject[]
  warnings: PayerProfileReject[]
}

const CODES: Record<CsvProblem, DenialErrorCode> = {
  encoding: 'DENIAL_CSV_ENCODING',
  syntax: 'DENIAL_CSV_SYNTAX',
  control: 'DENIAL_CSV_CONTROL_CHAR',
  too_long: 'DENIAL_CSV_TOO_LONG',
}

/**
 * Parses a payer profile CSV (bytes or text):
 * `payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days` and optionally
 * `requires_ndc,jw_jz_required,drug_prior_auth`. Bytes are decoded as `parsers/csv/csv-reader.ts`
 * says (UTF-8, else Windows-1252 with a warning). Findings, not failures: a bad row goes to
 * `rejects` with its line, column, code and reason, and the good rows are all kept. Only a missing
 * header column throws (`DENIAL_CSV_HEADER`). Blank day columns fall back to the payer class
 * defaults; a repeated payer_id is rejected (the first row wins).
 *
 * @example
 * ```ts
 * const { profiles, rejects } = parsePayerProfilesCsv(text)
 * // rejects: [{ line: 4, column: 3, code: 'DENIAL_CSV_ROW', reason: "payer_class: expected one of medicare/…, found 'medicar'" }]
 * ```
 */
export function parsePayerProfilesCsv(input: Uint8Array | string): PayerProfileParseResult {
  const read = readCsv(input)
  const header = read.header
  if (header === undefined) {
    throw new DenialError(
      'DENIAL_CSV_HEADER',
      `payer profiles: expected a header line, found ${read.rejects[0]?.message ?? 'no records'}`,
      { line: read.rejects[0]?.line ?? 1 },
    )
  }
  const index = new Map<string, number>()
  for (const column of PAYER_PROFILE_COLUMNS) {
    const at = header.indexOf(column)
    if (at < 0) {
      throw new DenialError(
        'DENIAL_CSV_HEADER',
        `payer profiles: expected a column '${column}' in the header on line ${read.headerLine}, found ${header.join(',')}`,
        { line: read.headerLine, column },
      )
    }
    index.set(column, at)
  }
  for (const column of PAYER_PROFILE_OPTIONAL_COLUMNS) {
    const at = header.indexOf(column)
    if (at >= 0) index.set(column, at)
  }
  const named = (problem: {
    line: number
    column: number | undefined
    message: string
    problem: CsvProblem
  }) => ({
    line: problem.line,
    column: problem.column,
    code: CODES[problem.problem],
    reason: `${problem.column === undefined ? '' : `${header[problem.column - 1] ?? `field ${problem.column}`}: `}${problem.message}`,
  })
  const profiles: PayerProfile[] = []
  const rejects: PayerProfileReject[] = read.rejects.map(named)
  const firstLineOf = new Map<string, number>()
  for (const record of read.records) {
    const reasons: string[] = []
    let first: { column: number | undefined; code: DenialErrorCode } | undefined
    const problem = (column: string | undefined, why: string, code: DenialErrorCode = 'DENIAL_CSV_ROW') => {
      if (first === undefined) {
        const at = column === undefined ? undefined : index.get(column)
        first = { column: at === undefined ? undefined : at + 1, code }
      }
      reasons.push(why)
    }
    const get = (column: string): string => (record.fields[index.get(column) ?? -1] ?? '').trim()
    if (record.fields.length !== header.length)
      problem(undefined, `expected ${header.length} fields, found ${record.fields.length}`)
    const payerId = get('payer_id')
    if (payerId === '') problem('payer_id', 'payer_id: expected a value, found blank')
    const name = get('name')
    if (name === '') problem('name', 'name: expected a value, found blank')
    const classText = get('payer_class').toLowerCase()
    const payerClass = PAYER_CLASSES.find((c) => c === classText)
    if (payerClass === undefined)
      problem(
        'payer_class',
        `payer_class: expected one of ${PAYER_CLASSES.join('/')}, found '${get('payer_class')}'`,
      )
    const days = (
      column: 'timely_filing_days' | 'corrected_claim_days' | 'appeal_days',
    ): number | undefined => {
      const value = get(column)
      if (value === '') return undefined
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > NUMBER_LIMITS.days) {
        problem(
          column,
          `${column}: expected a whole number of days from 1 to ${NUMBER_LIMITS.days} or blank, found '${shorten(value)}'`,
        )
        return undefined
      }
      return Number(value)
    }
    const timelyFilingDays = days('timely_filing_days')
    const correctedClaimDays = days('corrected_claim_days')
    const appealDays = days('appeal_days')
    const flag = (column: 'requires_ndc' | 'jw_jz_required'): boolean | undefined => {
      const value = get(column).toLowerCase()
      if (value === '') return undefined
      if (TRUE.has(value)) return true
      if (FALSE.has(value)) return false
      problem(column, `${column}: expected true, false or blank, found '${shorten(get(column))}'`)
      return undefined
    }
    const requiresNdc = flag('requires_ndc')
    const jwJzRequired = flag('jw_jz_required')
    const policyText = get('drug_prior_auth').toLowerCase()
    const drugAuthorization = DRUG_AUTHORIZATION_POLICIES.find((p) => p === policyText)
    if (policyText !== '' && drugAuthorization === undefined)
      problem(
        'drug_prior_auth',
        `drug_prior_auth: expected ${DRUG_AUTHORIZATION_POLICIES.join(' or ')} or blank, found '${shorten(get('drug_prior_auth'))}'`,
      )
    const earlier = payerId === '' ? undefined : firstLineOf.get(payerId)
    if (earlier !== undefined && reasons.length === 0)
      problem('payer_id', `payer_id: '${payerId}' already defined on line ${earlier}`, 'DENIAL_CSV_DUPLICATE')
    if (first !== undefined || payerClass === undefined) {
      rejects.push({
        line: record.line,
        column: first?.column,
        code: first?.code ?? 'DENIAL_CSV_ROW',
        reason: reasons.join('; '),
      })
      continue
    }
    firstLineOf.set(payerId, record.line)
    profiles.push({
      payerId,
      name,
      payerClass,
      timelyFilingDays,
      correctedClaimDays,
      appealDays,
      requiresNdc,
      jwJzRequired,
      drugAuthorization,
    })
  }
  rejects.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0))
  return { profiles, rejects, warnings: read.warnings.map(named) }
}

const TRUE = new Set(['true', 'yes', 'y', '1'])
const FALSE = new Set(['false', 'no', 'n', '0'])

/** A value quoted in a message: at most 40 characters. */
function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value
}

/** A payer's claim requirements with the class defaults filled in. */
export interface PayerRequirements {
  requiresNdc: boolean
  jwJzRequired: boolean
  drugAuthorization: DrugAuthorizationPolicy
}

/**
 * The claim requirements of a payer: the profile's own values, else the defaults of its class.
 * - NDC on drug lines: Medicaid, for the drug rebate program's physician-administered drugs
 *   (Deficit Reduction Act of 2005 §6002; 42 U.S.C. 1396r-8(a)(7)).
 * - JW/JZ on single-dose container drugs: traditional Medicare Part B (CMS "JW and JZ Modifier
 *   Policy" FAQ; Medicare Claims Processing Manual, Pub. 100-04, ch. 17 §40).
 * - Drug prior authorization: none for traditional Medicare. Medicare fee-for-service has no
 *   prior authorization program for Part B drugs given in a physician office: its programs cover
 *   the DMEPOS items of 42 CFR 414.234 and the hospital outpatient department services listed
 *   under 42 CFR 419.83 (CMS OPD prior authorization list). Medicare Advantage, commercial and
 *   Medicaid plans keep their own lists: the editable `fixtures/scrub/auth-required-drugs.csv`.
 *
 * @example
 * ```ts
 * payerRequirements({ ...profile, payerClass: 'medicare' }).drugAuthorization // 'none'
 * ```
 */
export function payerRequirements(profile: PayerProfile): PayerRequirements {
  return {
    requiresNdc: profile.requiresNdc ?? profile.payerClass === 'medicaid',
    jwJzRequired: profile.jwJzRequired ?? profile.payerClass === 'medicare',
    drugAuthorization: profile.drugAuthorization ?? (profile.payerClass === 'medicare' ? 'none' : 'list'),
  }
}

/**
 * Claim filing indicator codes (X12 element 1032, used in 837 SBR09 and 835 CLP06; code list of
 * 005010X222A1/X221A1) → payer class for the deadline defaults. Medicare Part A/B are `MA`/`MB`;
 * `16` is "Health Maintenance Organization (HMO) Medicare Risk", i.e. Medicare Advantage; `MC`
 * is Medicaid. The other private and federal programs take the contract (commercial) defaults.
 * `ZZ` (mutually defined) and unknown codes map to nothing: the payer profile must say.
 */
export const FILING_INDICATOR_PAYER_CLASSES: Readonly<Record<string, PayerClass>> = {
  MA: 'medicare',
  MB: 'medicare',
  MC: 'medicaid',
  '16': 'medicare_advantage',
  '11': 'commercial', // other non-federal programs
  '12': 'commercial', // PPO
  '13': 'commercial', // POS
  '14': 'commercial', // EPO
  '15': 'commercial', // indemnity insurance
  '17': 'commercial', // dental maintenance organization
  AM: 'commercial', // automobile medical
  BL: 'commercial', // Blue Cross/Blue Shield
  CH: 'commercial', // CHAMPUS (TRICARE)
  CI: 'commercial', // commercial insurance company
  DS: 'commercial', // disability
  FI: 'commercial', // Federal Employees Program
  HM: 'commercial', // HMO
  LM: 'commercial', // liability medical
  OF: 'commercial', // other federal program
  TV: 'commercial', // Title V
  VA: 'commercial', // Veterans Affairs plan
  WC: 'commercial', // workers' compensation
}

/**
 * The payer class of a claim filing indicator (837 SBR09 or 835 CLP06), or `undefined` when the
 * code is blank, `ZZ` or unknown. Pass `table` to use an edited map.
 */
export function payerClassFromFilingIndicator(
  code: string | undefined,
  table: Readonly<Record<string, PayerClass>> = FILING_INDICATOR_PAYER_CLASSES,
): PayerClass | undefined {
  if (code === undefined) return undefined
  const key = code.trim().toUpperCase()
  return Object.hasOwn(table, key) ? table[key] : undefined
}
