//! **Block headers**: their fields, their bytes as the chain hashes them, their ids (recomputed,
//! never taken from a source), their proof of work, and the JSON forms in which the node, the
//! explorer API and ergo-graphql give them.
//!
//! A header's bytes without its solution are: version (1 byte), parent id (32), the roots of the
//! AD proofs (32), the transactions (32) and the state (33), the timestamp (VLQ), the extension
//! root (32), `nBits` (4 bytes big-endian), the height (VLQ), three vote bytes and, from version
//! 2, the length of further fields (1 byte) and those fields. The solution of Autolykos v2 adds
//! the miner's key (33) and the nonce (8). The id is `blake2b256` of all of it; the proof of work
//! is over `blake2b256` of the bytes without the solution (see [`super::pow`]).

use super::pow::{self, TargetError, U256};
use super::Id;
use crate::encoding::hash::blake2b256;
use crate::encoding::text::clip;
use crate::encoding::{hex, vlq};
use serde::Deserialize;
use thiserror::Error;

/// A block header of version ≥ 2 (Autolykos v2; every block since height 417,792 on mainnet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub parent_id: Id,
    pub ad_proofs_root: [u8; 32],
    pub transactions_root: [u8; 32],
    pub state_root: [u8; 33],
    /// Milliseconds since the Unix epoch, as the miner claims it.
    pub timestamp: u64,
    pub extension_root: [u8; 32],
    /// The difficulty, compactly encoded.
    pub n_bits: u32,
    pub height: u32,
    pub votes: [u8; 3],
    /// Fields later versions add (none so far), kept so that the id recomputes.
    pub unparsed: Vec<u8>,
    /// The miner's public key.
    pub miner_pk: [u8; 33],
    pub nonce: [u8; 8],
}

/// What is wrong with a header.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    #[error("not a block header: {0}")]
    Json(String),
    #[error("header field {field}: {message}")]
    Field { field: &'static str, message: String },
    /// Version 1 (Autolykos v1, before height 417,792) is not read.
    #[error("header version {0}: only versions 2 and above (Autolykos v2) are checked")]
    Version(u8),
    /// The source's id is not the hash of the header it gave.
    #[error("header {claimed} recomputes to {actual}: its fields are not the block's")]
    Id { claimed: String, actual: String },
    #[error("header {id} at height {height}: {reason}")]
    Target {
        id: String,
        height: u32,
        reason: TargetError,
    },
    /// The hit does not meet the header's own difficulty.
    #[error("header {id} at height {height}: its proof of work does not meet its difficulty")]
    Work { id: String, height: u32 },
}

impl Header {
    /// The bytes the proof of work is over (everything but the solution).
    pub fn bytes_without_pow(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(200 + self.unparsed.len());
        w.push(self.version);
        w.extend_from_slice(&self.parent_id.0);
        w.extend_from_slice(&self.ad_proofs_root);
        w.extend_from_slice(&self.transactions_root);
        w.extend_from_slice(&self.state_root);
        vlq::put(&mut w, self.timestamp);
        w.extend_from_slice(&self.extension_root);
        w.extend_from_slice(&self.n_bits.to_be_bytes());
        vlq::put(&mut w, u64::from(self.height));
        w.extend_from_slice(&self.votes);
        // the length of further fields: at most 255 (`from_json` refuses more)
        w.push(self.unparsed.len() as u8);
        w.extend_from_slice(&self.unparsed);
        w
    }

