import { parseArgs } from 'node:util'
import { preventableReport, preventableRuleLabel } from '../../rework/preventable-report.js'
import { CASH_HEADERS, cashRows, DENIALS_HEADERS, denialsRows, toCsv } from '../../rework/report-csv.js'
import type { CashReport, DenialsReport, ReportDimension, ReportView } from '../../rework/reports.js'
import {
  cashReport,
  denialsReport,
  REPORT_DIMENSIONS,
  REPORT_VIEWS,
  recoveredReport,
} from '../../rework/reports.js'
import { CliError } from '../cli-error.js'
import { formatTable, parseDateOption, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_OK } from '../command.js'

const USAGE = `Usage:
  onco-edi report recovered [--view denials|cash] [--from DATE] [--to DATE]
                            [--by carc|payer|queue|drug|month] [--json|--csv]
  onco-edi report denials [--by carc|payer|queue|drug|month] [--from DATE] [--to DATE] [--json|--csv]
  onco-edi report preventable [--from DATE] [--to DATE] [--json|--csv]

recovered  two views (--view; default denials):
  denials  denials in period: the denials whose remit date is between --from and --to, with
           denied, recovered so far (whenever it was paid), open at risk (open, assigned,
           corrected, appealed) and closed unpaid (written off, billed to the patient, or the
           unpaid rest of a recovered item); denied = recovered + open_at_risk + closed_unpaid.
           denial_rate = denied claims / the row's adjudicated claims (claims = payer + CLP01
           with a remit in the period that is not a reversal):
             TOTAL  all adjudicated claims
             payer  that payer's adjudicated claims
             month  the claims adjudicated in that month (month of the denial's remit)
             drug   the claims that carried a line with that HCPCS; (non-drug): the claims
                    that carried a non-drug line; (claim-level): all adjudicated claims
             carc, queue  all adjudicated claims
  cash     cash recovered in period: money a later remit paid on earlier denials, by the
           recovery date (the paying remit's date) between --from and --to, whatever the date
           of the denial; by month = month of the recovery
  Rows always add up to TOTAL (amounts and item counts): by drug, (non-drug) holds administration
  and other non-drug lines and (claim-level) claim denials of claims with several lines; by carc
  (none), by payer (unknown), by month (undated) collect what has no key. A claim denied in two
  rows counts as a denied claim in each.
denials    systematic causes: per key, claims denied out of the claims that could be (the
           denominators above; a J-code denied on every claim billed with it is flagged
           "systematic")
preventable  denied dollars per scrub rule that catches them (fixtures/prevention/denial-rules.csv):
           "flagged_sent_anyway" (scrub flagged the claim and it was sent anyway),
           "would_have_flagged" (never scrubbed; the rule, run now on the stored 837, flags it),
           "not_preventable" (no rule catches it); the rows sum to the total denied`

