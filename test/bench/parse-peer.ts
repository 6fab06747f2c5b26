import { runPeerInChild, WARM_PASSES } from './parse-bench.js'

/**
 * The child process of the parse bench: `node --expose-gc parse-peer.js --peer NAME FILE [PASSES]` runs
 * one peer (PASSES times, default 3) and prints its result. It imports only the parse bench, so the peak RSS it reports is the
 * peer's own and not that of the other bench sections' dependencies.
 */
const [flag, peer, file, passes] = process.argv.slice(2)
if (flag !== '--peer' || peer === undefined || file === undefined) {
  throw new Error('usage: parse-peer.js --peer NAME FILE [PASSES]')
}
await runPeerInChild(peer, file, passes === undefined ? WARM_PASSES : Number(passes))
