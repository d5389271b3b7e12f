// The npm package as users get it: the packed tarball installed into a fresh project and
// imported by name. Every API, every error kind, values above 2^53, and interop with the
// reference libraries (ergo-lib-wasm-nodejs, Fleet's mock chain) on a devnet's real boxes.
//   node --test www/test/   (after scripts/build-package.sh; DEVNET_BIN names the devnet)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, cpSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ergo from 'ergo-lib-wasm-nodejs';
import { execute, mockBlockchainStateContext } from '@fleet-sdk/mock-chain';
import { ErgoHDKey } from '@fleet-sdk/wallet';
import { blake2b256, hex } from '@fleet-sdk/crypto';
import { TransactionBuilder, OutputBuilder } from '@fleet-sdk/core';

const ROOT = resolve(import.meta.dirname, '../..');
const DEVNET = process.env.DEVNET_BIN ?? join(ROOT, 'target/debug/devnet');
let s; // the installed package
let lite; // its `sharestate/lite` entry
let project;
let devnet;
let base;
let keys;

before(async () => {
  const tgz = readdirSync(join(ROOT, 'target')).find((f) => /^sharestate-.*\.tgz$/.test(f));
  assert.ok(tgz, 'run scripts/build-package.sh first');
  project = mkdtempSync(join(tmpdir(), 'sharestate-pkg-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', join(ROOT, 'target', tgz)], { cwd: project });
  writeFileSync(join(project, 'load.mjs'), "export * from 'sharestate';\n");
  s = await import(pathToFileURL(join(project, 'load.mjs')));
  writeFileSync(join(project, 'load-lite.mjs'), "export * from 'sharestate/lite';\n");
  lite = await import(pathToFileURL(join(project, 'load-lite.mjs')));

  const port = 20000 + Math.floor(Math.random() * 20000);
  devnet = spawn(DEVNET, ['--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((ok, fail) => {
    let out = '';
    devnet.stdout.on('data', (d) => { out += d; if (out.includes('Ctrl-C stops it.')) ok(); });
    devnet.on('exit', (c) => fail(new Error(`devnet exited ${c}: ${out}`)));
  });
  base = `http://127.0.0.1:${port}`;
  keys = JSON.parse(execFileSync(DEVNET, ['--keys', '2']).toString());
});

after(() => devnet?.kill('SIGTERM'));

const get = async (path) => {
  const r = await fetch(base + path);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.text();
};

/** Signs an EIP-12 transaction with ergo-lib-wasm (the devnet key `secret`, hex) in the context of
 *  the devnet's last headers, submits it to the devnet's node API, and returns its id. */
