import { join } from 'node:path'
import { loadCodeTableRecordsFromFiles } from '../../src/codes/code-table-repository.js'
import { readX12 } from '../../src/pipeline/read-x12.js'
import { projectRoot } from '../../src/project-root.js'
import { loadScrubReference } from '../../src/scrub/load-scrub-reference.js'
import { createCodeTableSet } from '../../transforms/scrub/code-table-set.js'
import { scrubClaim } from '../../transforms/scrub/scrub-claim.js'
import { createScrubContext, ledgerLinesOf, MemoryScrubLedger } from '../../transforms/scrub/scrub-context.js'
import { generate837P } from './generate-x12.js'

/** Result of {@link runScrubBench}. */
export interface ScrubBenchResult {
  claims: number
  findings: number
  accepted: number
  /** Time spent in `scrubClaim` only (rules, claim index, findings). */
  scrubSeconds: number
  /** Claims per second of rule engine time: the figure the ≥ 100k claims/s target is about. */
  scrubClaimsPerSecond: number
  /** Generate + parse + scrub, end to end, in memory. */
  totalSeconds: number
  totalClaimsPerSecond: number
  /** RSS once the code tables are loaded, and the peak during the run (flat memory: claims stream). */
  startRssMb: number
  peakRssMb: number
}

/**
 * `npm run bench scrub`: generates `count` 837P claims (generate837P), parses them in memory with
 * the streaming reader and scrubs each with all 17 rules and the bundled code tables
 * (fixtures/codes), adding accepted claims to an in-memory ledger as a run does. Claims are never
 * held: memory stays flat. Prints the rule engine's claims/s (target ≥ 100,000) and peak RSS.
 */
export async function runScrubBench(
  count = Number(process.env.BENCH_CLAIMS ?? 100_000),
): Promise<ScrubBenchResult> {
  const loaded = await loadCodeTableRecordsFromFiles(join(projectRoot(), 'fixtures', 'codes'))
  const ledger = new MemoryScrubLedger()
  const context = createScrubContext({
    codes: createCodeTableSet(loaded),
    reference: loadScrubReference(),
    ledger,
    asOf: '2026-02-10',
  })
  const startRss = process.memoryUsage().rss
  let peakRss = startRss
  let claims = 0
  let findings = 0
  let accepted = 0
  let scrubNs = 0n
  const started = process.hrtime.bigint()
  for await (const events of readX12(generate837P(count, { seed: 7 }))) {
    for (const event of events) {
      if (event.type !== 'claim837') continue
      const t0 = process.hrtime.bigint()
      const result = scrubClaim(event.claim, context)
      if (result.accepted) ledger.replaceClaim(event.claim.claimId, ledgerLinesOf(event.claim, context.asOf))
      scrubNs += process.hrtime.bigint() - t0
      claims++
      findings += result.findings.length
      if (result.accepted) accepted++
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9
  const scrubSeconds = Number(scrubNs) / 1e9
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
  const result: ScrubBenchResult = {
    claims,
    findings,
    accepted,
    scrubSeconds,
    scrubClaimsPerSecond: Math.round(claims / scrubSeconds),
    totalSeconds,
    totalClaimsPerSecond: Math.round(claims / totalSeconds),
    startRssMb: mb(startRss),
    peakRssMb: mb(peakRss),
  }
  const n = (value: number) => value.toLocaleString('en-US')
  process.stdout.write(
    `scrub: ${n(claims)} claims (${n(accepted)} accepted, ${n(findings)} findings)\n` +
      `  rules only: ${scrubSeconds.toFixed(2)} s = ${n(result.scrubClaimsPerSecond)} claims/s (target ≥ 100,000)\n` +
      `  generate + parse + scrub: ${totalSeconds.toFixed(2)} s = ${n(result.totalClaimsPerSecond)} claims/s\n` +
      `  RSS ${result.startRssMb} MB after loading code tables, peak ${result.peakRssMb} MB\n`,
  )
  return result
}

// Run directly: node dist/test/bench/scrub-bench.js
if (process.argv[1]?.endsWith('scrub-bench.js')) await runScrubBench()
