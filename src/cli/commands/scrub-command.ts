import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import type { PayerProfile } from '../../../transforms/denials/denial-types.js'
import type { CodeTableRecords } from '../../../transforms/scrub/code-table-set.js'
import { createCodeTableSet } from '../../../transforms/scrub/code-table-set.js'
import type { ScheduledInfusion, TrackedAuthorization } from '../../../transforms/scrub/scrub-context.js'
import { ScrubError } from '../../../transforms/scrub/scrub-error.js'
import { loadCodeTableRecords, loadCodeTableRecordsFromFiles } from '../../codes/code-table-repository.js'
import { CodesError } from '../../codes/codes-error.js'
import type { DatabaseHandle } from '../../db/create-database.js'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { outboundEnvelopeProblems } from '../../outbound-envelope.js'
import { prepareOutputDir } from '../../output-file.js'
import { listPayerProfiles } from '../../rework/payer-repository.js'
import { parseAuthorizationsCsv, parseScheduleCsv } from '../../scrub/authorization-csv.js'
import { bundledCodesDir } from '../../scrub/default-codes-dir.js'
import {
  bundledPayersFile,
  loadBundledPayerProfiles,
  loadScrubReference,
  readPayerProfilesFile,
} from '../../scrub/load-scrub-reference.js'
import type { ScrubFileResult, ScrubSummary } from '../../scrub/scrub-files.js'
import {
  formatFileError,
  formatFileResult,
  formatScrubSummaryAfterFiles,
  formatScrubTitle,
  scrubFiles,
} from '../../scrub/scrub-files.js'
import { listAuthorizations, listSchedule, loadLedgerLines } from '../../scrub/scrub-repository.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import { parseDateOption } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { createProgress } from '../progress.js'
import { writeRowReport } from '../row-report.js'