async function signAndSubmit(tx, secret) {
  const key = ergo.SecretKey.dlog_from_bytes(Uint8Array.from(Buffer.from(secret, 'hex')));
  const secrets = new ergo.SecretKeys();
  secrets.add(key);
  const wallet = ergo.Wallet.from_secrets(secrets);
  const boxes = ergo.ErgoBoxes.empty();
  for (const i of tx.inputs) boxes.add(ergo.ErgoBox.from_json(JSON.stringify(i)));
  const headers = JSON.parse(await get('/blocks/lastHeaders/10')).reverse();
  const blockHeaders = ergo.BlockHeaders.from_json(headers.map((h) => JSON.stringify(h)));
  const pre = ergo.PreHeader.from_block_header(blockHeaders.get(0));
  const stateCtx = new ergo.ErgoStateContext(pre, blockHeaders, ergo.Parameters.default_parameters());
  const unsigned = ergo.UnsignedTransaction.from_json(JSON.stringify(tx));
  const signed = wallet.sign_transaction(stateCtx, unsigned, boxes, ergo.ErgoBoxes.empty());
  const submit = await fetch(`${base}/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: signed.to_json() });
  assert.equal(submit.status, 200, await submit.clone().text());
  return JSON.parse(await submit.text());
}

/** An address's largest unspent box, from every page of its boxes. */
async function largestUnspent(address) {
  const all = [];
  for (let offset = 0; ; offset += 500) {
    const r = await fetch(`${base}/blockchain/box/byAddress?offset=${offset}&limit=500`, { method: 'POST', body: address });
    const items = JSON.parse(await r.text()).items;
    all.push(...items);
    if (items.length < 500) break;
  }
  return all.filter((b) => !b.spentTransactionId).sort((a, b) => (BigInt(b.value) > BigInt(a.value) ? -1 : 1))[0];
}

/** Throws an Error of this name? */
function throwsKind(name, f) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Error, `${name}: not an Error: ${e}`);
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.ok(e.message.length > 10);
    return true;
  });
}

test('the package resolves by name, with its Node entry and types', () => {
  for (const f of ['minerKey', 'decodeRegister', 'verifyLookups', 'replayPayout', 'checkPayout', 'payoutAmount', 'verifyProofAnswer', 'transactionId', 'handleProofRequest']) {
    assert.equal(typeof s[f], 'function', f);
  }
  for (const c of ['ShareState', 'Walker', 'ProofService']) assert.equal(typeof s[c], 'function', c);
});

test('types: index.d.ts type-checks a pool website’s use, strictly', () => {
  cpSync(join(ROOT, 'www/test/types.ts'), join(project, 'types.ts'));
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'types.ts'], { cwd: project });
});

test('miner keys agree with Fleet SDK', () => {
  const a = ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet);
  const k = s.minerKey(a);
  assert.equal(k.kind, 'P2PK');
  assert.equal(k.key, hex.encode(blake2b256(hex.decode(k.propositionBytes))));
  assert.equal(s.minerKey(k.propositionBytes).key, k.key);
  throwsKind('AddressError', () => s.minerKey(a.slice(0, -1) + (a.endsWith('a') ? 'b' : 'a')));
});

test('registers decode, Longs above 2^53 exactly', () => {
  // Long 2^53 + 1: zigzag then VLQ
  let z = (2n ** 53n + 1n) << 1n;
  const bytes = [0x05];
  while (z >= 0x80n) { bytes.push(Number((z & 0x7fn) | 0x80n)); z >>= 7n; }
  bytes.push(Number(z));
  const r = s.decodeRegister(Buffer.from(bytes).toString('hex'));
  assert.deepEqual(r, { type: 'Long', value: '9007199254740993' });
  assert.equal(s.decodeRegister('0402').value, 1);
  throwsKind('RegisterError', () => s.decodeRegister('0e05aa'));
});

test('a share state: lookups, payouts, snapshots, and the arithmetic above 2^53', () => {
  const miners = Array.from({ length: 50 }, (_, i) => ({
    address: ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet),
    score: BigInt(1000 + i),
  }));
  const { fromScores } = s.ShareState; // factories work detached too
  const st = fromScores(miners);
  assert.ok(st instanceof s.ShareState);
  assert.equal(typeof st.buildPayout, 'function');
  const { fromScores: liteFromScores } = lite.ShareState;
  assert.ok(liteFromScores(miners) instanceof lite.ShareState);
  assert.equal(st.size, 50);
  const keys = miners.map((m) => s.minerKey(m.address).key);
  const lp = st.proveLookups([keys[3], '11'.repeat(32)]);
  assert.deepEqual(s.verifyLookups(lp.digest, lp.proof, [keys[3], '11'.repeat(32)]), lp.results);
  assert.equal(lp.results[1].value, null);
  const maxScore = miners.reduce((a, m) => a + Number(m.score), 0);
  const sorted = [...keys].sort();
  const p = st.provePayout(sorted.slice(0, 10), 67_500_000_000n, maxScore);
  const r = s.replayPayout(p.digest, maxScore, '67500000000', p.contextVars['0'], p.contextVars['1']);
  assert.equal(r.nextDigest, p.nextDigest);
  assert.deepEqual(r.payments, p.payments);
  for (const pay of r.payments) assert.equal(BigInt(pay.amount), (BigInt(pay.score) * 67_500_000_000n) / BigInt(maxScore));
  // exact beyond 2^53, overflow is an error
  assert.equal(s.payoutAmount(9_007_199_254_740_993n, '1000', 1000), '9007199254740993');
  throwsKind('ArithmeticError', () => s.payoutAmount('9223372036854775807', '2', 1));
  throwsKind('AmountError', () => s.payoutAmount('12.5', '2', 1));
  // snapshots round-trip, and a changed one is refused
  const snap = st.toSnapshot();
  assert.equal(s.ShareState.fromSnapshot(snap).digest(), st.digest());
  assert.equal(s.ShareState.fromSnapshotBytes(st.toSnapshotBytes()).digest(), st.digest());
  snap.entries[0].value = '00'.repeat(9);
  throwsKind('SnapshotError', () => s.ShareState.fromSnapshot(snap));
  const plan = st.plan('67500000000', maxScore, 20, 1_600_000);
  assert.equal(plan.batches.flat().length + plan.unpayable.length, 50);
});

test('every error kind has its name', () => {
  throwsKind('KeyError', () => s.verifyLookups('00'.repeat(33), '04', ['abcd']));
  throwsKind('ProofError', () => s.verifyLookups('00'.repeat(33), '02', ['11'.repeat(32)]));
  throwsKind('ProverError', () => s.ShareState.fromEntries([{ key: '11'.repeat(32), value: '' }, { key: '11'.repeat(32), value: '' }]));
  throwsKind('ValueError', () => s.ShareState.fromEntries([{ key: '11'.repeat(32), value: 'zz' }]));
  throwsKind('ScoreError', () => s.ShareState.fromScores([{ address: '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA', score: '-1' }]));
  throwsKind('PayoutError', () => s.replayPayout('00'.repeat(33), 1, '1', '0e00', '0e00'));
  throwsKind('ChainError', () => new s.Walker('00'.repeat(32)).feedBox('{}'));
  throwsKind('TransactionError', () => s.checkPayout('{"inputs": 1}'));
  throwsKind('TypeError', () => s.verifyLookups('00'.repeat(33), '04', 'not a list'));
  throwsKind('TypeError', () => s.ShareState.fromEntries([{ key: '11'.repeat(32), value: 7 }]));
  throwsKind('ServiceError', () => s.verifyProofAnswer({ boxId: '', digest: '', key: '22'.repeat(32), value: null, proof: '' }, '00'.repeat(33), '11'.repeat(32)));
});

test('sharestate/lite: its own smaller module, the same answers as the full package', () => {
  assert.deepEqual(Object.keys(lite).sort(), ['ShareState', 'decodeRegister', 'minerKey', 'payoutAmount', 'replayPayout', 'verifyLookups']);
  const miners = Array.from({ length: 40 }, (_, i) => ({
    address: ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet),
    score: String(7 + i * 1_000_003),
  }));
  const full = s.ShareState.fromScores(miners);
  const small = lite.ShareState.fromScores(miners);
  assert.equal(small.digest(), full.digest());
  assert.equal(small.register(), full.register());
  for (const m of ['buildPayout', 'toSnapshot', 'toSnapshotBytes']) assert.equal(typeof small[m], 'undefined', m);
  const keys = miners.map((m) => lite.minerKey(m.address).key);
  assert.deepEqual(keys, miners.map((m) => s.minerKey(m.address).key));
  const asked = [keys[5], keys[17], 'ee'.repeat(32)];
  const lp = small.proveLookups(asked);
  assert.deepEqual(lp, full.proveLookups(asked));
  assert.deepEqual(lite.verifyLookups(lp.digest, lp.proof, asked), s.verifyLookups(lp.digest, lp.proof, asked));
  const maxScore = miners.reduce((a, m) => a + Number(m.score), 0);
  const batch = [...keys].sort().slice(3, 13);
  const p = small.provePayout(batch, 67_500_000_000n, maxScore);
  assert.deepEqual(p, full.provePayout(batch, 67_500_000_000n, maxScore));
  assert.deepEqual(
    lite.replayPayout(p.digest, maxScore, '67500000000', p.contextVars['0'], p.contextVars['1']),
    s.replayPayout(p.digest, maxScore, '67500000000', p.contextVars['0'], p.contextVars['1']),
  );
  assert.deepEqual(small.plan('67500000000', maxScore, 16, 1_600_000), full.plan('67500000000', maxScore, 16, 1_600_000));
  assert.deepEqual(lite.decodeRegister(full.register()), s.decodeRegister(full.register()));
  assert.equal(lite.payoutAmount(9_007_199_254_740_993n, '1000', 1000), '9007199254740993');
  // a payout applied moves both states on alike
  small.provePayout(batch, '67500000000', maxScore, true);
  full.provePayout(batch, '67500000000', maxScore, true);
  assert.equal(small.digest(), p.nextDigest);
  assert.equal(small.get(batch[0]), full.get(batch[0]));
  assert.equal(lite.ShareState.fromEntries([{ key: batch[0], value: small.get(batch[0]) }]).digest(),
    s.ShareState.fromEntries([{ key: batch[0], value: full.get(batch[0]) }]).digest());
  // the same error kinds
  throwsKind('AddressError', () => lite.minerKey('9fnope'));
  throwsKind('KeyError', () => lite.verifyLookups('00'.repeat(33), '04', ['abcd']));
  throwsKind('ProofError', () => lite.verifyLookups(lp.digest, lp.proof.slice(0, -2), asked));
  throwsKind('PayoutError', () => lite.replayPayout('00'.repeat(33), 1, '1', '0e00', '0e00'));
  throwsKind('ArithmeticError', () => lite.payoutAmount('9223372036854775807', '2', 1));
  throwsKind('ProverError', () => lite.ShareState.fromEntries([{ key: '00'.repeat(32), value: '' }]));
  throwsKind('TypeError', () => lite.ShareState.fromEntries('nope'));
  // a smaller module than the full package's
  const dir = join(project, 'node_modules/sharestate/pkg');
  const size = (f) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  assert.ok(size('lite-web/sharestate_lite_bg.wasm') < size('web/sharestate_wasm_bg.wasm') / 2);
});

test('walking the devnet’s pool from the node’s JSON reproduces its ground truth', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const truth = JSON.parse(await get('/devnet/miners?limit=50')).items;
  const walk = await new s.Walker(pools.epochs[0].startBox).walk(get);
  assert.equal(walk.done, true);
  assert.equal(walk.contract, 'draft');
  assert.ok(walk.steps.every((st) => st.accepted && st.txIdVerified));
  const miner = truth.find((m) => m.epochs[0].paid);
  const touched = walk.steps.flatMap((st) => st.touched.map((t) => ({ ...t, tx: st.txId }))).find((t) => t.key === miner.key);
  assert.equal(touched.paid, miner.epochs[0].paid);
  assert.equal(touched.tx, miner.epochs[0].transaction);
  assert.equal(touched.before.score, String(miner.epochs[0].score));
});

test('the walker ends the closed epoch at the operator\'s close and audits it from the pool\'s snapshot', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const walker = new s.Walker(pools.epochs[1].startBox);
  const walk = await walker.walk(get);
  assert.equal(walk.end.closed, true);
  assert.match(walk.end.describe, /^closed by the operator at height \d+; [\d.]+ ERG left in the reward box$/);
  assert.equal(walk.end.height, walk.deadline, 'closed at its deadline');
  assert.deepEqual(walk.epochToken, { ok: true });
  assert.equal(walk.rewardBox.spentBy, walk.end.txId);
  assert.ok(walk.steps.every((st) => st.rewardFollowed === true));
  const audit = walker.audit(s.ShareState.fromSnapshot(await get(`/pool/snapshot/${walk.tip}`)));
  assert.equal(audit.passed, true, audit.findings.join('; '));
  assert.equal(audit.findings.length, 0);
  assert.match(audit.end, /^closed by the operator/);
  // another state's snapshot is refused, by kind
  const other = s.ShareState.fromSnapshot(await get(`/pool/snapshot/${pools.epochs[0].startBox}`));
  throwsKind('SnapshotError', () => walker.audit(other));
  // a budget of one payout: the walk stops with a ChainError that names it
  const small = new s.Walker(pools.epochs[1].startBox, 1);
  await assert.rejects(small.walk(get), (e) => e.name === 'ChainError' && /budget/.test(e.message));
});

test('the walker builds each request for its kind of source: through the explorer\'s GraphQL, and the explorer API with GraphQL for transactions, it walks as through the node', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const send = (at) => async (r) => {
    const res = await fetch(at + r.path, { method: r.method, body: r.body ?? undefined, headers: r.contentType ? { 'content-type': r.contentType } : {} });
    assert.equal(res.status, 200);
    return res.text();
  };
  for (const e of pools.epochs.slice(0, 3)) {
    const byNode = await new s.Walker(e.startBox).walk(get);
    const viaNode = await new s.Walker(e.startBox, undefined, 'node').walkVia(send(base));
    const walker = new s.Walker(e.startBox, undefined, 'graphql');
    assert.equal(walker.request().method, 'POST');
    const viaGraphql = await walker.walkVia(send(`${base}/graphql`));
    const explorer = new s.Walker(e.startBox, undefined, 'explorer', 'graphql');
    assert.match(explorer.request().path, /^\/api\/v1\/boxes\//);
    assert.equal(explorer.request().to, 'source');
    const viaExplorer = await explorer.walkVia(send(base), send(`${base}/graphql`));
    // the explorer API alone: its transactions carry no extension, so the first payout is refused
    const alone = new s.Walker(e.startBox, undefined, 'explorer');
    await assert.rejects(alone.walkVia(send(base)), (err) => err.name === 'ChainError' && /the explorer API gives none/.test(err.message));
    for (const w of [viaNode, viaGraphql, viaExplorer]) {
      assert.deepEqual(
        [w.tip, w.reward, w.steps.length, w.end?.txId ?? null, w.epochToken, w.deadline],
        [byNode.tip, byNode.reward, byNode.steps.length, byNode.end?.txId ?? null, byNode.epochToken, byNode.deadline],
      );
      assert.ok(w.steps.every((st) => st.txIdVerified !== false));
    }
    assert.equal(walker.request(), null);
  }
  // an answer that is not that source's: a ChainError, by kind
  const w = new s.Walker(pools.epochs[0].startBox, undefined, 'graphql');
  throwsKind('ChainError', () => w.feed('{"data":{"boxes":[]}}'));
  throwsKind('ChainError', () => new s.Walker(pools.epochs[0].startBox, undefined, 'soap'));
  throwsKind('ChainError', () => new s.Walker(pools.epochs[0].startBox, undefined, 'explorer', 'soap'));
});

test('a pool website shows "in block N, k confirmations" verified: each payout of the walk in its mined block, through the node, GraphQL and the explorer API; mainnet\'s rules refuse the devnet\'s chain; a false proof is refused', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const tip = JSON.parse(await get('/info')).fullHeight;
  const send = (at) => async (r) => {
    const res = await fetch(at + r.path, { method: r.method, body: r.body ?? undefined, headers: r.contentType ? { 'content-type': r.contentType } : {} });
    assert.equal(res.status, 200, `${r.path}: ${res.status}`);
    return res.text();
  };
  const walk = await new s.Walker(pools.epochs[0].startBox).walk(get);
  assert.ok(walk.steps.length >= 2);
  for (const step of walk.steps.slice(0, 2)) {
    const height = JSON.parse(await get(`/blockchain/transaction/byId/${step.txId}`)).inclusionHeight;
    for (const [source, at] of [['node', base], ['graphql', `${base}/graphql`], ['explorer', base]]) {
      const a = await s.anchorVia(send(at), { network: 'devnet', source, txId: step.txId, height, tip });
      assert.deepEqual([a.height, a.confirmations, a.required, a.network], [height, Math.min(11, tip - height + 1), 1, 'devnet']);
      assert.match(a.blockId, /^[0-9a-f]{64}$/);
    }
    // the same answers on mainnet's rules: a chain anyone can mine
    // (the node leaves fromHeight out of its slice)
    const headers = [await get(`/blocks/chainSlice?fromHeight=${height - 1}&toHeight=${height + 10}`)];
    const block = s.headerIdAt('node', headers[0], height);
    const inclusion = await get(`/blocks/${block}/proofFor/${step.txId}`);
    const ok = s.anchorTransaction({ network: 'devnet', source: 'node', txId: step.txId, height, headers, inclusion });
    assert.equal(ok.blockId, block);
    assert.throws(() => s.anchorTransaction({ network: 'mainnet', source: 'node', txId: step.txId, height, headers, inclusion }),
      (e) => e.name === 'ProofError' && /below mainnet's floor of 281474976710656/.test(e.message));
    // a proof with one sibling changed proves nothing
    const bad = JSON.parse(inclusion);
    bad.levels[0][0] = (bad.levels[0][0][0] === '0' ? '1' : '0') + bad.levels[0][0].slice(1);
    assert.throws(() => s.anchorTransaction({ network: 'devnet', source: 'node', txId: step.txId, height, headers, inclusion: JSON.stringify(bad) }),
      (e) => e.name === 'ProofError' && /does not lead to the block's transactions root/.test(e.message));
    // nor the right proof held to the next block
    assert.throws(() => s.anchorTransaction({ network: 'devnet', source: 'node', txId: step.txId, height: height + 1, headers, inclusion }),
      (e) => e.name === 'ProofError' && /is not in block/.test(e.message));
  }
  assert.equal(s.headersRequest('graphql', 5, 9).method, 'POST');
  assert.match(s.inclusionRequest('node', '00'.repeat(32), '11'.repeat(32)).path, /^\/blocks\/0{64}\/proofFor\/1{64}$/);
  assert.equal(s.headersRequest('explorer', 5, 9).path, '/api/v1/blocks/headers?offset=4&limit=5&sortBy=height&sortDirection=asc');
  throwsKind('ChainError', () => s.headersRequest('soap', 5, 9));
});

test('a pool website shows "not yet paid" verified: the open epoch\'s tip unspent in the state of the node\'s newest block, a paid-out box proven spent; GraphQL and the explorer API prove no state; a changed proof is refused', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const tip = JSON.parse(await get('/info')).fullHeight;
  const send = async (r) => {
    const res = await fetch(base + r.path, { method: r.method, body: r.body ?? undefined, headers: r.contentType ? { 'content-type': r.contentType } : {} });
    assert.equal(res.status, 200, `${r.path}: ${res.status}`);
    return res.text();
  };
  const last = pools.epochs[pools.epochs.length - 1];
  const walk = await new s.Walker(last.startBox).walk(get);
  assert.equal(walk.end ?? null, null, 'the last epoch is open');
  const boxIds = [walk.tip, last.startBox];
  const u = await s.unspentVia(send, { network: 'devnet', source: 'node', boxIds, tip });
  assert.deepEqual([u.unspent, u.height, u.network], [[true, false], tip, 'devnet']);
  assert.match(u.blockId, /^[0-9a-f]{64}$/);
  assert.ok(Number.isInteger(u.timestamp) && u.timestamp > 1.7e12, String(u.timestamp));
  // the same answers, checked without I/O; mainnet's rules refuse the devnet's header
  const proof = await send(s.unspentRequest('node', boxIds));
  const headers = [await send(s.headersRequest('node', tip, tip + 2))];
  assert.deepEqual(s.unspentBoxes({ network: 'devnet', boxIds, headers, proof, tip }).unspent, [true, false]);
  assert.throws(() => s.unspentBoxes({ network: 'mainnet', boxIds, headers, proof, tip }),
    (e) => e.name === 'ProofError' && /below mainnet's floor/.test(e.message));
  // a header below the tip the caller knows is not taken (a source showing an older state)
  assert.throws(() => s.unspentBoxes({ network: 'devnet', boxIds, headers, proof, tip: tip + 1 }),
    (e) => e.name === 'ProofError' && /no header for block height \d+ or above/.test(e.message));
  throwsKind('TypeError', () => s.unspentBoxes({ network: 'devnet', boxIds: [], headers, proof, tip }));
  throwsKind('TypeError', () => s.unspentBoxes({ network: 'devnet', boxIds, headers, proof }));
  // one byte of the proof changed: no verdict at all
  const hexProof = JSON.parse(proof);
  const flipped = JSON.stringify(hexProof.slice(0, 10) + (hexProof[10] === '0' ? '1' : '0') + hexProof.slice(11));
  assert.throws(() => s.unspentBoxes({ network: 'devnet', boxIds, headers, proof: flipped, tip }), (e) => e.name === 'ProofError');
  // the other sources prove no state
  assert.equal(s.unspentRequest('graphql', boxIds), null);
  assert.equal(await s.unspentVia(send, { network: 'devnet', source: 'explorer', boxIds, tip }), null);
  throwsKind('ChainError', () => s.unspentRequest('node', ['zz']));
  throwsKind('TypeError', () => s.unspentRequest('node', 'not a list'));
});

test('a payout built by the package: checked, parsed by ergo-lib-wasm with the same id, run in the mock chain, signed and accepted by the devnet', async () => {
  const pools = JSON.parse(await get('/devnet/pools.json')).pools[0];
  const last = pools.epochs[pools.epochs.length - 1];
  const walk = await new s.Walker(last.startBox).walk(get);
  const stateBox = await get(`/blockchain/box/byId/${walk.tip}`);
  const lastTx = JSON.parse(await get(`/blockchain/transaction/byId/${JSON.parse(stateBox).transactionId}`));
  const rewardBox = lastTx.outputs[1];
  const state = s.ShareState.fromSnapshot(await get(`/pool/snapshot/${walk.tip}`));
  assert.equal(state.digest(), walk.tipDigest, 'the snapshot is of the on-chain digest');
  const maxScore = walk.maxScore;
  const plan = state.plan(walk.reward, maxScore, 150, 1_600_046);
  const operator = ergo.SecretKey.dlog_from_bytes(Uint8Array.from(Buffer.from(keys.operator, 'hex')));
  const operatorAddress = operator.get_address().to_base58(ergo.NetworkPrefix.Mainnet);
  const funding = JSON.parse(await (await fetch(`${base}/blockchain/box/byAddress`, { method: 'POST', body: operatorAddress })).text())
    .items.filter((b) => !b.spentTransactionId).sort((a, b) => (BigInt(b.value) > BigInt(a.value) ? 1 : -1)).slice(0, 1);
  const headers = JSON.parse(await get('/blocks/lastHeaders/10'));
  const height = headers[headers.length - 1].height;
  const tx = state.buildPayout({ stateBox, rewardBox, keys: plan.batches[0], fundingBoxes: funding, changeAddress: operatorAddress, fee: 1_100_000n, height });
  const report = s.checkPayout(tx);
  assert.equal(report.accepted, true);
  assert.equal(report.miners[0].claimedScore, report.miners[0].treeScore);
  assert.match(report.miners[0].claimedScore, /^[0-9]+$/, 'scores cross as decimal strings');
  // funding boxes given as JSON text build the same transaction
  const again = state.buildPayout({ stateBox, rewardBox, keys: plan.batches[0], fundingBoxes: funding.map((b) => JSON.stringify(b)), changeAddress: operatorAddress, fee: '1100000', height });
  assert.equal(s.transactionId(again), s.transactionId(tx));

  // ergo-lib-wasm parses it and computes the same id
  const unsigned = ergo.UnsignedTransaction.from_json(JSON.stringify(tx));
  assert.equal(unsigned.id().to_str(), s.transactionId(tx));

  // sigmastate-js (Fleet's mock chain) accepts it, the fee input signed with the operator key
  const hd = new ErgoHDKey({ privateKey: Buffer.from(keys.operator, 'hex'), chainCode: new Uint8Array(32) });
  const ctx = mockBlockchainStateContext({ headers: { quantity: 10, fromHeight: height - 8 } });
  const result = execute(tx, [hd], { context: ctx });
  assert.equal(result.success, true, result.reason?.message);

  // sign with ergo-lib-wasm (the operator's key), submit, and see it in the walk
  const secrets = new ergo.SecretKeys();
  secrets.add(operator);
  const wallet = ergo.Wallet.from_secrets(secrets);
  const boxes = ergo.ErgoBoxes.empty();
  for (const i of tx.inputs) boxes.add(ergo.ErgoBox.from_json(JSON.stringify(i)));
  const blockHeaders = ergo.BlockHeaders.from_json(headers.reverse().map((h) => JSON.stringify(h)));
  const pre = ergo.PreHeader.from_block_header(blockHeaders.get(0));
  const stateCtx = new ergo.ErgoStateContext(pre, blockHeaders, ergo.Parameters.default_parameters());
  const signed = wallet.sign_transaction(stateCtx, unsigned, boxes, ergo.ErgoBoxes.empty());
  const submit = await fetch(`${base}/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: signed.to_json() });
  assert.equal(submit.status, 200, await submit.clone().text());
  assert.equal(JSON.parse(await submit.text()), s.transactionId(tx));
  const after = await new s.Walker(last.startBox).walk(get);
  assert.equal(after.steps.length, walk.steps.length + 1);
  assert.equal(after.steps.at(-1).txId, s.transactionId(tx));
});

