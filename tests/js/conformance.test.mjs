// Payout and command conformance in sigmastate-js, the reference interpreter (through Fleet's
// mock chain), for both designs:
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
const { operatorSecret, balanceOperatorSecret, cases } = JSON.parse(execFileSync(bin, [], { encoding: 'utf8', maxBuffer: 1 << 28 }));
const hdKey = (secret) => new ErgoHDKey({ privateKey: hex.decode(secret), chainCode: new Uint8Array(32) });
// the demo pool's operator signs its fee inputs; the balance pool's signs its state boxes
const keys = [hdKey(operatorSecret), hdKey(balanceOperatorSecret)];
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
  // Design 2: every command of the balance pool, on both sets; four tamperings refused by both,
  // five weaknesses the deployed set accepts (our check naming each) and the hardened refuses
  const commands = cases.filter((c) => / command \d+ \(/.test(c.name));
  assert.ok(commands.length >= 100, `${commands.length} balance commands`);
  for (const set of ['deployed', 'hardened']) {
    assert.ok(commands.some((c) => c.contract === `balance ${set}`));
    const tampered = cases.filter((c) => c.contract === `balance ${set}` && !/ command \d+ /.test(c.name));
    assert.equal(tampered.length, 9);
    assert.equal(tampered.filter((c) => c.expect === 'reject').length, set === 'deployed' ? 4 : 9);
    if (set === 'deployed') {
      assert.ok(tampered.filter((c) => c.expect === 'accept').every((c) => c.weaknesses.length > 0));
    }
  }
  // the draft accepts a payout that pays no one; the hardened pair's deadline is honoured
  assert.ok(cases.some((c) => c.contract === 'draft' && /pays no one/.test(c.name) && c.expect === 'accept'));
  assert.equal(cases.filter((c) => c.expect === 'operator').length, 2);
});

for (const c of cases) {
  const ours = [...c.clauses, ...(c.weaknesses ?? []).map((w) => `weakness ${w}`)];
  test(`sigmastate-js: ${c.name} → ${c.expect}${ours.length ? ` (our check: ${ours.join(', ')})` : ''}`, () => {
    const context = contextAt(c.height);
    const result = execute(c.tx, keys, { context });
    if (c.expect === 'accept' || c.expect === 'operator') {
      assert.equal(result.success, true, result.reason?.message);
    } else {
      assert.equal(result.success, false, 'accepted a tampered payout');
      // rejected by the contract, not by anything else about the transaction
      assert.match(result.reason.message, /Script reduced to false|None\.get|Tree proof is incorrect/);
    }
  });
}
