//! The pool proof service (defined by this project): a pool serves, for each of its share-state
//! boxes, lookup proofs and the whole snapshot, so that a miner no transaction has touched yet
//! can still verify their score against the box's on-chain digest.
//!
//! | request | answer |
//! |---|---|
//! | `GET {base}/epochs` | `{"states": [{"boxId", "digest", "miners"}]}` |
//! | `GET {base}/proof/{boxId}/{minerKey}` | `{"boxId", "digest", "key", "value": hex or null, "proof"}` |
//! | `GET {base}/snapshot/{boxId}` | the JSON snapshot ([`crate::avl::snapshot`]) |
//! | `GET {base}/proofs/{minerKey}?boxes={boxId},{boxId},…` | `{"proofs": [answers as /proof gives them]}`, for each box it serves (at most [`MAX_BOXES`]) |
//!
//! Errors are `{"error": {"kind", "message"}}` with status 400 or 404. The handler is plain:
//! a path in, a status and a body out, for any HTTP server. Answers are untrusted until the
//! client functions here check them against the digest the miner read from the chain.
//!
//! **Static files** ([`publish`]): a pool with many miners need run no service. The same answers
//! are written as files at the same paths — `snapshot/{boxId}`, `proof/{boxId}/{key}` for every
//! miner in the state, and `epochs` — so that any static host or CDN serves the proof service.
//! A key in no file (a miner not in the epoch) is proven absent by the snapshot, which clients
//! fall back to. A static host has no `proofs/…` (one miner's proofs in many boxes at once, which
//! saves a client a request per epoch): clients ask box by box where it is not found.

use crate::avl::{self, snapshot, Digest, Key, ProofError, ShareState, SnapshotError};
use crate::encoding::hex;
use crate::ergo::Id;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use thiserror::Error;

