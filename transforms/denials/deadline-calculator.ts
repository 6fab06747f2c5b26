import { addDays, addMonths, daysBetween, type IsoDate } from '../../parsers/dates.js'
import { fieldOf, parseCsvTable } from './csv-records.js'
import { DenialError } from './denial-error.js'
import {
  type DeadlineClock,
  type DenialFlag,
  PAYER_CLASSES,
  type PayerClass,
  type PayerProfile,
  type ReworkAction,
  type ReworkDeadline,
} from './denial-types.js'

/** The rework clocks (42 CFR 424.44 filing, 42 CFR 405.942 redetermination, contract limits), plus the warning buffer row. */
export const DEADLINE_EVENTS = ['filing', 'corrected_claim', 'appeal', 'reopening', 'warning_buffer'] as const
/** One of {@link DEADLINE_EVENTS}. */
export type DeadlineEvent = (typeof DEADLINE_EVENTS)[number]

/** The date a clock starts from. */
export const DEADLINE_BASES = ['dos', 'remit_date', 'through_date'] as const
/** One of {@link DEADLINE_BASES}. */
export type DeadlineBasis = (typeof DEADLINE_BASES)[number]

/** 837 claim type, for rules that differ between Part B (line DOS) and institutional (Through date). */
export type ClaimType = 'professional' | 'institutional'

/** Used when deadline-rules.csv has no `warning_buffer` row: 14 days, a common practice buffer for authorization renewals (editable). */
export const DEFAULT_WARNING_BUFFER_DAYS = 14

/** One row of deadline-rules.csv. */
export interface DeadlineRule {
  /** A payer class, or `*` for every class (warning_buffer only). */
  payerClass: PayerClass | '*'
  event: DeadlineEvent
  claimType: ClaimType | undefined
  /** `CO-29` (group and code) or `29` (any group); `undefined` for every CARC. */
  carc: string | undefined
  basis: DeadlineBasis | undefined
  limitDays: number | undefined
  limitMonths: number | undefined
  lowConfidence: boolean
  appealable: boolean
  source: string
  note: string
  line: number
}

/** The parsed deadline table. */
export interface DeadlineRules {
  rules: DeadlineRule[]
  /** Days ahead of a deadline to warn (the `warning_buffer` row, else {@link DEFAULT_WARNING_BUFFER_DAYS}). */
  warningBufferDays: number
}

/** What {@link computeDeadline} reads about one rework item. */
export interface DeadlineInput {
  action: ReworkAction
  /** The payer's profile, when one was imported; its days override the class defaults. */
  payer: PayerProfile | undefined
  /** The class to use when there is no profile (e.g. from CLP06/SBR09). A profile's class wins. */
  payerClass: PayerClass
  /** The line's From date of service (837 DTP*472), else the claim's. */
  serviceDate: IsoDate
  /** The claim's Through date (institutional). Falls back to `serviceDate`. */
  throughDate?: IsoDate
  remitDate: IsoDate
  /** `GROUP-CARC` strings as the classifier returns them (`CO-29`), or bare CARCs. */
  carcs: string[]
  /** Defaults to `institutional` when `throughDate` is set, else `professional`. */
  claimType?: ClaimType
}

/**
 * The clocks that bound each action (a corrected claim is bounded by the filing and
 * the correction clocks, an appeal by the appeal clock). Records requests are answered inside the
 * appeal window; a verification usually ends in a corrected or new claim; billing another payer
 * uses this class's filing clock as a proxy (the other payer's own limit is unknown here).
 */
export const ACTION_CLOCKS: Readonly<Record<ReworkAction, readonly DeadlineClock[]>> = {
  corrected_claim: ['filing', 'corrected_claim'],
  appeal: ['appeal'],
  send_records: ['appeal'],
  verify: ['filing', 'corrected_claim'],
  bill_other_payer: ['filing'],
  // A claim rejected before adjudication (277CA A3/A6/A7/A8) was never filed: 42 CFR 424.44(a)(1)
  // and IOM 100-04 ch. 1 §80.3.2 (a claim returned as unprocessable is not a filed claim), so only
  // the timely filing clock bounds its resubmission.
  resubmit: ['filing'],
  write_off: [],
}

