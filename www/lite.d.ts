// Types of `sharestate/lite`: the verify-and-prove subset of the package in a smaller wasm
// module. Its functions are the full package's own (same names, arguments and results).

export type {
  ErrorName, Hex, Decimal, Amount, MinerKeyInfo, AvlTreeValue, Register, LookupResult, Payment, ReplayedPayout,
  Entry, Score, LookupProof, PayoutPlan, PayoutProof,
} from './index.js';
export { minerKey, decodeRegister, verifyLookups, replayPayout, payoutAmount } from './index.js';
import type { Hex, Amount, Entry, Score, LookupProof, PayoutPlan, PayoutProof } from './index.js';

/** A share state held whole: build, prove lookups and payouts (snapshots: the full package). */
export class ShareState {
  private constructor();
  static fromEntries(entries: Entry[]): ShareState;
  /** Design 1 values (unpaid), inserted in ascending key order; each address's script is kept. */
  static fromScores(scores: Score[]): ShareState;
  readonly size: number;
  digest(): Hex;
  /** R4 of the share-state box (AvlTree constant). */
  register(): Hex;
  get(key: Hex): Hex | null;
  proveLookups(keys: Hex[]): LookupProof;
  plan(initialValue: Amount, maxScore: number, batchSize: number, height: number): PayoutPlan;
  provePayout(keys: Hex[], initialValue: Amount, maxScore: number, apply?: boolean): PayoutProof;
  free(): void;
}
