import { fieldOf, parseCsvTable } from '../denials/csv-records.js'
import { DenialError } from '../denials/denial-error.js'
import type { PayerClass } from '../denials/denial-types.js'
import { PAYER_CLASSES } from '../denials/denial-types.js'

/** One row of `appeal-levels.csv`: the first appeal level of a payer class and its time limit. */
export interface AppealLevel {
  /** A payer class, or `*` for any class without its own row. */
  payerClass: PayerClass | '*'
  level: string
  /** The time limit in words, as the letter states it. */
  limit: string
  /** Days after the notice date the payer presumes it was received (Medicare: 5), when it does. */
  receiptDays: number | undefined
  source: string
}

/** One row of `appeal-checklist.csv`: a document to attach. */
export interface ChecklistRow {
  /** A rework queue, or `*` for every queue. */
  queue: string
  /** CARCs (space-separated in the file) the row is limited to; empty for any. */
  carcs: readonly string[]
  /** The document, possibly with `{{placeholders}}` of the letter. */
  document: string
  line: number
}

/**
 * Parses `fixtures/appeals/appeal-levels.csv` (columns `payer_class, level, limit, receipt_days,
 * source`). A class that is neither a payer class nor `*`, or a bad `receipt_days`, throws
 * `DENIAL_CSV_ROW` with the line.
 */
export function parseAppealLevels(text: string): AppealLevel[] {
  const name = 'appeal-levels.csv'
  const table = parseCsvTable(text, ['payer_class', 'level', 'limit', 'receipt_days', 'source'], name)
  return table.records.map((record) => {
    const payerClass = fieldOf(table, record, 'payer_class')
    const known = payerClass === '*' ? '*' : PAYER_CLASSES.find((c) => c === payerClass)
    if (known === undefined)
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `${name} line ${record.line}: payer_class "${payerClass}" is not one of ${PAYER_CLASSES.join(', ')} or *`,
        { line: record.line, column: 'payer_class' },
      )
    const days = fieldOf(table, record, 'receipt_days')
    if (days !== '' && !/^\d+$/.test(days))
      throw new DenialError(
        'DENIAL_CSV_ROW',
        `${name} line ${record.line}: receipt_days "${days}" is not a whole number of days`,
        { line: record.line, column: 'receipt_days' },
      )
    return {
      payerClass: known,
      level: fieldOf(table, record, 'level'),
      limit: fieldOf(table, record, 'limit'),
      receiptDays: days === '' ? undefined : Number(days),
      source: fieldOf(table, record, 'source'),
    }
  })
}

/** Parses `fixtures/appeals/appeal-checklist.csv` (columns `queue, carcs, document`). */
export function parseAppealChecklist(text: string): ChecklistRow[] {
  const table = parseCsvTable(text, ['queue', 'carcs', 'document'], 'appeal-checklist.csv')
  return table.records.map((record) => {
    const document = fieldOf(table, record, 'document')
    if (document === '')
      throw new DenialError('DENIAL_CSV_ROW', `appeal-checklist.csv line ${record.line}: document is blank`, {
        line: record.line,
        column: 'document',
      })
    return {
      queue: fieldOf(table, record, 'queue') || '*',
      carcs: fieldOf(table, record, 'carcs')
        .split(/\s+/)
        .filter((c) => c !== ''),
      document,
      line: record.line,
    }
  })
}

/** Parses `fixtures/denials/rarc-paraphrases.csv` (columns `rarc, summary`): RARC → our paraphrase. */
export function parseRarcParaphrases(text: string): Map<string, string> {
  const table = parseCsvTable(text, ['rarc', 'summary'], 'rarc-paraphrases.csv')
  const out = new Map<string, string>()
  for (const record of table.records) {
    const rarc = fieldOf(table, record, 'rarc').toUpperCase()
    if (rarc !== '') out.set(rarc, fieldOf(table, record, 'summary'))
  }
  return out
}
