import { parseArgs } from 'node:util'
import { rematchAll } from '../../ingest/ingest-files.js'
import { loadDenialEngine } from '../../ingest/load-denial-engine.js'
import { CliError } from '../cli-error.js'
import { actorOf, withDatabase } from '../cli-support.js'
import type { Command } from '../command.js'
import { EXIT_OK } from '../command.js'

const USAGE = `Usage: onco-edi rematch [--user USER] [--json]

Matches every stored remit claim (835 CLP) that is still unmatched to a stored 837 claim, with
the rules of 835 ingest (CLP01 = CLM01, narrowed by payer and DOS; lines by REF*6R or code,
modifiers, DOS and charge). Their rework items take the submitted claim and line, and their
deadlines are computed again; each changed item gets an audit event. Then what every stored
payment recovers is worked out again for every claim, as ingest does after each 835 (a repeated
denial held back by an older one, payments applied oldest first by remit date). Ingest does all
this by itself; this command repairs a database where an 835 was stored while its 837 was still
being ingested, or whose recovery an older version left depending on the order files came in.
Running it twice changes nothing the second time.

  --user USER  recorded on audit events (default $ONCO_EDI_USER)
  --json       the counts as JSON

Exit codes: 0 done (also when nothing was left to match), 2 usage.`

/** `onco-edi rematch`. */
export const rematchCommand: Command = {
  name: 'rematch',
  summary: 'match remit claims stored before their 837 (repair)',
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { user: { type: 'string' }, json: { type: 'boolean', default: false } },
    })
    if (positionals.length > 0)
      throw new CliError('CLI_USAGE', `Expected no arguments, got ${JSON.stringify(positionals.join(' '))}`)
    const engine = await loadDenialEngine()
    const actor = actorOf(values.user, context)
    const { matched, recovery } = await withDatabase(context, (handle) =>
      rematchAll(handle.db, engine, actor),
    )
    context.logger.info({ ...matched, recovery }, 'rematch finished')
    context.stdout.write(
      values.json
        ? `${JSON.stringify({ ...matched, recovery })}\n`
        : `${matched.claims} remit claim(s) matched, ${matched.lines} line(s), ${matched.items} rework item(s), ${matched.deadlines} deadline(s) recomputed; recovery: ${recovery.changed} item(s) changed, ${recovery.heldBack} repeated denial(s) held back\n`,
    )
    return EXIT_OK
  },
}
