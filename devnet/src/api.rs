//! The devnet's HTTP interface, on one port:
//!
//! - the **node API** subset (with `extraIndex`): `/info`, `/blocks/lastHeaders/{n}`,
//!   `/blocks/at/{height}`, `/blocks/chainSlice`, `/blocks/{id}/header`,
//!   `/blocks/{id}/transactions`, `/blocks/{id}/proofFor/{txId}`, `POST /blocks/headerIds`,
//!   `/blockchain/box/byId/{id}`, `/blockchain/box/byTokenId/{id}`,
//!   `/blockchain/box/unspent/byTokenId/{id}`, `POST /blockchain/box/byAddress`,
//!   `/blockchain/transaction/byId/{id}`, `POST /utxo/getBoxesBinaryProof`, `POST /transactions`;
//! - the **explorer API v1** subset: `/api/v1/info`, `/api/v1/boxes/{id}`, `/api/v1/boxes/byTokenId/{id}`,
//!   `/api/v1/boxes/unspent/byTokenId/{id}`, `/api/v1/boxes/byAddress/{address}`,
//!   `/api/v1/transactions/{id}`, `/api/v1/blocks/headers`, `/api/v1/blocks/{id}`,
//!   `POST /api/v1/mempool/transactions/submit`;
//! - the **explorer's GraphQL service** at `POST /graphql` ([`crate::graphql`]);
//! - the **pool proof service** under `/pool` (`/pool/epochs`, `/pool/proof/{box}/{key}`,
//!   `/pool/proofs/{key}?boxes=…`, `/pool/snapshot/{box}`), or as static files (`sharestate publish`) under `/files` when
//!   started with `--proof-files <dir>`;
//! - `/devnet/pools.json`: the pools the app knows (the demo pool), and `/devnet/miners`: some
//!   of its miners' addresses.
//!
//! Errors have the real services' shapes: the node's `{"error", "reason", "detail"}`, the
//! explorer's `{"status", "reason"}`. CORS is open, as on public nodes.

use crate::ledger::{BoxRecord, Ledger, LedgerError};
use crate::Devnet;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use sharestate::ergo::json::{box_json, transaction_json, Flavor};
use sharestate::ergo::Id;
use sharestate::posted::{check_payout, PayoutTransaction};
use sharestate::{hex, Address};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Shared = Arc<Mutex<Devnet>>;

fn json_response(status: StatusCode, v: Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

fn node_error(status: StatusCode, reason: &str, detail: impl std::fmt::Display) -> Response {
    json_response(
        status,
        json!({ "error": status.as_u16(), "reason": reason, "detail": detail.to_string() }),
    )
}

fn explorer_error(status: StatusCode, reason: impl std::fmt::Display) -> Response {
    json_response(
        status,
        json!({ "status": status.as_u16(), "reason": reason.to_string() }),
    )
}

fn parse_id(s: &str) -> Option<Id> {
    hex::decode_array::<32>(s).ok().map(Id)
}

/// A POST body that is a JSON list of ids (hex), as the node takes them.
fn id_list(body: &[u8]) -> Option<Vec<Id>> {
    let list: Vec<String> = serde_json::from_slice(body).ok()?;
    list.iter().map(|i| parse_id(i)).collect()
}

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Devnet> {
    // a panic while holding the lock leaves the data consistent enough to serve
    s.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn box_value(r: &BoxRecord, flavor: Flavor) -> Value {
    let mut v = box_json(&r.ergo_box, flavor, r.spent_by, Some(r.height));
    v["globalIndex"] = json!(r.global_index);
    if flavor == Flavor::Explorer {
        v["address"] = json!(
            Address::from_ergo_tree(&r.ergo_box.ergo_tree, sharestate::Network::Mainnet)
                .map(|a| a.encode())
                .ok()
        );
        v["mainChain"] = json!(true);
    }
    v
}

/// Flips one bit in the middle of a hex string.
fn flip(hex_str: &str) -> String {
    let mut b = hex::decode(hex_str).unwrap_or_default();
    if let Some(x) = b.get_mut(hex_str.len() / 4) {
        *x ^= 0x01;
    }
    hex::encode(&b)
}

pub fn tx_value(l: &Ledger, id: &Id, flavor: Flavor, tamper: Option<crate::Tamper>) -> Option<Value> {
    let t = l.get_tx(id)?;
    let mut tx = t.tx.clone();
    if tamper == Some(crate::Tamper::Payouts) {
        if let Some(var1) = tx
            .inputs
            .first_mut()
            .and_then(|i| i.extension.iter_mut().find(|(k, _)| *k == 1))
        {
            var1.1 = hex::decode(&flip(&hex::encode(&var1.1))).unwrap_or_default();
        }
    }
    let mut v = transaction_json(&tx, &t.spent, &t.proofs, flavor, Some(t.height), Some(t.timestamp));
    // the id the chain knows, whatever the content now hashes to
    v["id"] = json!(id.to_hex());
    // outputs carry their spent status and global index, as both services report them
    for (i, b) in t.tx.output_boxes().iter().enumerate() {
        if let Some(r) = l.get_box(&b.id()) {
            v["outputs"][i] = box_value(r, flavor);
        }
    }
    v["numConfirmations"] = json!(l.height() - t.height + 1);
    v["blockId"] = json!(t.block.to_hex());
    Some(v)
}

#[derive(serde::Deserialize)]
struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
}

fn page(items: Vec<&BoxRecord>, p: &Page, flavor: Flavor) -> Value {
    let total = items.len();
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(100).min(500);
    let items: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|r| box_value(r, flavor))
        .collect();
    json!({ "items": items, "total": total })
}

