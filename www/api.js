// The typed face of the wasm bindings: JS values in and out (chain JSON as text, parsed in
// Rust), amounts as decimal strings (bigint accepted), errors thrown as Error objects whose
// `name` is the kind. `makeLiteApi` is the verify-and-prove subset (`sharestate/lite`);
// `makeApi` adds chain data, transactions, the walker and the proof service.

const dec = (x) => (typeof x === 'bigint' ? x.toString() : String(x));
const text = (x) => (typeof x === 'string' ? x : JSON.stringify(x));
/** A block height, checked: a whole number the chain can reach (with room for two after it). */
function blockHeight(h, what) {
  if (!Number.isInteger(h) || h < 0 || h > 2 ** 32 - 3) throw new TypeError(`${what}: a block height`);
  return h;
}

/** Binds a class's factories to it, so that they work detached (`states.map(ShareState.fromSnapshot)`);
 *  a subclass binds the same factories to itself. */
function bindFactories(cls) {
  for (const f of ['fromEntries', 'fromScores', 'fromBalances', 'fromSnapshot', 'fromSnapshotBytes']) {
    const fn = cls[f]?.unbound ?? cls[f];
    if (typeof fn !== 'function') continue;
    const bound = fn.bind(cls);
    bound.unbound = fn;
    cls[f] = bound;
  }
  return cls;
}

