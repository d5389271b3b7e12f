// Payout conformance in sigmastate-js, the reference interpreter (through Fleet's mock chain):
// every case of devnet/examples/conformance.rs — every payout of the devnet's demo pool, its next
// pending payout, and the tamperings on an epoch of each contract (the seed's draft, the
// hardened pair), and the hardened deadline's cases — must be accepted or rejected as the Rust
// side (sigma-rust and our clause check) already asserted, each in the context of its own
// block; and a box of the hardened script that tries to take an epoch's reward without its
// epoch's token. The fee inputs are signed with the devnet's operator key; an "operator" case (the
// hardened contract's close branch, from the deadline on) is accepted with that signature (the
// Rust side asserted that it reduces to the operator's key, not to true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ErgoHDKey } from '@fleet-sdk/wallet';
import { execute, mockBlockchainStateContext } from '@fleet-sdk/mock-chain';
import { hex } from '@fleet-sdk/crypto';

const bin = process.env.CONFORMANCE_BIN ?? 'target/debug/examples/conformance';
const { operatorSecret, cases } = JSON.parse(execFileSync(bin, [], { encoding: 'utf8', maxBuffer: 1 << 28 }));
const key = new ErgoHDKey({ privateKey: hex.decode(operatorSecret), chainCode: new Uint8Array(32) });
// the context of block `height + 1`, the contract's HEIGHT: Fleet's mock headers come oldest
// first, and its pre-header is the first of them, at fromHeight + 1 (only HEIGHT matters here)
const contextAt = (height) => {
  const context = mockBlockchainStateContext({ headers: { quantity: 10, fromHeight: height } });
  assert.equal(context.sigmaPreHeader.height, height + 1);
  return context;
};

test('the cases cover every demo payout, both contracts and every tampering', () => {
  const payouts = cases.filter((c) => / payout \d+$/.test(c.name));
  assert.ok(payouts.length >= 40, `${payouts.length} demo payouts`);
  for (const contract of ['draft', 'hardened']) {
    const tampered = cases.filter((c) => c.contract === contract && c.expect === 'reject');
    assert.equal(tampered.length, contract === 'draft' ? 6 : 11);
  }
  // the draft accepts a payout that pays no one; the hardened pair's deadline is honoured
  assert.ok(cases.some((c) => c.contract === 'draft' && /pays no one/.test(c.name) && c.expect === 'accept'));
  assert.equal(cases.filter((c) => c.expect === 'operator').length, 2);
});

for (const c of cases) {
  test(`sigmastate-js: ${c.name} → ${c.expect}${c.clauses.length ? ` (our check: ${c.clauses.join(', ')})` : ''}`, () => {
    const context = contextAt(c.height);
    const result = execute(c.tx, [key], { context });
    if (c.expect === 'accept' || c.expect === 'operator') {
      assert.equal(result.success, true, result.reason?.message);
    } else {
      assert.equal(result.success, false, 'accepted a tampered payout');
      // rejected by the contract, not by anything else about the transaction
      assert.match(result.reason.message, /Script reduced to false|None\.get|Tree proof is incorrect/);
    }
  });
}
