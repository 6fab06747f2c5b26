import { parseArgs } from 'node:util'
import { parseLineEdit } from '../../../transforms/corrections/line-edit.js'
import { REWORK_QUEUES } from '../../../transforms/denials/denial-types.js'
import { loadDenialEngine } from '../../ingest/load-denial-engine.js'
import { outboundEnvelopeProblems } from '../../outbound-envelope.js'
import { describeFsError } from '../../output-file.js'
import { writeAppealPacket } from '../../rework/appeal-packet.js'
import { writeCorrectedClaim } from '../../rework/corrected-claim.js'
import { loadPayerProfiles } from '../../rework/payer-repository.js'
import { recomputeDeadlines } from '../../rework/recompute-deadlines.js'
import type { Resolution, ReworkItemDetail } from '../../rework/rework-repository.js'
import {
  assignReworkItem,
  formatWorklistCursor,
  getReworkItemDetail,
  listReworkPage,
  parseWorklistCursor,
  RESOLUTIONS,
  REWORK_STATUSES,
  reopenReworkItem,
  resolveReworkItem,
} from '../../rework/rework-repository.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import {
  actorOf,
  checkOutputFile,
  formatTable,
  parseDateOption,
  parseId,
  parseIntegerOption,
  resolvePath,
  withDatabase,
} from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_OK } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage:
  onco-edi queue list [--queue Q] [--status S] [--payer ID] [--assignee USER] [--carc CARC]
                      [--due-within N] [--limit N] [--after CURSOR] [--as-of DATE] [--json]
  onco-edi queue show ID [--as-of DATE] [--json]
  onco-edi queue assign ID --to USER [--user USER]
  onco-edi queue resolve ID --action corrected|appealed|written_off|patient_billed [--note TEXT] [--user USER]
  onco-edi queue reopen ID --note TEXT [--user USER]
  onco-edi queue corrected-claim ID --out FILE [--apply-fixes] [--set LINE.FIELD=VALUE]...
                                 [--date DATE] [--user USER]
  onco-edi queue appeal ID --out DIR [--date DATE] [--templates DIR] [--user USER] [--json]
  onco-edi queue recompute [--payer ID]... [--user USER] [--json]

list     open and assigned items (or --status S), one per denied claim and queue with its lines,
         by deadline then amount; past-due items are flagged, not hidden. --carc takes CO-197
         or 197 (any group). --limit N prints a page and the cursor of the next one; pass it
         to --after. Queues: ${REWORK_QUEUES.join(', ')}.
         Statuses: ${REWORK_STATUSES.join(', ')}.
show     the denial, the matched claim lines (NDC, auth), the adjustments, scrub findings, history
assign   give an item to a biller (status assigned)
resolve  record what was done
reopen   put a resolved item (corrected, appealed, written off, patient billed) back to open,
         unassigned; --note says why (audited). The only way back to work: statuses move
         open -> assigned -> corrected|appealed|written_off|patient_billed -> recovered (by a
         later 835), and a move outside that table fails with DB_INVALID_TRANSITION (exit 1).
corrected-claim  write a frequency-7 replacement 837 (CLM05-3 = 7, REF*F8 = CLP07), corrected:
         --apply-fixes applies the scrub's suggested fixes (successor HCPCS with its units, NDC
         padded to 11 digits); --set LINE.FIELD=VALUE (repeatable) sets a field of the line whose
         LX01 is LINE: code, modifiers (comma-separated, empty for none), units, ndc (empty
         removes the drug), ndcQuantity, ndcUnit (F2 GR ME ML UN). The corrected claim is scrubbed
         again: with scrub errors left it is not written (CORRECTION_SCRUB_ERRORS lists them,
         exit 1). The audit event records every change.
appeal   write the appeal letter of an appeal or records item as DIR/appeal-item-ID.md and .pdf
         (owner-only files) from the editable template in fixtures/appeals (or --templates DIR)
recompute  compute again the deadlines of open and assigned items (all, or those of --payer) from
         the payer profiles and fixtures/denials/deadline-rules.csv as they are now, e.g. after
         editing the table. Items already worked keep theirs.

