import { spawn } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SegmentTokenizer } from '../../parsers/x12/segment-tokenizer.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import { generate835, generate837P, writeX12File } from './generate-x12.js'

/**
 * The parse benchmark: throughput (MB/s) and peak RSS of
 *   (a) a raw `split()` of the file on the terminator (the limit),
 *   (b) x12-parser's stream, (c) node-x12's stream,
 *   (d) our tokenizer alone, (e) our tokenizer + envelopes + typed models (readX12File),
 * on a generated 835 (100k claims, ≥ 60 MB) and 837P, plus (b), (d) and (e) on an 835 ten times
 * larger: its peak RSS shows memory stays flat.
 *
 * Each measurement runs in its own child process so that RSS is per peer, and every peer is
 * treated alike:
 * - the child reads the file three times in a row. The first pass is **cold**: a fresh process,
 *   where V8 compiles and optimizes the code while it runs (on our parser that costs about a third
 *   of a 61 MB pass, and more on the 837P, whose claims keep their segments). The third is **warm**,
 *   as in a long-running worker that has already read files: two passes let V8 finish optimizing.
 *   No garbage collection is forced between passes (a forced full collection made the next pass of
 *   our parser 10-20% slower, which no worker would do). Peak RSS covers all the passes;
 * - the peers run in rounds (every peer once per round, in turn) and the median of the rounds is
 *   printed: one run on a shared 2-core machine varies by ±15%.
 */

/** Passes per child when a warm figure is wanted: the last one is the warm pass. */
export const WARM_PASSES = 3

/** One pass over the file, as a child measures it. */
export interface PassResult {
  ms: number
  /** CPU time (user + system) of the pass, in ms: steadier than wall time on a busy machine. */
  cpuMs: number
  /** Segments, or claims for (e): what the peer produced, to check it did the work. */
  items: number
}

/** One child's measurement, as it prints it. */
export interface PeerResult {
  peer: string
  file: string
  bytes: number
  /** The passes in order: the first is cold, the last warm. */
  passes: PassResult[]
  /** Peak resident set size of the child over all passes, in bytes (`process.resourceUsage().maxRSS`). */
  peakRss: number
}

/** Pipes `file` into a peer's parser stream and counts the segments it emits. */
function countStreamed(file: string, parser: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<number> {
  let items = 0
  return new Promise<number>((resolve, reject) => {
    parser.on('data', () => {
      items++
    })
    parser.on('end', () => resolve(items))
    parser.on('error', reject)
    createReadStream(file).on('error', reject).pipe(parser)
  })
}

/** The peers, by name. */
export const PEERS: Record<string, { label: string; run: (file: string) => Promise<number> }> = {
  split: {
    label: '(a) raw split() on the terminator',
    async run(file) {
      let items = 0
      let rest = ''
      for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 64 * 1024 })) {
        const parts = (rest + String(chunk)).split('~')
        rest = parts.pop() ?? ''
        items += parts.length
      }
      return items + (rest.trim() === '' ? 0 : 1)
    },
  },
  'x12-parser': {
    label: "(b) x12-parser's stream",
    async run(file) {
      const { X12parser } = await import('x12-parser')
      return countStreamed(file, new X12parser())
    },
  },
  'node-x12': {
    label: "(c) node-x12's stream",
    async run(file) {
      const { X12Parser } = await import('node-x12')
      return countStreamed(file, new X12Parser())
    },
  },
  tokenizer: {
    label: '(d) onco-edi tokenizer alone',
    async run(file) {
      const tokenizer = new SegmentTokenizer()
      let items = 0
      for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
        items += tokenizer.write(chunk as Uint8Array).length
      }
      return items + tokenizer.end().length
    },
  },
  reader: {
    label: '(e) onco-edi tokenizer + envelopes + typed models',
    async run(file) {
      let claims = 0
      for await (const events of readX12File(file)) {
        for (const event of events) if (event.type === 'claim835' || event.type === 'claim837') claims++
      }
      return claims
    },
  },
}