const REQUIRED_COLUMNS = [
  'payer_class',
  'event',
  'claim_type',
  'carc',
  'basis',
  'limit_days',
  'limit_months',
  'confidence',
  'appealable',
  'source',
] as const

/** Default basis per event when a payer profile sets days for an event the class table lacks. */
const PROFILE_BASIS: Record<'filing' | 'corrected_claim' | 'appeal', DeadlineBasis> = {
  filing: 'dos',
  corrected_claim: 'remit_date',
  appeal: 'remit_date',
}

const BASIS_LABEL: Record<DeadlineBasis, string> = {
  dos: 'DOS',
  remit_date: 'remit date',
  through_date: 'through date',
}

function parseCount(text: string): number | undefined {
  if (text === '') return undefined
  return /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
}

/**
 * Parses the text of `fixtures/denials/deadline-rules.csv` (a user-editable table). Pure: the
 * caller reads the file. A bad row throws `DENIAL_CSV_ROW` with its line and column, because a
 * silently skipped deadline rule would put a wrong date on every item of that class.
 */
export function parseDeadlineRules(csvText: string): DeadlineRules {
  const table = parseCsvTable(csvText, REQUIRED_COLUMNS, 'deadline-rules')
  const rules: DeadlineRule[] = []
  let warningBufferDays: number | undefined
  const seen = new Map<string, number>()
  for (const record of table.records) {
    const get = (column: string): string => fieldOf(table, record, column)
    const fail = (column: string, expected: string): DenialError =>
      new DenialError(
        'DENIAL_CSV_ROW',
        `deadline-rules line ${record.line}: expected ${column} to be ${expected}, found '${get(column)}'`,
        { line: record.line, column },
      )
    const payerClassText = get('payer_class').toLowerCase()
    const payerClass = payerClassText === '*' ? '*' : PAYER_CLASSES.find((c) => c === payerClassText)
    if (payerClass === undefined) throw fail('payer_class', `one of ${PAYER_CLASSES.join('/')} or *`)
    const event = DEADLINE_EVENTS.find((e) => e === get('event').toLowerCase())
    if (event === undefined) throw fail('event', `one of ${DEADLINE_EVENTS.join('/')}`)
    const claimTypeText = get('claim_type').toLowerCase()
    const claimType =
      claimTypeText === ''
        ? undefined
        : claimTypeText === 'professional'
          ? 'professional'
          : claimTypeText === 'institutional'
            ? 'institutional'
            : null
    if (claimType === null) throw fail('claim_type', 'professional, institutional or blank')
    const carcText = get('carc').toUpperCase()
    if (carcText !== '' && !/^([A-Z]{2}-)?[A-Z]?\d+$/.test(carcText))
      throw fail('carc', 'a CARC like CO-29 or 29, or blank')
    const basisText = get('basis').toLowerCase()
    const basis = basisText === '' ? undefined : DEADLINE_BASES.find((b) => b === basisText)
    if (basisText !== '' && basis === undefined)
      throw fail('basis', `one of ${DEADLINE_BASES.join('/')} or blank`)
    const limitDays = parseCount(get('limit_days'))
    if (Number.isNaN(limitDays)) throw fail('limit_days', 'a whole number of days or blank')
    const limitMonths = parseCount(get('limit_months'))
    if (Number.isNaN(limitMonths)) throw fail('limit_months', 'a whole number of months or blank')
    if (limitDays !== undefined && limitMonths !== undefined)
      throw fail('limit_months', 'blank when limit_days is set')
    const confidence = get('confidence').toLowerCase()
    if (confidence !== 'high' && confidence !== 'low') throw fail('confidence', 'high or low')
    const appealableText = get('appealable').toLowerCase()
    if (appealableText !== 'true' && appealableText !== 'false' && appealableText !== '') {
      throw fail('appealable', 'true, false or blank (true)')
    }
    const appealable = appealableText !== 'false'
    const hasLimit = limitDays !== undefined || limitMonths !== undefined
    if (event === 'warning_buffer') {
      if (limitDays === undefined) throw fail('limit_days', 'the buffer in days')
      if (payerClass === '*') warningBufferDays = limitDays
    } else if (appealable && (!hasLimit || basis === undefined)) {
      // Only a "not appealable" row may omit its clock.
      throw fail(hasLimit ? 'basis' : 'limit_days', 'set (a clock needs a basis and a limit)')
    }
    const key = [payerClass, event, claimType ?? '', carcText].join('|')
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `deadline-rules line ${record.line}: the same payer_class/event/claim_type/carc is already on line ${earlier}`,
        { line: record.line, column: 'event' },
      )
    }
    seen.set(key, record.line)
    rules.push({
      payerClass,
      event,
      claimType,
      carc: carcText === '' ? undefined : carcText,
      basis,
      limitDays,
      limitMonths,
      lowConfidence: confidence === 'low',
      appealable,
      source: get('source'),
      note: get('note'),
      line: record.line,
    })
  }
  return { rules, warningBufferDays: warningBufferDays ?? DEFAULT_WARNING_BUFFER_DAYS }
}

