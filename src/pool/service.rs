//! The pool proof service (defined by this project): a pool serves, for each of its share-state
//! boxes, lookup proofs and the whole snapshot, so that a miner no transaction has touched yet
//! can still verify their score against the box's on-chain digest.
//!
//! | request | answer |
//! |---|---|
//! | `GET {base}/epochs` | `{"states": [{"boxId", "digest", "miners"}]}` |
//! | `GET {base}/proof/{boxId}/{minerKey}` | `{"boxId", "digest", "key", "value": hex or null, "proof"}` |
//! | `GET {base}/snapshot/{boxId}` | the JSON snapshot ([`snapshot`](crate::avl::snapshot)) |
//!
//! Errors are `{"error": {"kind", "message"}}` with status 400 or 404. The handler is plain:
//! a path in, a status and a body out, for any HTTP server. Answers are untrusted until the
//! client functions here check them against the digest the miner read from the chain.

use crate::avl::{self, snapshot, Digest, Key, ProofError, ShareState, SnapshotError};
use crate::encoding::hex;
use crate::ergo::Id;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use thiserror::Error;

/// A response: HTTP status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

fn error(status: u16, kind: &str, message: impl std::fmt::Display) -> Response {
    Response {
        status,
        body: json!({ "error": { "kind": kind, "message": message.to_string() } }).to_string(),
    }
}

/// The share states a pool serves, by the id of the box that commits to each.
#[derive(Default)]
pub struct ProofService {
    states: BTreeMap<Id, ShareState>,
}

impl ProofService {
    pub fn new() -> ProofService {
        ProofService::default()
    }

    /// Serves `state` as the content of share-state box `box_id`.
    pub fn insert(&mut self, box_id: Id, state: ShareState) {
        self.states.insert(box_id, state);
    }

    /// The share state served for `box_id`.
    pub fn state(&self, box_id: &Id) -> Option<&ShareState> {
        self.states.get(box_id)
    }

    /// Answers `GET {base}{path}` (`path` starting after the base, e.g. `/epochs`).
    pub fn handle(&mut self, path: &str) -> Response {
        let path = path.split('?').next().unwrap_or("");
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let box_id = |s: &str| {
            hex::decode_array::<32>(s)
                .map(Id)
                .map_err(|e| error(400, "request", format!("box id: {e}")))
        };
        match parts.as_slice() {
            ["epochs"] => {
                let states: Vec<_> = self
                    .states
                    .iter_mut()
                    .map(|(id, s)| json!({ "boxId": id.to_hex(), "digest": s.digest().to_hex(), "miners": s.len() }))
                    .collect();
                Response {
                    status: 200,
                    body: json!({ "states": states }).to_string(),
                }
            }
            ["proof", b, k] => {
                let id = match box_id(b) {
                    Ok(id) => id,
                    Err(r) => return r,
                };
                let key = match hex::decode_array::<32>(k) {
                    Ok(k) => k,
                    Err(e) => return error(400, "request", format!("miner key: {e}")),
                };
                let Some(state) = self.states.get_mut(&id) else {
                    return error(404, "not-found", format!("no share state for box {b}"));
                };
                match state.prove_lookups(&[key]) {
                    Ok(p) => Response {
                        status: 200,
                        body: json!({
                            "boxId": id.to_hex(),
                            "digest": p.digest_before.to_hex(),
                            "key": hex::encode(&key),
                            "value": p.old_values[0].as_deref().map(hex::encode),
                            "proof": hex::encode(&p.proof),
                        })
                        .to_string(),
                    },
                    Err(e) => error(400, "request", e),
                }
            }
            ["snapshot", b] => {
                let id = match box_id(b) {
                    Ok(id) => id,
                    Err(r) => return r,
                };
                match self.states.get_mut(&id) {
                    Some(s) => Response {
                        status: 200,
                        body: snapshot::to_json(s),
                    },
                    None => error(404, "not-found", format!("no share state for box {b}")),
                }
            }
            _ => error(404, "not-found", format!("no such resource: {path}")),
        }
    }
}