/**
 * Runs one peer `passes` times over `file` in this process and prints its {@link PeerResult} as
 * JSON (the child's side).
 */
export async function runPeerInChild(peer: string, file: string, passes = WARM_PASSES): Promise<void> {
  const entry = PEERS[peer]
  if (entry === undefined) throw new Error(`unknown peer ${peer}`)
  const bytes = statSync(file).size
  const results: PassResult[] = []
  for (let pass = 0; pass < passes; pass++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    const items = await entry.run(file)
    const ms = performance.now() - start
    const used = process.cpuUsage(cpu)
    results.push({ ms, cpuMs: (used.user + used.system) / 1000, items })
  }
  const result: PeerResult = {
    peer,
    file,
    bytes,
    passes: results,
    peakRss: process.resourceUsage().maxRSS * 1024,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/** Spawns `parse-peer.js --peer NAME FILE PASSES` and returns what it measured. */
export function measure(
  runScript: string,
  peer: string,
  file: string,
  passes = WARM_PASSES,
): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', runScript, '--peer', peer, file, String(passes)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${peer} exited with ${code}`))
        return
      }
      const line = out.trim().split('\n').at(-1) ?? ''
      resolve(JSON.parse(line) as PeerResult)
    })
  })
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** The rounds of one peer on one file, reduced to what is printed. */
export interface PeerSummary {
  peer: string
  bytes: number
  rounds: number
  /** Median MB/s over CPU time of the first pass (a fresh process). */
  cold: number
  /** Median MB/s over CPU time of the last pass (warm); `undefined` with one pass. */
  warm: number | undefined
  /** Median wall-clock MB/s of the first pass. */
  coldWall: number
  /** The highest peak RSS of the rounds, in bytes. */
  peakRss: number
  items: number
}

/** MB/s over CPU time (the machine may be shared; wall-clock MB/s is printed too). */
function cpuRate(bytes: number, pass: PassResult): number {
  return bytes / 1e6 / (pass.cpuMs / 1000)
}

/** Reduces the rounds of one peer to medians; throws when the passes disagree on the work done. */
export function summarize(results: PeerResult[]): PeerSummary {
  const first = results[0]
  if (first === undefined) throw new Error('no results to summarize')
  const items = first.passes[0]?.items ?? 0
  for (const result of results) {
    for (const pass of result.passes) {
      if (pass.items !== items) {
        throw new Error(`${result.peer} produced ${pass.items} items in one pass and ${items} in another`)
      }
    }
  }
  const cold = results.map((r) => r.passes[0]).filter((p): p is PassResult => p !== undefined)
  const warm = results
    .map((r) => (r.passes.length > 1 ? r.passes.at(-1) : undefined))
    .filter((p): p is PassResult => p !== undefined)
  return {
    peer: first.peer,
    bytes: first.bytes,
    rounds: results.length,
    cold: median(cold.map((p) => cpuRate(first.bytes, p))),
    warm: warm.length === 0 ? undefined : median(warm.map((p) => cpuRate(first.bytes, p))),
    coldWall: median(cold.map((p) => first.bytes / 1e6 / (p.ms / 1000))),
    peakRss: Math.max(...results.map((r) => r.peakRss)),
    items,
  }
}

function row(summary: PeerSummary): string {
  const label = PEERS[summary.peer]?.label ?? summary.peer
  const warm = summary.warm === undefined ? '' : `  warm ${summary.warm.toFixed(1).padStart(6)} MB/s`
  return `  ${label.padEnd(52)} cold ${summary.cold.toFixed(1).padStart(6)} MB/s (wall ${summary.coldWall.toFixed(1).padStart(6)})${warm}  peak RSS ${mb(summary.peakRss).padStart(6)} MB  ${String(summary.items).padStart(9)} items`
}

