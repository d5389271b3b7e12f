//! wasm-bindgen bindings of the sharestate core: the npm package in `www/`. This crate
//! translates — strings and JSON in, JSON out, errors as JS `Error`s whose `name` is the kind —
//! and holds no logic of its own; `www/index.js` and `www/index.d.ts` give it its typed face.

use serde_json::{json, Value};
use sharestate::boxes::{ErgoBox, Id};
use sharestate::chain;
use sharestate::eip12::UnsignedTransaction;
use sharestate::epoch::{self, Funding};
use sharestate::explorer::decode_box;
use sharestate::posted::{self, PayoutTransaction};
use sharestate::register::Constant;
use sharestate::{hex, key, payout, proof, service, snapshot, Address, Digest, Key, Network, ShareValue};
use wasm_bindgen::prelude::*;

/// A JS `Error` whose `name` says the kind.
fn error(kind: &str, message: impl std::fmt::Display) -> JsValue {
    let e = js_sys::Error::new(&message.to_string());
    e.set_name(kind);
    e.into()
}

type Result<T> = std::result::Result<T, JsValue>;

macro_rules! kind {
    ($kind:literal) => {
        |e| error($kind, e)
    };
}

fn parse_json(text: &str, what: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| error("JsonError", format!("{what}: {e}")))
}

fn key32(s: &str) -> Result<Key> {
    hex::decode_array::<32>(s).map_err(|e| error("KeyError", format!("a miner key is 32 bytes of hex: {e}")))
}

fn keys(json: &str) -> Result<Vec<Key>> {
    let v: Vec<String> = serde_json::from_str(json).map_err(|e| error("JsonError", format!("keys: {e}")))?;
    v.iter().map(|k| key32(k)).collect()
}

fn long(s: &str, what: &str) -> Result<i64> {
    s.parse().map_err(|_| {
        error(
            "AmountError",
            format!("{what} {s:?} is not a whole number of signed 64-bit range"),
        )
    })
}

fn network(n: &str) -> Result<Network> {
    match n {
        "" | "mainnet" => Ok(Network::Mainnet),
        "testnet" => Ok(Network::Testnet),
        other => Err(error("AddressError", format!("network {other:?}: mainnet or testnet"))),
    }
}

/// `{address, network, kind, propositionBytes, key}` of an address or ErgoTree hex.
#[wasm_bindgen(js_name = minerKey)]
pub fn miner_key(address_or_tree: &str, network_for_trees: &str) -> Result<String> {
    let a = key::parse_address_or_tree(address_or_tree, network(network_for_trees)?).map_err(kind!("AddressError"))?;
    Ok(json!({
        "address": a.encode(),
        "network": a.network.name(),
        "kind": a.kind.name(),
        "propositionBytes": hex::encode(&a.proposition_bytes()),
        "key": a.miner_key().to_hex(),
    })
    .to_string())
}

fn register_json(c: &Constant) -> Value {
    let v = match c {
        Constant::Int(v) => json!(v),
        Constant::Long(v) => json!(v.to_string()),
        Constant::Bytes(b) => json!(hex::encode(b)),
        Constant::BytesColl(items) => json!(items.iter().map(|b| hex::encode(b)).collect::<Vec<_>>()),
        Constant::BytePairs(pairs) => json!(pairs
            .iter()
            .map(|(a, b)| [hex::encode(a), hex::encode(b)])
            .collect::<Vec<_>>()),
        Constant::AvlTree(t) => json!({
            "digest": t.digest.to_hex(),
            "insertAllowed": t.flags.insert_allowed(),
            "updateAllowed": t.flags.update_allowed(),
            "removeAllowed": t.flags.remove_allowed(),
            "keyLength": t.key_length,
            "valueLength": t.value_length,
        }),
    };
    json!({ "type": c.type_name(), "value": v })
}

/// A register or context variable decoded: `{type, value}`.
#[wasm_bindgen(js_name = decodeRegister)]
pub fn decode_register(hex_str: &str) -> Result<String> {
    Ok(register_json(&Constant::parse_hex(hex_str).map_err(kind!("RegisterError"))?).to_string())
}