    /// All of the header's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut w = self.bytes_without_pow();
        w.extend_from_slice(&self.miner_pk);
        w.extend_from_slice(&self.nonce);
        w
    }

    /// The header's id, recomputed.
    pub fn id(&self) -> Id {
        Id(blake2b256(&self.bytes()))
    }

    /// The message the proof of work is over.
    pub fn pow_message(&self) -> [u8; 32] {
        blake2b256(&self.bytes_without_pow())
    }

    /// The proof of work's hit.
    pub fn pow_hit(&self) -> [u8; 32] {
        pow::hit(&self.pow_message(), &self.nonce, self.height)
    }

    /// The difficulty `nBits` asks for.
    pub fn target(&self) -> Result<U256, HeaderError> {
        pow::target(self.n_bits).map_err(|reason| HeaderError::Target {
            id: self.id().to_hex(),
            height: self.height,
            reason,
        })
    }

    /// Checks the proof of work against the header's own difficulty (whether that difficulty
    /// is the network's is the caller's question: see `crate::trust`).
    pub fn check_pow(&self) -> Result<(), HeaderError> {
        let target = self.target()?;
        match pow::meets(&self.pow_hit(), &target) {
            true => Ok(()),
            false => Err(HeaderError::Work {
                id: self.id().to_hex(),
                height: self.height,
            }),
        }
    }

    /// A header as the node (`/blocks/{id}/header`, `/blocks/lastHeaders/{n}`), the explorer
    /// API (`/api/v1/blocks/headers`) or ergo-graphql (`blockHeaders`) gives it, its id
    /// recomputed and compared with the one the source claims.
    pub fn from_json(text: &str) -> Result<Header, HeaderError> {
        let j: HeaderJson = serde_json::from_str(text).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
        Header::from_parsed(j)
    }

    /// A list of headers (`/blocks/lastHeaders/{n}`, a page of the explorer's), each checked as
    /// [`Header::from_json`] does.
    pub fn list_from_json(text: &str) -> Result<Vec<Header>, HeaderError> {
        let list: Vec<HeaderJson> = serde_json::from_str(text).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
        list.into_iter().map(Header::from_parsed).collect()
    }

    /// From one parsed JSON header (a value inside a larger answer).
    pub fn from_value(v: &serde_json::Value) -> Result<Header, HeaderError> {
        let j = HeaderJson::deserialize(v).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
        Header::from_parsed(j)
    }

    fn from_parsed(j: HeaderJson) -> Result<Header, HeaderError> {
        if j.version < 2 {
            return Err(HeaderError::Version(j.version));
        }
        fn fixed<const N: usize>(field: &'static str, s: &str) -> Result<[u8; N], HeaderError> {
            hex::decode_array::<N>(s).map_err(|e| HeaderError::Field {
                field,
                message: e.to_string(),
            })
        }
        let votes = match &j.votes {
            Votes::Hex(s) => fixed::<3>("votes", s)?,
            Votes::Bytes(b) => *b,
        };
        let unparsed = match &j.unparsed_bytes {
            Some(s) => hex::decode(s).map_err(|e| HeaderError::Field {
                field: "unparsedBytes",
                message: e.to_string(),
            })?,
            None => vec![],
        };
        if unparsed.len() > 255 {
            return Err(HeaderError::Field {
                field: "unparsedBytes",
                message: format!("{} bytes (at most 255)", unparsed.len()),
            });
        }
        let claimed = Id(fixed::<32>("id", &j.id)?);
        let header = Header {
            version: j.version,
            parent_id: Id(fixed::<32>("parentId", &j.parent_id)?),
            ad_proofs_root: fixed("adProofsRoot", &j.ad_proofs_root)?,
            transactions_root: fixed("transactionsRoot", &j.transactions_root)?,
            state_root: fixed("stateRoot", &j.state_root)?,
            timestamp: j.timestamp.0,
            extension_root: fixed("extensionHash", &j.extension_hash)?,
            n_bits: u32::try_from(j.n_bits.0).map_err(|_| HeaderError::Field {
                field: "nBits",
                message: format!("{} does not fit 4 bytes", j.n_bits.0),
            })?,
            height: u32::try_from(j.height.0).map_err(|_| HeaderError::Field {
                field: "height",
                message: format!("{} does not fit 4 bytes", j.height.0),
            })?,
            votes,
            unparsed,
            miner_pk: fixed("powSolutions.pk", &j.pow_solutions.pk)?,
            nonce: fixed("powSolutions.n", &j.pow_solutions.n)?,
        };
        let actual = header.id();
        if actual != claimed {
            return Err(HeaderError::Id {
                claimed: claimed.to_hex(),
                actual: actual.to_hex(),
            });
        }
        Ok(header)
    }

    /// The node's JSON form (what the devnet serves and what [`Header::from_json`] reads).
    pub fn to_json(&self) -> serde_json::Value {
        let target = pow::target(self.n_bits).ok().and_then(|t| t.to_u128()).unwrap_or(0);
        serde_json::json!({
            "id": self.id().to_hex(),
            "parentId": self.parent_id.to_hex(),
            "version": self.version,
            "height": self.height,
            "timestamp": self.timestamp,
            "nBits": self.n_bits,
            "difficulty": target.to_string(),
            "adProofsRoot": hex::encode(&self.ad_proofs_root),
            "transactionsRoot": hex::encode(&self.transactions_root),
            "stateRoot": hex::encode(&self.state_root),
            "extensionHash": hex::encode(&self.extension_root),
            "votes": hex::encode(&self.votes),
            "unparsedBytes": hex::encode(&self.unparsed),
            "powSolutions": {
                "pk": hex::encode(&self.miner_pk),
                "w": "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
                "n": hex::encode(&self.nonce),
                "d": 0
            },
        })
    }
}

