import { parseArgs } from 'node:util'
import { preventableReport, preventableRuleLabel } from '../../rework/preventable-report.js'
import type { RecoveredTotals, ReportDimension } from '../../rework/reports.js'
import { denialsReport, REPORT_DIMENSIONS, recoveredReport } from '../../rework/reports.js'
import { CliError } from '../cli-error.js'
import { formatTable, parseDateOption, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_OK } from '../command.js'

const USAGE = `Usage:
  onco-edi report recovered [--from DATE] [--to DATE] [--by carc|payer|queue|drug|month] [--json|--csv]
  onco-edi report denials [--by carc|payer|queue|drug|month] [--from DATE] [--to DATE] [--json|--csv]
  onco-edi report preventable [--from DATE] [--to DATE] [--json|--csv]

recovered  denied amount, recovered amount, open amount at risk, and the denial rate (denied
           claims / adjudicated claims) for denials remitted between --from and --to
denials    systematic causes: per key, claims denied out of the claims that could be (a J-code
           denied on every claim billed with it is flagged "systematic")
preventable  denied dollars per scrub rule that catches them (fixtures/prevention/denial-rules.csv):
           "flagged_sent_anyway" (scrub flagged the claim and it was sent anyway),
           "would_have_flagged" (never scrubbed; the rule, run now on the stored 837, flags it),
           "not_preventable" (no rule catches it); the rows sum to the total denied`

const csvCell = (value: string | number | boolean): string => {
  const text = String(value)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

const totalsCells = (t: RecoveredTotals): string[] => [
  t.deniedAmount,
  t.recoveredAmount,
  t.openAmount,
  String(t.deniedClaims),
  String(t.adjudicatedClaims),
  `${(t.denialRate * 100).toFixed(2)}%`,
]

/** `onco-edi report recovered|denials|preventable`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'recovered revenue, systematic denial causes and preventable denials',
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
    const range = { from: parseDateOption('from', values.from), to: parseDateOption('to', values.to) }
    if (sub === 'recovered') {
      const report = await withDatabase(context, (handle) => recoveredReport(handle.db, range, dimension))
      if (values.json) {
        context.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        return EXIT_OK
      }
      const headers = [
        'key',
        'denied',
        'recovered',
        'open_at_risk',
        'denied_claims',
        'adjudicated_claims',
        'denial_rate',
      ]
      const rows = [
        ...report.groups.map((g) => [g.key, ...totalsCells(g)]),
        ['TOTAL', ...totalsCells(report.totals)],
      ]
      if (values.csv)
        context.stdout.write(`${[headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`)
      else {
        context.stdout.write(
          `Recovered revenue, ${periodLabel(report.from, report.to)}${dimension ? `, by ${dimension}` : ''}\n`,
        )
        context.stdout.write(formatTable(headers, rows))
      }
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
      if (values.csv)
        context.stdout.write(`${[headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`)
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
      if (values.csv)
        context.stdout.write(`${[headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`)
      else {
        context.stdout.write(`Preventable denials, ${periodLabel(report.from, report.to)}\n`)
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

/** `remitted 2026-01-01 to 2026-03-31`, `remitted from 2026-01-01`, or `all remit dates`. */
function periodLabel(from: string | null, to: string | null): string {
  if (from !== null && to !== null) return `remitted ${from} to ${to}`
  if (from !== null) return `remitted from ${from}`
  if (to !== null) return `remitted up to ${to}`
  return 'all remit dates'
}
