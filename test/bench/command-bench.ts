import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ParseRecordWriter } from '../../parsers/json/parse-records.js'
import { readX12File } from '../../src/pipeline/read-x12.js'
import { generate835, writeX12File } from './generate-x12.js'

/**
 * The commands as a user runs them (issue "engine at full speed"): wall clock of one process per
 * run, start-up included, on a generated 835, for
 *   - the limit: `split('~')` over the decoded text in a bare `node` process;
 *   - x12-parser 1.3's segment stream (the peer), in a bare `node` process;
 *   - `onco-edi inspect FILE --json` and `onco-edi parse FILE` (NDJSON) to /dev/null;
 *   - parse's records without the CLI: the NDJSON bytes `parse` writes (`writeNdjson`), and the
 *     string API with fast-json-stringify or `JSON.stringify`;
 * with each run's peak RSS (GNU time's %M), the median of `rounds` runs. Then, in this process,
 * the serializers of `parse` on the same claims: fast-json-stringify records (what `parse` writes),
 * `JSON.stringify` of the same compact records, and `JSON.stringify` of the old shape (every claim
 * with its header and positions), with the output bytes per input byte.
 */
export async function runCommandBench(options: {
  claims: number
  largeFactor: number
  rounds: number
  /** Only the large file (its peak RSS), e.g. after a run of the 1× file. */
  largeOnly?: boolean
}): Promise<void> {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
  const cli = path.join(repo, 'dist/src/cli/main.js')
  const dir = mkdtempSync(path.join(tmpdir(), 'onco-edi-cmd-bench-'))
  try {
    const splitScript = path.join(dir, 'split.mjs')
    writeFileSync(
      splitScript,
      "import { readFileSync } from 'node:fs'\nconst n = readFileSync(process.argv[2], 'latin1').split('~').length\nif (n < 1) process.exit(1)\n",
    )
    const peerScript = path.join(dir, 'x12-parser.mjs')
    writeFileSync(
      peerScript,
      `import { createReadStream } from 'node:fs'\nimport { X12parser } from ${JSON.stringify(path.join(repo, 'node_modules/x12-parser/dist/esm/index.js'))}\nlet n = 0\nconst p = new X12parser()\np.on('data', () => { n++ })\nawait new Promise((resolve, reject) => { p.on('end', resolve); p.on('error', reject); createReadStream(process.argv[2]).pipe(p) })\n`,
    )
    const parseScript = (serializer: string): string => {
      const script = path.join(dir, `parse-${serializer}.mjs`)
      const imports = `import { writeSync } from 'node:fs'\nimport { readX12File } from ${JSON.stringify(path.join(repo, 'dist/src/pipeline/read-x12.js'))}\nimport { ParseRecordWriter } from ${JSON.stringify(path.join(repo, 'dist/parsers/json/parse-records.js'))}\n`
      writeFileSync(
        script,
        serializer === 'bytes'
          ? // What `parse` writes: writeNdjson into one byte buffer per batch.
            `${imports}import { JsonBytes } from ${JSON.stringify(path.join(repo, 'dist/parsers/json/json-bytes.js'))}\nconst writer = new ParseRecordWriter()\nconst out = new JsonBytes()\nfor await (const events of readX12File(process.argv[2])) {\n  for (const event of events) writer.writeNdjson(event, out)\n  if (out.length > 0) writeSync(1, out.take())\n}\n`
          : `${imports}const writer = new ParseRecordWriter({ serializer: '${serializer}' })\nconst texts = []\nfor await (const events of readX12File(process.argv[2])) {\n  for (const event of events) writer.write(event, texts)\n  if (texts.length > 0) writeSync(1, texts.join('\\n') + '\\n')\n  texts.length = 0\n}\n`,
      )
      return script
    }
    const sizes = [
      ...(options.largeOnly === true ? [] : [1]),
      ...(options.largeFactor > 1 ? [options.largeFactor] : []),
    ]
    for (const factor of sizes) {
      const file = path.join(dir, `bench-${factor}.835`)
      const bytes = await writeX12File(file, generate835(options.claims * factor, { seed: 42 }))
      process.stdout.write(
        `835 ${(bytes / 1e6).toFixed(0)} MB, ${options.claims * factor} claims (wall clock, start-up included, median of ${options.rounds}):\n`,
      )
      const commands: [string, string[]][] = [
        ["split('~') on the decoded text (the limit)", [splitScript, file]],
        ['x12-parser 1.3 stream', [peerScript, file]],
        ['onco-edi inspect --json', [cli, 'inspect', file, '--json']],
        ['onco-edi parse (NDJSON) > /dev/null', [cli, 'parse', file]],
        ['parse records, NDJSON bytes (no CLI)', [parseScript('bytes'), file]],
        ['parse records, fast-json-stringify (no CLI)', [parseScript('schema'), file]],
        ['parse records, JSON.stringify (no CLI)', [parseScript('json'), file]],
      ]
      if (factor > 1) commands.splice(0, 1)
      // Rounds go over the commands in turn (a burst of load hits every command alike), and each
      // figure is the median of its rounds: wall clock, and CPU (user + system), which a machine
      // shared with other work inflates less.
      const runs = new Map<string, { seconds: number; cpuSeconds: number; rssMb: number }[]>()
      for (let round = 0; round < options.rounds; round++)
        for (const [label, args] of commands)
          runs.set(label, [...(runs.get(label) ?? []), timeRun(args, repo)])
      const med = (values: number[]): number => {
        const sorted = [...values].sort((a, b) => a - b)
        return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
      }
      const results = new Map(
        [...runs].map(([label, list]) => [
          label,
          {
            seconds: med(list.map((r) => r.seconds)),
            cpuSeconds: med(list.map((r) => r.cpuSeconds)),
            rssMb: Math.max(...list.map((r) => r.rssMb)),
          },
        ]),
      )
      const peer = results.get('x12-parser 1.3 stream')
      for (const [label, r] of results) {
        const vs =
          peer === undefined
            ? ''
            : `  = ${(peer.seconds / r.seconds).toFixed(1)}× wall, ${(peer.cpuSeconds / r.cpuSeconds).toFixed(1)}× CPU x12-parser`
        process.stdout.write(
          `  ${label.padEnd(44)} wall ${r.seconds.toFixed(2)} s (${(bytes / 1e6 / r.seconds).toFixed(1)} MB/s)  CPU ${r.cpuSeconds.toFixed(2)} s (${(bytes / 1e6 / r.cpuSeconds).toFixed(1)} MB/s)  peak RSS ${r.rssMb.toFixed(0)} MB${vs}\n`,
        )
      }
      if (factor === 1) await serializerBench(file)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One run under GNU time: wall seconds and peak RSS; stdout to /dev/null. */
function timeRun(args: string[], cwd: string): { seconds: number; cpuSeconds: number; rssMb: number } {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ONCO_EDI_HOME: path.join(tmpdir(), 'onco-edi-cmd-bench-home') },
  })
  const lines = String(run.stderr).trim().split('\n')
  const [seconds = 'NaN', user = 'NaN', system = 'NaN', kb = 'NaN'] = (lines[lines.length - 1] ?? '').split(
    ' ',
  )
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${lines.join(' ')}`)
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(system), rssMb: Number(kb) / 1024 }
}

/** The three ways to serialize parse's output, over the claims of `file`, in this process. */
async function serializerBench(file: string): Promise<void> {
  const inputBytes = statSync(file).size
  const writer = new ParseRecordWriter()
  const texts: string[] = []
  let fjsMs = 0
  let fjsBytes = 0
  let plainMs = 0
  let plainBytes = 0
  let oldMs = 0
  let oldBytes = 0
  let headerId = 0
  const dropPositions = (key: string, value: unknown): unknown => (key === 'position' ? undefined : value)
  for await (const events of readX12File(file)) {
    for (const event of events) {
      let t = performance.now()
      writer.write(event, texts)
      fjsMs += performance.now() - t
      for (const text of texts) fjsBytes += text.length + 1
      texts.length = 0
      if (event.type === 'remittance835-header') {
        t = performance.now()
        plainBytes +=
          JSON.stringify(
            { type: 'header', id: ++headerId, transactionType: '835', ...event.header },
            dropPositions,
          ).length + 1
        plainMs += performance.now() - t
      } else if (event.type === 'claim835') {
        t = performance.now()
        const { header: _header, ...claim } = event.claim
        plainBytes += JSON.stringify({ type: 'claim', header: headerId, ...claim }, dropPositions).length + 1
        plainMs += performance.now() - t
        t = performance.now()
        oldBytes += JSON.stringify(event.claim).length + 1
        oldMs += performance.now() - t
      }
    }
  }
  const line = (label: string, ms: number, out: number): string =>
    `  ${label.padEnd(58)} ${(ms / 1000).toFixed(2)} s  ${(out / 1e6).toFixed(0)} MB = ${(out / inputBytes).toFixed(2)} bytes out per byte in\n`
  process.stdout.write('serializing the same claims (in process, CPU of the serializer only):\n')
  process.stdout.write(line('fast-json-stringify, compact records (the string API)', fjsMs, fjsBytes))
  process.stdout.write(line('JSON.stringify, the same compact records', plainMs, plainBytes))
  process.stdout.write(line('JSON.stringify, old shape (header + positions per claim)', oldMs, oldBytes))
  process.stdout.write(
    `  fast-json-stringify is ${(plainMs / fjsMs).toFixed(1)}× JSON.stringify on the same records\n`,
  )
}
