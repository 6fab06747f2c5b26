import { createReadStream } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatJsonPosition, JsonRecordError } from '../../../parsers/json/json-record-error.js'
import { buildClaims837FromJson } from '../../json/build-claims-837-from-json.js'
import { outboundEnvelopeProblems } from '../../outbound-envelope.js'
import { writeFileAtomic } from '../../output-file.js'
import { today } from '../../today.js'
import { CliError } from '../cli-error.js'
import {
  checkInputFile,
  checkOutputFile,
  parseDateOption,
  resolvePath,
  withDatabase,
} from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi build-837 FILE --out FILE [--date DATE] [--usage P|T]

Writes an 837P/837I from a JSON file of claims in parse's record shape (schemas/header-837 and
schemas/claim-837): header records, then claim records pointing to their header by id, as one JSON
array (parse --format json) or one record per line (parse's NDJSON). The file is read streaming.
Each claim is checked against its schema; a bad record is reported alone on stderr with its code,
record index and JSON path, and the others are written. 837P and 837I claims go in their own
groups of one interchange, whose ISA13/GS06/ST02 come from the persisted counter (never reused).

Options:
  --out FILE      the 837 to write (temporary file, then renamed)
  --date DATE     ISA09/GS04 and BHT04 as YYYY-MM-DD (default today)
  --usage P|T     ISA15 (default T when the first claim's header says test data, else P)
  -h, --help      this text

Exit codes: 0 every record written, 1 records rejected or not JSON (JSON_SYNTAX), 2 usage error or
a file that cannot be read or written.
`

/** `onco-edi build-837 FILE --out FILE`. */
export const build837Command: Command = {
  name: 'build-837',
  summary: 'write an 837P/837I from a JSON file of claims in parse’s record shape',
  usage: USAGE,
  async run(args: string[], context: CommandContext): Promise<number> {
    let parsed: { values: { out?: string; date?: string; usage?: string }; positionals: string[] }
    try {
      parsed = parseArgs({
        args,
        options: { out: { type: 'string' }, date: { type: 'string' }, usage: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      })
    } catch (error) {
      throw new CliError(
        'CLI_BAD_OPTION',
        `${error instanceof Error ? error.message : String(error)}. Run onco-edi build-837 --help.`,
      )
    }
    const [file, ...extra] = parsed.positionals
    if (file === undefined || extra.length > 0)
      throw new CliError('CLI_USAGE', 'build-837 takes exactly one FILE. Run onco-edi build-837 --help.')
    const { out, usage } = parsed.values
    if (out === undefined) throw new CliError('CLI_USAGE', 'Expected --out FILE')
    if (usage !== undefined && usage !== 'P' && usage !== 'T')
      throw new CliError('CLI_BAD_OPTION', `Expected --usage P or T, got ${JSON.stringify(usage)}`)
    const date = parseDateOption('date', parsed.values.date) ?? today()
    const problems = outboundEnvelopeProblems(context.config.outbound)
    if (problems.length > 0) throw new CliError('CLI_BAD_OPTION', problems.join('; '))
    const input = resolvePath(context, file)
    checkInputFile(input, file)
    const output = resolvePath(context, out)
    checkOutputFile(output, out)
    let result: Awaited<ReturnType<typeof buildClaims837FromJson>>
    try {
      result = await withDatabase(context, (handle) =>
        buildClaims837FromJson(createReadStream(input), {
          db: handle.db,
          date,
          envelope: context.config.outbound,
          ...(usage === undefined ? {} : { usage }),
        }),
      )
    } catch (error) {
      if (!(error instanceof JsonRecordError)) throw error
      // The file is not JSON: one coded line naming it; nothing is written.
      context.stderr.write(`${error.code}: ${escapeControl(file)}: ${escapeControl(error.message)}\n`)
      return EXIT_FINDINGS
    }
    let err = ''
    for (const issue of result.rejected)
      err += `${escapeControl(file)}: error: ${issue.code} ${issue.message} [${formatJsonPosition(issue.position)}]\n`
    context.stderr.write(err)
    if (result.x12 !== '') await writeFileAtomic(output, result.x12)
    const kinds = { '837P': 0, '837I': 0 }
    for (const claim of result.claims) kinds[claim.kind]++
    context.stdout.write(
      result.x12 === ''
        ? `no claim written (${result.rejected.length} rejected); ${escapeControl(out)} not written\n`
        : `wrote ${result.claims.length} claims (${kinds['837P']} 837P, ${kinds['837I']} 837I; ISA13 ${String(result.interchangeControl).padStart(9, '0')}) to ${escapeControl(out)}; ${result.rejected.length} rejected\n`,
    )
    return result.rejected.length > 0 || result.x12 === '' ? EXIT_FINDINGS : EXIT_OK
  },
}