export function makeLiteApi(raw) {
  class ShareState {
    #raw;
    constructor(inner) {
      if (!inner) throw new TypeError('use ShareState.fromEntries or fromScores (or, in the full package, fromSnapshot)');
      this.#raw = inner;
    }
    /** @internal */
    get raw() { return this.#raw; }
    static fromEntries(entries) { return new this(raw.ShareState.fromEntries(entries)); }
    static fromScores(scores) {
      return new this(raw.ShareState.fromScores(scores.map((s) => ({ address: s.address, score: dec(s.score) }))));
    }
    get size() { return this.#raw.size; }
    digest() { return this.#raw.digest(); }
    register() { return this.#raw.register(); }
    get(key) { return this.#raw.get(key) ?? null; }
    proveLookups(keys) { return this.#raw.proveLookups(keys); }
    plan(initialValue, maxScore, batchSize, height) { return this.#raw.plan(dec(initialValue), maxScore, batchSize, height); }
    provePayout(keys, initialValue, maxScore, apply = false) { return this.#raw.provePayout(keys, dec(initialValue), maxScore, apply); }
    free() { this.#raw.free(); }
  }
  bindFactories(ShareState);

  return {
    minerKey: (addressOrTree, network = 'mainnet') => raw.minerKey(addressOrTree, network),
    decodeRegister: (hex) => raw.decodeRegister(hex),
    verifyLookups: (digest, proof, keys) => raw.verifyLookups(digest, proof, keys),
    replayPayout: (digest, maxScore, initialValue, context0, context1) =>
      JSON.parse(raw.replayPayout(digest, maxScore, dec(initialValue), context0, context1)),
    payoutAmount: (score, initialValue, maxScore) => raw.payoutAmount(dec(score), dec(initialValue), maxScore),
    ShareState,
  };
}

export function makeApi(raw) {
  const lite = makeLiteApi(raw);

  class ShareState extends lite.ShareState {
    static fromSnapshot(json) { return new this(raw.ShareState.fromSnapshot(text(json))); }
    static fromSnapshotBytes(bytes) { return new this(raw.ShareState.fromSnapshotBytes(bytes)); }
    buildPayout({ stateBox, rewardBox, keys, fundingBoxes, changeAddress, fee, height }) {
      return JSON.parse(this.raw.buildPayout(text(stateBox), text(rewardBox), keys, text(fundingBoxes), changeAddress, dec(fee), height));
    }
    toSnapshot() { return JSON.parse(this.raw.toSnapshot()); }
    toSnapshotBytes() { return this.raw.toSnapshotBytes(); }
  }
  bindFactories(ShareState);

  class Walker {
    #raw;
    constructor(startBoxId, budget, source, transactionsSource) { this.#raw = new raw.Walker(startBoxId, budget, source, transactionsSource); }
    next() { return this.#raw.next(); }
    request() { return this.#raw.request(); }
    feed(answer) { this.#raw.feed(answer); }
    feedBox(json) { this.#raw.feedBox(json); }
    feedTransaction(json) { this.#raw.feedTransaction(json); }
    result() { return JSON.parse(this.#raw.result()); }
    audit(state) { return JSON.parse(this.#raw.audit(state.raw)); }
    /** A Design 2 pool's walk: every command that touched `key`, and what it is owed now. */
    history(key) { return JSON.parse(this.#raw.history(key)); }
    free() { this.#raw.free(); }
    /** Walks to the tip, fetching with `get(path)` (a function returning the response text). */
    async walk(get) {
      for (let need = this.next(); need; need = this.next()) {
        if (need.box) this.feedBox(await get(`/blockchain/box/byId/${need.box}`));
        else this.feedTransaction(await get(`/blockchain/transaction/byId/${need.transaction}`));
      }
      return this.result();
    }
    /** Walks to the tip from any source: `send(request)` sends what `request()` gives (see
     * `SourceRequest`) to the source and returns the answer's text; `sendTransactions`, if
     * given, sends the requests for the transactions' source (`request.to === 'transactions'`). */
    async walkVia(send, sendTransactions = send) {
      for (let r = this.request(); r; r = this.request()) {
        this.feed(await (r.to === 'transactions' ? sendTransactions : send)(r));
      }
      return this.result();
    }
  }

  /** A Design 2 pool's balance state (the operator's side). */
  class BalanceState {
    constructor(r) { this.raw = r; }
    static fromBalances(entries) {
      return new this(raw.BalanceState.fromBalances(entries.map((e) => ({ ...e, balance: dec(e.balance) }))));
    }
    static fromSnapshot(json) { return new this(raw.BalanceState.fromSnapshot(text(json))); }
    toSnapshot() { return JSON.parse(this.raw.toSnapshot()); }
    digest() { return this.raw.digest(); }
    register() { return this.raw.register(); }
    get size() { return this.raw.size; }
    get(key) { return this.raw.get(key); }
    proveLookups(keys) { return this.raw.proveLookups(keys); }
    planRound({ credits, minimum, batchSize }) {
      return JSON.parse(this.raw.planRound(credits.map((c) => ({ key: c.key, amount: dec(c.amount) })), dec(minimum), batchSize));
    }
    buildCommand({ batch, stateBox, commandBox, fundingBoxes = [], changeAddress, fee, height }) {
      return JSON.parse(this.raw.buildCommand(JSON.stringify(batch), text(stateBox), text(commandBox), text(fundingBoxes), changeAddress, dec(fee), height));
    }
    apply(batch) { return this.raw.apply(JSON.stringify(batch)); }
    free() { this.raw.free(); }
  }
  bindFactories(BalanceState);

  class ProofService {
    #raw = new raw.ProofService();
    insert(boxId, state) { this.#raw.insert(boxId, state.raw); }
    handle(path) { return this.#raw.handle(path); }
    free() { this.#raw.free(); }
  }

  /** A request handler for Node's http server: serves `service` under `base` (e.g. "/pool"). */
  function handleProofRequest(service, base = '') {
    return (req, res) => {
      const url = new URL(req.url, 'http://localhost');
      if (req.method !== 'GET' || !url.pathname.startsWith(base)) return false;
      const { status, body } = service.handle(url.pathname.slice(base.length) || '/');
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(body);
      return true;
    };
  }

  return {
    ...lite,
    checkPayout: (unsignedTx) => JSON.parse(raw.checkPayout(text(unsignedTx))),
    checkCommand: (unsignedTx) => JSON.parse(raw.checkCommand(text(unsignedTx))),
    verifyProofAnswer: (answer, digest, key) => raw.verifyProofAnswer(text(answer), digest, key),
    transactionId: (unsignedTx) => raw.transactionId(text(unsignedTx)),
    headersRequest: (source, from, to) => raw.headersRequest(source, from, to),
    inclusionRequest: (source, blockId, txId) => raw.inclusionRequest(source, blockId, txId),
    headerIdAt: (source, headersAnswer, height) => raw.headerIdAt(source, headersAnswer, height),
    anchorTransaction: ({ network = 'mainnet', source = 'node', txId, height, headers, inclusion }) =>
      JSON.parse(raw.anchorTransaction(network, source, txId, height, headers.map(text), text(inclusion))),
    unspentRequest: (source, boxIds) => raw.unspentRequest(source, boxIds),
    unspentBoxes: ({ network = 'mainnet', source = 'node', boxIds, headers, proof, tip, now = Date.now() }) =>
      JSON.parse(raw.unspentBoxes(network, source, boxIds, headers.map(text), text(proof), blockHeight(tip, 'tip'), now)),
    /** Which of `boxIds` are unspent as of the source's newest block (proven against its state
     *  root), asking `send(request)`; null from a source that proves no state. */
    async unspentVia(send, { network = 'mainnet', source = 'node', boxIds, tip, now = Date.now() }) {
      blockHeight(tip, 'tip');
      const request = raw.unspentRequest(source, boxIds);
      if (request === null) return null;
      // the proof first: the state it is against is at the tip or after it
      const proof = await send(request);
      const headers = [await send(raw.headersRequest(source, tip, tip + 2))];
      return JSON.parse(raw.unspentBoxes(network, source, boxIds, headers, proof, tip, now));
    },
    /** Shows `txId` (in the block at `height`, as the source says) in a mined block, asking
     *  `send(request)` (see `SourceRequest`) for the headers and the inclusion proof. */
    async anchorVia(send, { network = 'mainnet', source = 'node', txId, height, tip }) {
      const blocksAfter = 10;
      if (!Number.isInteger(height) || height < 0 || height >= 2 ** 32) throw new TypeError('height: a block height');
      if (tip !== undefined && tip < height) throw new RangeError(`the tip (${tip}) is below the transaction's height (${height})`);
      const last = Math.min(height + blocksAfter, tip ?? height + blocksAfter);
      const headers = [];
      for (let from = height; from <= last; from += 32) {
        headers.push(await send(raw.headersRequest(source, from, Math.min(from + 31, last))));
      }
      // the block's id is the first header's, recomputed by the check: ask for the inclusion
      // proof by the id the source gives for that height, and let the check hold it to the root
      const first = raw.headerIdAt(source, headers[0], height);
      const inclusion = await send(raw.inclusionRequest(source, first, txId));
      return JSON.parse(raw.anchorTransaction(network, source, txId, height, headers, inclusion));
    },
    ShareState,
    BalanceState,
    Walker,
    ProofService,
    handleProofRequest,
  };
}