function carcMatches(ruleCarc: string, carcs: readonly string[]): boolean {
  return carcs.some((label) => {
    const text = label.trim().toUpperCase()
    if (ruleCarc.includes('-')) return text === ruleCarc
    const bare = text.includes('-') ? text.slice(text.indexOf('-') + 1) : text
    return bare === ruleCarc
  })
}

/** The most specific matching row for a class and event: carc-specific, then claim-type-specific. */
function findRule(
  rules: DeadlineRules,
  payerClass: PayerClass,
  event: DeadlineEvent,
  claimType: ClaimType,
  carcs: readonly string[],
): DeadlineRule | undefined {
  let best: DeadlineRule | undefined
  let bestScore = -1
  for (const rule of rules.rules) {
    if (rule.event !== event || rule.payerClass !== payerClass) continue
    if (rule.claimType !== undefined && rule.claimType !== claimType) continue
    if (rule.carc !== undefined && !carcMatches(rule.carc, carcs)) continue
    const score = (rule.carc !== undefined ? 2 : 0) + (rule.claimType !== undefined ? 1 : 0)
    if (score > bestScore) {
      best = rule
      bestScore = score
    }
  }
  return best
}

interface Clock {
  event: DeadlineClock
  date: IsoDate
  basis: string
  lowConfidence: boolean
}

function startDate(basis: DeadlineBasis, input: DeadlineInput): IsoDate {
  if (basis === 'remit_date') return input.remitDate
  if (basis === 'through_date') return input.throughDate ?? input.serviceDate
  return input.serviceDate
}

function profileDays(payer: PayerProfile | undefined, event: DeadlineClock): number | undefined {
  if (payer === undefined) return undefined
  if (event === 'filing') return payer.timelyFilingDays
  if (event === 'corrected_claim') return payer.correctedClaimDays
  if (event === 'appeal') return payer.appealDays
  return undefined
}

function clockFor(
  event: DeadlineClock,
  input: DeadlineInput,
  rules: DeadlineRules,
  payerClass: PayerClass,
  claimType: ClaimType,
): Clock | undefined {
  const rule = findRule(rules, payerClass, event, claimType, input.carcs)
  const days = profileDays(input.payer, event)
  if (days !== undefined && input.payer !== undefined) {
    // The profile is the user's contract figure: it replaces the class default and is not low confidence.
    const basis: DeadlineBasis =
      rule?.basis ??
      (event === 'filing' || event === 'corrected_claim' || event === 'appeal'
        ? PROFILE_BASIS[event]
        : 'remit_date')
    const from = startDate(basis, input)
    return {
      event,
      date: addDays(from, days),
      basis: `${event}: ${BASIS_LABEL[basis]} ${from} + ${days} days (payer profile ${input.payer.payerId})`,
      lowConfidence: false,
    }
  }
  if (rule === undefined || rule.basis === undefined) return undefined
  const from = startDate(rule.basis, input)
  const date =
    rule.limitMonths !== undefined ? addMonths(from, rule.limitMonths) : addDays(from, rule.limitDays ?? 0)
  const limit = rule.limitMonths !== undefined ? `${rule.limitMonths} months` : `${rule.limitDays ?? 0} days`
  return {
    event,
    date,
    basis: `${event}: ${BASIS_LABEL[rule.basis]} ${from} + ${limit} (${rule.source})`,
    lowConfidence: rule.lowConfidence,
  }
}

