//! The full package (feature `full`): snapshots (JSON and binary), chain data, payout
//! transactions, the clause check, the pool walker and the proof service. JSON text from the chain goes to the core
//! whole, so amounts stay exact.

use crate::{hex_or_null, keys, list, object, text, Result, ShareState, Thrown};
use serde_json::{json, Value};
use sharestate::avl::snapshot;
use sharestate::ergo::json::{decode_box, decode_transaction, JsonError, UnsignedTransaction};
use sharestate::ergo::{Address, ChainBox, ChainTransaction, Constant, ErgoBox, Id, MinerKey};
use sharestate::persistent;
use sharestate::pool::{parse_nanoerg, service, walk, WalkError};
use sharestate::posted::{self, next_payout, Funding, PayoutTransaction};
use sharestate::source::{Method, Query, Request, SourceKind};
use sharestate::trust;
use sharestate::{hex, Digest, ShareValue};
use wasm_bindgen::prelude::*;

/// A report as JSON text, with the names of its failing clauses.
fn report_json(report: &posted::PayoutReport) -> String {
    let mut v = serde_json::to_value(report).unwrap_or(Value::Null);
    v["failing"] = json!(report.failing());
    v.to_string()
}

/// The payout clause check of an unsigned transaction in EIP-12 JSON: every clause of the
/// share-state contract (the draft's, and the hardened contract's own when the box runs it).
#[wasm_bindgen(js_name = checkPayout)]
pub fn check_payout(eip12_json: &str) -> Result<String> {
    let tx = UnsignedTransaction::from_eip12(eip12_json)?;
    let p = PayoutTransaction::from_unsigned(&tx)?;
    Ok(report_json(&posted::check_payout(&p)))
}

/// A source's request as JS: `{method, path, body, contentType}`, and `to` where given.
fn request_object(r: Request, to: Option<&str>) -> JsValue {
    let method = match r.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let (body, content_type) = match r.body {
        Some((b, t)) => (text(b), text(t)),
        None => (JsValue::NULL, JsValue::NULL),
    };
    let mut fields = vec![
        ("method", text(method)),
        ("path", text(r.path)),
        ("body", body),
        ("contentType", content_type),
    ];
    if let Some(to) = to {
        fields.push(("to", text(to)));
    }
    object(&fields)
}

/// The request for the headers at heights `from..=to` from a source of kind `source` (`node`,
/// `graphql` or `explorer`): at most 512, 32 or 500 of them (the caller asks again from where
/// an answer ends).
#[wasm_bindgen(js_name = headersRequest)]
pub fn headers_request(source: &str, from: u32, to: u32) -> Result<JsValue> {
    let kind = source_kind(source, "source")?;
    Ok(request_object(kind.headers_request(from, to), None))
}

/// The request for the proof that transaction `tx_id` is in block `block_id`.
#[wasm_bindgen(js_name = inclusionRequest)]
pub fn inclusion_request(source: &str, block_id: &str, tx_id: &str) -> Result<JsValue> {
    let kind = source_kind(source, "source")?;
    let (block, tx) = (id32(block_id, "block id")?, id32(tx_id, "transaction id")?);
    Ok(request_object(kind.inclusion_request(&block, &tx), None))
}

/// The id (recomputed) of the header at `height` in a source's answer to `headersRequest`.
#[wasm_bindgen(js_name = headerIdAt)]
pub fn header_id_at(source: &str, headers_answer: &str, height: u32) -> Result<String> {
    let kind = source_kind(source, "source")?;
    kind.headers_answer(headers_answer)?
        .into_iter()
        .find(|h| h.height == height)
        .map(|h| h.id().to_hex())
        .ok_or_else(|| Thrown::from(trust::TrustError::NoHeader(format!("height {height}"))))
}