/// `[{key, value|null}]`: lookups of `keys` (JSON array of hex) verified against `digest`.
#[wasm_bindgen(js_name = verifyLookups)]
pub fn verify_lookups(digest: &str, proof_hex: &str, keys_json: &str) -> Result<String> {
    let d = Digest::from_hex(digest).map_err(kind!("ProofError"))?;
    let p = hex::decode(proof_hex).map_err(|e| error("ProofError", format!("the proof is not hex: {e}")))?;
    let ks = keys(keys_json)?;
    let values = proof::verify_lookups(&d, &p, &ks, None).map_err(kind!("ProofError"))?;
    Ok(Value::Array(
        ks.iter()
            .zip(values)
            .map(|(k, v)| json!({ "key": hex::encode(k), "value": v.map(|v| hex::encode(&v)) }))
            .collect(),
    )
    .to_string())
}

/// `{nextDigest, payments: [{key, score, amount}]}`: a Design 1 payout's context variables
/// replayed against the digest of the share state it spends; only an honest payout passes.
#[wasm_bindgen(js_name = replayPayout)]
pub fn replay_payout(
    digest: &str,
    max_score: i32,
    initial_value: &str,
    context0: &str,
    context1: &str,
) -> Result<String> {
    let tree = sharestate::AvlTreeData::share_state(Digest::from_hex(digest).map_err(kind!("ProofError"))?);
    let c0 = Constant::parse_hex(context0).map_err(kind!("RegisterError"))?;
    let c1 = Constant::parse_hex(context1).map_err(kind!("RegisterError"))?;
    let r = posted::replay_payout(&tree, max_score, long(initial_value, "initialValue")?, &c0, &c1)
        .map_err(kind!("PayoutError"))?;
    Ok(json!({
        "nextDigest": r.next_digest.to_hex(),
        "payments": r.payments.iter().map(|p| json!({ "key": hex::encode(&p.key), "score": p.score.to_string(), "amount": p.amount.to_string() })).collect::<Vec<_>>(),
    })
    .to_string())
}

fn report_json(report: &posted::PayoutReport) -> Result<String> {
    let mut v = serde_json::to_value(report).map_err(|e| error("JsonError", e))?;
    v["failing"] = json!(report.failing());
    Ok(v.to_string())
}

/// The payout clause check of an unsigned transaction in EIP-12 JSON: every clause of the
/// share-state contract (the draft's, and the hardened contract's own when the box runs it).
#[wasm_bindgen(js_name = checkPayout)]
pub fn check_payout(eip12_json: &str) -> Result<String> {
    let tx = UnsignedTransaction::from_eip12(eip12_json).map_err(kind!("TransactionError"))?;
    if tx.inputs.len() < 2 {
        return Err(error(
            "PayoutError",
            "a payout spends the share-state box and the reward box",
        ));
    }
    let p = PayoutTransaction::from_unsigned(&tx).map_err(kind!("PayoutError"))?;
    report_json(&posted::check_payout(&p))
}

/// `score × initialValue / maxScore` with the chain's arithmetic, as a decimal string.
#[wasm_bindgen(js_name = payoutAmount)]
pub fn payout_amount(score: &str, initial_value: &str, max_score: i32) -> Result<String> {
    payout::payout_amount(long(score, "score")?, long(initial_value, "initialValue")?, max_score)
        .map(|a| a.to_string())
        .map_err(kind!("ArithmeticError"))
}

/// A share state: the pool's side (build, prove, snapshot, payout transactions).
#[wasm_bindgen]
pub struct ShareState {
    inner: sharestate::ShareState,
}

fn boxes(json: &str, what: &str) -> Result<Vec<ErgoBox>> {
    let v: Vec<Value> = serde_json::from_str(json).map_err(|e| error("JsonError", format!("{what}: {e}")))?;
    v.iter()
        .map(|b| {
            decode_box(&b.to_string())
                .map(|c| c.ergo_box)
                .map_err(kind!("ChainError"))
        })
        .collect()
}

