//! Design 2 in the full package: a command transaction's clause check, the pool's balance state
//! (built, proved, planned into command batches, each command's transaction built), and the JSON
//! of a Design 2 walk (the `Walker` of `full` walks both designs).

use crate::full::boxes;
use crate::{field, key32, list, Result, Thrown};
use serde_json::{json, Value};
use sharestate::avl::snapshot;
use sharestate::ergo::json::{decode_box, JsonError, UnsignedTransaction};
use sharestate::ergo::{Address, Funding};
use sharestate::persistent::{
    self, balance_state, check_command, command, plan_round, prove_command, BalanceWalk, Batch, CommandTransaction,
};
use sharestate::pool::{parse_amount, parse_nanoerg, Balance};
use sharestate::{hex, Key};
use wasm_bindgen::prelude::*;

/// A command report as JSON, with the names of its failing clauses.
fn report_json(r: &persistent::CommandReport) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    v["failing"] = json!(r.failing());
    v
}

/// The clause check of a Design 2 command transaction in EIP-12 JSON: which command of which
/// set, every clause of the command and the state box, per miner and for the whole
/// transaction, and the deployed set's weaknesses it uses (see `CommandReport` in index.d.ts).
#[wasm_bindgen(js_name = checkCommand)]
pub fn check_command_json(eip12_json: &str) -> Result<String> {
    let tx = UnsignedTransaction::from_eip12(eip12_json)?;
    let c = CommandTransaction::from_unsigned(&tx)?;
    Ok(report_json(&check_command(&c)?).to_string())
}

/// A Design 2 walk as JSON (see `BalanceWalkResult` in index.d.ts).
pub(crate) fn walk_json(w: &BalanceWalk) -> Value {
    let rounds = w.rounds();
    json!({
        "design": "persistent",
        "start": w.start.id.to_hex(),
        "tip": w.tip.id.to_hex(),
        "tipDigest": w.tip_digest().map(|d| d.to_hex()),
        "tipValue": w.tip.ergo_box.value.to_string(),
        "end": w.end.as_ref().map(|e| json!({ "txId": e.tx_id.to_hex(), "why": e.why })),
        "steps": w.steps.iter().zip(&rounds).map(|(s, round)| json!({
            "txId": s.tx_id.to_hex(),
            "round": round,
            "txIdVerified": s.tx_id_verified,
            "height": s.height,
            "timestamp": s.timestamp,
            "from": s.from.to_hex(),
            "command": s.report.contract.command,
            "contract": s.report.contract.set,
            "stateContract": s.report.state_set,
            "poolNft": hex::encode(&s.report.contract.pool_nft),
            "accepted": s.report.accepted,
            "failing": s.report.failing(),
            "weaknesses": s.report.weaknesses,
            "keys": s.report.miners.len(),
            "commandBox": s.command_box.to_hex(),
            "creditSource": s.credit_source.as_ref().map(|c| match c {
                Ok(src) => json!({
                    "txId": src.tx_id.to_hex(),
                    "txIdVerified": src.tx_id_verified,
                    "holding": src.holding.iter().map(|(id, v)| json!({ "boxId": id.to_hex(), "value": v.to_string() })).collect::<Vec<_>>(),
                }),
                Err(why) => json!({ "error": why }),
            }),
        })).collect::<Vec<_>>(),
    })
}

/// A miner's Design 2 history as JSON (see `BalanceHistory` in index.d.ts).
pub(crate) fn history_json(w: &BalanceWalk, key: &Key) -> Value {
    let rounds = w.rounds();
    let events: Vec<Value> = w
        .history(key)
        .iter()
        .map(|e| {
            let s = &w.steps[e.step];
            json!({
                "txId": s.tx_id.to_hex(),
                "txIdVerified": s.tx_id_verified,
                "round": rounds[e.step],
                "height": s.height,
                "timestamp": s.timestamp,
                "command": e.command,
                "before": e.before.map(|b| b.to_string()),
                "after": e.after.map(|a| a.to_string()),
                "amount": e.amount.to_string(),
                "accepted": e.accepted,
            })
        })
        .collect();
    json!({
        "key": hex::encode(&key[..]),
        "events": events,
        // null: not known from the walk (never touched, deleted, or a command since cannot be
        // relied on: see `BalanceWalk::owed`)
        "owed": w.owed(key).flatten().map(|b| b.to_string()),
        "deleted": w.owed(key) == Some(None),
    })
}

