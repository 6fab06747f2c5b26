import { once } from 'node:events'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { JsonBytes } from '../../../parsers/json/json-bytes.js'
import { ParseRecordWriter } from '../../../parsers/json/parse-records.js'
import { formatPosition } from '../../../parsers/x12/segment.js'
import type { X12Issue } from '../../../parsers/x12/x12-error.js'
import { X12Error } from '../../../parsers/x12/x12-error.js'
import type { X12Event } from '../../../parsers/x12-event.js'
import { readX12File } from '../../pipeline/read-x12.js'
import { CliError } from '../cli-error.js'
import { checkInputFile } from '../cli-support.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.js'
import { escapeControl } from '../escape-control.js'

const USAGE = `Usage: onco-edi parse FILE [--format ndjson|json] [--positions]

Streams the typed claims of an X12 file as records: each transaction set's header once,
{"type":"header","id":N,...} (837: envelope, BHT03, submitter, receiver; 835: envelope, BPR, TRN,
payer, payee), then each of its claims, {"type":"claim","header":N,...}: one per 837P/837I claim
(loop 2300) or 835 CLP (loop 2100). Money is in integer cents. The records follow the JSON Schemas
in the package's schemas/ folder; the raw source segments are not printed. Acknowledgments give
one record per 999 set ({"type":"999",...}: AK1, AK2/IK3/IK4/IK5, AK9) and one per 277CA claim
({"type":"277CA",...}: TRN02 claim id, STC statuses, REF*1K).

Options:
  --format ndjson   one record per line (default)
  --format json     one JSON array of the records, written as it is read (memory stays flat)
  --positions       keep each part's position in the X12 file (byte offset, segment, element)
  -h, --help        this text

Claims are written as soon as they are read. When a transaction set turns out to be bad (an
envelope or syntax error), its issues are printed on stderr with their position and the exit code
is 1: the claims of that set already written must not be used.

Exit codes: 0 ok, 1 errors in the data, 2 usage error or unreadable file.
`

type Format = 'ndjson' | 'json'

function parseParseArgs(args: string[]): { file: string; format: Format; positions: boolean } {
  let parsed: {
    values: { format?: string | undefined; positions?: boolean | undefined }
    positionals: string[]
  }
  try {
    parsed = parseArgs({
      args,
      options: { format: { type: 'string' }, positions: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw new CliError(
      'CLI_BAD_OPTION',
      `${error instanceof Error ? error.message : String(error)}. Run onco-edi parse --help.`,
    )
  }
  const format = parsed.values.format ?? 'ndjson'
  if (format !== 'ndjson' && format !== 'json') {
    throw new CliError('CLI_BAD_OPTION', `Expected --format ndjson or json, got ${JSON.stringify(format)}`)
  }
  const [file, ...extra] = parsed.positionals
  if (file === undefined || extra.length > 0) {
    throw new CliError('CLI_USAGE', 'parse takes exactly one FILE. Run onco-edi parse --help.')
  }
  return { file, format, positions: parsed.values.positions === true }
}

/**
 * The record of an acknowledgment event: a 999 set whole (`{"type":"999",...}`: AK1, the AK2 loops
 * with IK3/IK4/IK5, AK9) or one 277CA claim status (`{"type":"277CA",...}`). Positions are kept
 * only with `--positions`, as in the claim records.
 */
export function acknowledgmentRecord(event: X12Event, positions: boolean): string | undefined {
  const replacer = positions
    ? undefined
    : (key: string, value: unknown) => (key === 'position' ? undefined : value)
  if (event.type === 'ack999') return JSON.stringify({ type: '999', ...event.ack }, replacer)
  if (event.type === 'claim277') return JSON.stringify({ type: '277CA', ...event.claim }, replacer)
  return undefined
}

/** `FILE: error: CODE message [position]`: one line, naming the file. */
function describeIssue(file: string, issue: X12Issue): string {
  const where = issue.position === undefined ? '' : ` [${formatPosition(issue.position)}]`
  return `${escapeControl(file)}: ${issue.severity === 'error' ? 'error' : 'warning'}: ${issue.code} ${escapeControl(issue.message)}${where}\n`
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) await once(stream, 'drain')
}

async function writeBytes(stream: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  if (!stream.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    await once(stream, 'drain')
}

/** `onco-edi parse FILE [--format ndjson|json]`. */
export const parseCommand: Command = {
  name: 'parse',
  summary: 'stream the typed claims of an 837 or 835 (or a 999 / 277CA) as NDJSON or a JSON array',
  usage: USAGE,
  async run(args: string[], context: CommandContext): Promise<number> {
    const { file, format, positions } = parseParseArgs(args)
    const full = path.resolve(context.cwd, file)
    checkInputFile(full, file)
    let errors = 0
    let first = true
    let opened = false
    const records = new ParseRecordWriter({ positions })
    const texts: string[] = []
    // NDJSON is written as bytes, one buffer per batch of events (see ParseRecordWriter.writeNdjson).
    const bytes = format === 'ndjson' ? new JsonBytes() : undefined
    try {
      for await (const events of readX12File(full)) {
        let out = ''
        let err = ''
        if (!opened && format === 'json') {
          out += '['
          opened = true
        }
        for (const event of events) {
          if (bytes !== undefined) {
            const before = bytes.length
            records.writeNdjson(event, bytes)
            const acknowledgment = acknowledgmentRecord(event, positions)
            if (acknowledgment !== undefined) bytes.text(`${acknowledgment}\n`)
            if (bytes.length > before) continue
          } else {
            records.write(event, texts)
            const acknowledgment = acknowledgmentRecord(event, positions)
            if (acknowledgment !== undefined) texts.push(acknowledgment)
            if (texts.length > 0) {
              for (const json of texts) {
                out += first ? `\n${json}` : `,\n${json}`
                first = false
              }
              texts.length = 0
              continue
            }
          }
          const issues =
            event.type === 'issue'
              ? [event.issue]
              : event.type === 'transaction-end' || event.type === 'interchange-end'
                ? event.issues
                : []
          for (const issue of issues) {
            if (issue.severity === 'error') errors++
            err += describeIssue(file, issue)
          }
        }
        if (bytes !== undefined && bytes.length > 0) await writeBytes(context.stdout, bytes.take())
        await write(context.stdout, out)
        await write(context.stderr, err)
      }
    } catch (error) {
      if (error instanceof X12Error) {
        errors++
        await write(context.stderr, describeIssue(file, error.toIssue()))
      } else if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
        if (opened) await write(context.stdout, '\n]\n')
        await write(
          context.stderr,
          `CLI_UNREADABLE_INPUT: Cannot read ${escapeControl(file)} (${error.code})\n`,
        )
        return EXIT_USAGE
      } else {
        throw error
      }
    }
    if (format === 'json') await write(context.stdout, opened ? (first ? ']\n' : '\n]\n') : '[]\n')
    return errors > 0 ? EXIT_FINDINGS : EXIT_OK
  },
}
