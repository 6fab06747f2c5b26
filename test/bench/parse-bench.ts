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
 * larger: its peak RSS shows memory stays flat, and its ratio is less dominated by V8 compiling the
 * code (each run is a fresh process, so the first tens of MB run before the code is optimized).
 * Each measurement runs in its own child process so that RSS is per peer.
 */

/** One measurement, as a child prints it. */
export interface PeerResult {
  peer: string
  file: string
  bytes: number
  ms: number
  /** CPU time (user + system) of the run, in ms: steadier than wall time on a busy machine. */
  cpuMs: number
  /** Segments, or claims for (e): what the peer produced, to check it did the work. */
  items: number
  /** Peak resident set size of the child, in bytes (`process.resourceUsage().maxRSS`). */
  peakRss: number
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
      let items = 0
      await new Promise<void>((resolve, reject) => {
        const parser = new X12parser()
        parser.on('data', () => {
          items++
        })
        parser.on('end', () => resolve())
        parser.on('error', reject)
        createReadStream(file).on('error', reject).pipe(parser)
      })
      return items
    },
  },
  'node-x12': {
    label: "(c) node-x12's stream",
    async run(file) {
      const { X12Parser } = await import('node-x12')
      let items = 0
      await new Promise<void>((resolve, reject) => {
        const parser = new X12Parser()
        parser.on('data', () => {
          items++
        })
        parser.on('end', () => resolve())
        parser.on('error', reject)
        createReadStream(file).on('error', reject).pipe(parser)
      })
      return items
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

/** Runs one peer in this process and prints its {@link PeerResult} as JSON (the child's side). */
export async function runPeerInChild(peer: string, file: string): Promise<void> {
  const entry = PEERS[peer]
  if (entry === undefined) throw new Error(`unknown peer ${peer}`)
  const bytes = statSync(file).size
  const start = performance.now()
  const cpu = process.cpuUsage()
  const items = await entry.run(file)
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const result: PeerResult = {
    peer,
    file,
    bytes,
    ms,
    cpuMs,
    items,
    peakRss: process.resourceUsage().maxRSS * 1024,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/** Spawns `run.js --peer NAME FILE` and returns what it measured. */
export function measure(runScript: string, peer: string, file: string): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', runScript, '--peer', peer, file], {
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

/** MB/s over CPU time (the machine may be shared; wall-clock MB/s is printed too). */
function rate(result: PeerResult): number {
  return result.bytes / 1e6 / (result.cpuMs / 1000)
}

function wallRate(result: PeerResult): number {
  return result.bytes / 1e6 / (result.ms / 1000)
}

function row(result: PeerResult): string {
  const label = PEERS[result.peer]?.label ?? result.peer
  return `  ${label.padEnd(52)} ${rate(result).toFixed(1).padStart(7)} MB/s (wall ${wallRate(result).toFixed(1).padStart(6)})  peak RSS ${mb(result.peakRss).padStart(6)} MB  ${String(result.items).padStart(9)} items`
}

/** Options of {@link runParseBench}. */
export interface ParseBenchOptions {
  /** Claims in the 835 (default 100 000, about 70 MB). */
  claims?: number
  /** Multiplier of the large-file RSS run (default 10; 0 skips it). */
  largeFactor?: number
  /**
   * Ignored: each peer runs in `parse-peer.js`, which loads nothing but this bench. Spawning a
   * script that imports the other sections (kysely, PGlite) added ~45 MB to every peer's peak RSS.
   */
  runScript?: string
  /** Where to print. */
  log?: (line: string) => void
}

/** Runs the parse benchmark section. */
export async function runParseBench(options: ParseBenchOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const claims = options.claims ?? 100_000
  const largeFactor = options.largeFactor ?? 10
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
      log(`\n${name}: ${mb(size)} MB, ${claims} claims (MB/s over CPU time; wall-clock in parentheses)`)
      const results: Record<string, PeerResult> = {}
      for (const peer of Object.keys(PEERS)) {
        const result = await measure(runScript, peer, file)
        results[peer] = result
        log(row(result))
      }
      const e = results.reader
      const a = results.split
      const b = results['x12-parser']
      if (e !== undefined && a !== undefined && b !== undefined) {
        log(
          `  (e) / (a) raw split: ${(rate(e) / rate(a)).toFixed(2)}×   (e) / (b) x12-parser: ${(rate(e) / rate(b)).toFixed(2)}×`,
        )
      }
    }
    if (largeFactor > 0) {
      const large = path.join(dir, 'remit-large.835')
      log(`\ngenerating a ${largeFactor}× 835 (${claims * largeFactor} claims) …`)
      const size = await writeX12File(large, generate835(claims * largeFactor, { seed: 43 }))
      log(`835 ×${largeFactor}: ${mb(size)} MB (flat RSS check; x12-parser again for the ratio on this file)`)
      const results: Record<string, PeerResult> = {}
      for (const peer of ['x12-parser', 'tokenizer', 'reader']) {
        const result = await measure(runScript, peer, large)
        results[peer] = result
        log(row(result))
      }
      const e = results.reader
      const b = results['x12-parser']
      if (e !== undefined && b !== undefined)
        log(`  (e) / (b) x12-parser: ${(rate(e) / rate(b)).toFixed(2)}×`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
