import { runBatchBenchChild } from './batch-bench.js'

/** The child process of the batch bench (one engine, one job per process, so each peak RSS is its own). */
await runBatchBenchChild(process.argv.slice(2))
