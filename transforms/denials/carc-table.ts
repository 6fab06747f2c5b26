import { type IsoDate, isValidIsoDate } from '../../parsers/dates.js'
import { fieldOf, parseCsvTable } from './csv-records.js'
import { DenialError } from './denial-error.js'
import { REWORK_QUEUES, type ReworkAction, type ReworkQueue } from './denial-types.js'

/** The CAS groups that have a queue column in carc-rules.csv (5010 enums; CR is read as OA). */
export const CARC_TABLE_GROUPS = ['CO', 'PR', 'OA', 'PI'] as const
/** One of {@link CARC_TABLE_GROUPS}. */
export type CarcTableGroup = (typeof CARC_TABLE_GROUPS)[number]

/** A queue, or `none` for adjustments that need no rework (PR-1/2/3, CO-45, CO-253, OA-23). */
export type CarcQueue = ReworkQueue | 'none'

/** The actions a rule may name (same strings as `ReworkAction`). */
export const REWORK_ACTIONS: readonly ReworkAction[] = [
  'corrected_claim',
  'appeal',
  'write_off',
  'verify',
  'bill_other_payer',
  'send_records',
  'resubmit',
]

/** One row of carc-rules.csv: how a CARC (optionally with one RARC) routes, per CAS group. */
export interface CarcRule {
  code: string
  /** Set on RARC-specific rows (e.g. 16 + M119); `undefined` on the code's base row. */
  rarc: string | undefined
  status: 'active' | 'deactivated'
  startDate: IsoDate | undefined
  lastModified: IsoDate | undefined
  /** X12 stop date; the code is deactivated for remits on or after it. */
  stopDate: IsoDate | undefined
  queues: Record<CarcTableGroup, CarcQueue>
  action: ReworkAction
  /** Our paraphrase of the code's meaning (never X12's description text). */
  summary: string
  guidance: string
  /** Guidance used under group PR when set (e.g. PR-50: bill the patient only with an ABN). */
  guidancePr: string | undefined
  /** CSV line the rule came from. */
  line: number
}

/** The CARC table indexed by code, built by {@link parseCarcRules}. */
export interface CarcTable {
  /** Base rows by CARC (upper case, e.g. `4`, `B15`). */
  readonly byCode: ReadonlyMap<string, CarcRule>
  /** RARC-specific rows by `CARC|RARC` (e.g. `16|M119`). */
  readonly byCodeAndRarc: ReadonlyMap<string, CarcRule>
}

const REQUIRED_COLUMNS = [
  'code',
  'rarc',
  'status',
  'start_date',
  'last_modified',
  'stop_date',
  'queue_co',
  'queue_pr',
  'queue_oa',
  'queue_pi',
  'action',
  'summary',
  'guidance',
] as const

/** Normalizes a CARC as remits spell it: trimmed, upper case, leading zeros dropped (`04` → `4`). */
export function normalizeCarc(code: string): string {
  const trimmed = code.trim().toUpperCase()
  return /^\d+$/.test(trimmed) ? String(Number(trimmed)) : trimmed
}

function isCarcQueue(value: string): value is CarcQueue {
  return value === 'none' || (REWORK_QUEUES as readonly string[]).includes(value)
}

function isReworkAction(value: string): value is ReworkAction {
  return (REWORK_ACTIONS as readonly string[]).includes(value)
}

/**
 * Parses the text of `fixtures/denials/carc-rules.csv` into a {@link CarcTable}. Pure: the caller
 * reads the file. A bad row is a failure of the product table, so it throws `DENIAL_CSV_ROW` with
 * its line and column rather than dropping the code silently.
 *
 * @example
 * ```ts
 * const table = parseCarcRules(await readFile('fixtures/denials/carc-rules.csv', 'utf8'))
 * findCarcRule(table, '4')?.queues.CO // 'coding'
 * ```
 */
