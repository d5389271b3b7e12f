// Payout conformance in sigmastate-js, the reference interpreter (through Fleet's mock chain):
// every case of examples/conformance.rs — honest payouts and tamperings, on the seed's draft
// contract and on the hardened pair — must be accepted or rejected as the Rust side (sigma-rust
// and our clause check) already asserted. The operator's fee inputs are signed with a fresh key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ErgoHDKey, generateMnemonic } from '@fleet-sdk/wallet';
import { execute, mockBlockchainStateContext } from '@fleet-sdk/mock-chain';
import { hex } from '@fleet-sdk/crypto';

const bin = process.env.CONFORMANCE_BIN ?? 'target/release/examples/conformance';
const key = ErgoHDKey.fromMnemonicSync(generateMnemonic());
const { height, cases } = JSON.parse(
  execFileSync(bin, ['--operator', hex.encode(key.publicKey)], { encoding: 'utf8', maxBuffer: 1 << 28 }),
);
const context = mockBlockchainStateContext({ headers: { quantity: 10, fromHeight: height - 9 } });

test('the generator covers both contracts, honest payouts and every tampering', () => {
  assert.equal(cases.length, 18);
  for (const contract of ['draft', 'hardened']) {
    assert.equal(cases.filter((c) => c.contract === contract && c.expect === 'accept').length, contract === 'draft' ? 3 : 2);
  }
});

for (const c of cases) {
  test(`sigmastate-js: ${c.name} → ${c.expect}${c.clauses.length ? ` (our check: ${c.clauses.join(', ')})` : ''}`, () => {
    const result = execute(c.tx, [key], { context });
    if (c.expect === 'accept') {
      assert.equal(result.success, true, result.reason?.message);
    } else {
      assert.equal(result.success, false, 'accepted a tampered payout');
      // rejected by the contract, not by anything else about the transaction
      assert.match(result.reason.message, /Script reduced to false|None\.get|Tree proof is incorrect/);
    }
  });
}
