//! The full package (feature `full`): snapshots (JSON and binary), chain data, payout
//! transactions, the clause check, the pool walker and the proof service. JSON text from the chain goes to the core
//! whole, so amounts stay exact.

use crate::{error, hex_or_null, keys, long, object, text, Result, ShareState};
use serde_json::{json, Value};
use sharestate::avl::snapshot;
use sharestate::ergo::json::decode_box;
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::Constant;
use sharestate::ergo::{ErgoBox, Id};
use sharestate::pool::{service, walk};
use sharestate::posted::epoch::{self, Funding};
use sharestate::posted::{self, PayoutTransaction};
use sharestate::{hex, Address, Digest, ShareValue};
use wasm_bindgen::prelude::*;

fn report_json(report: &posted::PayoutReport) -> Result<String> {
    let mut v = serde_json::to_value(report).map_err(|e| error("PayoutError", e))?;
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

/// Boxes from a JSON array whose elements are box objects or box JSON text.
fn boxes(json: &str, what: &str) -> Result<Vec<ErgoBox>> {
    let v: Vec<Value> = serde_json::from_str(json)
        .map_err(|e| error("ChainError", format!("{what}: not a JSON array of boxes: {e}")))?;
    v.iter()
        .enumerate()
        .map(|(i, b)| {
            let text = match b {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            decode_box(&text)
                .map(|c| c.ergo_box)
                .map_err(|e| error("ChainError", format!("{what}[{i}]: {e}")))
        })
        .collect()
}

#[wasm_bindgen]
impl ShareState {
    /// Reads a snapshot (JSON form); its digest is recomputed and checked.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(json_text: &str) -> Result<ShareState> {
        Ok(ShareState {
            inner: snapshot::from_json(json_text).map_err(kind!("SnapshotError"))?,
        })
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
        keys_list: JsValue,
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
        let batch = posted::prove_payout(&mut self.inner, &keys(&keys_list)?, initial, max_score, false)
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

    /// Reads a binary snapshot; its digest is recomputed and checked.
    #[wasm_bindgen(js_name = fromSnapshotBytes)]
    pub fn from_snapshot_bytes(bytes: &[u8]) -> Result<ShareState> {
        Ok(ShareState {
            inner: snapshot::from_bytes(bytes).map_err(kind!("SnapshotError"))?,
        })
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
    inner: walk::Walker,
}

fn id32(s: &str, what: &str) -> Result<Id> {
    hex::decode_array::<32>(s)
        .map(Id)
        .map_err(|e| error("ChainError", format!("{what}: {e}")))
}

#[wasm_bindgen]
impl Walker {
    #[wasm_bindgen(constructor)]
    pub fn new(start_box_id: &str) -> Result<Walker> {
        Ok(Walker {
            inner: walk::Walker::new(id32(start_box_id, "box id")?),
        })
    }

    /// `{box: id}` or `{transaction: id}` to fetch next, or `null` at the tip.
    pub fn next(&self) -> JsValue {
        match self.inner.next() {
            Some(walk::Need::Box(id)) => object(&[("box", text(id.to_hex()))]),
            Some(walk::Need::Transaction(id)) => object(&[("transaction", text(id.to_hex()))]),
            None => JsValue::NULL,
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

    /// The walk so far (see `WalkResult` in index.d.ts), as JSON text.
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
            "contract": w.contract.name(),
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
        self.inner.insert(id32(box_id, "box id")?, state.inner.clone());
        Ok(())
    }

    /// `{status, body}` (body is JSON text).
    pub fn handle(&mut self, path: &str) -> JsValue {
        let r = self.inner.handle(path);
        object(&[("status", r.status.into()), ("body", text(r.body))])
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
pub fn verify_proof_answer(answer_json: &str, digest: &str, key: &str) -> Result<JsValue> {
    let d = Digest::from_hex(digest).map_err(kind!("ProofError"))?;
    service::verify_proof_answer(answer_json, &d, &crate::key32(key)?)
        .map(|v| hex_or_null(v.as_deref()))
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
