// Types of the sharestate npm package. Byte strings are lower-case hex; amounts (nanoErg) and
// scores are decimal strings (bigint accepted as input): never lossy JS numbers. Every function
// throws an Error whose `name` is its kind (see ErrorName).

/** The kinds of errors thrown, as `error.name`. */
export type ErrorName =
  | 'AddressError' | 'KeyError' | 'RegisterError' | 'ProofError' | 'ProverError' | 'PayoutError'
  | 'ArithmeticError' | 'AmountError' | 'ScoreError' | 'ValueError' | 'SnapshotError' | 'ChainError'
  | 'TransactionError' | 'ServiceError'
  /** An argument of the wrong JS type (thrown as a `TypeError`). */
  | 'TypeError';

export type Hex = string;
/** A whole number as a decimal string, e.g. nanoErg. */
export type Decimal = string;
export type Amount = Decimal | bigint;

export interface MinerKeyInfo {
  /** The base58 address (for an ErgoTree: the address paying to it). */
  address: string;
  network: 'mainnet' | 'testnet';
  kind: 'P2PK' | 'P2SH' | 'P2S';
  /** The serialized ErgoTree a payment to the miner carries. */
  propositionBytes: Hex;
  /** blake2b256(propositionBytes): the miner's key in a share state. */
  key: Hex;
}

/** The key of an address (or of an ErgoTree given as hex; `network` names its address). */
export function minerKey(addressOrErgoTree: string, network?: 'mainnet' | 'testnet'): MinerKeyInfo;

export interface AvlTreeValue {
  digest: Hex;
  insertAllowed: boolean;
  updateAllowed: boolean;
  removeAllowed: boolean;
  keyLength: number;
  valueLength: number | null;
}

/** A register or context variable, decoded. */
export type Register =
  | { type: 'Int'; value: number }
  | { type: 'Long'; value: Decimal }
  | { type: 'Coll[Byte]'; value: Hex }
  | { type: 'Coll[Coll[Byte]]'; value: Hex[] }
  | { type: 'Coll[(Coll[Byte], Coll[Byte])]'; value: [Hex, Hex][] }
  | { type: 'AvlTree'; value: AvlTreeValue };

export function decodeRegister(serialized: Hex): Register;

export interface LookupResult {
  key: Hex;
  /** The stored value, or null if the proof shows the key absent. */
  value: Hex | null;
}

/** Lookups of `keys` proven by `proof` against `digest` (33 bytes): the contract's getMany. */
export function verifyLookups(digest: Hex, proof: Hex, keys: Hex[]): LookupResult[];

export interface Payment {
  key: Hex;
  score: Decimal;
  amount: Decimal;
}

export interface ReplayedPayout {
  nextDigest: Hex;
  payments: Payment[];
}

/** A Design 1 payout's context variables replayed against the digest of the state it spends. */
export function replayPayout(digest: Hex, maxScore: number, initialValue: Amount, context0: Hex, context1: Hex): ReplayedPayout;

/** How one clause evaluates: true, false (why), or an error the contract would throw (why). */
export type Clause = { status: 'holds' } | { status: 'fails'; detail: string } | { status: 'error'; detail: string };

export interface MinerCheck {
  index: number;
  key: Hex;
  oldValue: Hex | null;
  newValue: Hex;
  treeScore: Decimal | null;
  claimedScore: Decimal | null;
  outputIndex: number;
  paid: Decimal | null;
  expected: Decimal | null;
  paymentIsValid: Clause;
  wasNotPaid: Clause;
  isNowPaid: Clause;
  scoresAreEqual: Clause;
  boxIsCorrect: Clause;
}

export type Weakness =
  | { kind: 'nextStateScriptChanged'; script: Hex }
  | { kind: 'nextRewardScriptChanged'; script: Hex }
  | { kind: 'rewardInitialValueNotKept'; found: Hex | null }
  | { kind: 'maxScoreNotKept'; found: Hex | null }
  | { kind: 'treeParametersChanged'; found: Hex }
  | { kind: 'poolTokenNotCarried'; token: Hex }
  | { kind: 'scoreNotFromTree'; key: Hex; treeScore: Decimal; claimedScore: Decimal }
  | { kind: 'repeatedKeyUnchecked'; key: Hex; first: number; again: number; uncheckedOutput: number };

