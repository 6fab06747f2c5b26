import { fileURLToPath } from 'node:url'
import { runBatchBench } from './batch-bench.js'
import { runCommandBench } from './command-bench.js'
import { runIngest837Bench, runIngestBench, runIngestPairBench } from './ingest-bench.js'
import { runParseBench, runPeerInChild, WARM_PASSES } from './parse-bench.js'
import { runScrubBench } from './scrub-bench.js'
import { runStartupBench } from './startup-bench.js'
import { runWorklistBench } from './worklist-bench.js'

/**
 * `npm run bench [SECTION...]` (node --expose-gc dist/test/bench/run.js [SECTION...]).
 * Sections run in the order given; without arguments, all of them (ingest837 and ingest-pair are
 * parts of ingest, run on their own only when named; so is ingest835). Other benches add themselves to SECTIONS.
 *
 * Environment: BENCH_CLAIMS (default 100000), BENCH_LARGE_FACTOR (default 10, 0 to skip),
 * BENCH_ROUNDS (parse: rounds per file, default 3; the median is printed), BENCH_837_SIZES
 * (default 20000,100000) and BENCH_PAIR_SIZES (default 30000,300000) for the ingest RSS sections,
 * BENCH_STARTUP_RUNS (start-up: runs per command, default 9), BENCH_ITEMS (worklist, default 1000000),
 * BENCH_COMMAND_ROUNDS (commands: runs per command, default 3), BENCH_COMMAND_LARGE_ONLY=1 (commands:
 * only the 10× file), BENCH_SEMI_SPACE_MB (the ingest, batch and worker children's
 * --max-semi-space-size, default INGEST_SEMI_SPACE_MB of src/cli/main.ts; 0 for Node's default).
 */
const SECTIONS: Record<string, () => Promise<void>> = {
  startup: async () => {
    runStartupBench(Number(process.env.BENCH_STARTUP_RUNS ?? 9))
  },
  parse: () =>
    runParseBench({
      claims: Number(process.env.BENCH_CLAIMS ?? 100_000),
      largeFactor: Number(process.env.BENCH_LARGE_FACTOR ?? 10),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      runScript: fileURLToPath(import.meta.url),
    }),
  commands: () =>
    runCommandBench({
      claims: Number(process.env.BENCH_CLAIMS ?? 100_000),
      largeFactor: Number(process.env.BENCH_LARGE_FACTOR ?? 10),
      rounds: Number(process.env.BENCH_COMMAND_ROUNDS ?? 3),
      largeOnly: process.env.BENCH_COMMAND_LARGE_ONLY === '1',
    }),
  scrub: async () => {
    await runScrubBench()
  },
  ingest: async () => {
    await runIngestBench(Number(process.env.BENCH_CLAIMS ?? 100_000))
    await runIngest837Bench()
    await runIngestPairBench()
  },
  // The 835 ingest against raw COPY of the same rows alone (BENCH_CLAIMS, BENCH_ENGINES,
  // BENCH_INGEST_SHAPES).
  ingest835: async () => {
    await runIngestBench(Number(process.env.BENCH_CLAIMS ?? 100_000))
  },
  // The 837 ingest RSS/time rows alone (BENCH_837_SIZES, BENCH_ENGINES).
  ingest837: async () => {
    await runIngest837Bench()
  },
  // The clearinghouse service: batch on PGlite, 1 vs 2 workers on PostgreSQL (BENCH_BATCH_FILES,
  // BENCH_BATCH_CLAIMS, BENCH_ENGINES).
  batch: async () => {
    await runBatchBench()
  },
  // The 837 + 835 pair rows alone (BENCH_PAIR_SIZES, BENCH_ENGINES), with the PGlite floor and demo.
  'ingest-pair': () => runIngestPairBench(),
  worklist: async () => {
    await runWorklistBench(Number(process.env.BENCH_ITEMS ?? 1_000_000))
  },
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--peer') {
    const [, peer, file, passes] = argv
    if (peer === undefined || file === undefined) throw new Error('usage: run.js --peer NAME FILE [PASSES]')
    await runPeerInChild(peer, file, passes === undefined ? WARM_PASSES : Number(passes))
    return
  }
  const names =
    argv.length === 0
      ? Object.keys(SECTIONS).filter(
          (name) => name !== 'ingest835' && name !== 'ingest837' && name !== 'ingest-pair',
        )
      : argv
  for (const name of names) {
    const section = SECTIONS[name]
    if (section === undefined) {
      process.stderr.write(`unknown bench section ${name}; known: ${Object.keys(SECTIONS).join(', ')}\n`)
      process.exitCode = 2
      return
    }
    process.stdout.write(`== bench: ${name}\n`)
    await section()
  }
}

await main(process.argv.slice(2))
