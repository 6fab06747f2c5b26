import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { databaseOptionsFromConfig, openDatabase } from '../../db/create-database.js'
import { parseScheduleCsv } from '../../scrub/authorization-csv.js'
import { saveSchedule } from '../../scrub/scrub-repository.js'
import { CliError } from '../cli-error.js'
import { checkInputFile } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'

const USAGE = `Usage: onco-edi schedule import FILE.csv [--json]

Stores the infusion schedule used by "auths due" and the admin-sequence scrub rule. Columns:
  member_id,payer_id,date,hcpcs,planned_units
and optionally start_time,end_time (HHMM) of the infusion. A bad row is rejected with its line
number and the reason; every good row is stored. The same member + payer + date + drug updates the
stored entry.

Exit codes: 0 ok, 1 rows rejected or a file that is not the CSV expected (empty, UTF-16, binary),
2 usage error or a file that cannot be opened.`

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
    checkInputFile(path, file)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (cause) {
      throw new CliError(
        'CLI_UNREADABLE_INPUT',
        `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      )
    }
    // A CSV without the expected header is bad data: SCRUB_BAD_CSV_HEADER, exit 1.
    const parsed = parseScheduleCsv(text, file)
    const handle = await openDatabase(databaseOptionsFromConfig(context.config))
    let saved: number
    try {
      saved = await saveSchedule(handle.db, parsed.entries)
    } finally {
      await handle.close()
    }
    if (values.json)
      context.stdout.write(`${JSON.stringify({ file, stored: saved, rejected: parsed.rejects }, null, 2)}\n`)
    else {
      context.stdout.write(
        `${file}: ${saved} scheduled infusions stored, ${parsed.rejects.length} rejected\n`,
      )
      for (const reject of parsed.rejects) context.stdout.write(`  line ${reject.line}: ${reject.reason}\n`)
    }
    return parsed.rejects.length > 0 ? EXIT_FINDINGS : EXIT_OK
  },
}