/// The router over `devnet`; `static_dir`, if given, is served at `/` (the app), and
/// `package_dir` at `/www/` (the npm package and its pool-website example).
pub fn router(
    devnet: Shared,
    static_dir: Option<std::path::PathBuf>,
    package_dir: Option<std::path::PathBuf>,
) -> Router {
    let proof_files = lock(&devnet).proof_files.clone();
    let mut r = Router::new()
        // node
        .route("/info", get(info))
        .route("/blocks/lastHeaders/{n}", get(last_headers))
        .route("/blocks/at/{height}", get(blocks_at))
        .route("/blocks/chainSlice", get(chain_slice))
        .route("/blocks/{id}/header", get(block_header))
        .route("/blocks/{id}/transactions", get(block_transactions))
        .route("/blocks/{id}/proofFor/{tx}", get(proof_for))
        .route("/blocks/headerIds", post(blocks_by_ids))
        .route("/blockchain/box/byId/{id}", get(node_box))
        .route("/blockchain/box/byTokenId/{id}", get(node_boxes_by_token))
        .route("/blockchain/box/unspent/byTokenId/{id}", get(node_unspent_by_token))
        .route("/blockchain/box/byAddress", post(node_boxes_by_address))
        .route("/blockchain/transaction/byId/{id}", get(node_tx))
        .route("/utxo/getBoxesBinaryProof", post(utxo_proof))
        .route("/transactions", post(node_submit))
        // explorer
        .route("/api/v1/info", get(explorer_info))
        .route("/api/v1/boxes/{id}", get(explorer_box))
        .route("/api/v1/boxes/byTokenId/{id}", get(explorer_boxes_by_token))
        .route("/api/v1/boxes/unspent/byTokenId/{id}", get(explorer_unspent_by_token))
        .route("/api/v1/boxes/byAddress/{address}", get(explorer_boxes_by_address))
        .route("/api/v1/transactions/{id}", get(explorer_tx))
        .route("/api/v1/blocks/headers", get(explorer_headers))
        .route("/api/v1/blocks/{id}", get(explorer_block))
        .route("/api/v1/mempool/transactions/submit", post(explorer_submit))
        // proof service and devnet info
        .route("/pool/{*path}", get(proof_service))
        .route("/devnet/pools.json", get(pools))
        // the app loads its pools from pools.json beside it: on the devnet, the demo pool
        .route("/pools.json", get(pools))
        .route("/devnet/miners", get(miners))
        .route_service(
            "/graphql",
            async_graphql_axum::GraphQL::new(crate::graphql::schema(devnet.clone())),
        );
    if let Some(dir) = proof_files {
        r = r.nest_service("/files", tower_http::services::ServeDir::new(dir));
    }
    if let Some(dir) = package_dir {
        r = r.nest_service("/www", tower_http::services::ServeDir::new(dir));
    }
    if let Some(dir) = static_dir {
        r = r.fallback_service(tower_http::services::ServeDir::new(dir));
    }
    r.layer(tower_http::cors::CorsLayer::permissive()).with_state(devnet)
}

