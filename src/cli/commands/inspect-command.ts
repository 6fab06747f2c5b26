import { once } from 'node:events'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { formatPosition } from '../../../parsers/x12/segment.js'
import type { X12Summary } from '../../pipeline/x12-summary.js'
import { summarizeX12File } from '../../pipeline/x12-summary.js'
import { CliError } from '../cli-error.js'
import { checkInputFile } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi inspect FILE... [--json]

Summarizes X12 files (837P, 837I, 835 and any other 5010 transaction), streaming: envelopes,
transaction counts by type, claims, service lines, NDC lines, charges, payments, claim statuses,
CAS adjustments by GROUP-CARC, PLB and BPR totals, acknowledgments (TA1 by TA104, 999 sets by
IK501 and groups by AK901, 277CA claims by status category), and every envelope or syntax error
with its position (byte offset, segment index, ST segment index).

Options:
  --json     one JSON object per file (JSON lines) instead of a table
  -h, --help this text

Exit codes: 0 all files read cleanly, 1 some file has errors, 2 usage error or unreadable file.
`

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain')
}

function record(values: Record<string, string | number>): string {
  const entries = Object.entries(values)
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}: ${v}`).join(', ')
}

/** The readable form of a summary (without --json). */
export function formatSummaryTable(summary: X12Summary): string {
  const rows: [string, string][] = [
    ['interchanges', String(summary.interchanges)],
    ['groups', String(summary.groups)],
    ['transactions', record(summary.transactions)],
    ['quarantined', String(summary.quarantinedTransactions)],
    ['claims', String(summary.claims)],
    ['service lines', String(summary.serviceLines)],
    ['NDC lines', String(summary.ndcLines)],
    ['total charge', summary.totalCharge],
    ['total paid', summary.totalPaid],
    ['claim status', record(summary.claimStatus)],
    ['adjustments', record(summary.adjustments)],
    ['PLB total', summary.plbTotal],
    ['BPR total', summary.bprTotal],
    ['errors', String(summary.errors.length)],
    ['warnings', String(summary.warnings.length)],
  ]
  const acks = summary.acknowledgments
  if (acks !== undefined) {
    const at = rows.findIndex(([label]) => label === 'errors')
    rows.splice(
      at,
      0,
      ['TA1 (TA104)', record(acks.ta1)],
      ['999 sets (IK5)', record(acks.ik5)],
      ['999 groups (AK9)', record(acks.ak9)],
      ['277CA (STC)', record(acks.stc)],
    )
  }
  let text = `${escapeControl(summary.file)}\n`
  for (const [label, value] of rows) text += `  ${label.padEnd(acks === undefined ? 14 : 16)} ${value}\n`
  for (const [kind, problems] of [
    ['error', summary.errors],
    ['warning', summary.warnings],
  ] as const) {
    for (const problem of problems) {
      const where = problem.position === undefined ? '' : ` [${formatPosition(problem.position)}]`
      text += `  ${kind}: ${problem.code} ${problem.message}${where}\n`
    }
  }
  return text
}

function parseInspectArgs(args: string[]) {
  try {
    return parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError(
      'CLI_BAD_OPTION',
      `${error instanceof Error ? error.message : String(error)}. Run onco-edi inspect --help.`,
    )
  }
}

/** `onco-edi inspect FILE... [--json]`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarize X12 files: envelopes, claims, totals, adjustments, errors',
  usage: USAGE,
  async run(args: string[], context: CommandContext): Promise<number> {
    const parsed = parseInspectArgs(args)
    const files = parsed.positionals
    if (files.length === 0)
      throw new CliError('CLI_USAGE', 'inspect needs at least one FILE. Run onco-edi inspect --help.')
    const json = parsed.values.json === true
    // LOG_LEVEL=info (or debug, trace): one log line per file as it finishes. The logger (pino) is
    // touched only then, so that a plain inspect starts without loading it.
    const logsFiles = ['info', 'debug', 'trace'].includes(context.config.logLevel)
    let exit = EXIT_OK
    for (const file of files) {
      const full = path.resolve(context.cwd, file)
      let summary: X12Summary
      try {
        checkInputFile(full, file)
        summary = await summarizeX12File(full, file)
      } catch (error) {
        if (error instanceof CliError) {
          await write(context.stderr, `${error.code}: ${error.message}\n`)
          exit = EXIT_USAGE
          continue
        }
        const reason = error instanceof Error && 'code' in error ? String(error.code) : 'read error'
        await write(context.stderr, `CLI_UNREADABLE_INPUT: Cannot read ${escapeControl(file)} (${reason})\n`)
        exit = EXIT_USAGE
        continue
      }
      if (logsFiles)
        context.logger.info(
          { file, errors: summary.errors.map((e) => e.code), warnings: summary.warnings.length },
          'inspected',
        )
      if (summary.errors.length > 0 && exit === EXIT_OK) exit = EXIT_FINDINGS
      await write(context.stdout, json ? `${JSON.stringify(summary)}\n` : formatSummaryTable(summary))
    }
    return exit
  },
}