/// A number the source may give as a JSON number or a decimal string (ergo-graphql gives
/// 64-bit numbers as strings).
#[derive(Debug, Clone, Copy)]
struct Number(u64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            N(u64),
            S(String),
        }
        match Either::deserialize(d)? {
            Either::N(n) => Ok(Number(n)),
            Either::S(s) => s
                .parse()
                .map(Number)
                .map_err(|_| serde::de::Error::custom(format!("{:?} is not a whole number", clip(&s)))),
        }
    }
}

/// Votes: hex (the node) or three numbers (the explorer API, ergo-graphql).
#[derive(Deserialize)]
#[serde(untagged)]
enum Votes {
    Hex(String),
    Bytes([u8; 3]),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HeaderJson {
    #[serde(alias = "headerId")]
    id: String,
    parent_id: String,
    version: u8,
    height: Number,
    timestamp: Number,
    n_bits: Number,
    ad_proofs_root: String,
    transactions_root: String,
    state_root: String,
    extension_hash: String,
    votes: Votes,
    #[serde(default)]
    unparsed_bytes: Option<String>,
    pow_solutions: PowJson,
}

#[derive(Deserialize)]
struct PowJson {
    pk: String,
    n: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/header.json");

    #[crate::test]
    fn a_mainnet_header_recomputes_its_id_and_its_work_is_valid() {
        let h = Header::from_json(FIXTURE).unwrap();
        assert_eq!(h.height, 471_746);
        assert_eq!(
            h.id().to_hex(),
            "4caa17e62fe66ba7bd69597afdc996ae35b1ff12e0ba90c22ff288a4de10e91b"
        );
        h.check_pow().unwrap();
        // its JSON as we write it reads back to the same header
        assert_eq!(Header::from_json(&h.to_json().to_string()).unwrap(), h);
    }

    #[crate::test]
    fn a_changed_field_changes_the_id_and_the_source_is_caught() {
        let mut v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        v["timestamp"] = serde_json::json!(1_618_929_697_401u64);
        match Header::from_json(&v.to_string()) {
            Err(HeaderError::Id { claimed, .. }) => {
                assert_eq!(
                    claimed,
                    "4caa17e62fe66ba7bd69597afdc996ae35b1ff12e0ba90c22ff288a4de10e91b"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[crate::test]
    fn a_header_with_another_nonce_fails_its_proof_of_work() {
        let mut h = Header::from_json(FIXTURE).unwrap();
        h.nonce[7] ^= 1;
        assert!(matches!(h.check_pow(), Err(HeaderError::Work { height: 471_746, .. })));
        // and one asking for a higher difficulty than it met
        let mut h = Header::from_json(FIXTURE).unwrap();
        h.n_bits = 0x0801_0000;
        assert!(matches!(h.check_pow(), Err(HeaderError::Work { .. })));
    }

    #[crate::test]
    fn other_json_forms_read_the_same() {
        let h = Header::from_json(FIXTURE).unwrap();
        let mut v = h.to_json();
        let o = v.as_object_mut().unwrap();
        // ergo-graphql: headerId, numbers as strings, votes as numbers, no unparsedBytes
        let id = o.remove("id").unwrap();
        o.insert("headerId".into(), id);
        o.insert("timestamp".into(), serde_json::json!(h.timestamp.to_string()));
        o.insert("height".into(), serde_json::json!(h.height.to_string()));
        o.insert("votes".into(), serde_json::json!([4, 0, 0]));
        o.remove("unparsedBytes");
        assert_eq!(Header::from_json(&v.to_string()).unwrap(), h);
    }

    #[crate::test]
    fn bad_fields_are_named() {
        let mut v: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        v["transactionsRoot"] = serde_json::json!("00");
        assert!(matches!(
            Header::from_json(&v.to_string()),
            Err(HeaderError::Field {
                field: "transactionsRoot",
                ..
            })
        ));
        v = serde_json::from_str(FIXTURE).unwrap();
        v["nBits"] = serde_json::json!(1u64 << 40);
        assert!(matches!(
            Header::from_json(&v.to_string()),
            Err(HeaderError::Field { field: "nBits", .. })
        ));
        v = serde_json::from_str(FIXTURE).unwrap();
        v["version"] = serde_json::json!(1);
        assert_eq!(Header::from_json(&v.to_string()), Err(HeaderError::Version(1)));
        assert!(matches!(Header::from_json("[]"), Err(HeaderError::Json(_))));
        v = serde_json::from_str(FIXTURE).unwrap();
        v["unparsedBytes"] = serde_json::json!("00".repeat(256));
        assert!(matches!(
            Header::from_json(&v.to_string()),
            Err(HeaderError::Field {
                field: "unparsedBytes",
                ..
            })
        ));
    }
}
