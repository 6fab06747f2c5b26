import { addDays, type IsoDate } from '../../parsers/dates.js'
import { formatCents } from '../../parsers/money.js'
import type { CarcTable } from '../denials/carc-table.js'
import { findCarcRule, resolveCarcRule } from '../denials/carc-table.js'
import type { AppealFacts } from './appeal-facts.js'
import type { AppealLevel, ChecklistRow } from './appeal-tables.js'
import type { TemplateScope } from './letter-template.js'
import { renderTemplate } from './letter-template.js'

/**
 * Rework actions an appeal packet is written for: an appeal (redetermination, reconsideration)
 * and a reconsideration with the records the payer asked for (CO-16 with N706/M127, CO-252).
 */
export const APPEAL_ACTIONS: readonly string[] = ['appeal', 'send_records']

/** True when a packet can be written for an item with this action. */
export function isAppealAction(action: string): boolean {
  return APPEAL_ACTIONS.includes(action)
}

/** The tables a letter reads: appeal levels, the document checklist, and the code paraphrases. */
export interface AppealTables {
  levels: readonly AppealLevel[]
  checklist: readonly ChecklistRow[]
  carcs: CarcTable
  /** RARC → our paraphrase. */
  rarcs: ReadonlyMap<string, string>
}

/** The appeal level of a payer class: its own row, else the `*` row. */
export function appealLevelOf(levels: readonly AppealLevel[], payerClass: string): AppealLevel | undefined {
  return levels.find((l) => l.payerClass === payerClass) ?? levels.find((l) => l.payerClass === '*')
}

/** Table cells: a `|` would end the cell, a newline the row. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ')

const carcCode = (groupCarc: string): string => groupCarc.slice(groupCarc.indexOf('-') + 1)

/**
 * The values of the letter template for one item: scalars (`claim.id`, `appeal.deadline`, …) and
 * the lists `lines`, `reasons`, `remarks`, `authorizations`, `checklist`. Meanings come from our
 * paraphrases (carc-rules.csv, rarc-paraphrases.csv), never from X12's description text.
 * `date` is the letter's date. Pure: the same facts give the same letter.
 */
export function buildAppealLetterValues(
  facts: AppealFacts,
  tables: AppealTables,
  date: IsoDate,
): TemplateScope {
  const level = appealLevelOf(tables.levels, facts.payer.payerClass)
  const dates = facts.lines
    .map((l) => l.serviceDate)
    .filter((d): d is string => d !== undefined)
    .sort()
  const first = dates[0]
  const last = dates.at(-1)
  const billed = facts.lines.reduce((sum, l) => sum + l.charge, 0)
  const paid = facts.lines.reduce((sum, l) => sum + l.paid, 0)
  const drugs = [
    ...new Set(facts.lines.map((l) => l.procedureCode).filter((code) => /^[JQC]\d{4}$/.test(code))),
  ]
  const receipt =
    level?.receiptDays !== undefined && facts.remitDate !== undefined
      ? `presumed received ${addDays(facts.remitDate, level.receiptDays)} (${level.receiptDays} days after the notice date ${facts.remitDate})`
      : ''
  const scalars: Record<string, string> = {
    date,
    'item.id': String(facts.itemId),
    'item.queue': facts.queue,
    'item.action': facts.action,
    'payer.id': facts.payer.id ?? '',
    'payer.name': facts.payer.name ?? facts.payer.id ?? 'the payer',
    'payer.class': facts.payer.payerClass,
    'patient.name': facts.patient.name ?? '',
    'patient.memberId': facts.patient.memberId ?? '',
    'provider.name': facts.provider.name ?? '',
    'provider.npi': facts.provider.npi ?? '',
    'claim.id': facts.claimId,
    'claim.payerClaimNumber': facts.payerClaimNumber ?? '',
    'claim.kind': facts.claimKind ?? '',
    'claim.serviceDates': first === undefined ? '' : first === last ? first : `${first} to ${last}`,
    'claim.diagnoses': facts.diagnoses.join(', '),
    'claim.drugs': drugs.join(', '),
    'claim.billed': formatCents(billed),
    'claim.paid': formatCents(paid),
    'claim.denied': formatCents(facts.amount),
    'claim.authorization': facts.claimAuthorization ?? '',
    'remit.date': facts.remitDate ?? '',
    'appeal.level': level?.level ?? '',
    'appeal.limit': level?.limit ?? '',
    'appeal.source': level?.source ?? '',
    'appeal.receipt': receipt,
    'appeal.deadline': facts.deadline ?? 'none computed',
    'appeal.deadlineBasis': facts.deadlineBasis,
  }
  const checklist = checklistFor(facts, tables.checklist).map((row) => ({
    document: renderTemplate(row.document, scalars, `appeal-checklist.csv line ${row.line}`),
  }))
  return {
    ...scalars,
    lines: facts.lines.map((l) => ({
      lineNumber: l.lineNumber === undefined ? '' : String(l.lineNumber),
      dos: l.serviceDate ?? '',
      code: cell(l.procedureCode),
      modifiers: cell(l.modifiers.join(':')),
      units: l.units === undefined ? '' : String(l.units),
      ndc: cell(l.ndc ?? ''),
      ndcQuantity: l.ndcQuantity === undefined ? '' : `${l.ndcQuantity} ${l.ndcUnit ?? ''}`.trim(),
      billed: formatCents(l.charge),
      paid: formatCents(l.paid),
      adjustments: l.adjustments.map((a) => `${a.group}-${a.carc} ${formatCents(a.amount)}`).join(', '),
      rarcs: l.rarcs.join(' '),
      authorization: cell(l.priorAuthorization ?? ''),
    })),
    reasons: facts.carcs.map((code) => ({
      code,
      meaning:
        resolveCarcRule(tables.carcs, carcCode(code), facts.rarcs)?.summary ??
        findCarcRule(tables.carcs, carcCode(code))?.summary ??
        'no paraphrase in carc-rules.csv: see the X12 CARC list',
    })),
    remarks: facts.rarcs.map((code) => ({
      code,
      meaning:
        tables.rarcs.get(code.toUpperCase()) ??
        'no paraphrase in rarc-paraphrases.csv: see the X12 RARC list',
    })),
    authorizations: facts.authorizations.map((a) => ({
      authNumber: a.authNumber,
      drug: a.hcpcs ?? 'any drug',
      units: a.unitsAuthorized === undefined ? 'not limited' : String(a.unitsAuthorized),
      cycles: a.cyclesAuthorized === undefined ? 'not limited' : String(a.cyclesAuthorized),
      span: `${a.startDate ?? 'open'} to ${a.endDate ?? 'open'}`,
    })),
    checklist,
  }
}

/** Checklist rows for the item's queue (or `*`) whose CARCs, when given, include one of the item's. */
export function checklistFor(facts: AppealFacts, rows: readonly ChecklistRow[]): ChecklistRow[] {
  const codes = new Set(facts.carcs.map(carcCode))
  return rows.filter(
    (row) =>
      (row.queue === '*' || row.queue === facts.queue) &&
      (row.carcs.length === 0 || row.carcs.some((c) => codes.has(c))),
  )
}
