import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { IsoDate } from '../../parsers/dates.js'
import { AppealError } from '../../transforms/appeals/appeal-error.js'
import type { AppealFacts, AppealLine } from '../../transforms/appeals/appeal-facts.js'
import type { AppealTables } from '../../transforms/appeals/appeal-letter.js'
import { buildAppealLetterValues, isAppealAction } from '../../transforms/appeals/appeal-letter.js'
import {
  parseAppealChecklist,
  parseAppealLevels,
  parseRarcParaphrases,
} from '../../transforms/appeals/appeal-tables.js'
import { renderTemplate } from '../../transforms/appeals/letter-template.js'
import { parseCarcRules } from '../../transforms/denials/carc-table.js'
import type { PayerClass } from '../../transforms/denials/denial-types.js'
import { PAYER_CLASSES } from '../../transforms/denials/denial-types.js'
import { payerClassFromFilingIndicator } from '../../transforms/denials/payer-profile.js'
import { recordAudit } from '../db/audit.js'
import type { Database } from '../db/database.js'
import { DbError } from '../db/db-error.js'
import { describeFsError, OutputFileError } from '../output-file.js'
import { fixturesDir } from '../project-root.js'
import { renderAppealPdf } from './appeal-pdf.js'
import { loadItemLines } from './rework-item-lines.js'
import { loadSubmittedClaim } from './submitted-claim-reader.js'
import { makePrivateDir, writePrivateFile } from './write-private-file.js'

const csvList = (text: string): string[] => (text === '' ? [] : text.split(','))

/**
 * The facts of one rework item for its appeal letter: the remit (CLP07, remit date), the denied
 * lines with their adjustments and RARCs, the matched 837 claim (patient, provider, diagnoses,
 * NDCs, units), the payer class and the authorizations on file for the payer and member.
 * The letter covers the item's denied lines (every line of the remit claim when the item holds a
 * claim-level adjustment).
 */
