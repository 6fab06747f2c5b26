import type { CommandEntry } from '../command.js'

/**
 * Every command, in the order `onco-edi --help` lists them. Each implementation is imported on
 * demand; a test checks that the name and summary here match the loaded command's.
 */
export const commands: CommandEntry[] = [
  {
    name: 'demo',
    summary: 'run the whole flow on the bundled synthetic data (what npm start runs)',
    load: async () => (await import('./demo-command.js')).demoCommand,
  },
  {
    name: 'inspect',
    summary: 'summarize X12 files: envelopes, claims, totals, adjustments, errors',
    load: async () => (await import('./inspect-command.js')).inspectCommand,
  },
  {
    name: 'parse',
    summary: 'stream the typed claims of an 837 or 835 (or a 999 / 277CA) as NDJSON or a JSON array',
    load: async () => (await import('./parse-command.js')).parseCommand,
  },
  {
    name: 'build-837',
    summary: 'write an 837P/837I from a JSON file of claims in parse’s record shape',
    load: async () => (await import('./build-837-command.js')).build837Command,
  },
  {
    name: 'codes',
    summary: 'import CMS code tables (HCPCS, ASP crosswalk, NCCI, MUE); list code changes',
    load: async () => (await import('./codes-command.js')).codesCommand,
  },
  {
    name: 'auths',
    summary: 'import prior authorizations; list those due (expiring, short, uncovered infusions)',
    load: async () => (await import('./auths-command.js')).authsCommand,
  },
  {
    name: 'schedule',
    summary: 'import the infusion schedule (for auths due and scrub sequencing)',
    load: async () => (await import('./schedule-command.js')).scheduleCommand,
  },
  {
    name: 'scrub',
    summary: 'scrub 837s before submission; write accepted/rejected batches and findings',
    load: async () => (await import('./scrub-command.js')).scrubCommand,
  },
  {
    name: 'db',
    summary: 'apply database migrations',
    load: async () => (await import('./db-command.js')).dbCommand,
  },
  {
    name: 'payers',
    summary: 'import and list payer profiles (class, deadlines, NDC, JW/JZ, drug prior authorization)',
    load: async () => (await import('./payers-command.js')).payersCommand,
  },
  {
    name: 'ingest',
    summary: 'store 837/835/999/277CA files, match remits and acknowledgments, open rework items',
    load: async () => (await import('./ingest-command.js')).ingestCommand,
  },
  {
    name: 'batch',
    summary: 'the clearinghouse inbox: claim, scrub or store, and answer every dropped file',
    load: async () => (await import('./batch-command.js')).batchCommand,
  },
  {
    name: 'worker',
    summary: 'run queued batch jobs (pg-boss); many workers share one PostgreSQL',
    load: async () => (await import('./worker-command.js')).workerCommand,
  },
  {
    name: 'enqueue',
    summary: 'queue files (bytes stored in the database) for onco-edi worker',
    load: async () => (await import('./enqueue-command.js')).enqueueCommand,
  },
  {
    name: 'jobs',
    summary: 'list batch jobs; --failed shows the dead letter with its errors',
    load: async () => (await import('./jobs-command.js')).jobsCommand,
  },
  {
    name: 'rematch',
    summary: 'match remit claims stored before their 837 (repair)',
    load: async () => (await import('./rematch-command.js')).rematchCommand,
  },
  {
    name: 'queue',
    summary: 'work the denial rework queues',
    load: async () => (await import('./queue-command.js')).queueCommand,
  },
  {
    name: 'report',
    summary: 'recovered revenue (denials or cash view) systematic denial causes and preventable denials',
    load: async () => (await import('./report-command.js')).reportCommand,
  },
  {
    name: 'serve',
    summary: 'serve the web application (worklist, items, corrected claims) and its JSON API',
    load: async () => (await import('./serve-command.js')).serveCommand,
  },
  {
    name: 'users',
    summary: 'manage the web users (add with a generated password, passwd, list, disable)',
    load: async () => (await import('./users-command.js')).usersCommand,
  },
]