Every change writes an audit event with --user (default $ONCO_EDI_USER, else $USER, else the OS
account name; an empty name is refused). Notes, users and file names are printed with control
characters escaped.`

function describeDetail(detail: ReworkItemDetail): string {
  const { item, remit, claim } = detail
  // Every line is printed with control characters escaped: a note or a user name cannot rewrite
  // the terminal. The table's cells are escaped by formatTable.
  const out = {
    lines: [] as string[],
    push(...lines: string[]): void {
      for (const line of lines) this.lines.push(escapeControl(line))
    },
    table(text: string): void {
      this.lines.push(text)
    },
  }
  out.push(
    `Item ${item.id}: ${item.queue} / ${item.action} — ${item.status}${item.assignee ? ` (${item.assignee})` : ''}`,
  )
  out.push(
    `  claim ${item.claimId}  payer ${item.payerId ?? '?'}  payer claim ${item.payerClaimNumber ?? '?'}  ${item.matched ? 'matched' : 'UNMATCHED'}`,
  )
  out.push(
    `  reasons ${item.carcs.join(' ')}${item.rarcs.length > 0 ? `  remarks ${item.rarcs.join(' ')}` : ''}  amount ${item.amount}`,
  )
  out.push(
    `  deadline ${item.deadline ?? 'none'}${item.daysLeft === null ? '' : ` (${item.daysLeft} days left)`} — ${item.deadlineBasis}`,
  )
  if (item.linkedItemIds.length > 0)
    out.push(`  same claim in other queues: item ${item.linkedItemIds.join(', item ')}`)
  if (item.flags.length > 0) out.push(`  flags ${item.flags.join(', ')}`)
  out.push(`  what to do: ${item.guidance}`)
  out.push(
    remit === undefined
      ? 'Remit: none (rejected before adjudication: see the 277CA codes above)'
      : `Remit: CLP02 ${remit.status}, charge ${remit.charge}, paid ${remit.paid}, patient ${remit.patientResponsibility}, remit date ${remit.remitDate ?? '?'}`,
  )
  if (claim !== undefined)
    out.push(
      `Claim: ${claim.kind} frequency ${claim.frequencyCode}${claim.typeOfBill ? ` TOB ${claim.typeOfBill}` : ''}, DOS ${claim.serviceFrom ?? '?'}..${claim.serviceTo ?? '?'}, charge ${claim.totalCharge}, auth ${claim.priorAuthorization ?? 'none'}`,
    )
  out.push('Denied lines:')
  out.table(
    formatTable(
      ['code', 'mods', 'NDC', 'units', 'DOS', 'reasons', 'amount', 'deadline', 'recovered'],
      item.lines.map((l) => [
        l.procedureCode ?? (l.level === 'claim' ? '(claim)' : ''),
        l.modifiers.join(':'),
        l.ndc ?? '',
        l.units === null ? '' : String(l.units),
        l.serviceDate ?? '',
        [...l.carcs, ...l.rarcs].join(' '),
        l.amount,
        l.deadline ?? '-',
        l.recoveredAmount,
      ]),
    ).trimEnd(),
  )
  out.push('Remit lines:')
  out.table(
    formatTable(
      ['#', 'code', 'mods', 'charge', 'paid', 'DOS', 'RARC', '837 line', 'NDC', 'qty', 'auth'],
      detail.lines.map((l) => [
        String(l.lineSeq),
        l.procedureCode,
        l.modifiers.join(':'),
        l.charge,
        l.paid,
        l.serviceFrom ?? '',
        l.rarcs.join(' '),
        l.submittedLineNumber === null ? '-' : String(l.submittedLineNumber),
        l.ndc ?? '',
        l.ndcQuantity === null ? '' : `${l.ndcQuantity}${l.ndcUnit ?? ''}`,
        l.priorAuthorization ?? '',
      ]),
    ).trimEnd(),
  )
  out.push('Adjustments:')
  for (const a of detail.adjustments)
    out.push(`  ${a.lineSeq === null ? 'claim' : `line ${a.lineSeq}`}: ${a.group}-${a.carc} ${a.amount}`)
  if (detail.scrubFindings.length > 0) {
    out.push('Scrub findings:')
    for (const f of detail.scrubFindings)
      out.push(
        `  ${f.severity} ${f.rule}${f.lineNumber === null ? '' : ` line ${f.lineNumber}`}: ${f.message}`,
      )
  }
  if (detail.history.length > 0) {
    out.push('History:')
    for (const h of detail.history)
      out.push(
        `  ${h.at} ${h.actor} ${h.action} ${h.beforeStatus ?? ''} -> ${h.afterStatus ?? ''}${h.note ? ` (${h.note})` : ''}`,
      )
  }
  return `${out.lines.join('\n')}\n`
}

async function list(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      queue: { type: 'string' },
      status: { type: 'string' },
      payer: { type: 'string' },
      assignee: { type: 'string' },
      carc: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      'due-within': { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length > 0) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[0]}"`)
  if (values.queue !== undefined && !(REWORK_QUEUES as readonly string[]).includes(values.queue))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --queue to be one of ${REWORK_QUEUES.join(', ')}, got "${values.queue}"`,
    )
  if (values.status !== undefined && !(REWORK_STATUSES as readonly string[]).includes(values.status))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --status to be one of ${REWORK_STATUSES.join(', ')}, got "${values.status}"`,
    )
  const dueWithin = parseIntegerOption('due-within', values['due-within'], { min: 0, max: 36_500 })
  const limit = parseIntegerOption('limit', values.limit, { min: 1, max: 100_000 })
  const after = values.after === undefined ? undefined : parseWorklistCursor(values.after)
  if (values.after !== undefined && after === undefined)
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --after to be a cursor printed by queue list (DEADLINE|AMOUNT_CENTS|ID), got "${values.after}"`,
    )
  if (values.carc !== undefined && !/^([A-Za-z]{2}-)?[A-Za-z0-9]{1,4}$/.test(values.carc))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --carc to be a CARC such as 197 or CO-197, got "${values.carc}"`,
    )
  const asOf = parseDateOption('as-of', values['as-of']) ?? today()
  const { items, next } = await withDatabase(context, (handle) =>
    listReworkPage(handle.db, {
      queue: values.queue,
      status: values.status,
      payerId: values.payer,
      assignee: values.assignee,
      carc: values.carc,
      dueWithin,
      asOf,
      limit,
      after,
    }),
  )
  const cursor = next === undefined ? undefined : formatWorklistCursor(next)
  if (values.json) {
    // A page is an object with the cursor of the next page; the whole list stays a plain array.
    const out = limit === undefined ? items : { items, next: cursor ?? null }
    context.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
    return EXIT_OK
  }
  context.stdout.write(
    formatTable(
      [
        'id',
        'deadline',
        'days',
        'amount',
        'queue',
        'reasons',
        'action',
        'claim',
        'lines',
        'payer',
        'status',
        'flags',
      ],
      items.map((i) => [
        String(i.id),
        i.deadline ?? '-',
        i.daysLeft === null ? '-' : String(i.daysLeft),
        i.amount,
        i.queue,
        [...i.carcs, ...i.rarcs].join(' '),
        i.action,
        i.claimId,
        i.lines.map((l) => l.procedureCode ?? 'claim').join(' '),
        i.payerId ?? '',
        i.assignee === null ? i.status : `${i.status}:${i.assignee}`,
        i.flags.join(','),
      ]),
    ),
  )
  context.stdout.write(
    `${items.length} item(s)${cursor === undefined ? '' : `; next page: --after '${cursor}'`}\n`,
  )
  return EXIT_OK
}

