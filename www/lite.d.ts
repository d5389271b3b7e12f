// Types of `sharestate/lite`: the verify-and-prove subset of the package in a smaller wasm
// module. Its functions are the full package's own (same names, arguments and results).

export type {
  ErrorName, Hex, Decimal, Amount, MinerKeyInfo, AvlTreeValue, Register, LookupResult, Payment, ReplayedPayout,
  Entry, Score, LookupProof, PayoutPlan, PayoutProof, ShareStateMethods,
} from './index.js';
export { minerKey, decodeRegister, verifyLookups, replayPayout, payoutAmount } from './index.js';
import type { Entry, Score, ShareStateMethods } from './index.js';

/** A share state held whole: build, prove lookups and payouts (snapshots: the full package). */
export interface ShareState extends ShareStateMethods {}
export class ShareState {
  private constructor();
  static fromEntries(entries: Entry[]): ShareState;
  /** Design 1 values (unpaid), inserted in ascending key order; each address's script is kept. */
  static fromScores(scores: Score[]): ShareState;
}