test('walking the devnet’s balance pool (Design 2) reproduces each miner’s history and balance', async () => {
  const pool = JSON.parse(await get('/devnet/pools.json')).pools[1];
  assert.equal(pool.design, 'persistent');
  const walker = new s.Walker(pool.startBox);
  const walk = await walker.walk(get);
  assert.equal(walk.design, 'persistent');
  assert.equal(walk.done, true);
  assert.equal(walk.end, null);
  assert.ok(walk.steps.every((st) => st.accepted && st.txIdVerified));
  assert.deepEqual([...new Set(walk.steps.map((st) => st.contract))], ['deployed', 'hardened']);
  assert.deepEqual([walk.steps[0].round, walk.steps.at(-1).round], [1, 30]);
  // an Update's credits: the round's holding box, spent by a transaction proven
  const credited = walk.steps.filter((st) => st.command === 'update' && st.creditSource.holding?.length === 1);
  assert.ok(credited.length >= 20 && credited.every((st) => st.creditSource.txIdVerified));
  const moved = walk.steps.find((st) => st.weaknesses.length > 0);
  assert.deepEqual(moved.weaknesses.map((w) => [w.kind, w.toHardened]), [['nextStateScriptChanged', true]]);
  const truth = JSON.parse(await get('/devnet/miners?pool=balance&limit=200')).items;
  let paid = 0;
  for (const m of truth) {
    const h = walker.history(m.key);
    assert.equal(h.owed, m.owed, m.address);
    assert.deepEqual(
      h.events.map((e) => [e.round, e.command, e.txId, e.amount, e.after ?? '0']),
      m.events.map((e) => [e.round, e.command, e.transaction, e.amount, e.balance]),
    );
    paid += h.events.filter((e) => e.command === 'payout').length;
  }
  assert.ok(paid > 5, `${paid} payouts among 200 miners`);
  // a Design 1 call on a Design 2 walk says so
  assert.throws(() => walker.audit(s.ShareState.fromEntries([])), /Design 2/);
});