/** `onco-edi report recovered|denials|preventable`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'recovered revenue (denials or cash view) systematic denial causes and preventable denials',
  usage: USAGE,
  async run(args, context) {
    const [sub, ...rest] = args
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        by: { type: 'string' },
        view: { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
      },
    })
    if (positionals.length > 0) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[0]}"`)
    if (values.json && values.csv)
      throw new CliError('CLI_BAD_OPTION', 'Expected at most one of --json and --csv')
    const by = values.by
    if (by !== undefined && !(REPORT_DIMENSIONS as readonly string[]).includes(by))
      throw new CliError(
        'CLI_BAD_OPTION',
        `Expected --by to be one of ${REPORT_DIMENSIONS.join(', ')}, got "${by}"`,
      )
    const dimension = by as ReportDimension | undefined
    const view = values.view ?? 'denials'
    if (!(REPORT_VIEWS as readonly string[]).includes(view))
      throw new CliError(
        'CLI_BAD_OPTION',
        `Expected --view to be one of ${REPORT_VIEWS.join(', ')}, got "${view}"`,
      )
    if (values.view !== undefined && sub !== 'recovered')
      throw new CliError('CLI_BAD_OPTION', '--view applies to "report recovered" only')
    const range = { from: parseDateOption('from', values.from), to: parseDateOption('to', values.to) }
    const write = (title: string, headers: string[], rows: string[][]): void => {
      if (values.csv) context.stdout.write(toCsv(headers, rows))
      else context.stdout.write(`${title}\n${formatTable(headers, rows)}`)
    }
    if (sub === 'recovered') {
      const report = await withDatabase<CashReport | DenialsReport>(context, (handle) =>
        (view as ReportView) === 'cash'
          ? cashReport(handle.db, range, dimension)
          : recoveredReport(handle.db, range, dimension),
      )
      if (values.json) {
        context.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        return EXIT_OK
      }
      const byLabel = dimension ? `, by ${dimension}` : ''
      if (report.view === 'cash')
        write(
          `Cash recovered, ${periodLabel('paid', report.from, report.to)}${byLabel} (view cash)`,
          CASH_HEADERS,
          cashRows(report),
        )
      else
        write(
          `Denials in period, ${periodLabel('remitted', report.from, report.to)}${byLabel} (view denials)`,
          DENIALS_HEADERS,
          denialsRows(report),
        )
      return EXIT_OK
    }
    if (sub === 'denials') {
      const patterns = await withDatabase(context, (handle) =>
        denialsReport(handle.db, dimension ?? 'carc', range),
      )
      if (values.json) {
        context.stdout.write(`${JSON.stringify(patterns, null, 2)}\n`)
        return EXIT_OK
      }
      const headers = [
        'key',
        'denied_claims',
        'of_claims',
        'share',
        'amount',
        'queues',
        'carcs',
        'systematic',
      ]
      const rows = patterns.map((p) => [
        p.key,
        String(p.deniedClaims),
        String(p.claimsWithKey),
        `${(p.share * 100).toFixed(1)}%`,
        p.deniedAmount,
        p.queues.join(' '),
        p.carcs.join(' '),
        p.systematic ? 'SYSTEMATIC' : '',
      ])
      if (values.csv) context.stdout.write(toCsv(headers, rows))
      else context.stdout.write(formatTable(headers, rows))
      return EXIT_OK
    }
    if (sub === 'preventable') {
      if (dimension !== undefined)
        throw new CliError('CLI_BAD_OPTION', 'report preventable is always by rule: drop --by')
      const report = await withDatabase(context, (handle) => preventableReport(handle.db, range))
      if (values.json) {
        context.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        return EXIT_OK
      }
      const headers = ['rule', 'outcome', 'denials', 'claims', 'amount']
      const rows = [
        ...report.rows.map((r) => [
          preventableRuleLabel(r.rule),
          r.outcome,
          String(r.denials),
          String(r.claims),
          r.amount,
        ]),
        ['TOTAL', '', String(report.totals.denials), '', report.totals.total],
      ]
      if (values.csv) context.stdout.write(toCsv(headers, rows))
      else {
        context.stdout.write(`Preventable denials, ${periodLabel('remitted', report.from, report.to)}\n`)
        context.stdout.write(formatTable(headers, rows))
        context.stdout.write(
          `flagged by scrub and sent anyway ${report.totals.flaggedSentAnyway}; scrub would have flagged (not scrubbed) ${report.totals.wouldHaveFlagged}; not preventable by a rule ${report.totals.notPreventable}\n`,
        )
      }
      return EXIT_OK
    }
    throw new CliError(
      'CLI_USAGE',
      `Expected "report recovered", "report denials" or "report preventable", got "${sub ?? ''}"`,
    )
  },
}

/** `remitted 2026-01-01 to 2026-03-31`, `paid from 2026-01-01`, `all remit dates` ... */
function periodLabel(verb: string, from: string | null, to: string | null): string {
  if (from !== null && to !== null) return `${verb} ${from} to ${to}`
  if (from !== null) return `${verb} from ${from}`
  if (to !== null) return `${verb} up to ${to}`
  return verb === 'paid' ? 'all recovery dates' : 'all remit dates'
}