/** `onco-edi queue recompute`: deadlines of the working items, computed again. */
async function recompute(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      payer: { type: 'string', multiple: true },
      user: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length > 0) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[0]}"`)
  const payers = values.payer ?? []
  const user = actorOf(values.user, context)
  const engine = await loadDenialEngine()
  const result = await withDatabase(context, (handle) =>
    handle.db
      .transaction()
      .execute(async (trx) =>
        recomputeDeadlines(
          trx,
          engine,
          await loadPayerProfiles(trx),
          payers.length === 0 ? 'all' : { payerIds: payers },
          user,
        ),
      ),
  )
  context.stdout.write(
    values.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : `recomputed the deadlines of ${result.changed} of ${result.items} open or assigned rework item(s)\n`,
  )
  return EXIT_OK
}

/** `onco-edi queue list|show|assign|resolve|reopen|corrected-claim|appeal|recompute`. */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'work the denial rework queues',
  usage: USAGE,
  async run(args, context) {
    const [sub, ...rest] = args
    if (sub === 'list') return list(rest, context)
    if (sub === 'recompute') return recompute(rest, context)
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        action: { type: 'string' },
        note: { type: 'string' },
        out: { type: 'string' },
        date: { type: 'string' },
        templates: { type: 'string' },
        'apply-fixes': { type: 'boolean', default: false },
        set: { type: 'string', multiple: true },
        'as-of': { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    const id = parseId(positionals[0])
    if (positionals.length > 1) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[1]}"`)
    const user = (): string => actorOf(values.user, context)
    switch (sub) {
      case 'show': {
        const asOf = parseDateOption('as-of', values['as-of']) ?? today()
        const detail = await withDatabase(context, (handle) => getReworkItemDetail(handle.db, id, asOf))
        context.stdout.write(values.json ? `${JSON.stringify(detail, null, 2)}\n` : describeDetail(detail))
        return EXIT_OK
      }
      case 'assign': {
        if (values.to === undefined || values.to.trim() === '')
          throw new CliError('CLI_USAGE', 'Expected --to USER')
        const to = values.to.trim()
        const actor = user()
        const item = await withDatabase(context, (handle) => assignReworkItem(handle.db, id, to, actor))
        context.stdout.write(
          values.json
            ? `${JSON.stringify(item, null, 2)}\n`
            : `item ${id} assigned to ${escapeControl(to)}\n`,
        )
        return EXIT_OK
      }
      case 'resolve': {
        const action = values.action
        if (action === undefined || !Object.hasOwn(RESOLUTIONS, action))
          throw new CliError(
            'CLI_BAD_OPTION',
            `Expected --action to be one of ${Object.keys(RESOLUTIONS).join(', ')}, got "${action ?? ''}"`,
          )
        const actor = user()
        const item = await withDatabase(context, (handle) =>
          resolveReworkItem(handle.db, id, action as Resolution, actor, values.note),
        )
        context.stdout.write(
          values.json ? `${JSON.stringify(item, null, 2)}\n` : `item ${id} ${item.status}\n`,
        )
        return EXIT_OK
      }
      case 'reopen': {
        const note = values.note?.trim() ?? ''
        if (note === '')
          throw new CliError('CLI_USAGE', 'Expected --note TEXT saying why the item is reopened')
        const actor = user()
        const item = await withDatabase(context, (handle) => reopenReworkItem(handle.db, id, actor, note))
        context.stdout.write(
          values.json ? `${JSON.stringify(item, null, 2)}\n` : `item ${id} reopened (${item.status})\n`,
        )
        return EXIT_OK
      }
      case 'corrected-claim': {
        if (values.out === undefined) throw new CliError('CLI_USAGE', 'Expected --out FILE')
        const date = parseDateOption('date', values.date) ?? today()
        const problems = outboundEnvelopeProblems(context.config.outbound)
        if (problems.length > 0) throw new CliError('CLI_BAD_OPTION', problems.join('; '))
        // Edits that cannot be read are refused before anything is opened (CORRECTION_BAD_EDIT, exit 2).
        const set = (values.set ?? []).map((text) => parseLineEdit(text))
        const out = resolvePath(context, values.out)
        // An output that cannot be written is refused before the database is opened.
        checkOutputFile(out, values.out)
        const actor = user()
        // The file is written and the audit event recorded together (CLI_UNWRITABLE_OUTPUT, exit 2);
        // a corrected claim that still has scrub errors is not written (CORRECTION_SCRUB_ERRORS, exit 1).
        const written = await withDatabase(context, (handle) =>
          writeCorrectedClaim(handle.db, id, {
            user: actor,
            date,
            out,
            envelope: context.config.outbound,
            applyFixes: values['apply-fixes'],
            set,
          }),
        )
        const lines = [
          `wrote a frequency-7 replacement of claim ${escapeControl(written.claimId)} (REF*F8 ${escapeControl(written.payerClaimNumber)}) to ${escapeControl(values.out)}`,
          ...written.changes.map(
            (c) => `  line ${c.line} ${c.field}: "${c.before}" -> "${c.after}" (${c.by})`,
          ),
          ...written.findings.map(
            (f) =>
              `  warning ${f.rule}${f.line === undefined ? '' : ` line ${f.line}`}: ${escapeControl(f.message)}`,
          ),
        ]
        context.stdout.write(`${lines.join('\n')}\n`)
        return EXIT_OK
      }
      case 'appeal': {
        if (values.out === undefined) throw new CliError('CLI_USAGE', 'Expected --out DIR')
        const date = parseDateOption('date', values.date) ?? today()
        const outDir = resolvePath(context, values.out)
        const templatesDir =
          values.templates === undefined ? undefined : resolvePath(context, values.templates)
        const actor = user()
        const written = await withDatabase(context, (handle) =>
          writeAppealPacket(handle.db, id, {
            outDir,
            user: actor,
            date,
            ...(templatesDir ? { templatesDir } : {}),
          }),
        ).catch((error: unknown) => {
          // The output is CLI_UNWRITABLE_OUTPUT already; what is left is a template that cannot be read.
          if (error instanceof Error && 'syscall' in error)
            throw new CliError(
              'CLI_UNREADABLE_INPUT',
              `Cannot read the appeal templates: ${describeFsError(error)}`,
              {
                cause: error,
              },
            )
          throw error
        })
        // The letter names the patient; stdout does not.
        context.stdout.write(
          values.json
            ? `${JSON.stringify(written, null, 2)}\n`
            : `wrote the appeal packet of item ${id} (claim ${written.claimId}, ${written.carcs.join(' ')}, file by ${written.deadline ?? 'no deadline'}): ${written.markdownPath}, ${written.pdfPath}\n`,
        )
        return EXIT_OK
      }
      default:
        throw new CliError(
          'CLI_USAGE',
          `Expected list, show, assign, resolve, reopen, corrected-claim, appeal or recompute, got "${sub ?? ''}"`,
        )
    }
  },
}
