import { parseArgs } from 'node:util'
import { loadDenialEngine } from '../../ingest/load-denial-engine.js'
import { rematchRemitClaims } from '../../ingest/rematch-remits.js'
import { settleAllRecovery } from '../../ingest/store-835.js'
import { loadPayerProfiles } from '../../rework/payer-repository.js'
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
      handle.db.transaction().execute(async (trx) => {
        // The passes after a commit still owed (recovery_pass_owed) are done by this one: those of
        // the files committed before it started, which every statement below sees.
        const owed = await trx.selectFrom('recovery_pass_owed').select('file_id').execute()
        const matched = await rematchRemitClaims(
          trx,
          engine,
          await loadPayerProfiles(trx),
          { all: true },
          actor,
        )
        // Recovery as ingest works it out, now that the remits are matched.
        const recovery = await settleAllRecovery(trx, actor)
        if (owed.length > 0)
          await trx
            .deleteFrom('recovery_pass_owed')
            .where(
              'file_id',
              'in',
              owed.map((o) => Number(o.file_id)),
            )
            .execute()
        return { matched, recovery }
      }),
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