export async function loadAppealFacts(db: Kysely<Database>, itemId: number): Promise<AppealFacts> {
  const item = await db.selectFrom('rework_item').selectAll().where('id', '=', itemId).executeTakeFirst()
  if (item === undefined) throw new DbError('DB_NOT_FOUND', `No rework item with id ${itemId}`)
  if (item.remit_claim_id === null)
    throw new AppealError(
      'APPEAL_NOT_APPEALABLE',
      `Rework item ${itemId} is a claim rejected before adjudication (queue ${item.queue}): there is no determination to appeal; resubmit the claim`,
    )
  const remit = await db
    .selectFrom('remit_claim')
    .select(['filing_indicator', 'payer_claim_number'])
    .where('id', '=', Number(item.remit_claim_id))
    .executeTakeFirstOrThrow()
  let lineQuery = db
    .selectFrom('remit_line as rl')
    .leftJoin('submitted_line as sl', 'sl.id', 'rl.submitted_line_id')
    .select([
      'rl.id',
      'rl.procedure_code',
      'rl.modifiers',
      'rl.charge',
      'rl.paid',
      'rl.units as remit_units',
      'rl.service_from',
      'rl.rarcs',
      'sl.line_number',
      'sl.units',
      'sl.ndc',
      'sl.ndc_quantity',
      'sl.ndc_unit',
      'sl.prior_authorization',
    ])
    .where('rl.remit_claim_id', '=', Number(item.remit_claim_id))
  // The item's denied lines; a claim-level adjustment puts the whole remitted claim in the letter.
  const itemLines = await loadItemLines(db, sql`ri.id = ${itemId}`)
  const remitLineIds = itemLines.map((l) => l.remitLineId)
  if (remitLineIds.length > 0 && !remitLineIds.includes(undefined))
    lineQuery = lineQuery.where(
      'rl.id',
      'in',
      remitLineIds.filter((id): id is number => id !== undefined),
    )
  const lineRows = await lineQuery.orderBy('rl.line_seq').execute()
  const adjustments =
    lineRows.length === 0
      ? []
      : await db
          .selectFrom('remit_adjustment')
          .select(['remit_line_id', 'group_code', 'carc', 'amount'])
          .where(
            'remit_line_id',
            'in',
            lineRows.map((l) => Number(l.id)),
          )
          .orderBy('id')
          .execute()
  const lines: AppealLine[] = lineRows.map((l) => ({
    lineNumber: l.line_number ?? undefined,
    serviceDate: l.service_from ?? item.service_date ?? undefined,
    procedureCode: l.procedure_code,
    modifiers: l.modifiers === '' ? [] : l.modifiers.split(':'),
    units: l.units ?? l.remit_units,
    ndc: l.ndc ?? undefined,
    ndcQuantity: l.ndc_quantity ?? undefined,
    ndcUnit: l.ndc_unit ?? undefined,
    charge: Number(l.charge),
    paid: Number(l.paid),
    adjustments: adjustments
      .filter((a) => String(a.remit_line_id) === String(l.id))
      .map((a) => ({ group: a.group_code, carc: a.carc, amount: Number(a.amount) })),
    rarcs: csvList(l.rarcs),
    priorAuthorization: l.prior_authorization ?? undefined,
  }))

  const claimRow =
    item.submitted_claim_id === null
      ? undefined
      : await db
          .selectFrom('submitted_claim')
          .select(['member_id', 'kind', 'prior_authorization'])
          .where('id', '=', Number(item.submitted_claim_id))
          .executeTakeFirst()
  const claim =
    claimRow === undefined || item.submitted_claim_id === null
      ? undefined
      : await loadSubmittedClaim(db, Number(item.submitted_claim_id))
  const person = claim?.patient?.person ?? claim?.subscriber.person
  const name = [person?.firstName, person?.lastName].filter((p) => p !== undefined && p !== '').join(' ')

  const profile =
    item.payer_id === null
      ? undefined
      : await db
          .selectFrom('payer_profile')
          .select(['name', 'payer_class'])
          .where('payer_id', '=', item.payer_id)
          .executeTakeFirst()
  const payerClass: PayerClass =
    PAYER_CLASSES.find((c) => c === profile?.payer_class) ??
    payerClassFromFilingIndicator(remit.filing_indicator ?? claim?.subscriber.claimFilingIndicator) ??
    'commercial'

  const codes = [...new Set(lines.map((l) => l.procedureCode))]
  const auths =
    claimRow === undefined || item.payer_id === null
      ? []
      : await db
          .selectFrom('prior_auth')
          .selectAll()
          .where('payer_id', '=', item.payer_id)
          .where('member_id', '=', claimRow.member_id)
          .where((eb) => eb.or([eb('hcpcs', 'is', null), eb('hcpcs', 'in', codes)]))
          .orderBy('id')
          .execute()

  return {
    itemId,
    claimId: item.claim_id,
    payerClaimNumber: item.payer_claim_number ?? remit.payer_claim_number ?? undefined,
    payer: {
      id: item.payer_id ?? undefined,
      name: profile?.name ?? claim?.payer.organizationName,
      payerClass,
    },
    patient: { name: name === '' ? undefined : name, memberId: claimRow?.member_id },
    provider: { name: claim?.billingProvider.organizationName, npi: claim?.billingProvider.id },
    claimKind: claimRow?.kind,
    diagnoses: claim?.diagnoses.map((d) => d.code) ?? [],
    queue: item.queue,
    action: item.action,
    carcs: item.carcs,
    rarcs: item.rarcs,
    amount: Number(item.amount),
    remitDate: item.remit_date ?? undefined,
    deadline: item.deadline ?? undefined,
    deadlineBasis: item.deadline_basis,
    appealable: item.appealable,
    lines,
    claimAuthorization: claimRow?.prior_authorization ?? undefined,
    authorizations: auths.map((a) => ({
      authNumber: a.auth_number,
      hcpcs: a.hcpcs ?? undefined,
      unitsAuthorized: a.units_authorized ?? undefined,
      cyclesAuthorized: a.cycles_authorized ?? undefined,
      startDate: a.start_date ?? undefined,
      endDate: a.end_date ?? undefined,
    })),
  }
}

/** Runs a write, turning a file-system failure into CLI_UNWRITABLE_OUTPUT naming the path. */
async function writeOutput(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (cause) {
    throw new OutputFileError(path, `Cannot write ${path}: ${describeFsError(cause)}`, { cause })
  }
}

