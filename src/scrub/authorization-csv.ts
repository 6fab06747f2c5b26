import { NUMBER_LIMITS } from '../../parsers/csv/field-limits.js'
import { isValidIsoDate } from '../../parsers/dates.js'
import type { ScheduledInfusion, TrackedAuthorization } from '../../transforms/scrub/scrub-context.js'
import type { ScrubErrorCode } from '../../transforms/scrub/scrub-error.js'
import type { CsvReject, CsvTable } from './read-csv-table.js'
import { byPosition, parseCsvTable } from './read-csv-table.js'

/** Columns of `auths import`. Blank limits mean "not limited". */
export const AUTH_COLUMNS = [
  'auth_number',
  'payer_id',
  'member_id',
  'hcpcs',
  'units_authorized',
  'cycles_authorized',
  'start_date',
  'end_date',
] as const

/** Columns of `schedule import`; `start_time`/`end_time` (HHMM) are optional extras for admin-sequence. */
export const SCHEDULE_COLUMNS = ['member_id', 'payer_id', 'date', 'hcpcs', 'planned_units'] as const

/** Rows read from an authorization CSV, with the rejected lines and why, and the warnings. */
export interface ParsedAuthorizations {
  authorizations: (TrackedAuthorization & { line: number })[]
  rejects: CsvReject[]
  warnings: CsvReject[]
}

/** Rows read from a schedule CSV, with the rejected lines and why, and the warnings. */
export interface ParsedSchedule {
  entries: (ScheduledInfusion & { line: number })[]
  rejects: CsvReject[]
  warnings: CsvReject[]
}

/**
 * Parses an authorization CSV (bytes or text). Each bad row is rejected with its line, column,
 * code and the reason (messages name the column, never the member id); every good row is kept. A
 * row with the auth number, payer, member and drug of an earlier row is rejected as a duplicate.
 */
export function parseAuthorizationsCsv(
  input: Uint8Array | string,
  name = 'authorizations',
): ParsedAuthorizations {
  const table = parseCsvTable(input, AUTH_COLUMNS, name)
  const rejects = [...table.rejects]
  const authorizations: ParsedAuthorizations['authorizations'] = []
  const firstLineOf = new Map<string, number>()
  for (const { line, values } of table.rows) {
    const row = new RowCheck(table, line)
    const authNumber = row.required(values, 'auth_number')
    const payerId = row.required(values, 'payer_id')
    const memberId = row.required(values, 'member_id')
    const hcpcs = values.hcpcs ?? ''
    if (hcpcs !== '' && !HCPCS.test(hcpcs)) row.problem('hcpcs', `"${hcpcs}" is not a 5-character code`)
    const units = row.number(values, 'units_authorized', NUMBER_LIMITS.units_authorized, false)
    const cycles = row.number(values, 'cycles_authorized', NUMBER_LIMITS.cycles_authorized, true)
    const start = row.date(values, 'start_date', false)
    const end = row.date(values, 'end_date', false)
    if (start !== undefined && end !== undefined && end < start)
      row.problem('end_date', `${end} is before start_date ${start}`)
    const key = [authNumber, payerId, memberId, hcpcs].join('\u0000')
    const earlier = firstLineOf.get(key)
    if (earlier !== undefined && !row.failed)
      row.problem(
        undefined,
        `same auth_number, payer, member and hcpcs as line ${earlier}`,
        'SCRUB_CSV_DUPLICATE',
      )
    if (row.failed) {
      rejects.push(row.reject())
      continue
    }
    firstLineOf.set(key, line)
    authorizations.push({
      line,
      authNumber,
      payerId,
      memberId,
      hcpcs: hcpcs === '' ? undefined : hcpcs,
      unitsAuthorized: units,
      cyclesAuthorized: cycles,
      startDate: start,
      endDate: end,
    })
  }
  rejects.sort(byPosition)
  return { authorizations, rejects, warnings: table.warnings }
}

/**
 * Parses an infusion schedule CSV (bytes or text), rejecting bad rows with their line, column and
 * code. A row with the member, payer, date and drug of an earlier row is rejected as a duplicate
 * (the stored schedule keeps one entry per member, payer, date and drug).
 */
