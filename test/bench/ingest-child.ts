import {
  runCopyBaselineInChild,
  runDemoInChild,
  runIngestInChild,
  runMigrateInChild,
  runParseInChild,
} from './ingest-bench.js'

/**
 * The child process of the ingest bench, so that each peak RSS is one job's own:
 * - `ingest-child.js pglite|postgres FILE[,FILE] DATADIR [DUMPDIR]` ingests the files into one
 *   engine (with DUMPDIR: the last file timed alone and the rows it wrote dumped there);
 * - `ingest-child.js copy-baseline pglite|postgres DUMPDIR DATADIR` COPYs such a dump into a fresh
 *   database (the raw-COPY baseline);
 * - `ingest-child.js parse FILE` reads FILE with the X12 reader (the parse baseline);
 * - `ingest-child.js migrate pglite|postgres DATADIR` creates and migrates a database (PostgreSQL:
 *   the schema BENCH_SCHEMA, kept for the next child; PGlite: DATADIR), the step before a measured
 *   ingest and the PGlite floor;
 * - `ingest-child.js demo HOME` runs `onco-edi demo` on PGlite in HOME.
 */
const [mode, first, second, third] = process.argv.slice(2)
if (mode === 'parse' && first !== undefined) await runParseInChild(first)
else if (mode === 'migrate' && (first === 'pglite' || first === 'postgres') && second !== undefined)
  await runMigrateInChild(first, second)
else if (mode === 'demo' && first !== undefined) await runDemoInChild(first)
else if ((mode === 'pglite' || mode === 'postgres') && first !== undefined && second !== undefined)
  await runIngestInChild(mode, first, second, third)
else if (
  mode === 'copy-baseline' &&
  (first === 'pglite' || first === 'postgres') &&
  second !== undefined &&
  third !== undefined
)
  await runCopyBaselineInChild(first, second, third)
else
  throw new Error(
    'usage: ingest-child.js pglite|postgres FILE[,FILE] DATADIR [DUMPDIR] | copy-baseline pglite|postgres DUMPDIR DATADIR | parse FILE | migrate pglite|postgres DATADIR | demo HOME',
  )