export interface PayoutReport {
  accepted: boolean;
  contract: 'draft' | 'hardened' | 'unknown';
  hardened: { name: string; clause: Clause }[];
  getMany: Clause;
  nextDigest: Hex | null;
  update: Clause;
  miners: MinerCheck[];
  validStateTransition: boolean;
  nextRewardValid: Clause;
  nextShareStateValid: Clause;
  totalPaid: Decimal | null;
  weaknesses: Weakness[];
  /** Names of the failing clauses, e.g. "miner 3: paymentIsValid". */
  failing: string[];
}

export interface Eip12Asset { tokenId: Hex; amount: Decimal }
export interface Eip12Box {
  boxId: Hex;
  value: Decimal;
  ergoTree: Hex;
  creationHeight: number;
  assets: Eip12Asset[];
  additionalRegisters: Partial<Record<'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9', Hex>>;
  transactionId: Hex;
  index: number;
}
export interface Eip12Input extends Eip12Box { extension: Record<string, Hex> }
export interface Eip12Output {
  value: Decimal;
  ergoTree: Hex;
  creationHeight: number;
  assets: Eip12Asset[];
  additionalRegisters: Partial<Record<'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9', Hex>>;
}
export interface Eip12UnsignedTransaction {
  inputs: Eip12Input[];
  dataInputs: Eip12Box[];
  outputs: Eip12Output[];
}

/** Every clause of the share-state contract evaluated on an unsigned payout transaction. */
export function checkPayout(unsignedTx: Eip12UnsignedTransaction | string): PayoutReport;

/** Design 2: one of the four commands, and the contract set a box runs. */
export type Command = 'insert' | 'update' | 'payout' | 'delete';
export type ContractSet = 'deployed' | 'hardened';
export interface NamedClause { name: string; clause: Clause }
/** A weakness of the deployed Design 2 contracts a command transaction uses (each closed by the hardened set). */
export type CommandWeakness =
  | { kind: 'negativeDelta'; key: Hex; delta: Decimal }
  | { kind: 'nextStateScriptChanged'; script: Hex; toHardened: boolean }
  | { kind: 'poolTokenNotCarried'; token: Hex }
  | { kind: 'treeParametersChanged'; flags: number; keyLength: number; valueLength: number | null }
  | { kind: 'extraOutputs'; payments: number; outputs: number }
  | { kind: 'repeatedKey'; key: Hex; first: number; again: number }
  | { kind: 'valueNotEightBytes'; key: Hex; length: number };
/** One entry of a command's context variable 0. */
export interface CommandMiner {
  index: number;
  key: Hex;
  /** What getMany returned (null for Insert). */
  old: Hex | null;
  /** What is written (null for Delete). */
  written: Hex | null;
  delta: Decimal | null;
  outputIndex: number | null;
  paid: Decimal | null;
  clauses: NamedClause[];
}
export interface CommandReport {
  contract: { set: ContractSet; command: Command; poolNft: Hex };
  /** The state box's set (null: not a known state box). */
  stateSet: ContractSet | null;
  accepted: boolean;
  /** The state box's clauses. */
  state: NamedClause[];
  /** The command's clauses on the whole transaction. */
  clauses: NamedClause[];
  miners: CommandMiner[];
  nextDigest: Hex | null;
  weaknesses: CommandWeakness[];
  /** Names of the failing clauses, e.g. "miner 3: paymentIsValid", "nextValue". */
  failing: string[];
}
/** Every clause of a Design 2 command (Insert, Update, Payout, Delete) and of the state box,
 * as the deployed or the hardened contracts evaluate it, on an unsigned transaction. */
export function checkCommand(unsignedTx: Eip12UnsignedTransaction | string): CommandReport;

/** The id an unsigned transaction will have once signed (signatures are not part of it). */
export function transactionId(unsignedTx: Eip12UnsignedTransaction | string): Hex;

/** score × initialValue / maxScore, with the chain's arithmetic (overflow is an error). */
export function payoutAmount(score: Amount, initialValue: Amount, maxScore: number): Decimal;

export interface ProofAnswer { boxId: Hex; digest: Hex; key: Hex; value: Hex | null; proof: Hex }