/// The most boxes one `/proofs/{key}?boxes=…` request may name.
pub const MAX_BOXES: usize = 50;

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
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let box_id = |s: &str| {
            hex::decode_array::<32>(s)
                .map(Id)
                .map_err(|e| error(400, "request", format!("box id: {e}")))
        };
        match parts.as_slice() {
            ["epochs"] => {
                let states: Vec<_> = self.states.iter_mut().map(|(id, s)| epochs_entry(*id, s)).collect();
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
                match proof_answer(id, state, &key) {
                    Ok(body) => Response { status: 200, body },
                    Err(e) => error(400, "request", e),
                }
            }
            ["proofs", k] => {
                let key = match hex::decode_array::<32>(k) {
                    Ok(k) => k,
                    Err(e) => return error(400, "request", format!("miner key: {e}")),
                };
                let list = query.split('&').find_map(|p| p.strip_prefix("boxes=")).unwrap_or("");
                let ids = match list
                    .split(',')
                    .filter(|b| !b.is_empty())
                    .map(box_id)
                    .collect::<Result<Vec<_>, _>>()
                {
                    Ok(ids) => ids,
                    Err(r) => return r,
                };
                if ids.is_empty() || ids.len() > MAX_BOXES {
                    return error(
                        400,
                        "request",
                        format!("boxes= names {} boxes: from 1 to {MAX_BOXES}", ids.len()),
                    );
                }
                let mut proofs = Vec::new();
                for id in ids {
                    if let Some(state) = self.states.get_mut(&id) {
                        match proof_answer(id, state, &key) {
                            Ok(body) => proofs.push(body),
                            Err(e) => return error(400, "request", e),
                        }
                    }
                }
                Response {
                    status: 200,
                    body: format!(r#"{{"proofs":[{}]}}"#, proofs.join(",")),
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

/// The answer to `/proof/{id}/{key}`: `key`'s value in `state` and its lookup proof.
fn proof_answer(id: Id, state: &mut ShareState, key: &Key) -> Result<String, crate::avl::ProverError> {
    let p = state.prove_lookups(&[*key])?;
    Ok(json!({
        "boxId": id.to_hex(),
        "digest": p.digest_before.to_hex(),
        "key": hex::encode(key),
        "value": p.old_values[0].as_deref().map(hex::encode),
        "proof": hex::encode(&p.proof),
    })
    .to_string())
}

/// The entry of `epochs` for box `id`.
pub fn epochs_entry(id: Id, state: &mut ShareState) -> serde_json::Value {
    json!({ "boxId": id.to_hex(), "digest": state.digest().to_hex(), "miners": state.len() })
}

/// Why static files could not be published.
#[derive(Debug, Error)]
pub enum PublishError<E: std::error::Error + 'static> {
    #[error("proving key {key}: {source}")]
    Prove {
        key: String,
        #[source]
        source: crate::avl::ProverError,
    },
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: E,
    },
}

/// The proof service of share-state box `id` as static files: `write(path, body)` is called for
/// `snapshot/{id}` and for `proof/{id}/{key}` of every key in `state` (paths relative to the
/// service's base, as [`ProofService::handle`] answers them). Returns how many files.
pub fn publish<E: std::error::Error + 'static>(
    id: Id,
    state: &mut ShareState,
    mut write: impl FnMut(&str, &[u8]) -> Result<(), E>,
) -> Result<usize, PublishError<E>> {
    let mut put = |path: String, body: &[u8]| write(&path, body).map_err(|source| PublishError::Write { path, source });
    let box_hex = id.to_hex();
    put(format!("snapshot/{box_hex}"), snapshot::to_json(state).as_bytes())?;
    let keys = state.keys();
    for key in &keys {
        let body = proof_answer(id, state, key).map_err(|source| PublishError::Prove {
            key: hex::encode(key),
            source,
        })?;
        put(format!("proof/{box_hex}/{}", hex::encode(key)), body.as_bytes())?;
    }
    Ok(keys.len() + 1)
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

/// The request for `key`'s proofs in each of `boxes` at once (at most [`MAX_BOXES`]), relative
/// to the service's base.
pub fn proofs_path(key: &Key, boxes: &[Id]) -> String {
    let ids: Vec<String> = boxes.iter().map(Id::to_hex).collect();
    format!("/proofs/{}?boxes={}", hex::encode(key), ids.join(","))
}

/// The request for `key`'s lookup proof in box `box_id`, relative to the service's base.
pub fn proof_path(box_id: &Id, key: &Key) -> String {
    format!("/proof/{}/{}", box_id.to_hex(), hex::encode(key))
}

/// One box's part of a checked `/proofs/{key}` answer: the key's proven value there (`None`:
/// proven absent) and the entry's text — the `/proof/{boxId}/{key}` answer for that box, which
/// [`verify_proof_answer`] accepts (what a cache keeps) — or why the entry fails.
pub type ProvenEntry = Result<(Option<Vec<u8>>, String), ServiceError>;

/// Checks a `/proofs/{key}?boxes=…` answer against `at`, each box asked with its digest as read
/// from the chain: for each box, in order, `None` if the answer has no entry about it (ask it
/// alone), else its entry checked against *that box's* digest. An entry counts for the box it
/// names; of several about one box, one that the digest proves is taken (a false one cannot
/// hide a true one; without a true one, the first one's error). Entries about boxes not asked
/// are ignored. An answer that is not such a list is an error of its own.
pub fn verify_proofs_answer(
    json: &str,
    key: &Key,
    at: &[(Id, Digest)],
) -> Result<Vec<Option<ProvenEntry>>, ServiceError> {
    #[derive(Deserialize)]
    struct Proofs {
        proofs: Vec<Box<serde_json::value::RawValue>>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct About {
        #[serde(default)]
        box_id: String,
    }
    let Proofs { proofs } = serde_json::from_str(json).map_err(|e| ServiceError::Json(e.to_string()))?;
    let about: Vec<(String, &str)> = proofs
        .iter()
        .map(|raw| {
            let id = serde_json::from_str::<About>(raw.get())
                .map(|a| a.box_id.to_ascii_lowercase())
                .unwrap_or_default();
            (id, raw.get())
        })
        .collect();
    Ok(at
        .iter()
        .map(|(id, digest)| {
            let id = id.to_hex();
            let mut checked = about
                .iter()
                .filter(|(about, _)| *about == id)
                .map(|(_, text)| verify_proof_answer(text, digest, key).map(|v| (v, text.to_string())));
            match checked.next()? {
                Ok(found) => Some(Ok(found)),
                Err(e) => Some(checked.find_map(Result::ok).ok_or(e)),
            }
        })
        .collect())
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
    fn one_request_gives_a_miners_proofs_in_many_boxes() {
        let (mut svc, id, d) = service();
        let mut second = ShareState::from_entries([(key(5), ShareValue::unpaid(9).to_bytes().to_vec())]).unwrap();
        let d2 = second.digest();
        svc.insert(Id([8; 32]), second);
        let unknown = Id([9; 32]);
        let r = svc.handle(&proofs_path(&key(5), &[id, unknown, Id([8; 32])]));
        assert_eq!(r.status, 200, "{}", r.body);
        let unpaid = |n| Some(ShareValue::unpaid(n).to_bytes().to_vec());
        let at = [(id, d), (unknown, d2), (Id([8; 32]), d2)];
        let checked = verify_proofs_answer(&r.body, &key(5), &at).unwrap();
        // each served box's value, proven by its own digest; nothing about the unknown box
        let (value, text) = checked[0].clone().unwrap().unwrap();
        assert_eq!(value, unpaid(5));
        // the entry is the /proof answer for that box (what a cache keeps)
        assert_eq!(text, svc.handle(&proof_path(&id, &key(5))).body);
        assert_eq!(checked[1], None);
        assert_eq!(checked[2].clone().unwrap().unwrap().0, unpaid(9));
        // a lying service: the entries' boxes swapped — each is checked against the digest of
        // the box it names, and fails
        let mut v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let (a, b) = (v["proofs"][0]["boxId"].clone(), v["proofs"][1]["boxId"].clone());
        v["proofs"][0]["boxId"] = b;
        v["proofs"][1]["boxId"] = a;
        let swapped = verify_proofs_answer(&v.to_string(), &key(5), &at).unwrap();
        assert!(matches!(swapped[0], Some(Err(ServiceError::Proof(_)))), "{swapped:?}");
        assert!(matches!(swapped[2], Some(Err(ServiceError::Proof(_)))), "{swapped:?}");
        // a false entry beside the true one does not hide it; alone, it is the box's error
        let mut lie = v["proofs"][1].clone();
        lie["boxId"] = json!(id.to_hex());
        let both = json!({ "proofs": [lie.clone(), serde_json::from_str::<serde_json::Value>(&text).unwrap()] });
        assert_eq!(
            verify_proofs_answer(&both.to_string(), &key(5), &at).unwrap()[0]
                .clone()
                .unwrap()
                .unwrap()
                .0,
            unpaid(5)
        );
        let alone = json!({ "proofs": [lie] });
        assert!(matches!(
            verify_proofs_answer(&alone.to_string(), &key(5), &at).unwrap()[0],
            Some(Err(_))
        ));
        // the limits
        let too_many = vec![id; MAX_BOXES + 1];
        assert_eq!(svc.handle(&proofs_path(&key(5), &too_many)).status, 400);
        assert_eq!(svc.handle(&format!("/proofs/{}", hex::encode(&key(5)))).status, 400);
        assert_eq!(svc.handle(&format!("/proofs/zz?boxes={}", id.to_hex())).status, 400);
        assert_eq!(
            svc.handle(&format!("/proofs/{}?boxes=zz", hex::encode(&key(5)))).status,
            400
        );
        assert!(verify_proofs_answer("<html>", &key(5), &at).is_err());
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

    #[crate::test]
    fn static_files_are_the_services_answers_at_its_paths() {
        let (mut svc, id, d) = service();
        let mut state = svc.state(&id).unwrap().clone();
        let mut files = BTreeMap::new();
        let n = publish(id, &mut state, |path, body| {
            files.insert(path.to_string(), body.to_vec());
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
        assert_eq!((n, files.len()), (101, 101));
        for (path, body) in &files {
            assert_eq!(
                svc.handle(&format!("/{path}")).body.as_bytes(),
                body.as_slice(),
                "{path}"
            );
        }
        let snap = std::str::from_utf8(&files[&format!("snapshot/{}", id.to_hex())]).unwrap();
        assert_eq!(verify_snapshot_answer(snap, &d).unwrap().len(), 100);
        let proof = std::str::from_utf8(&files[&format!("proof/{}/{}", id.to_hex(), hex::encode(&key(9)))]).unwrap();
        assert_eq!(
            verify_proof_answer(proof, &d, &key(9)).unwrap(),
            Some(ShareValue::unpaid(9).to_bytes().to_vec())
        );
        // a failing write is named with its path
        let e = publish(id, &mut state, |_, _| Err(std::io::Error::other("disk full"))).unwrap_err();
        assert_eq!(e.to_string(), format!("writing snapshot/{}: disk full", id.to_hex()));
    }
}
