import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Cents } from '../../../parsers/money.js'
import { formatCents, parseCents } from '../../../parsers/money.js'
import type { AuthDueItem } from '../../../transforms/scrub/auths-due.js'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { parseAuthorizationsCsv } from '../../scrub/authorization-csv.js'
import { loadAuthsReview } from '../../scrub/auths-review.js'
import { parseCsvTable } from '../../scrub/read-csv-table.js'
import { saveAuthorizations } from '../../scrub/scrub-repository.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import { parseDateOption } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'
import { writeRowReport } from '../row-report.js'

const USAGE = `Usage: onco-edi auths import FILE.csv [--json]
       onco-edi auths due [--within 14] [--as-of DATE] [--prices FILE.csv] [--json]

import  Stores prior authorizations. Columns:
          auth_number,payer_id,member_id,hcpcs,units_authorized,cycles_authorized,start_date,end_date
        A blank limit or date means "not limited". The file is read as UTF-8; a line that is not
        UTF-8 is read as Windows-1252 with a warning. A bad row (a value not allowed, a NUL, a field
        over its size limit, a repeated auth + payer + member + drug) is rejected alone, reported on
        stderr as FILE:LINE:COLUMN: CODE: reason; every good row is stored. The same auth + payer +
        member + drug replaces the stored row, so importing a file again changes nothing.
due     The daily review: authorizations expiring within N days (default 14), authorizations whose
        remaining units or cycles are short of the scheduled infusions (onco-edi schedule import),
        and every scheduled infusion no active authorization covers. Sorted by date, then dollars
        at risk when --prices (columns hcpcs,unit_price in dollars per billing unit) is given.
        Member ids are masked to their last 4 characters.

Exit codes: 0 ok; 1 rows rejected on import, or a file that is not the expected CSV (empty,
binary, a missing column); 2 usage error or a file that cannot be opened (missing, a directory).`

/** `onco-edi auths import|due`. */
export const authsCommand: Command = {
  name: 'auths',
  summary: 'import prior authorizations; list those due (expiring, short, uncovered infusions)',
  usage: USAGE,
  async run(args, context) {
    const [subcommand, ...rest] = args
    if (subcommand === 'import') return runImport(rest, context)
    if (subcommand === 'due') return runDue(rest, context)
    throw new CliError(
      'CLI_USAGE',
      `Expected "auths import FILE.csv" or "auths due", got "auths ${args.join(' ')}"`,
    )
  },
}

async function runImport(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  })
  const [file] = positionals
  if (file === undefined || positionals.length > 1)
    throw new CliError('CLI_USAGE', 'Expected exactly one FILE.csv after "auths import"')
  const path = isAbsolute(file) ? file : resolve(context.cwd, file)
  const parsed = parseOrUsage(() => parseAuthorizationsCsv(readBytes(path), file))
  const handle = await openDatabase(databaseOptionsFromConfig(context.config))
  let saved: { inserted: number; replaced: number }
  try {
    saved = await saveAuthorizations(handle.db, parsed.authorizations)
  } finally {
    await handle.close()
  }
  if (values.json)
    context.stdout.write(
      `${JSON.stringify({ file, ...saved, rejected: parsed.rejects, warnings: parsed.warnings }, null, 2)}\n`,
    )
  else
    context.stdout.write(
      `${file}: ${saved.inserted} authorizations added, ${saved.replaced} updated, ${parsed.rejects.length} rejected\n`,
    )
  // With --json the rejects and warnings are in the JSON.
  if (!values.json) writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
  return parsed.rejects.length > 0 ? EXIT_FINDINGS : EXIT_OK
}

async function runDue(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      within: { type: 'string', default: '14' },
      'as-of': { type: 'string' },
      prices: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  const within = Number(values.within)
  if (!/^\d+$/.test(values.within))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --within as a whole number of days, got "${values.within}"`,
    )
  const asOf = parseDateOption('as-of', values['as-of']) ?? today()
  const prices =
    values.prices === undefined
      ? undefined
      : readPrices(isAbsolute(values.prices) ? values.prices : resolve(context.cwd, values.prices))
  const handle = await openDatabase(databaseOptionsFromConfig(context.config))
  let shown: AuthDueItem[]
  try {
    ;({ items: shown } = await loadAuthsReview(handle.db, {
      asOf,
      withinDays: within,
      unitPrice: prices === undefined ? undefined : (hcpcs: string) => prices.get(hcpcs),
    }))
  } finally {
    await handle.close()
  }
  if (values.json) {
    context.stdout.write(`${JSON.stringify({ asOf, withinDays: within, items: shown }, null, 2)}\n`)
    return EXIT_OK
  }
  if (shown.length === 0) {
    context.stdout.write(
      `No authorization due within ${within} days of ${asOf}, and every scheduled infusion is covered.\n`,
    )
    return EXIT_OK
  }
  context.stdout.write(`Authorizations due (as of ${asOf}, within ${within} days):\n`)
  for (const item of shown)
    context.stdout.write(
      `  ${item.date}  ${item.kind.padEnd(18)} ${(item.authNumber ?? '-').padEnd(14)} payer ${item.payerId.padEnd(8)} member ${item.memberId.padEnd(9)} ${(item.hcpcs ?? 'any').padEnd(6)} ${item.atRisk === undefined ? '' : `$${formatCents(item.atRisk)} at risk  `}${item.detail}\n`,
    )
  return EXIT_OK
}

function readPrices(path: string): Map<string, Cents> {
  const table = parseOrUsage(() => parseCsvTable(readBytes(path), ['hcpcs', 'unit_price'], path))
  const prices = new Map<string, Cents>()
  for (const { line, values } of table.rows) {
    const cents = parseCents(values.unit_price ?? '')
    if (cents === undefined)
      throw new CliError(
        'CLI_BAD_OPTION',
        `${path} line ${line}: unit_price "${values.unit_price}" is not an amount`,
      )
    prices.set(values.hcpcs ?? '', cents)
  }
  return prices
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (cause) {
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
}

/**
 * Runs a CSV parse. A file that was read but is not the expected CSV (empty, no header, a missing
 * column: SCRUB_BAD_CSV_HEADER naming the file) is bad data: its ScrubError goes to `main`, exit 1.
 */
function parseOrUsage<T>(parse: () => T): T {
  return parse()
}
