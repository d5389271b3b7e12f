//! **Headers and inclusion proofs** from each source: the requests and their answers, checked
//! as far as an answer alone can be (each header's id recomputed; an inclusion proof built or
//! read). Whether the headers are a chain with enough work, and whether the proof leads to the
//! header's root, is [`crate::trust`]'s.
//!
//! | source | headers `from..=to` | a transaction's inclusion in a block |
//! |---|---|---|
//! | node | `/blocks/chainSlice?fromHeight=from-1&toHeight=to` (the node leaves `fromHeight` out) | `/blocks/{id}/proofFor/{txId}`, or many blocks' transactions at once (`POST /blocks/headerIds`): the tree rebuilt |
//! | ergo-graphql | `blockHeaders(height)`, one alias per height | the block's `transactions(headerId)` (ids, proof bytes, index): the tree rebuilt |
//! | explorer API v1 | `/api/v1/blocks/headers?offset=from-1&limit=…&sortBy=height&sortDirection=asc` | the block, `/api/v1/blocks/{id}` (its transactions' ids, proof bytes, index): the tree rebuilt |
//!
//! A node also proves boxes **unspent**: `POST /utxo/getBoxesBinaryProof` gives a batch AVL+
//! lookup proof of box ids in its UTXO set, whose digest is the state root of its last header
//! ([`SourceKind::unspent_request`]; checked by [`crate::trust::unspent`]). ergo-graphql and the
//! explorer API give none.

use super::graphql::post;
use super::{clip, Method, Request, SourceError, SourceKind};
use crate::encoding::hex;
use crate::ergo::header::Header;
use crate::ergo::merkle::{block_leaves, witness_id, InclusionProof};
use crate::ergo::Id;
use serde_json::Value;

/// The most blocks one request asks for ([`SourceKind::blocks_request`]): aliases of one
/// ergo-graphql query, or full blocks from a node.
pub const MAX_BLOCKS: usize = 20;

/// The fields of a block's transactions that rebuild its tree.
const BLOCK_TX_FIELDS: &str = "transactionId index inputs { index proofBytes }";

/// The most transactions of one block read from ergo-graphql (its `take`); a block with more is
/// not proven from it (its root would not rebuild: refused, never a false proof).
const MAX_BLOCK_TXS: usize = 200;

/// A node's POST of a JSON list of ids (hex) to `path`.
fn id_list_post(path: &str, ids: &[Id]) -> Request {
    let ids: Vec<String> = ids.iter().map(|b| format!("\"{b}\"")).collect();
    Request {
        method: Method::Post,
        path: path.into(),
        body: Some((format!("[{}]", ids.join(",")), "application/json")),
    }
}

impl SourceKind {
    /// The most headers one request asks for: a node's slice or an explorer page of hundreds
    /// (a header is about 1 KB of JSON), 32 aliases of an ergo-graphql query.
    pub fn max_headers(self) -> u32 {
        match self {
            SourceKind::Node => 512,
            SourceKind::Graphql => 32,
            SourceKind::Explorer => 500,
        }
    }

    /// The request for the headers at heights `from..=to` (at most [`SourceKind::max_headers`];
    /// the caller splits longer runs).
    pub fn headers_request(self, from: u32, to: u32) -> Request {
        let to = to.min(from.saturating_add(self.max_headers() - 1));
        match self {
            // the node's slice leaves out `fromHeight` itself (it walks back from `toHeight`
            // while the height is above `fromHeight + 1`)
            SourceKind::Node => Request {
                method: Method::Get,
                path: format!("/blocks/chainSlice?fromHeight={}&toHeight={to}", from.saturating_sub(1)),
                body: None,
            },
            SourceKind::Graphql => {
                let fields = "headerId parentId version height nBits timestamp stateRoot adProofsRoot transactionsRoot extensionHash powSolutions votes";
                let parts: Vec<String> = (from..=to)
                    .map(|h| format!("h{h}: blockHeaders(height: {h}, take: 1) {{ {fields} }}"))
                    .collect();
                post(
                    format!("query Headers {{ {} }}", parts.join(" ")),
                    serde_json::json!({}),
                )
            }
            // paged by position in height order: the header at height h is at offset h - 1 (the
            // chain starts at height 1); the heights returned are checked by the caller
            SourceKind::Explorer => Request {
                method: Method::Get,
                path: format!(
                    "/api/v1/blocks/headers?offset={}&limit={}&sortBy=height&sortDirection=asc",
                    from.saturating_sub(1),
                    to.saturating_sub(from).saturating_add(1)
                ),
                body: None,
            },
        }
    }