/// Shows transaction `tx_id` in the block at `height`, on `network`'s rules (`mainnet`,
/// `testnet`, `devnet`): `headers_answers`, the source's answers to `headersRequest`s from
/// `height` on (ids recomputed, each mined to the rules, each the parent of the next: the
/// confirmations), and `inclusion_answer`, its answer to `inclusionRequest` for the block at
/// `height`. JSON text of `{height, blockId, confirmations, required, network}` (fewer
/// confirmations than `required`: not final yet; the run read is at most the block and the
/// network's `blocks_after` after it); a TrustError (thrown as a ProofError) says which check
/// failed.
#[wasm_bindgen(js_name = anchorTransaction)]
pub fn anchor_transaction(
    network: &str,
    source: &str,
    tx_id: &str,
    height: u32,
    headers_answers: JsValue,
    inclusion_answer: &str,
) -> Result<String> {
    let rules = rules(network)?;
    let kind = source_kind(source, "source")?;
    let tx = id32(tx_id, "transaction id")?;
    let mut headers = headers_by_height(kind, &headers_answers)?;
    // the block and at most `blocks_after` after it: more proves no more, and costs work
    let last = height.saturating_add(rules.blocks_after);
    let run: Vec<sharestate::ergo::Header> = (height..=last).map_while(|h| headers.remove(&h)).collect();
    let block = run
        .first()
        .ok_or_else(|| Thrown::from(trust::TrustError::NoHeader(tx.to_hex())))?;
    let proof = kind.inclusion_answer(inclusion_answer, block.version, &tx)?;
    let a = trust::anchor(rules, &tx, &proof, &run)?;
    Ok(json!({
        "height": a.height,
        "blockId": a.block.to_hex(),
        "confirmations": a.confirmations,
        "required": rules.min_confirmations,
        "network": rules.name,
    })
    .to_string())
}

/// A network's rules by name.
fn rules(network: &str) -> Result<&'static trust::Network> {
    trust::Network::from_name(network).ok_or_else(|| {
        Thrown::from(JsonError::Field {
            field: "network".into(),
            message: format!("{network:?} is not mainnet, testnet or devnet"),
        })
    })
}

/// The headers of a source's answers to `headersRequest`s, each id recomputed, by height.
fn headers_by_height(
    kind: SourceKind,
    answers: &JsValue,
) -> Result<std::collections::BTreeMap<u32, sharestate::ergo::Header>> {
    let mut headers = std::collections::BTreeMap::new();
    for (i, a) in list(answers, "headers")?.iter().enumerate() {
        let a = a
            .as_string()
            .ok_or_else(|| Thrown::type_error(format!("headers[{i}]: the source's answer, a string")))?;
        for h in kind.headers_answer(&a)? {
            headers.insert(h.height, h);
        }
    }
    Ok(headers)
}

/// Box ids from a JS array of hex strings.
fn box_ids(v: &JsValue) -> Result<Vec<Id>> {
    list(v, "boxIds")?
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let s = b
                .as_string()
                .ok_or_else(|| Thrown::type_error(format!("boxIds[{i}]: a box id, hex")))?;
            id32(&s, &format!("boxIds[{i}]"))
        })
        .collect()
}

/// The request for a proof that boxes `box_ids` are unspent: a node's
/// `POST /utxo/getBoxesBinaryProof`, a proof against the UTXO set of its last block; null from
/// ergo-graphql and the explorer API, which prove no state.
#[wasm_bindgen(js_name = unspentRequest)]
pub fn unspent_request(source: &str, box_ids_list: JsValue) -> Result<JsValue> {
    let kind = source_kind(source, "source")?;
    let ids = box_ids(&box_ids_list)?;
    Ok(kind
        .unspent_request(&ids)
        .map(|r| request_object(r, None))
        .unwrap_or(JsValue::NULL))
}

/// Which of `box_ids` are unspent, on `network`'s rules: `proof_answer`, the node's answer to
/// `unspentRequest`, replayed against the state root of the newest header of `headers_answers`
/// (its answers to `headersRequest` from `tip` on) at or above `tip` that it fits, that header
/// mined to the rules and, on mainnet and testnet, within 30 minutes of `now` (ms since 1970).
/// JSON text of `{height, blockId, timestamp, unspent: [bool, …], network}`: `true`, the box is
/// in the UTXO set after that block; `false`, proven absent (spent, or never made). A
/// TrustError (thrown as a ProofError) when no header fits.
#[wasm_bindgen(js_name = unspentBoxes)]
pub fn unspent_boxes(
    network: &str,
    source: &str,
    box_ids_list: JsValue,
    headers_answers: JsValue,
    proof_answer: &str,
    tip: u32,
    now: f64,
) -> Result<String> {
    let rules = rules(network)?;
    let kind = source_kind(source, "source")?;
    let ids = box_ids(&box_ids_list)?;
    if ids.is_empty() {
        return Err(Thrown::type_error("boxIds: at least one box id"));
    }
    if !(now.is_finite() && now >= 0.0) {
        return Err(Thrown::type_error("now: milliseconds since 1970"));
    }
    let proof = kind.unspent_answer(proof_answer)?;
    let headers = headers_by_height(kind, &headers_answers)?;
    let mut why = trust::TrustError::NoHeader(format!("height {tip} or above"));
    for h in headers.range(tip..).map(|(_, h)| h).rev() {
        let checked = trust::check_header(rules, h).and_then(|()| trust::fresh(rules, h, now as u64));
        match checked.and_then(|()| trust::unspent(&ids, &proof, h)) {
            Ok(found) => {
                return Ok(json!({
                    "height": h.height,
                    "blockId": h.id().to_hex(),
                    "timestamp": h.timestamp,
                    "unspent": found,
                    "network": rules.name,
                })
                .to_string())
            }
            Err(e) => why = e,
        }
    }
    Err(why.into())
}

