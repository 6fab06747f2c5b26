import { runPeerInChild } from './parse-bench.js';
/**
 * The child process of the parse bench: `node --expose-gc parse-peer.js --peer NAME FILE` runs one
 * peer and prints its result. It imports only the parse bench, so the peak RSS it reports is the
 * peer's own and not that of the other bench sections' dependencies.
 */
const [flag, peer, file] = process.argv.slice(2);
if (flag !== '--peer' || peer === undefined || file === undefined) {
    throw new Error('usage: parse-peer.js --peer NAME FILE');
}
await runPeerInChild(peer, file);
//# sourceMappingURL=parse-peer.js.map