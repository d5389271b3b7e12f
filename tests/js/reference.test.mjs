// Cross-checks the sharestate CLI against the JS reference libraries that pool websites and
// wallets use: Fleet SDK (addresses, ErgoTrees, blake2b) and ergo-lib-wasm-nodejs (sigma-rust's
// bindings: constants). Run by scripts/test.sh: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErgoAddress } from '@fleet-sdk/core';
import { blake2b256, hex } from '@fleet-sdk/crypto';
import ergo from 'ergo-lib-wasm-nodejs';

const bin = process.env.SHARESTATE_BIN ?? 'target/debug/sharestate';
const cli = (...args) => JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));

test('miner keys match Fleet SDK for wallet-made P2PK addresses on both networks', () => {
  for (const prefix of [ergo.NetworkPrefix.Mainnet, ergo.NetworkPrefix.Testnet]) {
    for (let i = 0; i < 20; i++) {
      const address = ergo.SecretKey.random_dlog().get_address().to_base58(prefix);
      const fleet = ErgoAddress.fromBase58(address);
      const ours = cli('key', address);
      assert.equal(ours.propositionBytes, fleet.ergoTree);
      assert.equal(ours.key, hex.encode(blake2b256(hex.decode(fleet.ergoTree))));
      assert.equal(ours.network, prefix === ergo.NetworkPrefix.Mainnet ? 'mainnet' : 'testnet');
    }
  }
});

test('a mainnet P2S address decodes as in Fleet SDK', () => {
  const box = JSON.parse(readFileSync('tests/fixtures/box1.json', 'utf8'));
  const ours = cli('key', box.address);
  assert.equal(ours.kind, 'P2S');
  assert.equal(ours.propositionBytes, box.ergoTree);
  assert.equal(ErgoAddress.fromBase58(box.address).ergoTree, box.ergoTree);
});

test('registers and context variables we write parse in sigma-rust (ergo-lib-wasm) unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sharestate-js-'));
  const lines = ['address,score'];
  for (let i = 0; i < 50; i++) lines.push(`${ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet)},${1000 + i}`);
  writeFileSync(join(dir, 'scores.csv'), lines.join('\n'));
  const built = cli('state', 'build', '--scores', join(dir, 'scores.csv'), '--out', join(dir, 's.bin'));
  const r4 = ergo.Constant.decode_from_base16(built.register);
  assert.equal(r4.encode_to_base16(), built.register);
  assert.match(r4.dbg_tpe(), /AvlTree/);
  const payout = cli('prove', 'payout', join(dir, 's.bin'), '--initial-value', '67500000000', '--batch-size', '20');
  for (const v of ['0', '1']) {
    const c = ergo.Constant.decode_from_base16(payout.contextVars[v]);
    assert.equal(c.encode_to_base16(), payout.contextVars[v]);
  }
  assert.equal(ergo.Constant.decode_from_base16(payout.contextVars['1']).to_byte_array().length * 2 + 6,
    payout.contextVars['1'].length);
});