export function parseCarcRules(csvText: string): CarcTable {
  const table = parseCsvTable(csvText, REQUIRED_COLUMNS, 'carc-rules')
  const byCode = new Map<string, CarcRule>()
  const byCodeAndRarc = new Map<string, CarcRule>()
  for (const record of table.records) {
    const get = (column: string): string => fieldOf(table, record, column)
    const fail = (column: string, expected: string): never => {
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `carc-rules line ${record.line}: expected ${column} to be ${expected}, found '${get(column)}'`,
        { line: record.line, column },
      )
    }
    const code = normalizeCarc(get('code'))
    if (!/^[A-Z]?\d+$/.test(code)) fail('code', 'a CARC such as 4 or B15')
    const rarcText = get('rarc').toUpperCase()
    const status = get('status')
    if (status !== 'active' && status !== 'deactivated') fail('status', 'active or deactivated')
    const date = (column: string): IsoDate | undefined => {
      const value = get(column)
      if (value === '') return undefined
      if (!isValidIsoDate(value)) fail(column, 'a YYYY-MM-DD date or blank')
      return value
    }
    const queue = (column: string): CarcQueue => {
      const value = get(column)
      if (!isCarcQueue(value)) return fail(column, `one of ${[...REWORK_QUEUES, 'none'].join('/')}`)
      return value
    }
    const action = get('action')
    if (!isReworkAction(action)) fail('action', `one of ${REWORK_ACTIONS.join('/')}`)
    const rule: CarcRule = {
      code,
      rarc: rarcText === '' ? undefined : rarcText,
      status: status === 'deactivated' ? 'deactivated' : 'active',
      startDate: date('start_date'),
      lastModified: date('last_modified'),
      stopDate: date('stop_date'),
      queues: { CO: queue('queue_co'), PR: queue('queue_pr'), OA: queue('queue_oa'), PI: queue('queue_pi') },
      action: isReworkAction(action) ? action : 'verify',
      summary: get('summary'),
      guidance: get('guidance'),
      guidancePr: get('guidance_pr') === '' ? undefined : get('guidance_pr'),
      line: record.line,
    }
    const key = rule.rarc === undefined ? code : `${code}|${rule.rarc}`
    const target = rule.rarc === undefined ? byCode : byCodeAndRarc
    const earlier = target.get(key)
    if (earlier !== undefined) {
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `carc-rules line ${record.line}: code ${key} already defined on line ${earlier.line}`,
        { line: record.line, column: 'code' },
      )
    }
    target.set(key, rule)
  }
  for (const [key, rule] of byCodeAndRarc) {
    if (!byCode.has(rule.code)) {
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `carc-rules line ${rule.line}: RARC row ${key} has no base row for code ${rule.code}`,
        { line: rule.line, column: 'code' },
      )
    }
  }
  return { byCode, byCodeAndRarc }
}

/** The base rule of a CARC (`'04'`, `' b15'` are normalized), or `undefined` when the code is unknown. */
export function findCarcRule(table: CarcTable, code: string): CarcRule | undefined {
  return table.byCode.get(normalizeCarc(code))
}

/**
 * The rule for a CARC read together with the claim's or line's RARCs: the first RARC (in the
 * order given) that has a specific row wins, else the code's base row. CARC 16 means "see the
 * remark", so its RARC names the fix (M119 NDC → coding, M62 authorization → authorization).
 */
export function resolveCarcRule(
  table: CarcTable,
  code: string,
  rarcs: readonly string[],
): CarcRule | undefined {
  const carc = normalizeCarc(code)
  for (const rarc of rarcs) {
    const specific = table.byCodeAndRarc.get(`${carc}|${rarc.trim().toUpperCase()}`)
    if (specific !== undefined) return specific
  }
  return table.byCode.get(carc)
}

/** Every CARC of the table's base rows (for coverage checks against the X12 list). */
export function carcCodes(table: CarcTable): string[] {
  return [...table.byCode.keys()]
}