/**
 * Computes the deadline of one rework item: the earliest clock that bounds its action
 * ({@link ACTION_CLOCKS}), from the payer profile's days when set, else the payer class rows.
 * - Month limits clamp to the month end (42 CFR 424.44's "12 months": 2024-02-29 → 2025-02-28).
 * - `appealable` is false when a row for the item's CARCs says so (Medicare CO-29, 42 CFR
 *   405.926(n)); an appeal that is not appealable gets no deadline.
 * - `lowConfidence` is true when any clock used comes from a low-confidence default.
 *
 * @example
 * ```ts
 * computeDeadline({ action: 'appeal', payer: undefined, payerClass: 'medicare',
 *   serviceDate: '2026-03-15', remitDate: '2026-04-10', carcs: ['CO-50'] }, rules)
 * // { deadline: '2026-08-13', basis: 'appeal: remit date 2026-04-10 + 125 days (42 CFR 405.942(a))', … }
 * ```
 */
export function computeDeadline(input: DeadlineInput, rules: DeadlineRules): ReworkDeadline {
  const payerClass = input.payer?.payerClass ?? input.payerClass
  const claimType: ClaimType =
    input.claimType ?? (input.throughDate !== undefined ? 'institutional' : 'professional')
  const appealRule = findRule(rules, payerClass, 'appeal', claimType, input.carcs)
  const appealable = appealRule?.appealable ?? true
  const events = ACTION_CLOCKS[input.action]
  if (events.length === 0) {
    return { deadline: undefined, basis: `${input.action}: no deadline`, lowConfidence: false, appealable }
  }
  if (!appealable && events.includes('appeal')) {
    return {
      deadline: undefined,
      basis: `not appealable for ${payerClass} with ${input.carcs.join(', ')} (${appealRule?.source ?? ''})`,
      lowConfidence: appealRule?.lowConfidence ?? false,
      appealable,
    }
  }
  const clocks: Clock[] = []
  for (const event of events) {
    const clock = clockFor(event, input, rules, payerClass, claimType)
    if (clock !== undefined) clocks.push(clock)
  }
  let earliest: Clock | undefined
  for (const clock of clocks) if (earliest === undefined || clock.date < earliest.date) earliest = clock
  if (earliest === undefined) {
    return {
      deadline: undefined,
      basis: `no ${events.join('/')} rule for ${payerClass}: set the payer profile or deadline-rules.csv`,
      lowConfidence: true,
      appealable,
    }
  }
  const lowConfidence = clocks.some((c) => c.lowConfidence) || input.action === 'bill_other_payer'
  return {
    deadline: earliest.date,
    basis: earliest.basis,
    lowConfidence,
    appealable,
    clock: earliest.event,
    warnFrom: addDays(earliest.date, -rules.warningBufferDays),
  }
}

/** Calendar days from `asOf` to the deadline (0 on the day, negative when past); `undefined` without one. */
export function daysLeft(deadline: ReworkDeadline, asOf: IsoDate): number | undefined {
  if (deadline.deadline === undefined) return undefined
  return daysBetween(asOf, deadline.deadline)
}

/** True when the deadline is within the warning buffer of `asOf` (or past it). */
export function isDueSoon(deadline: ReworkDeadline, asOf: IsoDate, rules: DeadlineRules): boolean {
  const left = daysLeft(deadline, asOf)
  return left !== undefined && left <= rules.warningBufferDays
}

/** The flags a deadline adds to an item on `asOf`: `not_appealable`, `past_deadline` (never hidden). */
export function deadlineFlags(deadline: ReworkDeadline, asOf: IsoDate): DenialFlag[] {
  const flags: DenialFlag[] = []
  if (!deadline.appealable) flags.push('not_appealable')
  const left = daysLeft(deadline, asOf)
  if (left !== undefined && left < 0) flags.push('past_deadline')
  return flags
}