async fn info(State(s): State<Shared>) -> Response {
    let d = lock(&s);
    let best = d.ledger.last_headers(1).first().map(|h| h.id().to_hex());
    json_response(
        StatusCode::OK,
        json!({
            "name": "sharestate-devnet",
            // what a node with the APIs the devnet serves would say: recent enough to give
            // context extensions (5.0.27+), with extraIndex on
            "appVersion": "6.0.1",
            "network": "mainnet",
            "fullHeight": d.ledger.height(),
            "headersHeight": d.ledger.height(),
            "maxPeerHeight": d.ledger.height(),
            "bestFullHeaderId": best,
            "bestHeaderId": best,
            "isMining": false,
            "peersCount": 0,
            "unconfirmedCount": 0,
            "isExplorer": true,
            "stateType": "utxo",
        }),
    )
}

async fn last_headers(State(s): State<Shared>, Path(n): Path<usize>) -> Response {
    let d = lock(&s);
    let mut hs: Vec<Value> = d
        .ledger
        .last_headers(n.min(100))
        .into_iter()
        .map(|h| d.served_header(h).to_json())
        .collect();
    hs.reverse(); // the node lists them oldest first
    json_response(StatusCode::OK, Value::Array(hs))
}

/// The node's `/blocks/at/{height}`: the ids of the blocks at that height (one here: no forks).
async fn blocks_at(State(s): State<Shared>, Path(height): Path<u32>) -> Response {
    let d = lock(&s);
    let ids: Vec<String> = d
        .ledger
        .header_at(height)
        .map(|h| d.served_header(h).id().to_hex())
        .into_iter()
        .collect();
    json_response(StatusCode::OK, json!(ids))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Slice {
    from_height: Option<u32>,
    to_height: Option<i64>,
}

/// The node's `/blocks/chainSlice?fromHeight=&toHeight=`: as the node walks back from
/// `toHeight` (-1 or absent: the tip) while the height is above `fromHeight + 1`, the headers
/// `fromHeight + 1 ..= toHeight`, oldest first, at most 16,384.
async fn chain_slice(State(s): State<Shared>, Query(q): Query<Slice>) -> Response {
    let d = lock(&s);
    let tip = d.ledger.height();
    let to = match q.to_height {
        Some(t) if t >= 0 => (t.min(i64::from(tip))) as u32,
        _ => tip,
    };
    let from = q
        .from_height
        .unwrap_or(0)
        .saturating_add(1)
        .max(to.saturating_sub(16_383));
    let hs: Vec<Value> = (from..=to)
        .filter_map(|h| d.ledger.header_at(h))
        .map(|h| d.served_header(h).to_json())
        .collect();
    json_response(StatusCode::OK, Value::Array(hs))
}

async fn block_header(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match parse_id(&id).and_then(|i| d.ledger.header(&i)) {
        Some(h) => json_response(StatusCode::OK, d.served_header(h).to_json()),
        None => node_error(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("No block found with id {id}"),
        ),
    }
}

/// A block's transactions as the node gives them (`/blocks/{id}/transactions`, and a full
/// block's `blockTransactions`): in order, whole. In [`crate::Tamper::Inclusion`], their proof
/// bytes changed (so their witness ids, and the block's tree, are not the header's).
fn block_transactions_json(d: &Devnet, block: &Id) -> Option<Value> {
    let h = d.ledger.header(block)?;
    let txs: Vec<Value> = d
        .ledger
        .block_transactions(block)?
        .iter()
        .map(|t| {
            let mut proofs = t.proofs.clone();
            if d.tamper == Some(crate::Tamper::Inclusion) {
                proofs.iter_mut().for_each(|p| p.push(0));
            }
            transaction_json(&t.tx, &t.spent, &proofs, Flavor::Node, None, None)
        })
        .collect();
    Some(json!({ "headerId": block.to_hex(), "transactions": txs, "blockVersion": h.version }))
}

/// The node's `/blocks/{id}/transactions`: the block's transactions, in order, whole.
async fn block_transactions(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    let Some(block) = parse_id(&id) else {
        return node_error(
            StatusCode::BAD_REQUEST,
            "bad.request",
            format!("{id} is not a block id"),
        );
    };
    match block_transactions_json(&d, &block) {
        Some(v) => json_response(StatusCode::OK, v),
        None => node_error(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("No block found with id {id}"),
        ),
    }
}

/// The node's `POST /blocks/headerIds`: the full blocks of the ids it knows (a JSON list of
/// header ids in), `[{header, blockTransactions, extension, adProofs, size}]`; unknown ids
/// left out.
async fn blocks_by_ids(State(s): State<Shared>, body: Bytes) -> Response {
    let Some(ids) = id_list(&body) else {
        return node_error(StatusCode::BAD_REQUEST, "bad.request", "a JSON list of header ids");
    };
    let d = lock(&s);
    let blocks: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            let header = d.served_header(d.ledger.header(id)?).to_json();
            Some(json!({
                "header": header,
                "blockTransactions": block_transactions_json(&d, id)?,
                "extension": { "headerId": id.to_hex(), "digest": hex::encode(&[0u8; 32]), "fields": [] },
                "adProofs": null,
                "size": 0,
            }))
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(blocks))
}

