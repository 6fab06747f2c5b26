import { statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { IsoDate } from '../../../parsers/dates.js'
import type { CodeChange, DatePeriod } from '../../../transforms/codes/code-changes.js'
import { listCodeChanges, newestQuarter } from '../../../transforms/codes/code-changes.js'
import type { BillingUnit } from '../../../transforms/codes/code-records.js'
import { isQuarter, quarterEnd, quarterOfDate, quarterStart } from '../../../transforms/codes/quarter.js'
import type { CodeImportResult } from '../../codes/code-table-repository.js'
import {
  importCodeFile,
  loadHcpcsChangeRecords,
  loadHcpcsRecords,
} from '../../codes/code-table-repository.js'
import { CodesError, formatCodeFilePosition } from '../../codes/codes-error.js'
import type { TerminatedCodeUsage } from '../../codes/terminated-code-usage.js'
import { findTerminatedCodeUsage, USAGE_LOOKBACK_DAYS } from '../../codes/terminated-code-usage.js'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { showOriginal, spoolInput } from '../../input-spool.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import { parseDateOption } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, exitCodeOf } from '../command.js'
import { createProgress } from '../progress.js'
import { writeRowReport } from '../row-report.js'

const USAGE = `Usage: onco-edi codes import FILE... [--quarter YYYY-MM] [--json]
       onco-edi codes changes [--from DATE] [--to DATE] [--as-of DATE] [--json]

import   Loads CMS code files as CMS ships them, recognized by their content:
         the HCPCS Level II file (fixed-width txt or xlsx), the HCPCS transaction report (xlsx),
         the ASP NDC-HCPCS crosswalk (csv), the NCCI add-on code file (xlsx) and the MUE tables
         for practitioner and outpatient hospital services (csv). The quarter comes from the
         content, else the file name, else --quarter. A file already imported (same sha256) is
         not read again; a file replaces the rows of its own kind and quarter only, so a newer
         quarter adds history. Each file is stored in one transaction. A row that cannot be
         stored (a HCPCS record that is not 320 characters, a CSV quote never closed, a bad date
         or code, a number out of range, a NUL, a field over its size limit) is skipped alone and
         reported on stderr as FILE:LINE:COLUMN: CODE: reason; the file's other rows are stored.
         CSV files are read as UTF-8; a line that is not UTF-8 is read as Windows-1252 with a
         warning (CODES_CSV_ENCODING, FILE:LINE:COLUMN). A FIFO or /dev/stdin is read once into
         a private temporary copy. Markdown files (a folder's README) are skipped.
changes  Lists the HCPCS codes added, terminated or re-described from --from to --to (default: the
         newest imported quarter; --to defaults to the end of the quarter of --from), each
         terminated code with its successor and unit change. Then the work list: every tracked
         authorization and every claim line stored in the ${USAGE_LOOKBACK_DAYS} days before --as-of (default today)
         that uses a terminated code.

  --quarter YYYY-MM  quarter of a file whose content and name do not say (MM = 01/04/07/10)
  --json             JSON instead of text

Exit codes: 0 ok; 1 rows skipped, or a file that is not a CMS code file (empty, UTF-16 text,
binary); 2 usage error (a bad option, no quarter known) or a file that cannot be opened (missing,
a directory, no permission).`

/** `onco-edi codes import|changes`. */
export const codesCommand: Command = {
  name: 'codes',
  summary: 'import CMS code tables (HCPCS, ASP crosswalk, NCCI, MUE); list code changes',
  usage: USAGE,
  async run(args, context) {
    const [subcommand, ...rest] = args
    if (subcommand === 'import') return runImport(rest, context)
    if (subcommand === 'changes') return runChanges(rest, context)
    throw new CliError(
      'CLI_USAGE',
      `Expected "codes import FILE..." or "codes changes", got "codes ${args.join(' ')}"`,
    )
  },
}

async function runImport(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { quarter: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  if (positionals.length === 0)
    throw new CliError('CLI_USAGE', 'Expected at least one FILE after "codes import"')
  if (values.quarter !== undefined && !isQuarter(values.quarter))
    throw new CliError(
      'CLI_BAD_OPTION',
      `Expected --quarter as YYYY-MM with MM 01/04/07/10, got "${values.quarter}"`,
    )
  let exitCode = EXIT_OK
  // On a terminal, a progress bar on stderr: bytes of the files done, rows as they are stored.
  const sizeOf = (file: string): number => {
    try {
      return statSync(isAbsolute(file) ? file : resolve(context.cwd, file)).size
    } catch {
      return 0
    }
  }
  const bar = createProgress({
    stream: context.stderr,
    label: 'codes import',
    totalBytes: positionals.reduce((sum, file) => sum + sizeOf(file), 0),
    unit: 'rows',
  })
  const done = { bytes: 0, rows: 0 }
  const handle = await openDatabase(databaseOptionsFromConfig(context.config))
  try {
    for (const file of positionals) {
      bar.finish()
      const path = isAbsolute(file) ? file : resolve(context.cwd, file)
      // A folder's README comes along with `codes import fixtures/codes/*`: documentation, not data.
      if (/\.md$/i.test(file)) {
        if (values.json) context.stdout.write(`${JSON.stringify({ file, skipped: 'documentation' })}\n`)
        else context.stdout.write(`${file}: skipped (documentation, not a code file)\n`)
        continue
      }
      let result: CodeImportResult
      let input: Awaited<ReturnType<typeof spoolInput>> | undefined
      try {
        // A FIFO or /dev/stdin: read once into a private copy (hashed, sniffed, then read).
        try {
          input = await spoolInput(path)
        } catch (cause) {
          throw new CodesError(
            'CODES_UNREADABLE_FILE',
            `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
            { path },
            { cause },
          )
        }
        result = await importCodeFile(handle.db, input.path, {
          quarter: values.quarter,
          onProgress: (rows) => bar.update({ bytes: done.bytes, count: done.rows + rows }),
        })
        done.rows += result.alreadyImported ? 0 : result.rows
        done.bytes += sizeOf(file)
        bar.finish()
      } catch (error) {
        bar.finish()
        if (!(error instanceof CodesError)) throw error
        // One bad file does not stop the others. A file that cannot be opened or a missing
        // quarter is a usage problem (2); a file that is not a CMS code file is bad data (1).
        const code = exitCodeOf(error.code)
        if (code > exitCode) exitCode = code
        const text = input === undefined ? error.message : showOriginal(error.message, input)
        const message = `${error.code}: ${text}`
        context.logger.error({ file, code: error.code }, 'code file not imported')
        if (values.json)
          context.stdout.write(`${JSON.stringify({ file, error: { code: error.code, message } })}\n`)
        else
          context.stderr.write(
            `${file}: ${message}${error.position.line === undefined ? '' : ` (${formatCodeFilePosition({ ...error.position, path: file })})`}\n`,
          )
        continue
      } finally {
        await input?.release()
      }
      context.logger.info(
        {
          file,
          kind: result.kind,
          quarter: result.quarter,
          rows: result.rows,
          skipped: result.skippedCount,
          warnings: result.warnings.length,
          alreadyImported: result.alreadyImported,
        },
        'code file imported',
      )
      if (values.json) context.stdout.write(`${JSON.stringify({ file, ...result, path: undefined })}\n`)
      else {
        context.stdout.write(`${describeImport(file, result)}\n`)
        writeRowReport(context.stderr, file, result.skipped, result.warnings)
        if (result.skippedCount > result.skipped.length)
          context.stderr.write(
            `${file}: ${result.skippedCount - result.skipped.length} more skipped row(s) not listed\n`,
          )
      }
      // Rows left out of a stored file are errors in the data: exit 1 (unless a usage problem: 2).
      if (!result.alreadyImported && result.skippedCount > 0 && exitCode === EXIT_OK) exitCode = EXIT_FINDINGS
    }
  } finally {
    bar.finish()
    await handle.close()
  }
  return exitCode
}

function describeImport(file: string, result: CodeImportResult): string {
  const what = `${result.kind} (${result.format}) quarter ${result.quarter} (from ${result.quarterSource})`
  if (result.alreadyImported) return `${file}: already imported: ${what}, ${result.rows} rows`
  const skipped = result.skippedCount === 0 ? '' : `, ${result.skippedCount} rows skipped`
  return `${file}: ${what}, ${result.rows} rows${skipped}`
}

async function runChanges(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length > 0) throw new CliError('CLI_USAGE', `Unexpected argument "${positionals[0]}"`)
  const from = parseDateOption('from', values.from)
  const to = parseDateOption('to', values.to)
  const asOf = parseDateOption('as-of', values['as-of']) ?? today()
  const handle = await openDatabase(databaseOptionsFromConfig(context.config))
  try {
    const hcpcs = await loadHcpcsRecords(handle.db)
    const changes = await loadHcpcsChangeRecords(handle.db)
    const newest = newestQuarter([...hcpcs, ...changes].map((record) => record.sourceQuarter))
    if (from === undefined && newest === undefined) {
      context.stderr.write('No HCPCS file is imported yet: run onco-edi codes import FILE... first.\n')
      return EXIT_USAGE
    }
    const start = from ?? quarterStart(newest ?? quarterOfDate(asOf))
    const period: DatePeriod = { from: start, to: to ?? quarterEnd(quarterOfDate(start)) }
    if (period.to < period.from)
      throw new CliError('CLI_BAD_OPTION', `--to ${period.to} is before --from ${period.from}`)
    const list = listCodeChanges({ hcpcs, changes }, period)
    const terminated = list.filter((change) => change.change === 'terminated')
    const usage = await findTerminatedCodeUsage(handle.db, terminated, { asOf })
    if (values.json)
      context.stdout.write(`${JSON.stringify({ period, asOf, changes: list, workList: usage }, null, 2)}\n`)
    else context.stdout.write(formatChanges(period, asOf, list, usage))
  } finally {
    await handle.close()
  }
  return EXIT_OK
}

function unitText(unit: BillingUnit | undefined): string {
  return unit === undefined ? '?' : `${unit.amount} ${unit.unit}`
}

/** "→ J9267 (same drug), 30 mg → 1 mg, units ×30" */
export function describeSuccessor(change: CodeChange): string {
  const successor = change.successor
  if (successor === undefined) return 'no successor known'
  const basis = successor.basis === 'xref1' ? 'XREF1' : 'same drug, added the next day'
  const units =
    successor.unitFactor === undefined
      ? successor.billingUnit === undefined
        ? `billing unit of ${successor.code} not known: convert the units by hand`
        : `billing unit ${unitText(change.billingUnit)} → ${unitText(successor.billingUnit)}: convert the units by hand`
      : successor.unitFactor === 1
        ? `same billing unit ${unitText(successor.billingUnit)}`
        : `${unitText(change.billingUnit)} → ${unitText(successor.billingUnit)}, units ×${successor.unitFactor}`
  return `→ ${successor.code} (${basis}), ${units}`
}

function formatChanges(
  period: DatePeriod,
  asOf: IsoDate,
  list: CodeChange[],
  usage: TerminatedCodeUsage,
): string {
  const lines = [`HCPCS changes from ${period.from} to ${period.to}: ${list.length}`]
  for (const change of list) {
    const head = `  ${change.effectiveDate}  ${change.change.padEnd(10)}  ${change.code.padEnd(5)}  ${change.description}`
    if (change.change === 'terminated') lines.push(`${head}\n${' '.repeat(33)}${describeSuccessor(change)}`)
    else if (change.change === 'descriptor' && change.previousDescription !== undefined)
      lines.push(`${head}\n${' '.repeat(33)}was: ${change.previousDescription}`)
    else lines.push(head)
  }
  lines.push('')
  const successor = (code: string | undefined, factor: number | undefined): string =>
    code === undefined
      ? 'no successor known'
      : `→ ${code}${factor === undefined || factor === 1 ? '' : ` units ×${factor}`}`
  lines.push(
    `Work list: tracked authorizations for a terminated code: ${usage.authorizations.length}`,
    ...usage.authorizations.map(
      (auth) =>
        `  auth ${auth.authNumber}  payer ${auth.payerId}  ${auth.hcpcs} (ends ${auth.codeEndsOn})  valid ${auth.startDate ?? 'open'} to ${auth.endDate ?? 'open'}  ${successor(auth.successor, auth.unitFactor)}`,
    ),
    `Work list: claim lines stored from ${usage.since} to ${asOf} billing a terminated code: ${usage.claimLines.length}`,
    ...usage.claimLines.map(
      (line) =>
        `  claim ${line.claimId} line ${line.line} (${line.kind}${line.source === 'submitted' ? ', submitted' : ''})  ${line.hcpcs} × ${line.units}  DOS ${line.serviceDate}${line.invalidOnServiceDate ? ' (code not valid on DOS)' : ''}  ${successor(line.successor, line.unitFactor)}`,
    ),
  )
  return `${lines.join('\n')}\n`
}