/// Boxes from a JSON array whose elements are box objects or box JSON text.
pub(crate) fn boxes(json: &str, what: &str) -> Result<Vec<ErgoBox>> {
    let v: Vec<Value> = serde_json::from_str(json).map_err(|e| JsonError::Field {
        field: what.into(),
        message: format!("not a JSON array of boxes: {e}"),
    })?;
    v.iter()
        .enumerate()
        .map(|(i, b)| {
            let text = match b {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            decode_box(&text)
                .map(|c| c.ergo_box)
                .map_err(|e| Thrown::at(&format!("{what}[{i}]"), e))
        })
        .collect()
}

#[wasm_bindgen]
impl ShareState {
    /// Reads a snapshot (JSON form); its digest is recomputed and checked.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(json_text: &str) -> Result<ShareState> {
        Ok(ShareState {
            inner: snapshot::from_json(json_text)?,
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
        let state_box = decode_box(state_box_json)?.ergo_box;
        let reward_box = decode_box(reward_box_json)?.ergo_box;
        let funding = Funding {
            inputs: boxes(funding_boxes_json, "fundingBoxes")?,
            change_tree: Address::parse(change_address)?.proposition_bytes(),
            fee: parse_nanoerg(fee, "fee")?,
        };
        let next = next_payout(
            &mut self.inner,
            &state_box,
            &reward_box,
            &keys(&keys_list)?,
            &funding,
            height,
        )?;
        Ok(next.transaction.to_eip12().to_string())
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
            inner: snapshot::from_bytes(bytes)?,
        })
    }

    /// The binary snapshot.
    #[wasm_bindgen(js_name = toSnapshotBytes)]
    pub fn to_snapshot_bytes(&mut self) -> Vec<u8> {
        snapshot::to_bytes(&mut self.inner)
    }
}

/// Walks a pool's chain of share-state boxes from the node's or the explorer's JSON text, or
/// from any source's answers to the requests it builds (`request`, `feed`).
#[wasm_bindgen]
pub struct Walker {
    inner: Inner,
    kind: SourceKind,
    /// Where transactions are asked, when not of `kind` (the explorer API gives no context
    /// extensions: payouts need a node or ergo-graphql).
    transactions: Option<SourceKind>,
}

fn source_kind(name: &str, field: &str) -> Result<SourceKind> {
    SourceKind::from_name(name).ok_or_else(|| {
        Thrown::from(JsonError::Field {
            field: field.into(),
            message: format!("{name:?} is not a kind of source (node, graphql or explorer)"),
        })
    })
}

fn id32(s: &str, what: &str) -> Result<Id> {
    hex::decode_array::<32>(s).map(Id).map_err(|e| {
        Thrown::from(JsonError::Field {
            field: what.into(),
            message: e.to_string(),
        })
    })
}

/// Which design's walk, decided by the start box: a Design 1 share-state box holds maxScore (an
/// Int) in R5, a Design 2 state box does not.
enum Inner {
    Start { id: Id, budget: Option<usize> },
    Posted(Box<walk::Walker>),
    Balance(Box<persistent::BalanceWalker>),
}

impl Inner {
    fn next(&self) -> Option<walk::Need> {
        match self {
            Inner::Start { id, .. } => Some(walk::Need::Box(*id)),
            Inner::Posted(w) => w.next(),
            Inner::Balance(w) => w.next(),
        }
    }

