// Node timings of the npm package's wasm (values in and out included), as a pool website sees
// them: node www/test/bench.mjs [lite]   (after scripts/build-package.sh; `lite` times the
// sharestate/lite entry)
import { performance } from 'node:perf_hooks';
import ergo from 'ergo-lib-wasm-nodejs';
import { readFileSync } from 'node:fs';
import { blake2b256, hex } from '@fleet-sdk/crypto';

const entry = process.argv[2] === 'lite' ? '../lite-node.js' : '../node.js';
const api = await import(entry);
const { ShareState, verifyLookups, replayPayout, minerKey } = api;

function median(f, reps, rounds = 15) {
  for (let i = 0; i < reps; i++) f();
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    t.push(((performance.now() - t0) / reps) * 1000);
  }
  return +t.sort((a, b) => a - b)[Math.floor(t.length / 2)].toFixed(2);
}

const scores = Array.from({ length: 2239 }, (_, i) => ({
  address: ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet),
  score: String(1000 + ((i * 7919) % 50000)),
}));
const t0 = performance.now();
const state = ShareState.fromScores(scores);
const buildMs = performance.now() - t0;
const keys = scores.map((s) => minerKey(s.address).key).sort();
const maxScore = scores.reduce((a, s) => a + Number(s.score), 0);
const lookup = state.proveLookups([keys[1000]]);
const payout = state.provePayout(keys.slice(0, 300), '67500000000', maxScore);
const out = {
  entry,
  node: process.version,
  fromScores2239Ms: +buildMs.toFixed(1),
  verifyLookupMicros: median(() => verifyLookups(lookup.digest, lookup.proof, [keys[1000]]), 200),
  replayPayout300Micros: median(() => replayPayout(payout.digest, maxScore, '67500000000', payout.contextVars['0'], payout.contextVars['1']), 20),
  provePayout300Micros: median(() => state.provePayout(keys.slice(0, 300), '67500000000', maxScore), 20),
  proofBytes: payout.contextVars['1'].length / 2,
};
// one mainnet header's proof of work and a transaction's inclusion (the full entry): block
// 540,000, whose one transaction's witness id is of no proof bytes
if (api.anchorTransaction) {
  const block = JSON.parse(readFileSync(new URL('../../tests/fixtures/block_540000.json', import.meta.url)));
  const txId = block.blockTransactions.transactions[0].id;
  const witness = blake2b256(new Uint8Array(0)).slice(1);
  const sibling = hex.encode(blake2b256(new Uint8Array([0, ...witness])));
  const inclusion = JSON.stringify({ leafData: txId, levels: [[sibling, 0]] });
  const headers = [JSON.stringify([block.header])];
  const args = { network: 'mainnet', source: 'node', txId, height: 540000, headers, inclusion };
  if (api.anchorTransaction(args).height !== 540000) throw new Error('not anchored');
  out.anchorOneMainnetHeaderMicros = median(() => api.anchorTransaction(args), 20);
}
console.log(JSON.stringify(out, null, 2));
