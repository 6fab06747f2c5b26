import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SegmentTokenizer } from '../../parsers/x12/segment-tokenizer.js';
import { readX12File } from '../../src/pipeline/read-x12.js';
import { generate835, generate837P, writeX12File } from './generate-x12.js';
/** The peers, by name. */
export const PEERS = {
    split: {
        label: '(a) raw split() on the terminator',
        async run(file) {
            let items = 0;
            let rest = '';
            for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 64 * 1024 })) {
                const parts = (rest + String(chunk)).split('~');
                rest = parts.pop() ?? '';
                items += parts.length;
            }
            return items + (rest.trim() === '' ? 0 : 1);
        },
    },
    'x12-parser': {
        label: "(b) x12-parser's stream",
        async run(file) {
            const { X12parser } = await import('x12-parser');
            let items = 0;
            await new Promise((resolve, reject) => {
                const parser = new X12parser();
                parser.on('data', () => {
                    items++;
                });
                parser.on('end', () => resolve());
                parser.on('error', reject);
                createReadStream(file).on('error', reject).pipe(parser);
            });
            return items;
        },
    },
    'node-x12': {
        label: "(c) node-x12's stream",
        async run(file) {
            const { X12Parser } = await import('node-x12');
            let items = 0;
            await new Promise((resolve, reject) => {
                const parser = new X12Parser();
                parser.on('data', () => {
                    items++;
                });
                parser.on('end', () => resolve());
                parser.on('error', reject);
                createReadStream(file).on('error', reject).pipe(parser);
            });
            return items;
        },
    },
    tokenizer: {
        label: '(d) onco-edi tokenizer alone',
        async run(file) {
            const tokenizer = new SegmentTokenizer();
            let items = 0;
            for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
                items += tokenizer.write(chunk).length;
            }
            return items + tokenizer.end().length;
        },
    },
    reader: {
        label: '(e) onco-edi tokenizer + envelopes + typed models',
        async run(file) {
            let claims = 0;
            for await (const events of readX12File(file)) {
                for (const event of events)
                    if (event.type === 'claim835' || event.type === 'claim837')
                        claims++;
            }
            return claims;
        },
    },
};
/** Runs one peer in this process and prints its {@link PeerResult} as JSON (the child's side). */
export async function runPeerInChild(peer, file) {
    const entry = PEERS[peer];
    if (entry === undefined)
        throw new Error(`unknown peer ${peer}`);
    const bytes = statSync(file).size;
    const start = performance.now();
    const cpu = process.cpuUsage();
    const items = await entry.run(file);
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const result = {
        peer,
        file,
        bytes,
        ms,
        cpuMs,
        items,
        peakRss: process.resourceUsage().maxRSS * 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}
/** Spawns `run.js --peer NAME FILE` and returns what it measured. */
export function measure(runScript, peer, file) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--expose-gc', runScript, '--peer', peer, file], {
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk) => {
            out += chunk.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (code) => {
            if (code !== 0) {
                reject(new Error(`${peer} exited with ${code}`));
                return;
            }
            const line = out.trim().split('\n').at(-1) ?? '';
            resolve(JSON.parse(line));
        });
    });
}
function mb(bytes) {
    return (bytes / 1e6).toFixed(1);
}
/** MB/s over CPU time (the machine may be shared; wall-clock MB/s is printed too). */
function rate(result) {
    return result.bytes / 1e6 / (result.cpuMs / 1000);
}
function wallRate(result) {
    return result.bytes / 1e6 / (result.ms / 1000);
}
function row(result) {
    const label = PEERS[result.peer]?.label ?? result.peer;
    return `  ${label.padEnd(52)} ${rate(result).toFixed(1).padStart(7)} MB/s (wall ${wallRate(result).toFixed(1).padStart(6)})  peak RSS ${mb(result.peakRss).padStart(6)} MB  ${String(result.items).padStart(9)} items`;
}
/** Runs the parse benchmark section. */
export async function runParseBench(options = {}) {
    const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    const claims = options.claims ?? 100_000;
    const largeFactor = options.largeFactor ?? 10;
    const runScript = fileURLToPath(new URL('./parse-peer.js', import.meta.url));
    const dir = mkdtempSync(path.join(tmpdir(), 'onco-edi-bench-'));
    try {
        const file835 = path.join(dir, 'remit.835');
        const file837 = path.join(dir, 'claims.837');
        log(`generating ${claims} claims of 835 and 837P in ${dir} …`);
        const size835 = await writeX12File(file835, generate835(claims, { seed: 42 }));
        const size837 = await writeX12File(file837, generate837P(claims, { seed: 42 }));
        for (const [name, file, size] of [
            ['835', file835, size835],
            ['837P', file837, size837],
        ]) {
            log(`\n${name}: ${mb(size)} MB, ${claims} claims (MB/s over CPU time; wall-clock in parentheses)`);
            const results = {};
            for (const peer of Object.keys(PEERS)) {
                const result = await measure(runScript, peer, file);
                results[peer] = result;
                log(row(result));
            }
            const e = results.reader;
            const a = results.split;
            const b = results['x12-parser'];
            if (e !== undefined && a !== undefined && b !== undefined) {
                log(`  (e) / (a) raw split: ${(rate(e) / rate(a)).toFixed(2)}×   (e) / (b) x12-parser: ${(rate(e) / rate(b)).toFixed(2)}×`);
            }
        }
        if (largeFactor > 0) {
            const large = path.join(dir, 'remit-large.835');
            log(`\ngenerating a ${largeFactor}× 835 (${claims * largeFactor} claims) …`);
            const size = await writeX12File(large, generate835(claims * largeFactor, { seed: 43 }));
            log(`835 ×${largeFactor}: ${mb(size)} MB (flat RSS check; x12-parser again for the ratio on this file)`);
            const results = {};
            for (const peer of ['x12-parser', 'tokenizer', 'reader']) {
                const result = await measure(runScript, peer, large);
                results[peer] = result;
                log(row(result));
            }
            const e = results.reader;
            const b = results['x12-parser'];
            if (e !== undefined && b !== undefined)
                log(`  (e) / (b) x12-parser: ${(rate(e) / rate(b)).toFixed(2)}×`);
        }
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=parse-bench.js.map