/// Why a proof service's answer was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ServiceError {
    #[error("not a proof service answer: {0}")]
    Json(String),
    #[error("the answer is about key {found}, not {asked}")]
    WrongKey { asked: String, found: String },
    #[error("the proof does not verify against the on-chain digest: {0}")]
    Proof(#[from] ProofError),
    #[error("the answer claims value {claimed:?}, the proof shows {proven:?}")]
    ValueMismatch {
        claimed: Option<String>,
        proven: Option<String>,
    },
    #[error("the snapshot does not match the on-chain digest: {0}")]
    Snapshot(#[from] SnapshotError),
    #[error("the snapshot is of digest {found}, the chain says {expected}")]
    SnapshotDigest { expected: String, found: String },
}

#[derive(Deserialize)]
struct ProofAnswer {
    key: String,
    value: Option<String>,
    proof: String,
}

/// Checks a `/proof/{boxId}/{key}` answer against `digest`, the digest of that box's R4 as read
/// from the chain, and returns the key's proven value (`None`: proven absent).
pub fn verify_proof_answer(json: &str, digest: &Digest, key: &Key) -> Result<Option<Vec<u8>>, ServiceError> {
    let a: ProofAnswer = serde_json::from_str(json).map_err(|e| ServiceError::Json(e.to_string()))?;
    if a.key != hex::encode(key) {
        return Err(ServiceError::WrongKey {
            asked: hex::encode(key),
            found: a.key,
        });
    }
    let proof_bytes = hex::decode(&a.proof).map_err(|e| ServiceError::Json(format!("proof: {e}")))?;
    let proven = avl::verify_lookups(digest, &proof_bytes, &[*key], None)?.remove(0);
    let proven_hex = proven.as_deref().map(hex::encode);
    if proven_hex != a.value {
        return Err(ServiceError::ValueMismatch {
            claimed: a.value,
            proven: proven_hex,
        });
    }
    Ok(proven)
}

/// Checks a `/snapshot/{boxId}` answer: it must import (its own digest rechecked) and be of
/// `digest`, read from the chain.
pub fn verify_snapshot_answer(json: &str, digest: &Digest) -> Result<ShareState, ServiceError> {
    let mut s = snapshot::from_json(json)?;
    let found = s.digest();
    if found != *digest {
        return Err(ServiceError::SnapshotDigest {
            expected: digest.to_hex(),
            found: found.to_hex(),
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::ShareValue;

    fn key(i: u32) -> Key {
        crate::encoding::hash::blake2b256(&i.to_be_bytes())
    }

    fn service() -> (ProofService, Id, Digest) {
        let mut s =
            ShareState::from_entries((0..100).map(|i| (key(i), ShareValue::unpaid(i as i64).to_bytes().to_vec())))
                .unwrap();
        let d = s.digest();
        let mut svc = ProofService::new();
        svc.insert(Id([7; 32]), s);
        (svc, Id([7; 32]), d)
    }

    #[crate::test]
    fn proofs_from_the_service_verify_against_the_chain_digest() {
        let (mut svc, id, d) = service();
        let r = svc.handle(&format!("/proof/{}/{}", id.to_hex(), hex::encode(&key(5))));
        assert_eq!(r.status, 200);
        assert_eq!(
            verify_proof_answer(&r.body, &d, &key(5)).unwrap(),
            Some(ShareValue::unpaid(5).to_bytes().to_vec())
        );
        let r = svc.handle(&format!("/proof/{}/{}", id.to_hex(), hex::encode(&key(500))));
        assert_eq!(verify_proof_answer(&r.body, &d, &key(500)).unwrap(), None);
        let epochs: serde_json::Value = serde_json::from_str(&svc.handle("/epochs").body).unwrap();
        assert_eq!(epochs["states"][0]["digest"], d.to_hex().as_str());
    }

    #[crate::test]
    fn a_lying_service_is_caught() {
        let (mut svc, id, d) = service();
        let r = svc.handle(&format!("/proof/{}/{}", id.to_hex(), hex::encode(&key(5))));
        let mut v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        // a better score than the tree holds
        v["value"] = json!(hex::encode(&ShareValue::unpaid(1_000_000).to_bytes()));
        assert!(matches!(
            verify_proof_answer(&v.to_string(), &d, &key(5)),
            Err(ServiceError::ValueMismatch { .. })
        ));
        // a proof against another digest
        let mut other = d;
        other.0[3] ^= 1;
        assert!(matches!(
            verify_proof_answer(&r.body, &other, &key(5)),
            Err(ServiceError::Proof(_))
        ));
        // the answer for another key
        assert!(matches!(
            verify_proof_answer(&r.body, &d, &key(6)),
            Err(ServiceError::WrongKey { .. })
        ));
        // a snapshot of another state
        let snap = svc.handle(&format!("/snapshot/{}", id.to_hex())).body;
        assert!(verify_snapshot_answer(&snap, &d).is_ok());
        assert!(matches!(
            verify_snapshot_answer(&snap, &other),
            Err(ServiceError::SnapshotDigest { .. })
        ));
    }

    #[crate::test]
    fn unknown_boxes_and_paths_are_404_and_bad_ids_400() {
        let (mut svc, _, _) = service();
        assert_eq!(svc.handle(&format!("/snapshot/{}", "00".repeat(32))).status, 404);
        assert_eq!(svc.handle("/nope").status, 404);
        assert_eq!(svc.handle("/proof/zz/00").status, 400);
    }
}