/** `(e) / (b) x12-parser: cold 4.10×, warm 6.02×` */
function ratio(name: string, e: PeerSummary, other: PeerSummary): string {
  const warm =
    e.warm !== undefined && other.warm !== undefined ? `, warm ${(e.warm / other.warm).toFixed(2)}×` : ''
  return `(e) / ${name}: cold ${(e.cold / other.cold).toFixed(2)}×${warm}`
}

/** Options of {@link runParseBench}. */
export interface ParseBenchOptions {
  /** Claims in the 835 (default 100 000, about 61 MB). */
  claims?: number
  /** Multiplier of the large-file RSS run (default 10; 0 skips it). */
  largeFactor?: number
  /** Rounds per file (default 3); the median is printed. */
  rounds?: number
  /**
   * Ignored: each peer runs in `parse-peer.js`, which loads nothing but this bench. Spawning a
   * script that imports the other sections (kysely, PGlite) added ~45 MB to every peer's peak RSS.
   */
  runScript?: string
  /** Where to print. */
  log?: (line: string) => void
}

/** Runs every peer in `rounds` rounds over `file` (each round: every peer once, in turn). */
async function runRounds(
  runScript: string,
  peers: string[],
  file: string,
  rounds: number,
  passes: number,
): Promise<Record<string, PeerSummary>> {
  const results = new Map<string, PeerResult[]>(peers.map((peer) => [peer, []]))
  for (let round = 0; round < rounds; round++) {
    for (const peer of peers) results.get(peer)?.push(await measure(runScript, peer, file, passes))
  }
  const summaries: Record<string, PeerSummary> = {}
  for (const [peer, runs] of results) summaries[peer] = summarize(runs)
  return summaries
}

/** Runs the parse benchmark section. */
export async function runParseBench(options: ParseBenchOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const claims = options.claims ?? 100_000
  const largeFactor = options.largeFactor ?? 10
  const rounds = Math.max(1, options.rounds ?? 3)
  const runScript = fileURLToPath(new URL('./parse-peer.js', import.meta.url))
  const dir = mkdtempSync(path.join(tmpdir(), 'onco-edi-bench-'))
  try {
    const file835 = path.join(dir, 'remit.835')
    const file837 = path.join(dir, 'claims.837')
    log(`generating ${claims} claims of 835 and 837P in ${dir} …`)
    const size835 = await writeX12File(file835, generate835(claims, { seed: 42 }))
    const size837 = await writeX12File(file837, generate837P(claims, { seed: 42 }))
    for (const [name, file, size] of [
      ['835', file835, size835],
      ['837P', file837, size837],
    ] as const) {
      log(
        `\n${name}: ${mb(size)} MB, ${claims} claims. Medians of ${rounds} rounds; MB/s over CPU time; cold = first pass in a fresh process, warm = pass ${WARM_PASSES}`,
      )
      const summaries = await runRounds(runScript, Object.keys(PEERS), file, rounds, WARM_PASSES)
      for (const summary of Object.values(summaries)) log(row(summary))
      const e = summaries.reader
      const a = summaries.split
      const b = summaries['x12-parser']
      if (e !== undefined && a !== undefined && b !== undefined) {
        log(`  ${ratio('(a) raw split', e, a)}   ${ratio('(b) x12-parser', e, b)}`)
      }
    }
    if (largeFactor > 0) {
      const large = path.join(dir, 'remit-large.835')
      log(`\ngenerating a ${largeFactor}× 835 (${claims * largeFactor} claims) …`)
      const size = await writeX12File(large, generate835(claims * largeFactor, { seed: 43 }))
      log(
        `835 ×${largeFactor}: ${mb(size)} MB (flat RSS check: one round, one pass; x12-parser again for the ratio)`,
      )
      const summaries = await runRounds(runScript, ['x12-parser', 'tokenizer', 'reader'], large, 1, 1)
      for (const summary of Object.values(summaries)) log(row(summary))
      const e = summaries.reader
      const b = summaries['x12-parser']
      if (e !== undefined && b !== undefined) log(`  ${ratio('(b) x12-parser', e, b)}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