#[wasm_bindgen]
impl ShareState {
    /// From `[{key, value}]` (hex), inserted in ascending key order.
    #[wasm_bindgen(js_name = fromEntries)]
    pub fn from_entries(entries_json: &str) -> Result<ShareState> {
        let v = parse_json(entries_json, "entries")?;
        let items = v
            .as_array()
            .ok_or_else(|| error("JsonError", "entries: an array of {key, value}"))?;
        let entries = items
            .iter()
            .map(|e| {
                let k = key32(e["key"].as_str().unwrap_or_default())?;
                let v = hex::decode(e["value"].as_str().unwrap_or_default()).map_err(|x| error("ValueError", x))?;
                Ok((k, v))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ShareState {
            inner: sharestate::ShareState::from_entries(entries).map_err(kind!("ProverError"))?,
        })
    }

    /// From `[{address, score}]` (score a decimal string): Design 1 values, unpaid, each
    /// address's script recorded (a payout must pay it).
    #[wasm_bindgen(js_name = fromScores)]
    pub fn from_scores(scores_json: &str) -> Result<ShareState> {
        let v = parse_json(scores_json, "scores")?;
        let items = v
            .as_array()
            .ok_or_else(|| error("JsonError", "scores: an array of {address, score}"))?;
        let mut rows = Vec::new();
        for (i, e) in items.iter().enumerate() {
            let a = Address::parse(e["address"].as_str().unwrap_or_default())
                .map_err(|x| error("AddressError", format!("scores[{i}]: {x}")))?;
            let s = long(e["score"].as_str().unwrap_or_default(), &format!("scores[{i}].score"))?;
            if s < 0 {
                return Err(error("ScoreError", format!("scores[{i}]: negative score {s}")));
            }
            rows.push((a, s));
        }
        let mut inner = sharestate::ShareState::from_entries(
            rows.iter()
                .map(|(a, s)| (a.miner_key().0, ShareValue::unpaid(*s).to_bytes().to_vec())),
        )
        .map_err(kind!("ProverError"))?;
        for (a, _) in &rows {
            inner
                .set_script(a.miner_key().0, a.proposition_bytes())
                .map_err(kind!("ProverError"))?;
        }
        Ok(ShareState { inner })
    }

    /// Reads a snapshot (JSON form); its digest is recomputed and checked.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(json_text: &str) -> Result<ShareState> {
        Ok(ShareState {
            inner: snapshot::from_json(json_text).map_err(kind!("SnapshotError"))?,
        })
    }

    /// Reads a binary snapshot.
    #[wasm_bindgen(js_name = fromSnapshotBytes)]
    pub fn from_snapshot_bytes(bytes: &[u8]) -> Result<ShareState> {
        Ok(ShareState {
            inner: snapshot::from_bytes(bytes).map_err(kind!("SnapshotError"))?,
        })
    }

    pub fn digest(&mut self) -> String {
        self.inner.digest().to_hex()
    }

    /// The R4 register (AvlTree constant) as hex.
    pub fn register(&mut self) -> String {
        hex::encode(&self.inner.register().to_bytes())
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// A key's value (hex), or undefined.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.inner.get(&key32(key)?).map(hex::encode))
    }

    /// `{digest, proof, results: [{key, value|null}]}` for keys (JSON array of hex).
    #[wasm_bindgen(js_name = proveLookups)]
    pub fn prove_lookups(&mut self, keys_json: &str) -> Result<String> {
        let ks = keys(keys_json)?;
        let p = self.inner.prove_lookups(&ks).map_err(kind!("ProverError"))?;
        Ok(json!({
            "digest": p.digest_before.to_hex(),
            "proof": hex::encode(&p.proof),
            "results": ks.iter().zip(&p.old_values).map(|(k, v)| json!({ "key": hex::encode(k), "value": v.as_deref().map(hex::encode) })).collect::<Vec<_>>(),
        })
        .to_string())
    }

    /// `{batches: [[key]], unpayable: [key]}`: the unpaid keys in ascending order, in batches.
    pub fn plan(&self, initial_value: &str, max_score: i32, batch_size: usize, height: u32) -> Result<String> {
        let p = posted::plan(
            &self.inner,
            long(initial_value, "initialValue")?,
            max_score,
            batch_size,
            height,
        )
        .map_err(kind!("PayoutError"))?;
        let hexes = |ks: &[Key]| ks.iter().map(|k| hex::encode(k)).collect::<Vec<_>>();
        Ok(json!({ "batches": p.batches.iter().map(|b| hexes(b)).collect::<Vec<_>>(), "unpayable": hexes(&p.unpayable) }).to_string())
    }