export function parseScheduleCsv(input: Uint8Array | string, name = 'schedule'): ParsedSchedule {
  const table = parseCsvTable(input, SCHEDULE_COLUMNS, name)
  const rejects = [...table.rejects]
  const entries: ParsedSchedule['entries'] = []
  const firstLineOf = new Map<string, number>()
  for (const { line, values } of table.rows) {
    const row = new RowCheck(table, line)
    const memberId = row.required(values, 'member_id')
    const payerId = row.required(values, 'payer_id')
    const hcpcs = values.hcpcs ?? ''
    if (!HCPCS.test(hcpcs)) row.problem('hcpcs', `"${hcpcs}" is not a 5-character code`)
    const date = row.date(values, 'date', true) ?? ''
    const planned = row.number(values, 'planned_units', NUMBER_LIMITS.planned_units, false)
    const startTime = row.clock(values, 'start_time')
    const endTime = row.clock(values, 'end_time')
    const key = [memberId, payerId, date, hcpcs].join('\u0000')
    const earlier = firstLineOf.get(key)
    if (earlier !== undefined && !row.failed)
      row.problem(undefined, `same member, payer, date and hcpcs as line ${earlier}`, 'SCRUB_CSV_DUPLICATE')
    if (row.failed) {
      rejects.push(row.reject())
      continue
    }
    firstLineOf.set(key, line)
    entries.push({ line, memberId, payerId, date, hcpcs, plannedUnits: planned, startTime, endTime })
  }
  rejects.sort(byPosition)
  return { entries, rejects, warnings: table.warnings }
}

const HCPCS = /^[A-Z0-9]\d{3}[A-Z0-9]$/

/** Collects the problems of one row; the first one gives the reject its column and code. */
class RowCheck {
  readonly #table: CsvTable
  readonly #line: number
  readonly #problems: string[] = []
  #column: number | undefined
  #code: ScrubErrorCode = 'SCRUB_CSV_VALUE'

  constructor(table: CsvTable, line: number) {
    this.#table = table
    this.#line = line
  }

  get failed(): boolean {
    return this.#problems.length > 0
  }

  problem(column: string | undefined, why: string, code: ScrubErrorCode = 'SCRUB_CSV_VALUE'): void {
    if (this.#problems.length === 0) {
      const index = column === undefined ? -1 : this.#table.columns.indexOf(column)
      this.#column = index < 0 ? undefined : index + 1
      this.#code = code
    }
    this.#problems.push(column === undefined ? why : `${column} ${why}`)
  }

  reject(): CsvReject {
    return { line: this.#line, column: this.#column, code: this.#code, reason: this.#problems.join('; ') }
  }

  required(values: Record<string, string>, column: string): string {
    const value = values[column] ?? ''
    if (value === '') this.problem(column, 'is blank')
    return value
  }

  /** A non-negative number up to `max` (whole when `integer`), or blank. */
  number(values: Record<string, string>, column: string, max: number, integer: boolean): number | undefined {
    const value = values[column] ?? ''
    if (value === '') return undefined
    const pattern = integer ? /^\d+$/ : /^\d+(\.\d+)?$/
    const n = Number(value)
    if (!pattern.test(value) || !(n <= max)) {
      this.problem(
        column,
        `"${shorten(value)}" is not a ${integer ? 'whole number' : 'number'} from 0 to ${max}`,
      )
      return undefined
    }
    return n
  }

  date(values: Record<string, string>, column: string, required: boolean): string | undefined {
    const value = values[column] ?? ''
    if (value === '' && !required) return undefined
    if (!isValidIsoDate(value)) {
      this.problem(column, `"${shorten(value)}" is not YYYY-MM-DD`)
      return undefined
    }
    return value
  }

  clock(values: Record<string, string>, column: string): string | undefined {
    const value = values[column] ?? ''
    if (value === '') return undefined
    if (!/^([01]?\d|2[0-3]):?[0-5]\d$/.test(value)) {
      this.problem(column, `"${shorten(value)}" is not HHMM`)
      return undefined
    }
    return value
  }
}

/** A value quoted in a message: at most 40 characters. */
function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value
}