test('a balance command built by the package: checked, parsed by ergo-lib-wasm with the same id, run in the mock chain, signed and accepted by the devnet', async () => {
  const pool = JSON.parse(await get('/devnet/pools.json')).pools[1];
  const walker = new s.Walker(pool.startBox);
  const walk = await walker.walk(get);
  const state = s.BalanceState.fromSnapshot(await get(`/pool/snapshot/${walk.tip}`));
  assert.equal(state.digest(), walk.tipDigest, 'the snapshot is of the on-chain digest');
  // a miner owed something, credited once more
  const owed = JSON.parse(await get('/devnet/miners?pool=balance&limit=2000')).items.find((m) => m.owed && m.owed !== '0');
  assert.equal(state.get(owed.key), owed.owed);
  const plan = state.planRound({ credits: [{ key: owed.key, amount: 1_000_000n }], minimum: 10n ** 15n });
  assert.deepEqual(plan[0], { command: 'update', credits: [{ key: owed.key, amount: '1000000' }] });
  // and the miners at zero who had no share in it deleted
  assert.ok(plan.slice(1).every((b) => b.command === 'delete' && b.keys.every((k) => state.get(k) === '0')));
  // an Update command box of the pool (its script: the command box of the pool's last Update)
  const lastUpdate = walk.steps.findLast((st) => st.command === 'update');
  const updateTree = JSON.parse(await get(`/blockchain/transaction/byId/${lastUpdate.txId}`)).inputs[1].ergoTree
    ?? JSON.parse(await get(`/blockchain/box/byId/${JSON.parse(await get(`/blockchain/transaction/byId/${lastUpdate.txId}`)).inputs[1].boxId}`)).ergoTree;
  const operator = ergo.SecretKey.dlog_from_bytes(Uint8Array.from(Buffer.from(keys.balanceOperator, 'hex')));
  const operatorAddress = operator.get_address().to_base58(ergo.NetworkPrefix.Mainnet);
  assert.equal(operatorAddress, pool.operator);
  const headers = JSON.parse(await get('/blocks/lastHeaders/10'));
  const height = headers[headers.length - 1].height;
  const funding = await largestUnspent(operatorAddress);
  const made = new TransactionBuilder(height)
    .from([funding])
    .to(new OutputBuilder(1_000_000n + 2_200_000n, updateTree))
    .sendChangeTo(operatorAddress)
    .payFee(1_100_000n)
    .build()
    .toEIP12Object();
  const madeId = await signAndSubmit(made, keys.balanceOperator);
  const commandBox = JSON.parse(await get(`/blockchain/transaction/byId/${madeId}`)).outputs[0];
  const stateBox = await get(`/blockchain/box/byId/${walk.tip}`);
  const tx = state.buildCommand({ batch: plan[0], stateBox, commandBox, changeAddress: operatorAddress, fee: 1_100_000n, height });
  const report = s.checkCommand(tx);
  assert.equal(report.accepted, true, report.failing.join(', '));
  assert.deepEqual([report.contract.command, report.contract.set], ['update', 'hardened']);
  assert.equal(report.miners[0].delta, '1000000');
  assert.equal(BigInt(tx.outputs[0].value), BigInt(JSON.parse(stateBox).value) + 1_000_000n);
  // ergo-lib-wasm parses it with the same id; sigmastate-js (the mock chain) accepts it, the
  // state box signed by the pool's operator
  const unsigned = ergo.UnsignedTransaction.from_json(JSON.stringify(tx));
  assert.equal(unsigned.id().to_str(), s.transactionId(tx));
  const hd = new ErgoHDKey({ privateKey: Buffer.from(keys.balanceOperator, 'hex'), chainCode: new Uint8Array(32) });
  const result = execute(tx, [hd], { context: mockBlockchainStateContext({ headers: { quantity: 10, fromHeight: height - 8 } }) });
  assert.equal(result.success, true, result.reason?.message);
  // signed and accepted by the devnet, and the walk shows the credit
  assert.equal(await signAndSubmit(tx, keys.balanceOperator), s.transactionId(tx));
  assert.equal(state.apply(plan[0]), report.nextDigest);
  const after = new s.Walker(pool.startBox);
  await after.walk(get);
  const h = after.history(owed.key);
  assert.deepEqual([h.events.at(-1).command, h.events.at(-1).amount, h.owed], ['update', '1000000', String(BigInt(owed.owed) + 1_000_000n)]);
  // a batch the contracts would refuse is not built: a key not in the tree
  assert.throws(() => state.buildCommand({ batch: { command: 'payout', keys: ['00'.repeat(32)] }, stateBox, commandBox, changeAddress: operatorAddress, fee: 1_100_000n, height }), /ProverError|not in the balance state/);
});

test('the proof service handler serves from a Node http server, and its answers verify', async () => {
  const st = s.ShareState.fromScores([{ address: '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA', score: '77' }]);
  const service = new s.ProofService();
  const boxId = 'ab'.repeat(32);
  service.insert(boxId, st);
  const handle = s.handleProofRequest(service, '/pool');
  const server = createServer((req, res) => { if (!handle(req, res)) { res.writeHead(404); res.end(); } });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  const epochs = await (await fetch(`${url}/pool/epochs`)).json();
  assert.equal(epochs.states[0].digest, st.digest());
  const key = s.minerKey('9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA').key;
  const answer = await (await fetch(`${url}/pool/proof/${boxId}/${key}`)).text();
  const value = s.verifyProofAnswer(answer, st.digest(), key);
  assert.equal(value, '000000000000004d00');
  assert.equal((await fetch(`${url}/pool/snapshot/${'cd'.repeat(32)}`)).status, 404);
  server.close();
});