    /// `{digest, nextDigest, contextVars: {"0", "1"}, payments: [{key, score, amount}]}` for a
    /// payout of `keys`; with `apply` the state moves on.
    #[wasm_bindgen(js_name = provePayout)]
    pub fn prove_payout(
        &mut self,
        keys_json: &str,
        initial_value: &str,
        max_score: i32,
        apply: bool,
    ) -> Result<String> {
        let b = posted::prove_payout(
            &mut self.inner,
            &keys(keys_json)?,
            long(initial_value, "initialValue")?,
            max_score,
            apply,
        )
        .map_err(kind!("PayoutError"))?;
        Ok(json!({
            "digest": b.digest_before.to_hex(),
            "nextDigest": b.digest_after.to_hex(),
            "contextVars": { "0": b.state_updates.to_hex(), "1": b.proof.to_hex() },
            "payments": b.payments.iter().map(|p| json!({ "key": hex::encode(&p.key), "score": p.score.to_string(), "amount": p.amount.to_string() })).collect::<Vec<_>>(),
        })
        .to_string())
    }

    /// The payout transaction of `keys` as EIP-12 unsigned JSON: INPUTS(0) `stateBox`, (1)
    /// `rewardBox`, then `fundingBoxes` (JSON array) for the fee, change to `changeAddress`.
    /// It is checked against every clause of the contract before it is returned: a payout
    /// the contract would refuse is an error. The state is not changed.
    #[wasm_bindgen(js_name = buildPayout)]
    #[allow(clippy::too_many_arguments)]
    pub fn build_payout(
        &mut self,
        state_box_json: &str,
        reward_box_json: &str,
        keys_json: &str,
        funding_boxes_json: &str,
        change_address: &str,
        fee: &str,
        height: u32,
    ) -> Result<String> {
        let state_box = decode_box(state_box_json).map_err(kind!("ChainError"))?.ergo_box;
        let reward_box = decode_box(reward_box_json).map_err(kind!("ChainError"))?.ergo_box;
        let max_score = match state_box.register(5) {
            Some(Ok(Constant::Int(m))) => m,
            _ => return Err(error("PayoutError", "the share-state box has no Int R5 (maxScore)")),
        };
        let initial = match reward_box.register(4) {
            Some(Ok(Constant::Long(v))) => v,
            _ => return Err(error("PayoutError", "the reward box has no Long R4 (initialValue)")),
        };
        let batch = posted::prove_payout(&mut self.inner, &keys(keys_json)?, initial, max_score, false)
            .map_err(kind!("PayoutError"))?;
        let change = Address::parse(change_address).map_err(kind!("AddressError"))?;
        let funding = Funding {
            inputs: boxes(funding_boxes_json, "fundingBoxes")?,
            change_tree: change.proposition_bytes(),
            fee: long(fee, "fee")?
                .try_into()
                .map_err(|_| error("AmountError", "a negative fee"))?,
        };
        let inner = &self.inner;
        let (tx, _) = epoch::checked_payout(
            &state_box,
            &reward_box,
            &batch,
            |k| inner.script(k).map(<[u8]>::to_vec),
            &funding,
            height,
        )
        .map_err(|e| match e {
            epoch::EpochError::Refused { .. } => error("PayoutError", e),
            e => error("TransactionError", e),
        })?;
        Ok(tx.to_eip12().to_string())
    }

    /// The JSON snapshot.
    #[wasm_bindgen(js_name = toSnapshot)]
    pub fn to_snapshot(&mut self) -> String {
        snapshot::to_json(&mut self.inner)
    }

    /// The binary snapshot.
    #[wasm_bindgen(js_name = toSnapshotBytes)]
    pub fn to_snapshot_bytes(&mut self) -> Vec<u8> {
        snapshot::to_bytes(&mut self.inner)
    }
}

/// Walks a pool's chain of share-state boxes from the node's or the explorer's JSON text.
#[wasm_bindgen]
pub struct Walker {
    inner: chain::Walker,
}

#[wasm_bindgen]
impl Walker {
    #[wasm_bindgen(constructor)]
    pub fn new(start_box_id: &str) -> Result<Walker> {
        let id = hex::decode_array::<32>(start_box_id).map_err(|e| error("ChainError", format!("box id: {e}")))?;
        Ok(Walker {
            inner: chain::Walker::new(Id(id)),
        })
    }