    fn feed_chain_box(&mut self, b: ChainBox) -> std::result::Result<(), WalkError> {
        if let Inner::Start { id, budget } = *self {
            *self = if matches!(b.ergo_box.register(5), Some(Ok(Constant::Int(_)))) {
                Inner::Posted(Box::new(walk::Walker::with_budget(
                    id,
                    budget.unwrap_or(walk::DEFAULT_STEP_BUDGET),
                )))
            } else {
                Inner::Balance(Box::new(persistent::BalanceWalker::with_budget(
                    id,
                    budget.unwrap_or(persistent::walk::DEFAULT_STEP_BUDGET),
                )))
            };
        }
        match self {
            Inner::Posted(w) => w.feed_chain_box(b),
            Inner::Balance(w) => w.feed_chain_box(b),
            Inner::Start { .. } => Err(WalkError::Unexpected),
        }
    }

    fn feed_chain_transaction(&mut self, tx: ChainTransaction) -> std::result::Result<(), WalkError> {
        match self {
            Inner::Posted(w) => w.feed_chain_transaction(tx),
            Inner::Balance(w) => w.feed_chain_transaction(tx),
            Inner::Start { .. } => Err(WalkError::NotStarted),
        }
    }

    fn balance(&self) -> Result<&persistent::BalanceWalk> {
        match self {
            Inner::Balance(w) => Ok(w.walk().ok_or(WalkError::NotStarted)?),
            Inner::Start { .. } => Err(WalkError::NotStarted.into()),
            Inner::Posted(_) => Err(not_this_design(
                "a Design 1 epoch has no balances: see its steps' touched keys",
            )),
        }
    }

    fn posted(&self) -> Result<&walk::Walk> {
        match self {
            Inner::Posted(w) => Ok(w.walk().ok_or(WalkError::NotStarted)?),
            Inner::Start { .. } => Err(WalkError::NotStarted.into()),
            Inner::Balance(_) => Err(not_this_design("a Design 2 pool has no epochs to audit")),
        }
    }
}

/// A call that does not apply to the design of the walk's pool.
fn not_this_design(why: &str) -> Thrown {
    Thrown::from(JsonError::Field {
        field: "design".into(),
        message: why.into(),
    })
}

