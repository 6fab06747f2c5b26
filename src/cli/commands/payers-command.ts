import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DenialError } from '../../../transforms/denials/denial-error.js'
import { parsePayerProfilesCsv, payerRequirements } from '../../../transforms/denials/payer-profile.js'
import { loadDenialEngine } from '../../ingest/load-denial-engine.js'
import { listPayerProfiles, upsertPayerProfiles } from '../../rework/payer-repository.js'
import { CliError } from '../cli-error.js'
import { actorOf, formatTable, resolvePath, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'
import { writeRowReport } from '../row-report.js'

const USAGE = `Usage:
  onco-edi payers import FILE.csv [--user USER] [--json]
  onco-edi payers list [--json]

FILE.csv columns: payer_id,name,payer_class,timely_filing_days,corrected_claim_days,appeal_days
and optionally requires_ndc,jw_jz_required,drug_prior_auth (the claim requirements scrub checks).
payer_class is one of medicare (traditional Part B), medicare_advantage, commercial, medicaid.
Blank day columns fall back to the class defaults of fixtures/denials/deadline-rules.csv; blank
requirement columns fall back to the class defaults: NDC required for medicaid, JW/JZ for
medicare, drug prior authorization "none" for medicare and "list" (the drugs of
fixtures/scrub/auth-required-drugs.csv for the payer's class or id) for the others.
The file is read as UTF-8; a line that is not UTF-8 is read as Windows-1252 with a warning. Bad
rows (a value not allowed, a NUL, a field over its size limit, a repeated payer_id) are reported
on stderr as FILE:LINE:COLUMN: CODE: reason (exit 1), and the good ones imported. The open and
assigned rework items of the imported payers get their deadlines computed again from the new
profiles (each change is on the audit trail).

Exit codes: 0 ok; 1 rows rejected, or a file that is not the expected CSV (empty, binary, a
missing column: DENIAL_CSV_HEADER); 2 usage error or a file that cannot be opened.`

/** `onco-edi payers import|list`. */
export const payersCommand: Command = {
  name: 'payers',
  summary: 'import and list payer profiles (class, deadlines, NDC, JW/JZ, drug prior authorization)',
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
            ['payer_id', 'name', 'class', 'filing', 'corrected', 'appeal', 'ndc', 'jw/jz', 'drug auth'],
            profiles.map((p) => {
              const requirements = payerRequirements(p)
              return [
                p.payerId,
                p.name,
                p.payerClass,
                String(p.timelyFilingDays ?? ''),
                String(p.correctedClaimDays ?? ''),
                String(p.appealDays ?? ''),
                requirements.requiresNdc ? 'yes' : 'no',
                requirements.jwJzRequired ? 'yes' : 'no',
                requirements.drugAuthorization,
              ]
            }),
          ),
        )
      return EXIT_OK
    }
    if (sub !== 'import' || file === undefined || extra.length > 0)
      throw new CliError('CLI_USAGE', 'Expected "payers import FILE.csv" or "payers list"')
    let bytes: Uint8Array
    try {
      bytes = await readFile(resolvePath(context, file))
    } catch (cause) {
      throw new CliError('CLI_UNREADABLE_INPUT', `Cannot read ${file}: ${(cause as Error).message}`, {
        cause,
      })
    }
    let parsed: ReturnType<typeof parsePayerProfilesCsv>
    try {
      parsed = parsePayerProfilesCsv(bytes)
    } catch (cause) {
      if (!(cause instanceof DenialError)) throw cause
      // Read but not the expected CSV (empty, binary, a missing column): bad data, exit 1.
      throw new DenialError(
        cause.code,
        `${file}: ${cause.message}`,
        {
          ...(cause.line === undefined ? {} : { line: cause.line }),
          ...(cause.column === undefined ? {} : { column: cause.column }),
        },
        { cause },
      )
    }
    const user = actorOf(values.user, context)
    const engine = await loadDenialEngine()
    const counts = await withDatabase(context, (handle) =>
      upsertPayerProfiles(handle.db, parsed.profiles, user, engine),
    )
    if (values.json) {
      context.stdout.write(
        `${JSON.stringify({ ...counts, rejects: parsed.rejects, warnings: parsed.warnings }, null, 2)}\n`,
      )
    } else {
      context.stdout.write(`imported ${counts.inserted} new and ${counts.updated} updated payer profile(s)\n`)
      if (counts.recomputed.changed > 0)
        context.stdout.write(
          `recomputed the deadlines of ${counts.recomputed.changed} of their ${counts.recomputed.items} open rework item(s)\n`,
        )
    }
    // With --json the rejects and warnings are in the JSON.
    if (!values.json) writeRowReport(context.stderr, file, parsed.rejects, parsed.warnings)
    return parsed.rejects.length > 0 ? EXIT_FINDINGS : EXIT_OK
  },
}