/// The node's `/blocks/{id}/proofFor/{txId}`: the transaction's Merkle inclusion proof.
async fn proof_for(State(s): State<Shared>, Path((id, tx)): Path<(String, String)>) -> Response {
    let d = lock(&s);
    let proof = parse_id(&id)
        .zip(parse_id(&tx))
        .and_then(|(b, t)| d.ledger.proof_for(&b, &t));
    match proof {
        Some(mut p) => {
            // a lie, in a test mode: the proof leads elsewhere
            if d.tamper == Some(crate::Tamper::Inclusion) {
                if let Some(s) = p.levels.first_mut().and_then(|l| l.sibling.as_mut()) {
                    s[0] ^= 0x01;
                }
            }
            json_response(StatusCode::OK, p.to_json())
        }
        None => node_error(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("No transaction {tx} in block {id}"),
        ),
    }
}

/// The node's `POST /utxo/getBoxesBinaryProof`: a JSON list of box ids in, the hex of a batch
/// AVL+ lookup proof of them against the UTXO set of the last block out (a JSON string).
async fn utxo_proof(State(s): State<Shared>, body: Bytes) -> Response {
    let Some(ids) = id_list(&body) else {
        return node_error(StatusCode::BAD_REQUEST, "bad.request", "a JSON list of box ids");
    };
    let mut d = lock(&s);
    json_response(StatusCode::OK, json!(hex::encode(&d.ledger.utxo_proof(&ids))))
}

async fn node_box(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match parse_id(&id).and_then(|i| d.ledger.get_box(&i)) {
        Some(r) if d.tamper == Some(crate::Tamper::Huge) => huge(box_value(r, Flavor::Node)),
        Some(r) => json_response(StatusCode::OK, box_value(r, Flavor::Node)),
        None => node_error(StatusCode::NOT_FOUND, "not-found", format!("No box found with id {id}")),
    }
}