/** Loads the letter template and tables from `fixtures/appeals` (or `dir`) and the paraphrases from `fixtures/denials`. */
export async function loadAppealTemplates(
  dir: string = fixturesDir('appeals'),
  denialsDir: string = fixturesDir('denials'),
): Promise<{ template: string; tables: AppealTables }> {
  const read = (path: string): Promise<string> => readFile(path, 'utf8')
  const [template, levels, checklist, carcs, rarcs] = await Promise.all([
    read(join(dir, 'letter.md')),
    read(join(dir, 'appeal-levels.csv')),
    read(join(dir, 'appeal-checklist.csv')),
    read(join(denialsDir, 'carc-rules.csv')),
    read(join(denialsDir, 'rarc-paraphrases.csv')),
  ])
  return {
    template,
    tables: {
      levels: parseAppealLevels(levels),
      checklist: parseAppealChecklist(checklist),
      carcs: parseCarcRules(carcs),
      rarcs: parseRarcParaphrases(rarcs),
    },
  }
}

/** Options of {@link writeAppealPacket}. */
export interface AppealPacketOptions {
  outDir: string
  user: string
  /** The letter's date. */
  date: IsoDate
  /** Folder of letter.md, appeal-levels.csv and appeal-checklist.csv (default fixtures/appeals). */
  templatesDir?: string
  /** Deflate the PDF's content streams (default true). */
  compressPdf?: boolean
}

/** What {@link writeAppealPacket} wrote. No PHI: safe to print. */
export interface AppealPacketResult {
  itemId: number
  claimId: string
  carcs: string[]
  deadline: string | null
  markdownPath: string
  pdfPath: string
}

/**
 * Writes the appeal packet of a rework item: the letter as Markdown (from the editable template)
 * and as PDF, into `outDir` (created 0700), each file 0600 and written atomically; then records
 * an `appeal_packet_written` audit event. Throws APPEAL_NOT_APPEALABLE for an item whose action
 * is not an appeal or records reconsideration, or that cannot be appealed (Medicare CO-29), and
 * CLI_UNWRITABLE_OUTPUT when the folder or a file cannot be written.
 */
export async function writeAppealPacket(
  db: Kysely<Database>,
  itemId: number,
  options: AppealPacketOptions,
): Promise<AppealPacketResult> {
  const facts = await loadAppealFacts(db, itemId)
  if (!isAppealAction(facts.action))
    throw new AppealError(
      'APPEAL_NOT_APPEALABLE',
      `Rework item ${itemId} is routed to "${facts.action}" (${facts.carcs.join(' ')}), not to an appeal: use queue corrected-claim or queue resolve`,
    )
  if (!facts.appealable)
    throw new AppealError(
      'APPEAL_NOT_APPEALABLE',
      `Rework item ${itemId} (${facts.carcs.join(' ')}) cannot be appealed with this payer: ${facts.deadlineBasis}`,
    )
  const status = await db
    .selectFrom('rework_item')
    .select('status')
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow()
  const { template, tables } = await loadAppealTemplates(options.templatesDir)
  const markdown = renderTemplate(template, buildAppealLetterValues(facts, tables, options.date), 'letter.md')
  const pdf = await renderAppealPdf(markdown, {
    date: new Date(`${options.date}T00:00:00Z`),
    title: `Appeal, claim ${facts.claimId}`,
    compress: options.compressPdf ?? true,
  })
  const stem = `appeal-item-${itemId}`
  const markdownPath = join(options.outDir, `${stem}.md`)
  const pdfPath = join(options.outDir, `${stem}.pdf`)
  await writeOutput(options.outDir, () => makePrivateDir(options.outDir))
  await writeOutput(markdownPath, () => writePrivateFile(markdownPath, markdown))
  await writeOutput(pdfPath, () => writePrivateFile(pdfPath, pdf))
  await recordAudit(db, {
    actor: options.user,
    entity: 'rework_item',
    entityId: itemId,
    action: 'appeal_packet_written',
    beforeStatus: status.status,
    afterStatus: status.status,
    note: `${stem}.md and ${stem}.pdf (${facts.carcs.join(' ')}, file by ${facts.deadline ?? 'no deadline'})`,
  })
  return {
    itemId,
    claimId: facts.claimId,
    carcs: [...facts.carcs],
    deadline: facts.deadline ?? null,
    markdownPath,
    pdfPath,
  }
}