    /// `{"box": id}` or `{"transaction": id}` to fetch next, or `null` at the tip.
    pub fn next(&self) -> String {
        match self.inner.next() {
            Some(chain::Need::Box(id)) => json!({ "box": id.to_hex() }).to_string(),
            Some(chain::Need::Transaction(id)) => json!({ "transaction": id.to_hex() }).to_string(),
            None => "null".into(),
        }
    }

    #[wasm_bindgen(js_name = feedBox)]
    pub fn feed_box(&mut self, json_text: &str) -> Result<()> {
        self.inner.feed_box(json_text).map_err(kind!("ChainError"))
    }

    #[wasm_bindgen(js_name = feedTransaction)]
    pub fn feed_transaction(&mut self, json_text: &str) -> Result<()> {
        self.inner.feed_transaction(json_text).map_err(kind!("ChainError"))
    }

    /// The walk so far (see `WalkResult` in index.d.ts).
    pub fn result(&self) -> Result<String> {
        let w = self
            .inner
            .walk()
            .ok_or_else(|| error("ChainError", "the walk has not started: feed the start box"))?;
        let value = |v: &Option<ShareValue>| v.map(|v| json!({ "score": v.score.to_string(), "paid": v.paid }));
        let steps: Vec<Value> = w
            .steps
            .iter()
            .map(|s| {
                json!({
                    "txId": s.tx_id.to_hex(),
                    "txIdVerified": s.tx_id_verified,
                    "height": s.height,
                    "from": s.from.to_hex(),
                    "digestBefore": s.digest_before.to_hex(),
                    "accepted": s.report.accepted,
                    "failing": s.report.failing(),
                    "weaknesses": s.report.weaknesses,
                    "touched": s.touched.iter().map(|t| json!({
                        "key": hex::encode(&t.key),
                        "before": value(&t.before),
                        "after": value(&t.after),
                        "paid": t.paid.map(|p| p.to_string()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(json!({
            "start": w.start.id.to_hex(),
            "contract": match w.contract {
                sharestate::contracts::ShareStateContract::Draft => "draft",
                sharestate::contracts::ShareStateContract::Hardened { .. } => "hardened",
                sharestate::contracts::ShareStateContract::Unknown => "unknown",
            },
            "maxScore": w.max_score,
            "reward": w.reward.map(|r| r.to_string()),
            "tip": w.tip.id.to_hex(),
            "tipDigest": w.tip_digest().map(|d| d.to_hex()),
            "done": self.inner.next().is_none(),
            "steps": steps,
        })
        .to_string())
    }
}

/// The pool proof service: `handle(path)` answers `GET {base}{path}` for any HTTP server.
#[wasm_bindgen]
pub struct ProofService {
    inner: service::ProofService,
}

#[wasm_bindgen]
impl ProofService {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ProofService {
        ProofService {
            inner: service::ProofService::new(),
        }
    }

    /// Serves (a copy of) `state` as the content of share-state box `box_id`.
    pub fn insert(&mut self, box_id: &str, state: &ShareState) -> Result<()> {
        let id = hex::decode_array::<32>(box_id).map_err(|e| error("ChainError", format!("box id: {e}")))?;
        self.inner.insert(Id(id), state.inner.clone());
        Ok(())
    }

    /// `{status, body}` (body is JSON text).
    pub fn handle(&mut self, path: &str) -> String {
        let r = self.inner.handle(path);
        json!({ "status": r.status, "body": r.body }).to_string()
    }
}

impl Default for ProofService {
    fn default() -> Self {
        ProofService::new()
    }
}

/// Checks a proof service's `/proof/{box}/{key}` answer against the on-chain `digest`: the
/// proven value (hex), or null if proven absent.
#[wasm_bindgen(js_name = verifyProofAnswer)]
pub fn verify_proof_answer(answer_json: &str, digest: &str, key: &str) -> Result<Option<String>> {
    let d = Digest::from_hex(digest).map_err(kind!("ProofError"))?;
    service::verify_proof_answer(answer_json, &d, &key32(key)?)
        .map(|v| v.map(|v| hex::encode(&v)))
        .map_err(kind!("ServiceError"))
}

/// The id an unsigned transaction (EIP-12 JSON) will have once signed.
#[wasm_bindgen(js_name = transactionId)]
pub fn transaction_id(eip12_json: &str) -> Result<String> {
    Ok(UnsignedTransaction::from_eip12(eip12_json)
        .map_err(kind!("TransactionError"))?
        .id()
        .to_hex())
}
