import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/** The repository root (two levels above test/support). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared external corpus, next to the repository; `undefined` when it is not there. */
export const corpusRoot = (() => {
    const root = path.resolve(repoRoot, '../shared/corpus/external');
    return existsSync(path.join(root, 'expectations.tsv')) ? root : undefined;
})();
/** The corpus rows, or `[]` when the corpus is absent. */
export function corpusEntries() {
    if (corpusRoot === undefined)
        return [];
    const root = corpusRoot;
    const lines = readFileSync(path.join(root, 'expectations.tsv'), 'utf8').split(/\r?\n/);
    const entries = [];
    for (const line of lines.slice(1)) {
        if (line.trim() === '')
            continue;
        const [file = '', type = '', expect = '', tier = ''] = line.split('\t');
        if (expect !== 'OK' && expect !== 'WARN' && expect !== 'REJECT' && expect !== 'OOS')
            continue;
        entries.push({ file, type, expect, tier, path: path.join(root, file) });
    }
    return entries;
}
function walk(dir, out) {
    for (const name of readdirSync(dir).sort()) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory())
            walk(full, out);
        else if (name.endsWith('.x12'))
            out.push(full);
    }
}
/** Every `fixtures/**\/*.x12`, sorted. */
export function fixtureFiles() {
    const out = [];
    walk(path.join(repoRoot, 'fixtures'), out);
    return out;
}
/** Splits bytes into chunks of `size` (the whole input for `Infinity`). */
export function chunksOf(bytes, size) {
    if (!Number.isFinite(size) || size >= bytes.length)
        return [bytes];
    const chunks = [];
    for (let i = 0; i < bytes.length; i += size)
        chunks.push(bytes.subarray(i, i + size));
    return chunks;
}
/** The chunk sizes every reader test runs at (STYLE.md §7). */
export const CHUNK_SIZES = [1, 2, 3, 105, 106, 107, 4096, Number.POSITIVE_INFINITY];
//# sourceMappingURL=x12-files.js.map