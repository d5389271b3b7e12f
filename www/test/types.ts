// Type-checked against index.d.ts (tsc --strict --noEmit): the public surface as a pool website
// uses it, with no `any` anywhere.
import {
  minerKey, decodeRegister, verifyLookups, replayPayout, checkPayout, payoutAmount, verifyProofAnswer,
  transactionId, ShareState, Walker, ProofService, handleProofRequest, anchorTransaction, anchorVia,
  checkCommand, BalanceState, type BalanceHistory, type CommandReport, type CommandBatch,
  type Anchored, type BlockRequest, type Register, type PayoutReport, type WalkResult, type Eip12UnsignedTransaction, type ErrorName,
} from 'sharestate';

const info = minerKey('9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA');
const key: string = info.key;
const r: Register = decodeRegister('0402');
if (r.type === 'AvlTree') {
  const d: string = r.value.digest;
  void d;
}
const state = ShareState.fromScores([{ address: info.address, score: 10n }]);
const lookups = verifyLookups(state.digest(), state.proveLookups([key]).proof, [key]);
const v: string | null = lookups[0].value;
const p = state.provePayout([key], 67_500_000_000n, 10);
const replayed = replayPayout(p.digest, 10, '67500000000', p.contextVars['0'], p.contextVars['1']);
const amount: string = replayed.payments[0].amount;
const same: boolean = payoutAmount(10n, '67500000000', 10) === amount;
const walker = new Walker('00'.repeat(32));
const need = walker.next();
if (need && 'box' in need) {
  const id: string = need.box;
  void id;
}
async function walk(): Promise<WalkResult | null> {
  const w = await new Walker('00'.repeat(32)).walk(async (path: string) => path);
  // a Design 2 pool's walk: each miner's history
  if (w.design === 'persistent') {
    const h: BalanceHistory = new Walker(w.start).history(key);
    const owed: string | null = h.owed;
    void owed;
    return null;
  }
  return w;
}
function command(tx: Eip12UnsignedTransaction): CommandReport {
  const report = checkCommand(tx);
  const set: 'deployed' | 'hardened' = report.contract.set;
  void set;
  const balances = BalanceState.fromBalances([{ key, balance: 10n }]);
  const batches: CommandBatch[] = balances.planRound({ credits: [{ key, amount: '5' }], minimum: 1n });
  void balances.apply(batches[0]);
  return report;
}
function check(tx: Eip12UnsignedTransaction): PayoutReport {
  const report = checkPayout(tx);
  const failing: string[] = report.failing;
  void failing;
  void transactionId(tx);
  return report;
}
const service = new ProofService();
service.insert('00'.repeat(32), state);
const handler = handleProofRequest(service, '/pool');
const value: string | null = verifyProofAnswer({ boxId: '', digest: '', key, value: null, proof: '' }, state.digest(), key);
try {
  minerKey('nope');
} catch (e) {
  const name = (e as Error).name as ErrorName;
  void name;
}
// a transaction in a mined block, as a pool website shows it
const anchoredVia: Promise<Anchored> = anchorVia(async (r: BlockRequest) => (await fetch(r.path)).text(), {
  network: 'mainnet',
  source: 'graphql',
  txId: key,
  height: 1,
});
const anchored: Anchored = anchorTransaction({ txId: key, height: 1, headers: [''], inclusion: '' });
const confirmations: number = anchored.confirmations;
void [v, same, walk, check, command, handler, value, anchoredVia, confirmations];

// the verify-and-prove subset: the same functions, a ShareState without chain/transaction parts
import * as lite from 'sharestate/lite';
const small = lite.ShareState.fromScores([{ address: info.address, score: '10' }]);
const proof: lite.LookupProof = small.proveLookups([key]);
const again: lite.LookupResult[] = lite.verifyLookups(proof.digest, proof.proof, [key]);
const next: string = small.provePayout([key], 67_500_000_000n, 10, true).nextDigest;
void [again, next];
// @ts-expect-error: the lite state builds no transactions
void small.buildPayout;