#[wasm_bindgen]
impl Walker {
    /// A walk from `start_box_id` — a Design 1 epoch's share-state box or a Design 2 pool's state
    /// box, told apart when it is read — replaying at most `budget` payouts or commands (10,000
    /// payouts, 100,000 commands if not given),
    /// whose `request`s are for a source of kind `source` (`node`, the default, `graphql` or
    /// `explorer`) — and for transactions, of kind `transactions_source` if given (with the
    /// explorer API, whose transactions carry no context extensions, a node or `graphql`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        start_box_id: &str,
        budget: Option<u32>,
        source: Option<String>,
        transactions_source: Option<String>,
    ) -> Result<Walker> {
        let start = id32(start_box_id, "box id")?;
        let kind = source
            .as_deref()
            .map_or(Ok(SourceKind::Node), |n| source_kind(n, "source"))?;
        let transactions = transactions_source
            .as_deref()
            .map(|n| source_kind(n, "transactions source"))
            .transpose()?;
        Ok(Walker {
            inner: Inner::Start {
                id: start,
                budget: budget.map(|b| b as usize),
            },
            kind,
            transactions,
        })
    }

    /// The kind of source asked for a transaction.
    fn transaction_kind(&self) -> SourceKind {
        self.transactions.unwrap_or(self.kind)
    }

    /// The request for what the walk needs next, for its kind of source: `{method, path, body,
    /// contentType, to}` (`path` relative to the source's URL, empty for GraphQL's one URL;
    /// `to`: `"source"`, or `"transactions"` for the transactions' source), or `null` when the
    /// walk is done.
    pub fn request(&self) -> JsValue {
        let (query, kind, to) = match self.inner.next() {
            Some(walk::Need::Box(id)) => (Query::Box(id), self.kind, "source"),
            Some(walk::Need::Transaction(id)) => (
                Query::Transaction(id),
                self.transaction_kind(),
                if self.transactions.is_some() {
                    "transactions"
                } else {
                    "source"
                },
            ),
            None => return JsValue::NULL,
        };
        request_object(kind.request(&query), Some(to))
    }

    /// Feeds the source's answer text to the last `request`, checked as that kind of source's.
    pub fn feed(&mut self, answer: &str) -> Result<()> {
        match self.inner.next() {
            Some(walk::Need::Box(_)) => Ok(self.inner.feed_chain_box(self.kind.box_answer(answer)?)?),
            Some(walk::Need::Transaction(_)) => Ok(self
                .inner
                .feed_chain_transaction(self.transaction_kind().transaction_answer(answer)?)?),
            None => Err(WalkError::Unexpected.into()),
        }
    }

    /// The epoch's audit (see `EpochAudit` in index.d.ts) from `state`, the pool's snapshot of
    /// the walk's tip, as JSON text.
    pub fn audit(&self, state: &mut ShareState) -> Result<String> {
        let w = self.inner.posted()?;
        let a = posted::audit(w, &mut state.inner)?;
        Ok(json!({
            "passed": a.passed(),
            "miners": a.miners,
            "unpaid": a.unpaid,
            "scoreSum": a.score_sum.to_string(),
            "owed": a.owed.map(|o| o.to_string()),
            "rewardLeft": a.reward_left.map(|r| r.to_string()),
            "findings": a.findings.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
            "end": posted::audit::describe_end(w, Some(&a)),
        })
        .to_string())
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
        Ok(self.inner.feed_chain_box(decode_box(json_text)?)?)
    }

    #[wasm_bindgen(js_name = feedTransaction)]
    pub fn feed_transaction(&mut self, json_text: &str) -> Result<()> {
        Ok(self.inner.feed_chain_transaction(decode_transaction(json_text)?)?)
    }

    /// A Design 2 walk's record of `key`: every command that touched it and what it is owed
    /// now (see `BalanceHistory` in index.d.ts), as JSON text.
    pub fn history(&self, key: &str) -> Result<String> {
        let w = self.inner.balance()?;
        Ok(crate::balance::history_json(w, &crate::key32(key)?).to_string())
    }

    /// The walk so far (see `WalkResult` and `BalanceWalkResult` in index.d.ts), as JSON text.
    pub fn result(&self) -> Result<String> {
        if let Inner::Balance(_) = self.inner {
            let mut v = crate::balance::walk_json(self.inner.balance()?);
            v["done"] = json!(self.inner.next().is_none());
            return Ok(v.to_string());
        }
        let w = self.inner.posted()?;
        let value = |v: Option<&std::result::Result<ShareValue, sharestate::ValueError>>| match v {
            None => Value::Null,
            Some(Ok(v)) => json!({ "score": v.score.to_string(), "paid": v.paid }),
            Some(Err(e)) => json!({ "error": e.to_string() }),
        };
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
                    "rewardInput": s.reward_input.to_hex(),
                    "rewardFollowed": s.reward_followed,
                    "touched": s.touched.iter().map(|t| json!({
                        "key": hex::encode(&t.key),
                        "before": value(t.before.as_ref()),
                        "after": value(Some(&t.after)),
                        "paid": t.paid.map(|p| p.to_string()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(json!({
            "design": "posted",
            "start": w.start.id.to_hex(),
            "contract": w.contract.name(),
            "maxScore": w.max_score,
            "reward": w.reward.map(|r| r.to_string()),
            "tip": w.tip.id.to_hex(),
            "tipDigest": w.tip_digest().map(|d| d.to_hex()),
            "deadline": match w.contract {
                posted::ShareStateContract::Hardened { .. } => posted::hardened::deadline(&w.tip.ergo_box),
                _ => None,
            },
            "epochToken": w.epoch_token.as_ref().map(|t| match t {
                Ok(()) => json!({ "ok": true }),
                Err(why) => json!({ "ok": false, "why": why }),
            }),
            "end": w.end.as_ref().map(|e| json!({
                "txId": e.tx_id.to_hex(),
                "txIdVerified": e.tx_id_verified,
                "height": e.height,
                "closed": e.kind == walk::EndKind::Closed,
                "describe": posted::audit::describe_end(w, None),
                "rewardLeft": e.reward_left.map(|r| r.to_string()),
            })),
            "rewardBox": w.reward_box.as_ref().map(|r| json!({
                "id": r.id.to_hex(),
                "value": r.ergo_box.value.to_string(),
                "spentBy": r.spent_transaction_id.map(|t| t.to_hex()),
            })),
            "emptyPayouts": w.empty_payouts(),
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
    let d = Digest::from_hex(digest)?;
    let v = service::verify_proof_answer(answer_json, &d, &MinerKey::from_hex(key)?.0)?;
    Ok(hex_or_null(v.as_deref()))
}

/// The id an unsigned transaction (EIP-12 JSON) will have once signed.
#[wasm_bindgen(js_name = transactionId)]
pub fn transaction_id(eip12_json: &str) -> Result<String> {
    Ok(UnsignedTransaction::from_eip12(eip12_json)?.id().to_hex())
}
