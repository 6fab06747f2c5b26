import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { parseScheduleCsv } from '../../scrub/authorization-csv.js'
import { saveSchedule } from '../../scrub/scrub-repository.js'
import { CliError } from '../cli-error.js'
import type { Command } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'
import { writeRowReport } from '../row-report.js'

const USAGE = `Usage: onco-edi schedule import FILE.csv [--json]

Stores the infusion schedule used by "auths due" and the admin-sequence scrub rule. Columns:
  member_id,payer_id,date,hcpcs,planned_units
and optionally start_time,end_time (HHMM) of the infusion. The file is read as UTF-8; a line that
is not UTF-8 is read as Windows-1252 with a warning. A bad row (a value not allowed, a NUL, a field
over its size limit, a second row for the same member + payer + date + drug) is rejected alone,
reported on stderr as FILE:LINE:COLUMN: CODE: reason; every good row is stored. The same member +
payer + date + drug updates the stored entry.

Exit codes: 0 ok; 1 rows rejected, or a file that is not the expected CSV (empty, binary, a
missing column); 2 usage error or a file that cannot be opened (missing, a directory).`

/** `onco-edi schedule import`. */
export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'import the infusion schedule (for auths due and scrub sequencing)',
  usage: USAGE,
  async run(args, context) {
    const [subcommand, ...rest] = args
    if (subcommand !== 'import')
      throw new CliError('CLI_USAGE', `Expected "schedule import FILE.csv", got "schedule ${args.join(' ')}"`)
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    })
    const [file] = positionals
    if (file === undefined || positionals.length > 1)
      throw new CliError('CLI_USAGE', 'Expected exactly one FILE.csv after "schedule import"')
    const path = isAbsolute(file) ? file : resolve(context.cwd, file)
    let bytes: Uint8Array
    try {
      bytes = readFileSync(path)
    } catch (cause) {
      throw new CliError(
        'CLI_UNREADABLE_INPUT',
        `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      )
    }
    // A file that is not the expected CSV (empty, binary, a missing column) throws
    // SCRUB_BAD_CSV_HEADER naming the file: bad data, exit 1.
    const parsed = parseScheduleCsv(bytes, file)
    const handle = await openDatabase(databaseOptionsFromConfig(context.config))
    let saved: number
    try {
      saved = await saveSchedule(handle.db, parsed.entries)
    } finally {
      await handle.close()
    }
    if (values.json)
      context.stdout.write(
        `${JSON.stringify({ file, stored: saved, rejected: parsed.rejects, warnings: parsed.warnings }, null, 2)}\n`,
      )
    else
      context.stdout.write(
        `${file}: ${saved} scheduled infusions stored, ${parsed.rejects.length} rejected\n`,
      )
    // With --json the rejects and warnings are in the JSON.
    if (!values.json) writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
    return parsed.rejects.length > 0 ? EXIT_FINDINGS : EXIT_OK
  },
}
