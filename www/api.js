// The typed face of the wasm bindings: JSON in and out of Rust, amounts as decimal strings
// (bigint accepted), errors thrown as Error objects whose `name` is the kind.

const dec = (x) => (typeof x === 'bigint' ? x.toString() : String(x));

export function makeApi(raw) {
  class ShareState {
    #raw;
    constructor(inner) {
      if (!inner) throw new TypeError('use ShareState.fromEntries, fromScores or fromSnapshot');
      this.#raw = inner;
    }
    /** @internal */
    get raw() { return this.#raw; }
    static fromEntries(entries) { return new ShareState(raw.ShareState.fromEntries(JSON.stringify(entries))); }
    static fromScores(scores) {
      return new ShareState(raw.ShareState.fromScores(JSON.stringify(scores.map((s) => ({ address: s.address, score: dec(s.score) })))));
    }
    static fromSnapshot(json) { return new ShareState(raw.ShareState.fromSnapshot(typeof json === 'string' ? json : JSON.stringify(json))); }
    static fromSnapshotBytes(bytes) { return new ShareState(raw.ShareState.fromSnapshotBytes(bytes)); }
    get size() { return this.#raw.size; }
    digest() { return this.#raw.digest(); }
    register() { return this.#raw.register(); }
    get(key) { return this.#raw.get(key) ?? null; }
    proveLookups(keys) { return JSON.parse(this.#raw.proveLookups(JSON.stringify(keys))); }
    plan(initialValue, maxScore, batchSize, height) {
      return JSON.parse(this.#raw.plan(dec(initialValue), maxScore, batchSize, height));
    }
    provePayout(keys, initialValue, maxScore, apply = false) {
      return JSON.parse(this.#raw.provePayout(JSON.stringify(keys), dec(initialValue), maxScore, apply));
    }
    buildPayout({ stateBox, rewardBox, keys, fundingBoxes, changeAddress, fee, height }) {
      const j = (x) => (typeof x === 'string' ? x : JSON.stringify(x));
      return JSON.parse(this.#raw.buildPayout(j(stateBox), j(rewardBox), JSON.stringify(keys), j(fundingBoxes), changeAddress, dec(fee), height));
    }
    toSnapshot() { return JSON.parse(this.#raw.toSnapshot()); }
    toSnapshotBytes() { return this.#raw.toSnapshotBytes(); }
    free() { this.#raw.free(); }
  }

  class Walker {
    #raw;
    constructor(startBoxId) { this.#raw = new raw.Walker(startBoxId); }
    next() { return JSON.parse(this.#raw.next()); }
    feedBox(json) { this.#raw.feedBox(json); }
    feedTransaction(json) { this.#raw.feedTransaction(json); }
    result() { return JSON.parse(this.#raw.result()); }
    free() { this.#raw.free(); }
    /** Walks to the tip, fetching with `get(path)` (a function returning the response text). */
    async walk(get) {
      for (let need = this.next(); need; need = this.next()) {
        if (need.box) this.feedBox(await get(`/blockchain/box/byId/${need.box}`));
        else this.feedTransaction(await get(`/blockchain/transaction/byId/${need.transaction}`));
      }
      return this.result();
    }
  }

  class ProofService {
    #raw = new raw.ProofService();
    insert(boxId, state) { this.#raw.insert(boxId, state.raw); }
    handle(path) { return JSON.parse(this.#raw.handle(path)); }
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
    minerKey: (addressOrTree, network = 'mainnet') => JSON.parse(raw.minerKey(addressOrTree, network)),
    decodeRegister: (hex) => JSON.parse(raw.decodeRegister(hex)),
    verifyLookups: (digest, proof, keys) => JSON.parse(raw.verifyLookups(digest, proof, JSON.stringify(keys))),
    replayPayout: (digest, maxScore, initialValue, context0, context1) =>
      JSON.parse(raw.replayPayout(digest, maxScore, dec(initialValue), context0, context1)),
    checkPayout: (unsignedTx) => JSON.parse(raw.checkPayout(typeof unsignedTx === 'string' ? unsignedTx : JSON.stringify(unsignedTx))),
    payoutAmount: (score, initialValue, maxScore) => raw.payoutAmount(dec(score), dec(initialValue), maxScore),
    verifyProofAnswer: (answer, digest, key) =>
      raw.verifyProofAnswer(typeof answer === 'string' ? answer : JSON.stringify(answer), digest, key) ?? null,
    transactionId: (unsignedTx) => raw.transactionId(typeof unsignedTx === 'string' ? unsignedTx : JSON.stringify(unsignedTx)),
    ShareState,
    Walker,
    ProofService,
    handleProofRequest,
  };
}
