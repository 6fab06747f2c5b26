import { runIngestInChild } from './ingest-bench.js'

/**
 * The child process of the ingest bench: `node --expose-gc ingest-child.js ENGINE FILE DATADIR`
 * ingests FILE into one engine and prints its result. It imports only the ingest bench, so the
 * peak RSS it reports is that engine's own.
 */
const [engine, file, dataDir] = process.argv.slice(2)
if ((engine !== 'pglite' && engine !== 'postgres') || file === undefined || dataDir === undefined) {
  throw new Error('usage: ingest-child.js pglite|postgres FILE DATADIR')
}
await runIngestInChild(engine, file, dataDir)