const USAGE = `Usage: onco-edi scrub FILE... [--out DIR] [--as-of DATE] [--json] [--fix] [--codes DIR]
                     [--tables DIR] [--payers FILE.csv] [--auths FILE.csv] [--schedule FILE.csv]

Scrubs 837P/837I claims before submission with the 17 oncology rules (J-code validity on the DOS,
NDC format/crosswalk/units, JW/JZ, administration sequencing and hierarchy, MUE, add-on primaries,
prior authorization, facility place of service and pro/facility duplicates). Streams the files;
a quarantined transaction set is skipped and reported.

Writes to DIR (default ./scrub-output):
  accepted.x12      claims with no error-level finding, in valid envelopes, ready to submit
  rejected.x12      the other claims
  findings.ndjson   one finding a line: file, isa13, st02, claimId (CLM01), line, rule, severity,
                    message, position, suggestion
  summary.txt       per file (as it finishes), errors by code, per rule and per claim
  fixes.ndjson      with --fix: each fix with before/after, rule and source

  --as-of DATE      the run's date (default today)
  --fix             apply the safe fixes (1:1 successor J-code with units recomputed; NDC padded to
                    11 digits) and re-scrub the fixed claim
  --codes DIR       load CMS code files from DIR instead of the database: no stored
                    authorizations, schedule or earlier claims, and the run is not stored. The
                    database (DATABASE_URL, else ONCO_EDI_HOME) still numbers the output.
  --tables DIR      scrub reference tables (default fixtures/scrub: admin codes, drugs needing
                    authorization…)
  --payers FILE.csv payer profiles in the format of "payers import" (class, NDC, JW/JZ, drug prior
                    authorization). Default: the profiles imported with "payers import"; with
                    --codes, or when none are imported, the bundled fixtures/payers.csv. A claim
                    whose payer has no profile gets a warning: authorization not checked.
  --auths FILE.csv  authorizations to use in a database-less run (columns as in "auths import")
  --schedule FILE   infusion schedule to use in a database-less run
  --json            print the summary as JSON

Each file is reported as it finishes (scrubbed: accepted / rejected, quarantined sets with their
reasons, or unreadable with its coded error); one bad file never stops the others. The outbound
ISA13/GS06/ST02 come from a counter in the database per sender/receiver pair: never reused.
ONCO_EDI_ISA06, ONCO_EDI_ISA08, ONCO_EDI_GS02 and ONCO_EDI_GS03 set the output's ids (default:
the input interchange's sender and receiver).

Exit codes (the worst file's): 0 no error-level finding, 1 error-level findings, quarantined sets
or a file that is not X12, 2 usage error, a file that cannot be read (missing, a folder, no
permission) or an output folder that cannot be written.`

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
      if (error instanceof ScrubError || error instanceof CodesError || error instanceof DenialError)
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
      payers: { type: 'string' },
      auths: { type: 'string' },
      schedule: { type: 'string' },
    },
  })
  if (positionals.length === 0)
    throw new CliError('CLI_USAGE', 'Expected at least one 837 FILE after "scrub"')
  const asOf = parseDateOption('as-of', values['as-of']) ?? today()
  const problems = outboundEnvelopeProblems(context.config.outbound)
  if (problems.length > 0) throw new CliError('CLI_BAD_OPTION', problems.join('; '))
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(context.cwd, p))
  // Each file is reported by the name it was given; one that cannot be read is reported, not fatal.
  const files = positionals.map((name) => ({ path: path(name), name }))
  const tables = values.tables === undefined ? undefined : path(values.tables)
  const payersFile = values.payers === undefined ? undefined : readPayers(path(values.payers), context)
  const outDir = path(values.out ?? 'scrub-output')
  prepareOutputDir(outDir)
  const extraAuths = values.auths === undefined ? [] : readAuths(path(values.auths), context)
  const extraSchedule = values.schedule === undefined ? [] : readSchedule(path(values.schedule), context)
  // Per-file lines stream as each file finishes: on stdout (the summary's first part), or on
  // stderr when stdout carries the JSON summary.
  const progress = values.json ? context.stderr : context.stdout
  // On a terminal, a progress bar on stderr (bytes of all files, claims), cleared before each
  // file's line; nothing otherwise.
  const sizeOf = (file: string): number => {
    try {
      return statSync(file).size
    } catch {
      return 0
    }
  }
  const sizes = files.map((file) => sizeOf(file.path))
  const bar = createProgress({
    stream: context.stderr,
    label: 'scrub',
    totalBytes: sizes.reduce((a, b) => a + b, 0),
    unit: 'claims',
  })
  const onProgress = (file: string, claims: number, bytes: number): void => {
    const index = files.findIndex((f) => f.path === file)
    const before = sizes.slice(0, Math.max(0, index)).reduce((a, b) => a + b, 0)
    bar.update({ bytes: before + bytes, count: claims })
  }
  const onFile = (result: ScrubFileResult): void => {
    bar.finish()
    progress.write(formatFileResult(result))
    const error = formatFileError(result)
    if (error !== undefined && !values.json) context.stderr.write(`${error}\n`)
    context.logger.info(
      {
        file: result.file,
        status: result.status,
        claims: result.claims,
        accepted: result.accepted,
        rejected: result.rejected,
        quarantinedSets: result.quarantined.length,
        error: result.error?.code,
      },
      'scrub file finished',
    )
  }

  // The database always gives the outbound control numbers (a persisted counter, so two runs
  // never send the same ISA13); with --codes it is used for nothing else.
  const handle: DatabaseHandle = await openDatabase(databaseOptionsFromConfig(context.config))
  let summary: ScrubSummary
  try {
    const common = {
      files,
      outDir,
      asOf,
      fix: values.fix,
      controlNumbers: handle.db,
      envelope: context.config.outbound,
      onFile,
      onProgress,
    }
    if (values.codes !== undefined) {
      const records = await loadCodes(path(values.codes))
      // Without the database's tables, the payers come from --payers or the bundled payer CSV.
      const reference = loadScrubReference(tables, payersFile ?? loadBundledPayerProfiles())
      if (!values.json) context.stdout.write(formatScrubTitle(asOf))
      summary = await scrubFiles({
        ...common,
        reference,
        codes: createCodeTableSet(records),
        authorizations: extraAuths,
        schedule: extraSchedule,
      })
    } else {
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
      const authorizations = [...(await listAuthorizations(handle.db)), ...extraAuths]
      const schedule = [...(await listSchedule(handle.db)), ...extraSchedule]
      const ledgerLines = await loadLedgerLines(handle.db)
      let profiles = payersFile ?? (await listPayerProfiles(handle.db))
      if (profiles.length === 0) {
        context.stderr.write(`No payer profiles imported yet: using the bundled ${bundledPayersFile()}\n`)
        profiles = loadBundledPayerProfiles()
      }
      const reference = loadScrubReference(tables, profiles)
      if (!values.json) context.stdout.write(formatScrubTitle(asOf))
      summary = await scrubFiles({
        ...common,
        reference,
        codes: createCodeTableSet(records),
        authorizations,
        schedule,
        ledgerLines,
        db: handle.db,
      })
    }
  } finally {
    await handle.close()
  }
  context.logger.info(
    {
      files: summary.files.length,
      unreadable: summary.unreadable,
      claims: summary.claims,
      accepted: summary.accepted,
      rejected: summary.rejected,
      errors: summary.errors,
      warnings: summary.warnings,
      fixes: summary.fixes,
      quarantinedSets: summary.quarantinedSets,
      runId: summary.runId,
    },
    'scrub finished',
  )
  if (values.json) context.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  else context.stdout.write(formatScrubSummaryAfterFiles(summary))
  return summary.exitCode
}

async function loadCodes(dir: string): Promise<CodeTableRecords> {
  const loaded = await loadCodeTableRecordsFromFiles(dir)
  return { hcpcs: loaded.hcpcs, crosswalk: loaded.crosswalk, addOns: loaded.addOns, mue: loaded.mue }
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (cause) {
    throw new CliError(
      'CLI_UNREADABLE_INPUT',
      `Cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
}

function readAuths(file: string, context: CommandContext): TrackedAuthorization[] {
  const parsed = parseAuthorizationsCsv(readBytes(file), file)
  writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
  return parsed.authorizations
}

function readSchedule(file: string, context: CommandContext): ScheduledInfusion[] {
  const parsed = parseScheduleCsv(readBytes(file), file)
  writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
  return parsed.entries
}

function readPayers(file: string, context: CommandContext): PayerProfile[] {
  const parsed = readPayerProfilesFile(file)
  writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
  return parsed.profiles
}
