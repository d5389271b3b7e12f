//! **Headers and inclusion proofs** from each source: the requests and their answers, checked
//! as far as an answer alone can be (each header's id recomputed; an inclusion proof built or
//! read). Whether the headers are a chain with enough work, and whether the proof leads to the
//! header's root, is [`crate::trust`]'s.
//!
//! | source | headers `from..=to` | a transaction's inclusion in a block |
//! |---|---|---|
//! | node | `/blocks/chainSlice?fromHeight&toHeight` | `/blocks/{id}/proofFor/{txId}` |
//! | ergo-graphql | `blockHeaders(height)`, one alias per height | the block's `transactions(headerId)` (ids, proof bytes, index): the tree rebuilt |
//! | explorer API | none read (no headers by height) | none |

use super::{clip, Method, Request, SourceError, SourceKind};
use crate::encoding::hex;
use crate::ergo::header::Header;
use crate::ergo::merkle::{block_leaves, witness_id, InclusionProof};
use crate::ergo::Id;
use serde::Deserialize;

/// The most headers asked in one request.
pub const MAX_HEADERS: u32 = 32;

/// The most transactions of one block read from ergo-graphql (its `take`); a block with more is
/// not proven from it (its root would not rebuild: refused, never a false proof).
const MAX_BLOCK_TXS: usize = 200;

impl SourceKind {
    /// Whether this kind of source serves headers and inclusion proofs.
    pub fn has_headers(self) -> bool {
        !matches!(self, SourceKind::Explorer)
    }

    /// The request for the headers at heights `from..=to` (at most [`MAX_HEADERS`]; the caller
    /// splits longer runs); none where the source has none.
    pub fn headers_request(self, from: u32, to: u32) -> Option<Request> {
        let to = to.min(from.saturating_add(MAX_HEADERS - 1));
        match self {
            SourceKind::Node => Some(Request {
                method: Method::Get,
                path: format!("/blocks/chainSlice?fromHeight={from}&toHeight={to}"),
                body: None,
            }),
            SourceKind::Graphql => {
                let fields = "headerId parentId version height nBits timestamp stateRoot adProofsRoot transactionsRoot extensionHash powSolutions votes";
                let parts: Vec<String> = (from..=to)
                    .map(|h| format!("h{h}: blockHeaders(height: {h}, take: 1) {{ {fields} }}"))
                    .collect();
                let body = serde_json::json!({ "query": format!("query Headers {{ {} }}", parts.join(" ")) });
                Some(Request {
                    method: Method::Post,
                    path: String::new(),
                    body: Some((body.to_string(), "application/json")),
                })
            }
            SourceKind::Explorer => None,
        }
    }

    /// The headers of an answer to [`SourceKind::headers_request`], each id recomputed, in
    /// height order (what heights they are at is the caller's to check).
    pub fn headers_answer(self, text: &str) -> Result<Vec<Header>, SourceError> {
        let mut headers = match self {
            SourceKind::Graphql => {
                let data: std::collections::BTreeMap<String, Vec<serde_json::Value>> =
                    super::graphql::open(text, "a GraphQL answer of headers")?;
                data.values()
                    .flatten()
                    .map(Header::from_value)
                    .collect::<Result<Vec<_>, _>>()?
            }
            _ => Header::list_from_json(text)?,
        };
        headers.sort_by_key(|h| h.height);
        Ok(headers)
    }

    /// The request for the proof that transaction `tx` is in `block`; none where the source
    /// gives none.
    pub fn inclusion_request(self, block: &Id, tx: &Id) -> Option<Request> {
        match self {
            SourceKind::Node => Some(Request {
                method: Method::Get,
                path: format!("/blocks/{}/proofFor/{}", block.to_hex(), tx.to_hex()),
                body: None,
            }),
            SourceKind::Graphql => {
                let body = serde_json::json!({
                    "query": "query Block($id: String, $take: Int) { transactions(headerId: $id, take: $take) { transactionId index inputs { index proofBytes } } }",
                    "variables": { "id": block.to_hex(), "take": MAX_BLOCK_TXS },
                });
                Some(Request {
                    method: Method::Post,
                    path: String::new(),
                    body: Some((body.to_string(), "application/json")),
                })
            }
            SourceKind::Explorer => None,
        }
    }

    /// The inclusion proof of `tx` in `block` (of block version `version`) from an answer to
    /// [`SourceKind::inclusion_request`]: the node's proof as given; from ergo-graphql, the
    /// block's transactions in order, their witness ids from their proof bytes, the tree
    /// rebuilt and the proof taken from it. Either proves something only if it leads to the
    /// header's root (checked by [`crate::trust::anchor`]).
    pub fn inclusion_answer(self, text: &str, version: u8, tx: &Id) -> Result<InclusionProof, SourceError> {
        match self {
            SourceKind::Graphql => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Input {
                    index: u32,
                    #[serde(default)]
                    proof_bytes: Option<String>,
                }
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Tx {
                    transaction_id: String,
                    index: u32,
                    inputs: Vec<Input>,
                }
                #[derive(Deserialize)]
                struct Data {
                    transactions: Vec<Tx>,
                }
                let Data { mut transactions } =
                    super::graphql::open(text, "a GraphQL answer of a block's transactions")?;
                transactions.sort_by_key(|t| t.index);
                transactions.dedup_by_key(|t| t.index);
                let mut ids = Vec::with_capacity(transactions.len());
                let mut witnesses = Vec::with_capacity(transactions.len());
                for t in &mut transactions {
                    let id = hex::decode_array::<32>(&t.transaction_id).map_err(|e| SourceError::Inclusion {
                        detail: format!("transaction id {}: {e}", clip(&t.transaction_id)),
                    })?;
                    t.inputs.sort_by_key(|i| i.index);
                    let proofs = t
                        .inputs
                        .iter()
                        .map(|i| hex::decode(i.proof_bytes.as_deref().unwrap_or("")))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| SourceError::Inclusion {
                            detail: format!("proof bytes of {}: {e}", t.transaction_id),
                        })?;
                    ids.push(id);
                    witnesses.push(witness_id(&proofs));
                }
                let at = ids
                    .iter()
                    .position(|i| *i == tx.0)
                    .ok_or_else(|| SourceError::Inclusion {
                        detail: format!("the block's transactions do not include {tx}"),
                    })?;
                InclusionProof::of(&block_leaves(version, &ids, &witnesses), at).ok_or_else(|| SourceError::Inclusion {
                    detail: "no proof".into(),
                })
            }
            _ => InclusionProof::from_json(text).map_err(|e| SourceError::Inclusion { detail: e.to_string() }),
        }
    }
}