/// A Design 2 pool's balance state, for its operator: built from balances or a snapshot,
/// proving lookups, planning a round's command batches and building each command's
/// transaction.
#[wasm_bindgen]
pub struct BalanceState {
    inner: sharestate::ShareState,
}

fn batch_json(b: &Batch) -> Value {
    let keys = |ks: &[Key]| ks.iter().map(|k| hex::encode(k)).collect::<Vec<_>>();
    match b {
        Batch::Insert(k) => json!({ "command": "insert", "keys": keys(k) }),
        Batch::Payout(k) => json!({ "command": "payout", "keys": keys(k) }),
        Batch::Delete(k) => json!({ "command": "delete", "keys": keys(k) }),
        Batch::Update(c) => json!({
            "command": "update",
            "credits": c.iter().map(|(k, a)| json!({ "key": hex::encode(&k[..]), "amount": a.to_string() })).collect::<Vec<_>>(),
        }),
    }
}

fn bad(field_name: &str, message: impl Into<String>) -> Thrown {
    Thrown::from(JsonError::Field {
        field: field_name.into(),
        message: message.into(),
    })
}

/// A batch from the JSON `planRound` gives.
fn batch_from(json_text: &str) -> Result<Batch> {
    let v: Value = serde_json::from_str(json_text).map_err(|e| bad("batch", format!("not JSON: {e}")))?;
    let keys = || -> Result<Vec<Key>> {
        v["keys"]
            .as_array()
            .ok_or_else(|| bad("batch.keys", "an array of keys"))?
            .iter()
            .map(|k| key32(k.as_str().unwrap_or_default()))
            .collect()
    };
    match v["command"].as_str() {
        Some("insert") => Ok(Batch::Insert(keys()?)),
        Some("payout") => Ok(Batch::Payout(keys()?)),
        Some("delete") => Ok(Batch::Delete(keys()?)),
        Some("update") => Ok(Batch::Update(
            v["credits"]
                .as_array()
                .ok_or_else(|| bad("batch.credits", "an array of {key, amount}"))?
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let at = format!("batch.credits[{i}]");
                    Ok((
                        key32(c["key"].as_str().unwrap_or_default())?,
                        parse_amount(c["amount"].as_str().unwrap_or_default(), &format!("{at}.amount"))?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
        )),
        other => Err(bad(
            "batch.command",
            format!("{other:?} is not insert, update, payout or delete"),
        )),
    }
}

#[wasm_bindgen]
impl BalanceState {
    /// From `[{address, balance}]` or `[{key, balance}]` (balance a decimal string of nanoErg);
    /// an address's script is recorded, so that a payout can pay it.
    #[wasm_bindgen(js_name = fromBalances)]
    pub fn from_balances(entries: JsValue) -> Result<BalanceState> {
        let mut rows = Vec::new();
        let mut scripts = Vec::new();
        for (i, e) in list(&entries, "entries")?.iter().enumerate() {
            let what = format!("entries[{i}]");
            let b = parse_amount(&field(e, "balance", &what)?, &format!("{what}.balance"))?;
            let key = match field(e, "address", &what) {
                Ok(a) => {
                    let p = Address::parse(&a)
                        .map_err(|x| Thrown::at(&what, x))?
                        .proposition_bytes();
                    let k = sharestate::ergo::MinerKey::from_proposition(&p).0;
                    scripts.push((k, p));
                    k
                }
                Err(_) => key32(&field(e, "key", &what)?)?,
            };
            rows.push((key, b));
        }
        let mut inner = balance_state(rows)?;
        for (k, p) in scripts {
            inner.set_script(k, p)?;
        }
        Ok(BalanceState { inner })
    }

    /// Reads a snapshot (the JSON form Design 1's states use); its digest is recomputed.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(json_text: &str) -> Result<BalanceState> {
        Ok(BalanceState {
            inner: snapshot::from_json(json_text)?,
        })
    }

    /// The JSON snapshot (`&mut`: the tree's labels are computed on the way).
    #[wasm_bindgen(js_name = toSnapshot)]
    #[allow(clippy::wrong_self_convention)]
    pub fn to_snapshot(&mut self) -> String {
        snapshot::to_json(&mut self.inner)
    }

    pub fn digest(&mut self) -> String {
        self.inner.digest().to_hex()
    }

    /// The R4 register (AvlTree constant) as hex.
    pub fn register(&mut self) -> String {
        hex::encode(&sharestate::Constant::AvlTree(self.inner.register()).to_bytes())
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// A key's balance (decimal string of nanoErg), or undefined.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        match self.inner.get(&key32(key)?) {
            None => Ok(None),
            Some(v) => Ok(Some(
                Balance::from_bytes(v).map_err(|e| Thrown::at(key, e))?.0.to_string(),
            )),
        }
    }

    /// `{digest, proof, results: [{key, value|null}]}` for `keys` (array of hex).
    #[wasm_bindgen(js_name = proveLookups)]
    pub fn prove_lookups(&mut self, keys_list: JsValue) -> Result<JsValue> {
        crate::prove_lookups(&mut self.inner, &keys_list)
    }

    /// A round's command batches as the deployed off-chain code makes them, as JSON text of
    /// `[{command, keys} | {command: "update", credits: [{key, amount}]}]`: `credits` is
    /// `[{key, amount}]` (this round's, decimal strings), `minimum` the payout minimum (decimal
    /// string), batches of `batch_size` (150 if not given).
    #[wasm_bindgen(js_name = planRound)]
    pub fn plan_round(&self, credits: JsValue, minimum: &str, batch_size: Option<usize>) -> Result<String> {
        let mut rows = Vec::new();
        for (i, c) in list(&credits, "credits")?.iter().enumerate() {
            let what = format!("credits[{i}]");
            rows.push((
                key32(&field(c, "key", &what)?)?,
                parse_amount(&field(c, "amount", &what)?, &format!("{what}.amount"))?,
            ));
        }
        let min = parse_amount(minimum, "minimum")?;
        let plan = plan_round(
            &self.inner,
            &rows,
            &|_| min,
            batch_size.unwrap_or(persistent::prove::BATCH),
        )?;
        Ok(Value::Array(plan.batches.iter().map(batch_json).collect()).to_string())
    }

    /// The transaction of `batch` (one element of `planRound`'s list, as JSON text) as EIP-12
    /// unsigned JSON: INPUTS(0) `stateBox`, (1) `commandBox` with the context variables, then
    /// `fundingBoxes` (JSON array) towards the fee, change to `changeAddress`. Checked clause by
    /// clause before it is returned (a command the contracts would refuse is an error). The
    /// state is not changed: `apply` the batch once the transaction is accepted.
    #[wasm_bindgen(js_name = buildCommand)]
    #[allow(clippy::too_many_arguments)]
    pub fn build_command(
        &self,
        batch: &str,
        state_box_json: &str,
        command_box_json: &str,
        funding_boxes_json: &str,
        change_address: &str,
        fee: &str,
        height: u32,
    ) -> Result<String> {
        let mut state = self.inner.clone();
        let proved = prove_command(&mut state, &batch_from(batch)?)?;
        let funding = Funding {
            inputs: boxes(funding_boxes_json, "fundingBoxes")?,
            change_tree: Address::parse(change_address)?.proposition_bytes(),
            fee: parse_nanoerg(fee, "fee")?,
        };
        let tx = command::command(
            &proved,
            &decode_box(state_box_json)?.ergo_box,
            &decode_box(command_box_json)?.ergo_box,
            None,
            &|k| self.inner.script(k).map(<[u8]>::to_vec),
            &funding,
            height,
        )?;
        // the contracts accept it, and it uses no weakness of the deployed set
        check_command(&CommandTransaction::from_unsigned(&tx)?)?.require_sound(false)?;
        Ok(tx.to_eip12().to_string())
    }

    /// Applies `batch` (JSON text, as `planRound` gives it): the state moves on, as the chain's
    /// did when its command was accepted. Returns the new digest.
    pub fn apply(&mut self, batch: &str) -> Result<String> {
        Ok(prove_command(&mut self.inner, &batch_from(batch)?)?
            .digest_after
            .to_hex())
    }
}
