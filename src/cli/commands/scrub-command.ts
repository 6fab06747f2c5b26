import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CodeTableRecords } from '../../../transforms/scrub/code-table-set.js'
import { createCodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import type { ScheduledInfusion, TrackedAuthorization } from '../../../transforms/scrub/scrub-context.js'
import { ScrubError } from '../../../transforms/scrub/scrub-error.js'
import { loadCodeTableRecords, loadCodeTableRecordsFromFiles } from '../../codes/code-table-repository.js'
import { CodesError } from '../../codes/codes-error.js'
import type { DatabaseHandle } from '../../db/create-database.js'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { parseAuthorizationsCsv, parseScheduleCsv } from '../../scrub/authorization-csv.js'
import { bundledCodesDir } from '../../scrub/default-codes-dir.js'
import { loadScrubReference } from '../../scrub/load-scrub-reference.js'
import type { ScrubSummary } from '../../scrub/scrub-files.js'
import { formatScrubSummary, scrubFiles } from '../../scrub/scrub-files.js'
import { listAuthorizations, listSchedule, loadLedgerLines } from '../../scrub/scrub-repository.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import { checkInputFile, parseDateOption, prepareOutputDir } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'
import { escapeControl } from '../escape-control.js'
import { createProgress } from '../progress.js'

const USAGE = `Usage: onco-edi scrub FILE... [--out DIR] [--as-of DATE] [--json] [--fix] [--codes DIR]
                     [--tables DIR] [--auths FILE.csv] [--schedule FILE.csv]

Scrubs 837P/837I claims before submission with the 17 oncology rules (J-code validity on the DOS,
NDC format/crosswalk/units, JW/JZ, administration sequencing and hierarchy, MUE, add-on primaries,
prior authorization, facility place of service and pro/facility duplicates). Streams the files;
a quarantined transaction set is skipped and reported.

Writes to DIR (default ./scrub-output):
  accepted.x12      claims with no error-level finding, in valid envelopes, ready to submit
  rejected.x12      the other claims
  findings.ndjson   one finding a line: claimId, line, rule, severity, message, position, suggestion
  summary.txt       per rule and per claim
  fixes.ndjson      with --fix: each fix with before/after, rule and source

  --as-of DATE      the run's date (default today)
  --fix             apply the safe fixes (1:1 successor J-code with units recomputed; NDC padded to
                    11 digits) and re-scrub the fixed claim
  --codes DIR       load CMS code files from DIR instead of the database (database-less run:
                    no stored authorizations, schedule or earlier claims)
  --tables DIR      scrub reference tables (default fixtures/scrub: admin codes, payer profiles…)
  --auths FILE.csv  authorizations to use in a database-less run (columns as in "auths import")
  --schedule FILE   infusion schedule to use in a database-less run
  --json            print the summary as JSON

Exit codes: 0 no error-level finding, 1 error-level findings or quarantined sets, 2 usage error.`

/** `onco-edi scrub`. */
export const scrubCommand: Command = {
  name: 'scrub',
  summary: 'scrub 837s before submission; write accepted/rejected batches and findings',
  usage: USAGE,
  async run(args, context) {
    try {
      return await runScrub(args, context)
    } catch (error) {
      // Unusable reference tables or code files are input problems: exit 2 with their code.
      if (error instanceof ScrubError || error instanceof CodesError)
        throw new CliError('CLI_UNREADABLE_INPUT', `${error.code}: ${error.message}`, { cause: error })
      throw error
    }
  },
}

async function runScrub(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      codes: { type: 'string' },
      tables: { type: 'string' },
      auths: { type: 'string' },
      schedule: { type: 'string' },
    },
  })
  if (positionals.length === 0)
    throw new CliError('CLI_USAGE', 'Expected at least one 837 FILE after "scrub"')
  const asOf = parseDateOption('as-of', values['as-of']) ?? today()
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(context.cwd, p))
  const files = positionals.map(path)
  // Missing, a directory, a FIFO, ENOTDIR: refused with the path before any work.
  for (const [i, shown] of positionals.entries()) checkInputFile(files[i] ?? shown, shown)
  const reference = loadScrubReference(values.tables === undefined ? undefined : path(values.tables))
  const outDir = path(values.out ?? 'scrub-output')
  prepareOutputDir(outDir, values.out ?? 'scrub-output')
  const extraAuths = values.auths === undefined ? [] : readAuths(path(values.auths), context)
  const extraSchedule = values.schedule === undefined ? [] : readSchedule(path(values.schedule), context)

  // On a terminal, a progress bar on stderr (bytes of all files, claims); nothing otherwise.
  const sizes = files.map((file) => statSync(file).size)
  const progress = createProgress({
    stream: context.stderr,
    label: 'scrub',
    totalBytes: sizes.reduce((a, b) => a + b, 0),
    unit: 'claims',
  })
  const onProgress = (file: string, claims: number, bytes: number): void => {
    const index = files.indexOf(file)
    const before = sizes.slice(0, Math.max(0, index)).reduce((a, b) => a + b, 0)
    progress.update({ bytes: before + bytes, count: claims })
  }

  let summary: ScrubSummary
  if (values.codes !== undefined) {
    const records = await loadCodes(path(values.codes))
    summary = await scrubFiles({
      files,
      outDir,
      asOf,
      fix: values.fix,
      codes: createCodeTableSet(records),
      reference,
      authorizations: extraAuths,
      schedule: extraSchedule,
      onProgress,
    })
  } else {
    const handle: DatabaseHandle = await openDatabase(databaseOptionsFromConfig(context.config))
    try {
      let records = await loadCodeTableRecords(handle.db)
      if (records.hcpcs.length === 0) {
        const bundled = bundledCodesDir()
        if (bundled === undefined)
          throw new CliError(
            'CLI_USAGE',
            'No code tables in the database: run "onco-edi codes import" or pass --codes DIR',
          )
        context.stderr.write(`No code tables imported yet: using the bundled subset in ${bundled}\n`)
        records = await loadCodes(bundled)
      }
      summary = await scrubFiles({
        files,
        outDir,
        asOf,
        fix: values.fix,
        codes: createCodeTableSet(records),
        reference,
        authorizations: [...(await listAuthorizations(handle.db)), ...extraAuths],
        schedule: [...(await listSchedule(handle.db)), ...extraSchedule],
        ledgerLines: await loadLedgerLines(handle.db),
        db: handle.db,
        onProgress,
      })
    } finally {
      await handle.close()
    }
  }
  // The bar is also removed when the run fails: main calls finishProgress() before the error line.
  progress.finish()
  context.logger.info(
    {
      files: summary.files.length,
      claims: summary.claims,
      accepted: summary.accepted,
      rejected: summary.rejected,
      errors: summary.errors,
      warnings: summary.warnings,
      fixes: summary.fixes,
      quarantinedSets: summary.quarantined.length,
      runId: summary.runId,
    },
    'scrub finished',
  )
  if (values.json) context.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  // File names are printed with control characters escaped, line by line.
  else context.stdout.write(formatScrubSummary(summary).split('\n').map(escapeControl).join('\n'))
  return summary.errors > 0 || summary.quarantined.length > 0 ? EXIT_FINDINGS : EXIT_OK
}

async function loadCodes(dir: string): Promise<CodeTableRecords> {
  const loaded = await loadCodeTableRecordsFromFiles(dir)
  return { hcpcs: loaded.hcpcs, crosswalk: loaded.crosswalk, addOns: loaded.addOns, mue: loaded.mue }
}

function readText(file: string): string {
  checkInputFile(file)
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
}

function readAuths(file: string, context: CommandContext): TrackedAuthorization[] {
  const parsed = parseAuthorizationsCsv(readText(file), file)
  for (const reject of parsed.rejects)
    context.stderr.write(`${file} line ${reject.line}: rejected: ${reject.reason}\n`)
  return parsed.authorizations
}

function readSchedule(file: string, context: CommandContext): ScheduledInfusion[] {
  const parsed = parseScheduleCsv(readText(file), file)
  for (const reject of parsed.rejects)
    context.stderr.write(`${file} line ${reject.line}: rejected: ${reject.reason}\n`)
  return parsed.entries
}