    /// The headers of an answer to [`SourceKind::headers_request`], each id recomputed, in
    /// height order (what heights they are at is the caller's to check).
    pub fn headers_answer(self, text: &str) -> Result<Vec<Header>, SourceError> {
        let mut headers = match self {
            SourceKind::Graphql => {
                let data: Value = super::graphql::open(text, "a GraphQL answer of headers")?;
                let lists = data.as_object().into_iter().flat_map(|o| o.values());
                lists
                    .flat_map(|l| l.as_array().into_iter().flatten())
                    .map(Header::from_value)
                    .collect::<Result<Vec<_>, _>>()?
            }
            SourceKind::Explorer => {
                use crate::ergo::header::HeaderError;
                let page: Value = serde_json::from_str(text).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
                let items = page["items"].as_array().ok_or_else(|| {
                    HeaderError::Json(format!("the explorer's answer has no list of headers: {}", clip(text)))
                })?;
                items.iter().map(Header::from_value).collect::<Result<Vec<_>, _>>()?
            }
            SourceKind::Node => Header::list_from_json(text)?,
        };
        headers.sort_by_key(|h| h.height);
        Ok(headers)
    }

    /// The request for the proof that transaction `tx` is in `block`.
    pub fn inclusion_request(self, block: &Id, tx: &Id) -> Request {
        match self {
            SourceKind::Node => Request {
                method: Method::Get,
                path: format!("/blocks/{}/proofFor/{}", block.to_hex(), tx.to_hex()),
                body: None,
            },
            SourceKind::Graphql => post(
                format!("query Block($id: String, $take: Int) {{ transactions(headerId: $id, take: $take) {{ {BLOCK_TX_FIELDS} }} }}"),
                serde_json::json!({ "id": block.to_hex(), "take": MAX_BLOCK_TXS }),
            ),
            SourceKind::Explorer => Request {
                method: Method::Get,
                path: format!("/api/v1/blocks/{}", block.to_hex()),
                body: None,
            },
        }
    }

    /// The request for a proof that `boxes` are unspent — in the UTXO set of the source's last
    /// block, whose header's state root is the set's digest: a node's
    /// `POST /utxo/getBoxesBinaryProof`; none from the other sources.
    pub fn unspent_request(self, boxes: &[Id]) -> Option<Request> {
        match self {
            SourceKind::Node => Some(id_list_post("/utxo/getBoxesBinaryProof", boxes)),
            SourceKind::Graphql | SourceKind::Explorer => None,
        }
    }

    /// The proof bytes of an answer to [`SourceKind::unspent_request`] (a JSON string of hex).
    pub fn unspent_answer(self, text: &str) -> Result<Vec<u8>, SourceError> {
        let bad = |detail: String| SourceError::Inclusion { detail };
        let hex_text: String = serde_json::from_str(text).map_err(|_| {
            bad(format!(
                "the node's proof of unspent boxes is not a JSON string: {}",
                clip(text)
            ))
        })?;
        hex::decode(&hex_text).map_err(|e| bad(format!("the node's proof of unspent boxes: {e}")))
    }

    /// The request for the transactions of many blocks at once, where the source can (ergo-graphql:
    /// one aliased `transactions(headerId)` per block; a node: its full blocks,
    /// `POST /blocks/headerIds`; at most [`MAX_BLOCKS`]); what each block's part says is read by
    /// [`SourceKind::blocks_answer`].
    pub fn blocks_request(self, blocks: &[Id]) -> Option<Request> {
        match self {
            SourceKind::Node => {
                let ids = &blocks[..blocks.len().min(MAX_BLOCKS)];
                Some(id_list_post("/blocks/headerIds", ids))
            }
            SourceKind::Graphql => {
                let parts: Vec<String> = blocks
                    .iter()
                    .take(MAX_BLOCKS)
                    .enumerate()
                    .map(|(i, b)| {
                        format!(
                            "b{i}: transactions(headerId: \"{}\", take: {MAX_BLOCK_TXS}) {{ {BLOCK_TX_FIELDS} }}",
                            b.to_hex()
                        )
                    })
                    .collect();
                Some(post(
                    format!("query Blocks {{ {} }}", parts.join(" ")),
                    serde_json::json!({}),
                ))
            }
            SourceKind::Explorer => None,
        }
    }