/** Checks a proof service answer against the on-chain digest: the proven value, or null if absent. */
export function verifyProofAnswer(answer: ProofAnswer | string, digest: Hex, key: Hex): Hex | null;

export interface Entry { key: Hex; value: Hex }
export interface Score { address: string; score: Amount }
export interface LookupProof { digest: Hex; proof: Hex; results: LookupResult[] }
export interface PayoutPlan { batches: Hex[][]; unpayable: Hex[] }
export interface PayoutProof { digest: Hex; nextDigest: Hex; contextVars: { '0': Hex; '1': Hex }; payments: Payment[] }
/** A node's or explorer's box JSON (value and amounts as numbers or strings), or EIP-12. */
export type BoxJson = Record<string, unknown> | string;

export interface BuildPayoutArgs {
  stateBox: BoxJson;
  rewardBox: BoxJson;
  keys: Hex[];
  fundingBoxes: BoxJson[] | string;
  changeAddress: string;
  fee: Amount;
  height: number;
}

export interface Snapshot {
  format: 'sharestate-snapshot';
  version: 1;
  digest: Hex;
  keyLength: 32;
  valueLength: number | null;
  entries: { key: Hex; value: Hex; script?: Hex }[];
  shape: string;
}

/** What a share state does in both entries (`sharestate` and `sharestate/lite`). */
export interface ShareStateMethods {
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

/** A share state held whole: what a pool builds, proves and publishes. */
export interface ShareState extends ShareStateMethods {}
export class ShareState {
  private constructor();
  static fromEntries(entries: Entry[]): ShareState;
  /** Design 1 values (unpaid), inserted in ascending key order; each address's script is kept. */
  static fromScores(scores: Score[]): ShareState;
  /** Imports a snapshot; its digest is recomputed and must match. */
  static fromSnapshot(snapshot: Snapshot | string): ShareState;
  static fromSnapshotBytes(bytes: Uint8Array): ShareState;
  /** The payout transaction of `keys`, checked against every clause before it is returned. */
  buildPayout(args: BuildPayoutArgs): Eip12UnsignedTransaction;
  toSnapshot(): Snapshot;
  toSnapshotBytes(): Uint8Array;
}

/** A round's command batch, as `planRound` gives it and `buildCommand` and `apply` take it. */
export type CommandBatch =
  | { command: 'insert' | 'payout' | 'delete'; keys: Hex[] }
  | { command: 'update'; credits: { key: Hex; amount: Decimal }[] };

/** A Design 2 pool's tree of balances owed (nanoErg, 8 bytes each): what its operator builds,
 * proves and plans command batches with. */
export class BalanceState {
  private constructor();
  /** From balances; an entry with an `address` keeps its script (a payout must pay it). */
  static fromBalances(entries: ({ key: Hex; balance: Amount } | { address: string; balance: Amount })[]): BalanceState;
  /** Imports a snapshot (the same format as a ShareState's); its digest is recomputed and must match. */
  static fromSnapshot(snapshot: Snapshot | string): BalanceState;
  toSnapshot(): Snapshot;
  digest(): Hex;
  /** The state box's R4 (AvlTree constant), hex. */
  register(): Hex;
  readonly size: number;
  /** A key's balance, or undefined. */
  get(key: Hex): Decimal | undefined;
  proveLookups(keys: Hex[]): { digest: Hex; proof: Hex; results: { key: Hex; value: Hex | null }[] };
  /** A round's batches as the deployed off-chain code makes them: miners in Scala's signed
   * key order, batches of `batchSize` (150): Inserts for new miners, Updates for every credit,
   * Payouts for balances reaching `minimum`, Deletes for miners at zero with no credit. */
  planRound(args: { credits: { key: Hex; amount: Amount }[]; minimum: Amount; batchSize?: number }): CommandBatch[];
  /** The command transaction of `batch` from the state box and a command box of the pool, checked clause by clause before it is returned. The state is not changed. */
  buildCommand(args: {
    batch: CommandBatch;
    stateBox: BoxJson;
    commandBox: BoxJson;
    fundingBoxes?: BoxJson[] | string;
    changeAddress: string;
    fee: Amount;
    height: number;
  }): Eip12UnsignedTransaction;
  /** Moves the state on by `batch` (once its transaction is accepted); returns the new digest. */
  apply(batch: CommandBatch): Hex;
  free(): void;
}

/** One command of a Design 2 walk. */
export interface BalanceStep {
  txId: Hex;
  txIdVerified: boolean;
  /** The pool's round, counted from the walk's start as the chain shows rounds (a round's
   * commands come in the order insert, update, payout, delete; its updates funded by one
   * transaction): a label, not a verified figure. */
  round: number;
  height: number | null;
  timestamp: number | null;
  from: Hex;
  command: Command;
  /** The command box's set; `stateContract` the state box's (null: not a known state box). The
   * pool runs the hardened set only when both are 'hardened'. */
  contract: ContractSet;
  stateContract: ContractSet | null;
  poolNft: Hex;
  accepted: boolean;
  failing: string[];
  weaknesses: CommandWeakness[];
  /** How many keys it touched. */
  keys: number;
  commandBox: Hex;
  /** An Update's credits: the transaction that made its command box and the pool's holding boxes
   * (block rewards) it spent; `{error}` when the source does not show them; null for other commands. */
  creditSource: { txId: Hex; txIdVerified: boolean; holding: { boxId: Hex; value: Decimal }[] } | { error: string } | null;
}
/** A Design 2 pool's walk (`Walker.result()` when the start box is a Design 2 state box). */
export interface BalanceWalkResult {
  design: 'persistent';
  start: Hex;
  tip: Hex;
  tipDigest: Hex | null;
  /** What the tip holds: every balance owed, and the pool's reserve (nanoErg). */
  tipValue: Decimal;
  /** A spend of the tip that is not a Design 2 command, or a next box that is no state box. */
  end: { txId: Hex; why: string } | null;
  done: boolean;
  steps: BalanceStep[];
}
/** A miner's history in a Design 2 pool, as the replayed proofs show it. */
export interface BalanceHistory {
  key: Hex;
  events: {
    txId: Hex;
    txIdVerified: boolean;
    /** The pool's round (see `BalanceStep.round`). */
    round: number;
    height: number | null;
    timestamp: number | null;
    command: Command;
    before: Decimal | null;
    after: Decimal | null;
    /** Credited (update) or paid (payout). */
    amount: Decimal;
    accepted: boolean;
  }[];
  /** Owed at the tip, from the last command that touched the key — when it and every command since
   * were accepted and used no weakness of the deployed contracts, and the tip is a known state box;
   * null otherwise (never touched, deleted, or not known). It rests on the replayed proofs: that
   * each step is in a mined block (`anchorVia`) and the tip unspent (`unspentVia`) is the
   * caller's to show before marking it verified. */
  owed: Decimal | null;
  deleted: boolean;
}

export type Need = { box: Hex } | { transaction: Hex } | null;
export interface ShareValueJson { score: Decimal; paid: boolean }
export interface WalkStep {
  txId: Hex;
  txIdVerified: boolean;
  height: number | null;
  from: Hex;
  digestBefore: Hex;
  accepted: boolean;
  failing: string[];
  weaknesses: Weakness[];
  /** INPUTS(1), and whether it is the epoch's own reward box (null: that box is not known). */
  rewardInput: Hex;
  rewardFollowed: boolean | null;
  /** `before`: null when the proof gives no value; `{error}` when the tree's value is not a share value. */
  touched: { key: Hex; before: ShareValueJson | { error: string } | null; after: ShareValueJson | { error: string }; paid: Decimal | null }[];
}
/** The spend that ended an epoch: the hardened contract's close (from its deadline, R6, on), or another final spend. */
export interface WalkEnd {
  txId: Hex;
  txIdVerified: boolean;
  height: number | null;
  closed: boolean;
  /** "closed by the operator at height H; R ERG left in the reward box; …" */
  describe: string;
  rewardLeft: Decimal | null;
}
/** An epoch's audit: maxScore, the deadline (R6), the epoch's token and the reward box checked against the whole tree. */
export interface EpochAudit {
  passed: boolean;
  miners: number;
  unpaid: number;
  scoreSum: Decimal;
  owed: Decimal | null;
  rewardLeft: Decimal | null;
  /** What is wrong, each saying what it lets the operator do ("can close early: …"). */
  findings: string[];
  end: string | null;
}
export interface WalkResult {
  design: 'posted';
  start: Hex;
  contract: 'draft' | 'hardened' | 'unknown';
  maxScore: number;
  /** The epoch's reward (R4 of its reward box): from the first payout's reward input, or, before
   *  any payout, from the transaction that opened the epoch (the walk asks for it). */
  reward: Decimal | null;
  tip: Hex;
  tipDigest: Hex | null;
  /** A hardened epoch's deadline (R6): the height from which its operator may close it. */
  deadline: number | null;
  /** A hardened epoch: whether its own token was minted as the contract assumes (two units, by its opening). */
  epochToken: { ok: true } | { ok: false; why: string } | null;
  /** Set when the epoch ended (the tip is then spent). */
  end: WalkEnd | null;
  /** The epoch's reward box as last seen, and the transaction that spent it, if any. */
  rewardBox: { id: Hex; value: Decimal; spentBy: Hex | null } | null;
  /** Payouts that paid no one. */
  emptyPayouts: number;
  done: boolean;
  steps: WalkStep[];
}

/** A request for a source of chain data, built by the walker for its kind of source. */
export interface SourceRequest {
  method: 'GET' | 'POST';
  /** Relative to the source's URL; empty for GraphQL's one URL. */
  path: string;
  body: string | null;
  contentType: string | null;
  /** Which source to send it to: the walk's, or the one given for transactions. */
  to: 'source' | 'transactions';
}

/** A request to a source (relative `path`; GraphQL's is empty), for `headersRequest` and
 * `inclusionRequest`. */
export interface BlockRequest {
  method: 'GET' | 'POST';
  path: string;
  body: string | null;
  contentType: string | null;
}

/** The proof-of-work rules a transaction is held to: mainnet's (every header at difficulty ≥
 * 2^48), testnet's, or the sharestate devnet's (difficulty 2: anyone can mine it). */
export type Network = 'mainnet' | 'testnet' | 'devnet';

/** A transaction shown in a mined block. */
export interface Anchored {
  height: number;
  blockId: Hex;
  /** Its block and the blocks after it whose headers were checked (1 in the last block). */
  confirmations: number;
  /** The confirmations the network's rules ask before a figure resting on it is final (11 on
   * mainnet): show fewer as pending. */
  required: number;
  network: Network;
}

/** The request for the headers at heights `from..=to` from a node, ergo-graphql or the explorer
 * API: at most 512, 32 or 500 of them (ask again from where an answer ends). */
export function headersRequest(source: SourceKind, from: number, to: number): BlockRequest;
/** The request for the proof that `txId` is in block `blockId` (node: `proofFor`;
 * ergo-graphql and the explorer API: the block's transactions, rebuilt into its tree). */
export function inclusionRequest(source: SourceKind, blockId: Hex, txId: Hex): BlockRequest;
/** The recomputed id of the header at `height` in an answer to `headersRequest`. */
export function headerIdAt(source: SourceKind, headersAnswer: string, height: number): Hex;
/** Shows `txId` in the block at `height`: `headers`, the source's answers to `headersRequest`s
 * from `height` on (ids recomputed, each mined to the network's rules, each the parent of the
 * next); `inclusion`, its answer to `inclusionRequest`. Throws a ProofError naming what failed
 * (a transaction in no block, a header whose work fails or below the network's floor, headers
 * that are not one chain). */
export function anchorTransaction(args: {
  network?: Network;
  source?: SourceKind;
  txId: Hex;
  height: number;
  headers: string[];
  inclusion: string;
}): Anchored;
/** `anchorTransaction`, asking `send(request)` for the headers (the block and up to ten after
 * it, to `tip` if given) and the inclusion proof. */
export function anchorVia(
  send: (request: BlockRequest) => Promise<string>,
  args: { network?: Network; source?: SourceKind; txId: Hex; height: number; tip?: number },
): Promise<Anchored>;

/** Which boxes are unspent as of a block: that header's `height`, id, `timestamp` (ms: that it
 * is the chain's newest rests on the source's word, so show it), and for each box asked, in
 * order, `true` (in the UTXO set its state root commits to) or `false` (proven absent: spent,
 * or never made). */
export interface Unspent {
  height: number;
  blockId: Hex;
  timestamp: number;
  unspent: boolean[];
  network: Network;
}
/** The request for a proof that `boxIds` are unspent: a node's `/utxo/getBoxesBinaryProof`;
 * `null` from ergo-graphql and the explorer API, which prove no state. */
export function unspentRequest(source: SourceKind, boxIds: Hex[]): BlockRequest | null;
/** `proof`, the node's answer to `unspentRequest`, replayed against the state root of the
 * newest header of `headers` (its answers to `headersRequest` from `tip` on) at or above `tip`
 * that it fits, that header mined to the network's rules and, on mainnet and testnet, within
 * 30 minutes of `now` (ms; default `Date.now()`: an older one is a state the chain moved past).
 * Throws a ProofError when none fits. */
export function unspentBoxes(args: {
  network?: Network;
  source?: SourceKind;
  boxIds: Hex[];
  headers: string[];
  proof: string;
  tip: number;
  now?: number;
}): Unspent;
/** `unspentBoxes`, asking `send(request)` for the proof, then the headers from `tip` (the
 * source's height) to two after it; `null` from a source that proves no state. */
export function unspentVia(
  send: (request: BlockRequest) => Promise<string>,
  args: { network?: Network; source?: SourceKind; boxIds: Hex[]; tip: number; now?: number },
): Promise<Unspent | null>;

/** The kinds of source a `Walker` builds requests for: an Ergo node with extraIndex, the
 * explorer's GraphQL service, or the explorer API v1 (whose transactions carry no context
 * extension: payouts then need a node or 'graphql' as the transactions' source). */
export type SourceKind = 'node' | 'graphql' | 'explorer';

/** Walks a pool's chain of state boxes — a Design 1 epoch's share-state boxes, or a Design 2
 * pool's balance state boxes, told apart by the start box; feed it the node's (or explorer's)
 * JSON text, or any source's answers to its `request()`s. */
export class Walker {
  /** `budget`: the most payouts one walk replays (10,000 if not given); beyond it, a ChainError.
   * `source`: the kind of source `request()` is for — 'node' (default), 'graphql' or 'explorer';
   * `transactionsSource`: the kind asked for transactions instead, if given. */
  constructor(startBoxId: Hex, budget?: number, source?: SourceKind, transactionsSource?: SourceKind);
  next(): Need;
  /** What to ask the source next, or null when the walk is done. */
  request(): SourceRequest | null;
  /** The source's answer to the last request; checked as that kind of source's (ids recomputed). */
  feed(answer: string): void;
  /** Walks to the tip from any source: `send` sends a request and returns the answer's text;
   * `sendTransactions` (default `send`) sends those with `to: 'transactions'`. */
  walkVia(
    send: (request: SourceRequest) => Promise<string>,
    sendTransactions?: (request: SourceRequest) => Promise<string>,
  ): Promise<WalkResult | BalanceWalkResult>;
  feedBox(json: string): void;
  feedTransaction(json: string): void;
  result(): WalkResult | BalanceWalkResult;
  /** A Design 1 epoch's audit from `state`, the pool's snapshot of the tip (checked against its digest). */
  audit(state: ShareState): EpochAudit;
  /** A Design 2 pool's record of `key`: every command that touched it, and what it is owed now. */
  history(key: Hex): BalanceHistory;
  /** Walks to the tip; `get(path)` returns the node's answer text for a path like /blockchain/box/byId/…. */
  walk(get: (path: string) => Promise<string>): Promise<WalkResult | BalanceWalkResult>;
  free(): void;
}

export interface ProofResponse { status: number; body: string }

/** The pool proof service: `GET /epochs`, `/proof/{boxId}/{key}`, `/snapshot/{boxId}`. */
export class ProofService {
  insert(boxId: Hex, state: ShareState): void;
  handle(path: string): ProofResponse;
  free(): void;
}

/** A handler for Node's `http.createServer`: answers under `base`; returns false for other requests. */
export function handleProofRequest(
  service: ProofService,
  base?: string,
): (req: { method?: string; url?: string }, res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown }) => boolean;
