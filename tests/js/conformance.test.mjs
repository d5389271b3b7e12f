// Payout conformance in sigmastate-js, the reference interpreter (through Fleet's mock chain):
// every case of devnet/examples/conformance.rs — every payout of the devnet's demo pool, its next
// pending payout, and the tamperings on an epoch of each contract (the seed's draft, the
// hardened pair) — must be accepted or rejected as the Rust side (sigma-rust and our clause
// check) already asserted. The fee inputs are signed with the devnet's operator key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ErgoHDKey } from '@fleet-sdk/wallet';
import { execute, mockBlockchainStateContext } from '@fleet-sdk/mock-chain';
import { hex } from '@fleet-sdk/crypto';

const bin = process.env.CONFORMANCE_BIN ?? 'target/debug/examples/conformance';
const { height, operatorSecret, cases } = JSON.parse(execFileSync(bin, [], { encoding: 'utf8', maxBuffer: 1 << 28 }));
const key = new ErgoHDKey({ privateKey: hex.decode(operatorSecret), chainCode: new Uint8Array(32) });
const context = mockBlockchainStateContext({ headers: { quantity: 10, fromHeight: height - 9 } });

test('the cases cover every demo payout, both contracts and every tampering', () => {
  const payouts = cases.filter((c) => / payout \d+$/.test(c.name));
  assert.ok(payouts.length >= 40, `${payouts.length} demo payouts`);
  for (const contract of ['draft', 'hardened']) {
    const tampered = cases.filter((c) => c.contract === contract && c.expect === 'reject');
    assert.equal(tampered.length, contract === 'draft' ? 6 : 7);
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