    /// The answer to [`SourceKind::blocks_request`] for `blocks`, split into each block's
    /// answer as [`SourceKind::inclusion_answer`] reads it (and a cache keeps it).
    pub fn blocks_answer(self, text: &str, blocks: &[Id]) -> Result<Vec<String>, SourceError> {
        if self == SourceKind::Node {
            // the blocks it has, in any order: each asked block's transactions, by the id its
            // answer claims (a block that is not the header's fails at its root)
            let list: Vec<Value> = serde_json::from_str(text).map_err(|e| SourceError::Inclusion {
                detail: format!("the node's blocks are not a JSON list: {}", clip(&e.to_string())),
            })?;
            return Ok(blocks
                .iter()
                .take(MAX_BLOCKS)
                .map(|b| {
                    let found = list
                        .iter()
                        .find(|v| v["header"]["id"].as_str() == Some(b.to_hex().as_str()));
                    found.map_or_else(|| "{}".into(), |v| v["blockTransactions"].to_string())
                })
                .collect());
        }
        let data: Value = super::graphql::open(text, "a GraphQL answer of blocks' transactions")?;
        Ok((0..blocks.len().min(MAX_BLOCKS))
            .map(|i| {
                let txs = data.get(format!("b{i}")).cloned().unwrap_or(Value::Null);
                serde_json::json!({ "data": { "transactions": txs } }).to_string()
            })
            .collect())
    }

    /// The inclusion proof of `tx` in `block` (of block version `version`) from an answer to
    /// [`SourceKind::inclusion_request`]: the node's proof as given; from ergo-graphql and the
    /// explorer API, the block's transactions in order, their witness ids from their proof bytes, the tree
    /// rebuilt and the proof taken from it. Either proves something only if it leads to the
    /// header's root (checked by [`crate::trust::anchor`]).
    pub fn inclusion_answer(self, text: &str, version: u8, tx: &Id) -> Result<InclusionProof, SourceError> {
        let bad = |detail: String| SourceError::Inclusion { detail };
        // where each source lists a block's transactions, and how it names their fields
        let (list, id_field, proof_field) = match self {
            SourceKind::Node => {
                let v: Value = serde_json::from_str(text)
                    .map_err(|e| bad(format!("the node's answer is not JSON: {}", clip(&e.to_string()))))?;
                if v.get("transactions").is_none() {
                    // `proofFor`'s answer; else a block's transactions (from `/blocks/headerIds`)
                    return InclusionProof::from_json(text).map_err(|e| bad(e.to_string()));
                }
                (v["transactions"].clone(), "id", "spendingProof")
            }
            SourceKind::Graphql => {
                let data: Value = super::graphql::open(text, "a GraphQL answer of a block's transactions")?;
                (data["transactions"].clone(), "transactionId", "proofBytes")
            }
            SourceKind::Explorer => {
                let v: Value = serde_json::from_str(text)
                    .map_err(|e| bad(format!("the explorer's block is not JSON: {}", clip(&e.to_string()))))?;
                (v["block"]["blockTransactions"].clone(), "id", "spendingProof")
            }
        };
        let list = list
            .as_array()
            .ok_or_else(|| bad("no list of the block's transactions".into()))?;
        // (index in the block, id, witness id)
        let mut txs: Vec<(u64, [u8; 32], [u8; 31])> = Vec::with_capacity(list.len());
        for (at, t) in list.iter().enumerate() {
            let claimed = t[id_field].as_str().unwrap_or_default();
            let id =
                hex::decode_array::<32>(claimed).map_err(|e| bad(format!("transaction id {}: {e}", clip(claimed))))?;
            // a node lists a block's transactions in order, without their index
            let index = match self {
                SourceKind::Node => Some(at as u64),
                _ => t["index"].as_u64(),
            }
            .ok_or_else(|| bad(format!("transaction {claimed} has no index")))?;
            let mut inputs: Vec<(u64, Vec<u8>)> = Vec::new();
            for (n, i) in t["inputs"].as_array().into_iter().flatten().enumerate() {
                // the proof bytes: a string, or a node's `{proofBytes, extension}`
                let p = &i[proof_field];
                let p = p.get("proofBytes").unwrap_or(p);
                let proof = hex::decode(p.as_str().unwrap_or_default())
                    .map_err(|e| bad(format!("proof bytes of {claimed}: {e}")))?;
                inputs.push((i["index"].as_u64().unwrap_or(n as u64), proof));
            }
            inputs.sort_by_key(|(i, _)| *i);
            let proofs: Vec<&[u8]> = inputs.iter().map(|(_, p)| p.as_slice()).collect();
            txs.push((index, id, witness_id(&proofs)));
        }
        txs.sort_by_key(|t| t.0);
        txs.dedup_by_key(|t| t.0);
        let ids: Vec<[u8; 32]> = txs.iter().map(|t| t.1).collect();
        let witnesses: Vec<[u8; 31]> = txs.iter().map(|t| t.2).collect();
        let at = ids
            .iter()
            .position(|i| *i == tx.0)
            .ok_or_else(|| bad(format!("the block's transactions do not include {tx}")))?;
        InclusionProof::of(&block_leaves(version, &ids, &witnesses), at).ok_or_else(|| bad("no proof".into()))
    }
}