/// `value` as valid JSON padded to 40 MiB, streamed without a Content-Length: a client must
/// stop reading at its own limit.
fn huge(value: Value) -> Response {
    let head = value.to_string().into_bytes();
    let chunks = std::iter::once(head).chain(std::iter::repeat_n(vec![b' '; 1 << 20], 40));
    let body = axum::body::Body::from_stream(futures_util::stream::iter(
        chunks.map(Ok::<_, std::convert::Infallible>),
    ));
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn node_boxes_by_token(State(s): State<Shared>, Path(id): Path<String>, Query(p): Query<Page>) -> Response {
    let d = lock(&s);
    match hex::decode_array::<32>(&id) {
        Ok(t) if d.tamper == Some(crate::Tamper::Huge) => huge(page(d.ledger.boxes_by_token(&t), &p, Flavor::Node)),
        Ok(t) => json_response(StatusCode::OK, page(d.ledger.boxes_by_token(&t), &p, Flavor::Node)),
        Err(e) => node_error(StatusCode::BAD_REQUEST, "bad.request", e),
    }
}

async fn node_unspent_by_token(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match hex::decode_array::<32>(&id) {
        Ok(t) => {
            let items: Vec<Value> = d
                .ledger
                .boxes_by_token(&t)
                .into_iter()
                .filter(|r| r.spent_by.is_none())
                .map(|r| box_value(r, Flavor::Node))
                .collect();
            json_response(StatusCode::OK, Value::Array(items))
        }
        Err(e) => node_error(StatusCode::BAD_REQUEST, "bad.request", e),
    }
}

fn tree_of_address(a: &str) -> Result<Vec<u8>, String> {
    Address::parse(a.trim().trim_matches('"'))
        .map(|a| a.proposition_bytes())
        .map_err(|e| e.to_string())
}

async fn node_boxes_by_address(State(s): State<Shared>, Query(p): Query<Page>, body: Bytes) -> Response {
    let d = lock(&s);
    match tree_of_address(&String::from_utf8_lossy(&body)) {
        Ok(tree) => json_response(StatusCode::OK, page(d.ledger.boxes_by_tree(&tree), &p, Flavor::Node)),
        Err(e) => node_error(StatusCode::BAD_REQUEST, "bad.request", e),
    }
}

async fn node_tx(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match parse_id(&id).and_then(|i| tx_value(&d.ledger, &i, Flavor::Node, d.tamper)) {
        Some(v) => json_response(StatusCode::OK, v),
        None => node_error(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("No transaction found with id {id}"),
        ),
    }
}

/// Validates and applies a submitted transaction; a refused payout also gets our clause check.
fn submit(d: &mut Devnet, body: &[u8]) -> Result<Id, String> {
    let text = String::from_utf8_lossy(body);
    match d.submit_json(&text) {
        Ok(id) => Ok(id),
        Err(e) => Err(
            match (&e, explain_payout(&d.ledger, &text), explain_command(&d.ledger, &text)) {
                (LedgerError::Invalid(_), Some(clauses), _) => {
                    format!("{e}; the share-state contract fails: {clauses}")
                }
                (LedgerError::Invalid(_), _, Some((command, clauses))) => {
                    format!("{e}; the {command} command fails: {clauses}")
                }
                _ => e.to_string(),
            },
        ),
    }
}

/// For a refused Design 2 command: which command, and the clauses our check finds failing.
fn explain_command(l: &Ledger, json: &str) -> Option<(&'static str, String)> {
    let tx = sharestate::ergo::json::decode_transaction(json).ok()?;
    let state = l.get_box(&tx.inputs.first()?.box_id)?.ergo_box.clone();
    let command = l.get_box(&tx.inputs.get(1)?.box_id)?.ergo_box.clone();
    let ext = tx.inputs.get(1)?.extension.clone()?;
    let outputs: Vec<_> = tx
        .outputs
        .iter()
        .map(|o| sharestate::ergo::Candidate::from(&o.ergo_box))
        .collect();
    let c = sharestate::persistent::CommandTransaction::from_parts(&state, &command, &ext, &outputs).ok()?;
    let report = sharestate::persistent::check_command(&c).ok()?;
    let failing = report.failing();
    (!failing.is_empty()).then(|| (report.contract.command.name(), failing.join(", ")))
}

/// For a refused payout: the clauses our check finds failing.
fn explain_payout(l: &Ledger, json: &str) -> Option<String> {
    let tx = sharestate::ergo::json::decode_transaction(json).ok()?;
    let state = l.get_box(&tx.inputs.first()?.box_id)?.ergo_box.clone();
    let reward = l.get_box(&tx.inputs.get(1)?.box_id)?.ergo_box.clone();
    let ext = tx.inputs.first()?.extension.clone()?;
    let outputs: Vec<_> = tx
        .outputs
        .iter()
        .map(|o| sharestate::ergo::Candidate::from(&o.ergo_box))
        .collect();
    let p = PayoutTransaction::from_parts(&state, &reward, &ext, &outputs).ok()?;
    let failing = check_payout(&p).failing();
    (!failing.is_empty()).then(|| failing.join(", "))
}

async fn node_submit(State(s): State<Shared>, body: Bytes) -> Response {
    let mut d = lock(&s);
    match submit(&mut d, &body) {
        Ok(id) => json_response(StatusCode::OK, json!(id.to_hex())),
        Err(e) => node_error(StatusCode::BAD_REQUEST, "bad.request", e),
    }
}

async fn explorer_info(State(s): State<Shared>) -> Response {
    let d = lock(&s);
    let best = d.ledger.last_headers(1).first().map(|h| h.id().to_hex());
    json_response(
        StatusCode::OK,
        json!({
            "lastBlockId": best,
            "height": d.ledger.height(),
            "maxBoxGix": d.ledger.boxes_count(),
            "maxTxGix": d.ledger.transactions().count(),
        }),
    )
}

async fn explorer_box(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match parse_id(&id).and_then(|i| d.ledger.get_box(&i)) {
        Some(r) => json_response(StatusCode::OK, box_value(r, Flavor::Explorer)),
        None => explorer_error(StatusCode::NOT_FOUND, format!("Not found: box {id}")),
    }
}

async fn explorer_boxes_by_token(State(s): State<Shared>, Path(id): Path<String>, Query(p): Query<Page>) -> Response {
    let d = lock(&s);
    match hex::decode_array::<32>(&id) {
        Ok(t) => json_response(StatusCode::OK, page(d.ledger.boxes_by_token(&t), &p, Flavor::Explorer)),
        Err(e) => explorer_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn explorer_unspent_by_token(State(s): State<Shared>, Path(id): Path<String>, Query(p): Query<Page>) -> Response {
    let d = lock(&s);
    match hex::decode_array::<32>(&id) {
        Ok(t) => {
            let items = d
                .ledger
                .boxes_by_token(&t)
                .into_iter()
                .filter(|r| r.spent_by.is_none())
                .collect();
            json_response(StatusCode::OK, page(items, &p, Flavor::Explorer))
        }
        Err(e) => explorer_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn explorer_boxes_by_address(
    State(s): State<Shared>,
    Path(address): Path<String>,
    Query(p): Query<Page>,
) -> Response {
    let d = lock(&s);
    match tree_of_address(&address) {
        Ok(tree) => json_response(
            StatusCode::OK,
            page(d.ledger.boxes_by_tree(&tree), &p, Flavor::Explorer),
        ),
        Err(e) => explorer_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn explorer_tx(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    match parse_id(&id).and_then(|i| tx_value(&d.ledger, &i, Flavor::Explorer, d.tamper)) {
        Some(v) => json_response(StatusCode::OK, v),
        None => explorer_error(StatusCode::NOT_FOUND, format!("Not found: transaction {id}")),
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct HeaderPage {
    offset: Option<usize>,
    limit: Option<usize>,
    sort_by: Option<String>,
    sort_direction: Option<String>,
}

/// A header as the explorer API serves it: the node's fields, without `unparsedBytes`, with
/// `d` as a decimal string.
fn explorer_header(h: &sharestate::ergo::Header) -> Value {
    let mut v = h.to_json();
    if let Some(o) = v.as_object_mut() {
        o.remove("unparsedBytes");
    }
    v["powSolutions"]["d"] = json!("0");
    v
}

/// The explorer's `/api/v1/blocks/headers?offset=&limit=&sortBy=height&sortDirection=asc|desc`:
/// a page of the chain's headers in height order, `{items, total}`, at most 500. As on
/// mainnet, where the chain starts at height 1, offset `k` ascending is height `k + 1`: the
/// devnet's chain starts at its genesis height, and the offsets below it hold nothing.
async fn explorer_headers(State(s): State<Shared>, Query(p): Query<HeaderPage>) -> Response {
    let d = lock(&s);
    if p.sort_by.as_deref().is_some_and(|b| b != "height" && b != "timestamp") {
        return explorer_error(StatusCode::BAD_REQUEST, "Invalid value for: query parameter sortBy");
    }
    let tip = d.ledger.height();
    let offset = u32::try_from(p.offset.unwrap_or(0)).unwrap_or(u32::MAX);
    let limit = p.limit.unwrap_or(20).min(500) as u32;
    let descending = p
        .sort_direction
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("desc"));
    let heights: Vec<u32> = if descending {
        let top = tip.saturating_sub(offset);
        (top.saturating_sub(limit.saturating_sub(1)).max(1)..=top)
            .rev()
            .collect()
    } else {
        let first = offset.saturating_add(1);
        (first..=first.saturating_add(limit).saturating_sub(1).min(tip)).collect()
    };
    let items: Vec<Value> = heights
        .into_iter()
        .filter_map(|h| d.ledger.header_at(h))
        .map(|h| explorer_header(&d.served_header(h)))
        .collect();
    json_response(StatusCode::OK, json!({ "items": items, "total": tip }))
}

/// The explorer's `/api/v1/blocks/{id}`: `{block: {header, blockTransactions, extension,
/// adProofs}, references}`, the block's transactions in order, each with its `index`.
async fn explorer_block(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let d = lock(&s);
    let found = parse_id(&id).and_then(|b| Some((d.ledger.header(&b)?, d.ledger.block_transactions(&b)?)));
    let Some((h, txs)) = found else {
        return explorer_error(StatusCode::NOT_FOUND, format!("Not found: block {id}"));
    };
    let mut header = explorer_header(&d.served_header(h));
    header["votes"] = json!(h.votes);
    let txs: Vec<Value> = txs
        .iter()
        .enumerate()
        .filter_map(|(index, t)| {
            let mut v = tx_value(&d.ledger, &t.tx.id(), Flavor::Explorer, d.tamper)?;
            v["index"] = json!(index);
            for (i, input) in v["inputs"].as_array_mut().into_iter().flatten().enumerate() {
                input["index"] = json!(i);
                // a lie, in a test mode: other proof bytes, so other witness ids and another tree
                if d.tamper == Some(crate::Tamper::Inclusion) {
                    let p = input["spendingProof"].as_str().unwrap_or_default().to_string();
                    input["spendingProof"] = json!(format!("{p}00"));
                }
            }
            Some(v)
        })
        .collect();
    json_response(
        StatusCode::OK,
        json!({
            "block": { "header": header, "blockTransactions": txs, "extension": {}, "adProofs": null },
            "references": { "previousId": h.parent_id.to_hex(), "nextId": null },
        }),
    )
}

async fn explorer_submit(State(s): State<Shared>, body: Bytes) -> Response {
    let mut d = lock(&s);
    match submit(&mut d, &body) {
        Ok(id) => json_response(StatusCode::OK, json!({ "id": id.to_hex() })),
        Err(e) => explorer_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn proof_service(
    State(s): State<Shared>,
    Path(path): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let slow = lock(&s).tamper == Some(crate::Tamper::SlowProofs);
    if slow {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    }
    let mut d = lock(&s);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    let mut r = d.service.handle(&format!("/{path}{query}"));
    if d.tamper == Some(crate::Tamper::Proofs) && r.status == 200 {
        if let Ok(mut v) = serde_json::from_str::<Value>(&r.body) {
            // every lookup proof, one or many at once
            let answers = match v.get_mut("proofs").and_then(Value::as_array_mut) {
                Some(many) => many.iter_mut().collect(),
                None => vec![&mut v],
            };
            for a in answers {
                if let Some(p) = a["proof"].as_str().map(flip) {
                    a["proof"] = json!(p);
                }
            }
            r.body = v.to_string();
        }
    }
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], r.body).into_response()
}

async fn pools(State(s): State<Shared>) -> Response {
    let d = lock(&s);
    let p = &d.pool;
    json_response(
        StatusCode::OK,
        json!({
            "pools": [{
                "name": crate::pool::POOL_NAME,
                "design": "posted",
                "token": hex::encode(&p.token),
                "operator": p.operator_address,
                // where its hardened epochs' share-state boxes live (anyone may add boxes there)
                "shareStateAddress": p
                    .share_state_tree()
                    .ok()
                    .and_then(|t| sharestate::Address::from_ergo_tree(&t, sharestate::Network::Mainnet).ok())
                    .map(|a| a.encode()),
                "proofService": if d.proof_files.is_some() { "/files" } else { "/pool" },
                "explorer": "/api/v1/transactions/",
                "epochs": p.epochs.iter().map(|e| json!({
                    "number": e.number,
                    "contract": e.contract,
                    "startBox": e.state_boxes[0].to_hex(),
                })).collect::<Vec<_>>(),
            }, balance_pool_entry(&d)]
        }),
    )
}

/// The demo balance pool (Design 2) as `pools.json` lists it: its NFT, its first state box,
/// the state box's address under each contract set.
fn balance_pool_entry(d: &crate::Devnet) -> Value {
    let b = &d.balance;
    let address = |t: &[u8]| {
        sharestate::Address::from_ergo_tree(t, sharestate::Network::Mainnet)
            .map(|a| a.encode())
            .ok()
    };
    json!({
        "name": crate::balance_pool::NAME,
        "design": "persistent",
        "nft": hex::encode(&b.nft),
        "operator": b.operator_address,
        "startBox": b.state_boxes.first().map(|i| i.to_hex()),
        "stateAddresses": {
            "deployed": address(&b.contracts[0].state),
            "hardened": address(&b.contracts[1].state),
        },
        // what the pool states as its minimum payout, nanoErg (its word: the contracts do not
        // hold it; each demo miner chose their own, `/devnet/miners?pool=balance`)
        "minimumPayout": crate::balance_pool::DEFAULT_MINIMUM.to_string(),
        // its current state, served live (the published files are the demo pool's)
        "proofService": "/pool",
        "explorer": "/api/v1/transactions/",
    })
}

/// Miners' addresses and, per epoch, what the generator made of them: the ground truth a
/// client's verified figures must match (`?limit=&offset=`); with `?pool=balance`, the demo
/// balance pool's miners and each one's history.
async fn miners(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let d = lock(&s);
    if q.get("pool").map(String::as_str) == Some("balance") {
        return balance_miners(&d, &q);
    }
    let limit = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20usize)
        .min(crate::pool::MINERS);
    let offset = q.get("offset").and_then(|l| l.parse().ok()).unwrap_or(0usize);
    let items: Vec<Value> = d
        .pool
        .miners
        .iter()
        .skip(offset)
        .take(limit)
        .map(|m| {
            let epochs: Vec<Value> = d
                .pool
                .epochs
                .iter()
                .map(|e| {
                    let score = e.scores.get(&m.key).copied();
                    let expected =
                        score.and_then(|s| sharestate::pool::payout_amount(s, e.reward as i64, e.max_score).ok());
                    let paid = e.paid.get(&m.key);
                    json!({
                        "number": e.number,
                        "score": score,
                        "expected": expected.map(|x| x.to_string()),
                        "paid": paid.map(|(_, a)| a.to_string()),
                        "transaction": paid.map(|(t, _)| t.to_hex()),
                        // the block that holds the paying transaction
                        "paidHeight": paid.and_then(|(t, _)| d.ledger.get_tx(t)).map(|r| r.height),
                        // which of the epoch's pending payouts would pay them (0: the next)
                        "pendingBatch": e.pending.iter().position(|b| b.contains(&m.key)),
                        "closed": e.closed.map(|t| t.to_hex()),
                        "deadline": e.deadline,
                    })
                })
                .collect();
            json!({ "address": m.address, "key": hex::encode(&m.key), "epochs": epochs })
        })
        .collect();
    json_response(StatusCode::OK, json!({ "items": items, "total": d.pool.miners.len() }))
}

/// The demo balance pool's miners (`?pool=balance&limit=&offset=`): address, key, minimum
/// payout, the rounds they mined, what they are owed now, and every command that touched
/// them — the ground truth of a miner's Design 2 history.
fn balance_miners(d: &crate::Devnet, q: &HashMap<String, String>) -> Response {
    let b = &d.balance;
    let limit = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20usize)
        .min(crate::balance_pool::MINERS);
    let offset = q.get("offset").and_then(|l| l.parse().ok()).unwrap_or(0usize);
    let items: Vec<Value> = b
        .miners
        .iter()
        .skip(offset)
        .take(limit)
        .map(|m| {
            let events: Vec<Value> = b
                .history
                .get(&m.miner.key)
                .into_iter()
                .flatten()
                .map(|e| {
                    json!({
                        "round": e.round,
                        "command": e.command.name(),
                        "transaction": e.transaction.to_hex(),
                        "height": d.ledger.get_tx(&e.transaction).map(|r| r.height),
                        "amount": e.amount.to_string(),
                        "balance": e.balance.to_string(),
                    })
                })
                .collect();
            json!({
                "address": m.miner.address,
                "key": hex::encode(&m.miner.key),
                "minimum": m.minimum.to_string(),
                "rounds": m.rounds,
                "owed": b.owed(&m.miner.key).map(|o| o.to_string()),
                "events": events,
            })
        })
        .collect();
    json_response(StatusCode::OK, json!({ "items": items, "total": b.miners.len() }))
}
