import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import { parsePayerProfilesCsv } from '../../../transforms/denials/payer-profile.js'
import { loadDenialEngine } from '../../ingest/load-denial-engine.js'
import { listPayerProfiles, upsertPayerProfiles } from '../../rework/payer-repository.js'
import { CliError } from '../cli-error.js'
import { actorOf, checkInputFile, formatTable, resolvePath, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'

const USAGE = `Usage:
  onco-edi payers import FILE.csv [--user USER] [--json]
  onco-edi payers list [--json]

FILE.csv columns: payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days
payer_class is one of medicare, medicaid, commercial, medicare_advantage. Blank day columns fall
back to the class defaults of fixtures/denials/deadline-rules.csv. Bad rows are reported (exit 1)
and the good ones imported. The open and assigned rework items of the imported payers get their
deadlines computed again from the new profiles (each change is on the audit trail).`

/** `onco-edi payers import|list`. */
export const payersCommand: Command = {
  name: 'payers',
  summary: 'import and list payer profiles (deadline settings)',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { user: { type: 'string' }, json: { type: 'boolean', default: false } },
    })
    const [sub, file, ...extra] = positionals
    if (sub === 'list' && file === undefined) {
      const profiles = await withDatabase(context, (handle) => listPayerProfiles(handle.db))
      if (values.json) context.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`)
      else
        context.stdout.write(
          formatTable(
            ['payer_id', 'name', 'class', 'filing', 'corrected', 'appeal'],
            profiles.map((p) => [
              p.payerId,
              p.name,
              p.payerClass,
              String(p.timelyFilingDays ?? ''),
              String(p.correctedClaimDays ?? ''),
              String(p.appealDays ?? ''),
            ]),
          ),
        )
      return EXIT_OK
    }
    if (sub !== 'import' || file === undefined || extra.length > 0)
      throw new CliError('CLI_USAGE', 'Expected "payers import FILE.csv" or "payers list"')
    checkInputFile(resolvePath(context, file), file)
    let text: string
    try {
      text = await readFile(resolvePath(context, file), 'utf8')
    } catch (cause) {
      throw new CliError('CLI_UNREADABLE_INPUT', `Cannot read ${file}: ${(cause as Error).message}`, {
        cause,
      })
    }
    let parsed: ReturnType<typeof parsePayerProfilesCsv>
    try {
      parsed = parsePayerProfilesCsv(text)
    } catch (cause) {
      // Not the CSV expected (no header, a missing column, not CSV at all): bad data, exit 1.
      if (cause instanceof DenialError)
        throw new DenialError(
          cause.code,
          `${file}: ${cause.message}`,
          { line: cause.line, column: cause.column },
          { cause },
        )
      throw cause
    }
    const user = actorOf(values.user, context)
    const engine = await loadDenialEngine()
    const counts = await withDatabase(context, (handle) =>
      upsertPayerProfiles(handle.db, parsed.profiles, user, engine),
    )
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ ...counts, rejects: parsed.rejects }, null, 2)}\n`)
    } else {
      context.stdout.write(`imported ${counts.inserted} new and ${counts.updated} updated payer profile(s)\n`)
      if (counts.recomputed.changed > 0)
        context.stdout.write(
          `recomputed the deadlines of ${counts.recomputed.changed} of their ${counts.recomputed.items} open rework item(s)\n`,
        )
      for (const reject of parsed.rejects) context.stderr.write(`${file}:${reject.line}: ${reject.reason}\n`)
    }
    return parsed.rejects.length > 0 ? EXIT_FINDINGS : EXIT_OK
  },
}
