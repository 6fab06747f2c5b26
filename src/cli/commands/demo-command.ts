import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fixturesDir } from '../../project-root.js'
import type { Command, CommandContext } from '../command.js'
import { EXIT_OK, EXIT_USAGE } from '../command.js'
import { authsCommand } from './auths-command.js'
import { codesCommand } from './codes-command.js'
import { ingestCommand } from './ingest-command.js'
import { payersCommand } from './payers-command.js'
import { queueCommand } from './queue-command.js'
import { reportCommand } from './report-command.js'
import { scheduleCommand } from './schedule-command.js'
import { scrubCommand } from './scrub-command.js'

const USAGE = `Usage: onco-edi demo [--out DIR] [--as-of DATE]

The main job, end to end, on the synthetic data bundled in fixtures/ (made-up people):
  1. import the bundled CMS code tables (HCPCS, ASP crosswalk, NCCI add-on, MUE),
     payer profiles, prior authorizations and the infusion schedule;
  2. ingest the month of 837 claims (fixtures/e2e) and scrub them before submission;
  3. ingest the 835 remittances: match, classify denials into rework queues with deadlines;
  4. print the rework queues, the finance report (denials in period and cash recovered), the
     systematic denial causes and the preventable denials (denied dollars per scrub rule that
     catches them).
It uses the configured database: PostgreSQL when DATABASE_URL is set, else the embedded PGlite
database in $ONCO_EDI_HOME. Every step is idempotent, so a second run stores nothing new.

  --out DIR     where scrub writes accepted.x12, rejected.x12, findings.ndjson (default $ONCO_EDI_HOME/demo-scrub)
  --as-of DATE  the "today" for deadlines and days left (default 2026-03-16, two weeks after the last remit)`

/** The date the bundled month is viewed from: after the last 835 (2026-03-02) of fixtures/e2e. */
const DEMO_AS_OF = '2026-03-16'

/** `onco-edi demo`: what `npm start` runs. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the whole flow on the bundled synthetic data (what npm start runs)',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { out: { type: 'string' }, 'as-of': { type: 'string' } },
    })
    const asOf = values['as-of'] ?? DEMO_AS_OF
    const out = values.out ?? join(context.config.home, 'demo-scrub')
    const fixtures = fixturesDir()
    const files = (dir: string, pattern: RegExp): string[] =>
      readdirSync(join(fixtures, dir))
        .filter((name) => pattern.test(name))
        .sort()
        .map((name) => join(fixtures, dir, name))
    const claims837 = files('e2e', /^837.*\.x12$/)
    const remits835 = files('e2e', /^835.*\.x12$/)
    const where =
      context.config.databaseUrl === undefined
        ? `embedded PGlite in ${join(context.config.home, 'pgdata')}`
        : 'PostgreSQL (DATABASE_URL)'

    context.stdout.write(`onco-edi demo: bundled synthetic data, database: ${where}\n`)
    const steps: [string, Command, string[]][] = [
      [
        'Import CMS code tables (bundled oncology subset)',
        codesCommand,
        ['import', ...files('codes', /\.(txt|csv|xlsx)$/)],
      ],
      ['Import payer profiles', payersCommand, ['import', join(fixtures, 'payers.csv')]],
      ['Import prior authorizations', authsCommand, ['import', join(fixtures, 'auths', 'sample-auths.csv')]],
      [
        'Import the infusion schedule',
        scheduleCommand,
        ['import', join(fixtures, 'auths', 'sample-schedule.csv')],
      ],
      ['Ingest submitted claims (837P/837I)', ingestCommand, claims837],
      [
        'Scrub the claims before submission',
        scrubCommand,
        [...claims837, '--out', out, '--as-of', claims837AsOf],
      ],
      ['Ingest remittances (835)', ingestCommand, remits835],
      [
        'Rework queues: one item per denied claim and queue (deadline, then dollars)',
        queueCommand,
        ['list', '--as-of', asOf],
      ],
      ['Denials in period, by drug', reportCommand, ['recovered', '--by', 'drug']],
      [
        'Cash recovered, by month of recovery',
        reportCommand,
        ['recovered', '--view', 'cash', '--by', 'month'],
      ],
      ['Systematic denial causes by drug', reportCommand, ['denials', '--by', 'drug']],
      ['Preventable denials by scrub rule', reportCommand, ['preventable']],
    ]
    for (const [title, command, commandArgs] of steps) {
      const code = await runStep(context, title, command, commandArgs)
      if (code === EXIT_USAGE) return EXIT_USAGE
    }
    context.stdout.write(
      `\nScrub output: ${out}\nNext: onco-edi queue show ID, onco-edi queue appeal ID --out DIR, onco-edi queue --help\n`,
    )
    return EXIT_OK
  },
}

/** The scrub views the claims as of their submission month. */
const claims837AsOf = '2026-01-31'

async function runStep(
  context: CommandContext,
  title: string,
  command: Command,
  args: string[],
): Promise<number> {
  context.stdout.write(`\n== ${title}\n$ onco-edi ${command.name} ${args.map(shortPath).join(' ')}\n`)
  const code = await command.run(args, context)
  // Exit 1 means "findings in the data": expected here (the demo data has denials and scrub errors).
  if (code === EXIT_USAGE) context.stderr.write(`demo: step "${title}" failed with exit ${code}\n`)
  return code
}

function shortPath(arg: string): string {
  const index = arg.indexOf('/fixtures/')
  return index === -1 ? arg : arg.slice(index + 1)
}
