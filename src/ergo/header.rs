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

    /// A header from its bytes ([`Header::bytes`]), version 2 or later; nothing may follow.
    pub fn from_bytes(bytes: &[u8]) -> Result<Header, HeaderError> {
        let mut r = crate::encoding::Reader::new(bytes);
        let bad = |e: crate::encoding::ReadError| HeaderError::Json(format!("header bytes {e}"));
        let version = r.byte("the version").map_err(bad)?;
        if version < 2 {
            return Err(HeaderError::Version(version));
        }
        let parent_id = Id(r.array("the parent id").map_err(bad)?);
        let ad_proofs_root = r.array("the AD proofs root").map_err(bad)?;
        let transactions_root = r.array("the transactions root").map_err(bad)?;
        let state_root = r.array("the state root").map_err(bad)?;
        let timestamp = r.vlq("the timestamp").map_err(bad)?;
        let extension_root = r.array("the extension root").map_err(bad)?;
        let n_bits = r.u32_be("nBits").map_err(bad)?;
        let height = r.vlq_u32("the height").map_err(bad)?;
        let votes = r.array("the votes").map_err(bad)?;
        let more = r.byte("the length of further fields").map_err(bad)?;
        let unparsed = r.take(more as usize, "further fields").map_err(bad)?.to_vec();
        let miner_pk = r.array("the miner's key").map_err(bad)?;
        let nonce = r.array("the nonce").map_err(bad)?;
        if r.remaining() > 0 {
            return Err(HeaderError::Json(format!("{} bytes after the header", r.remaining())));
        }
        Ok(Header {
            version,
            parent_id,
            ad_proofs_root,
            transactions_root,
            state_root,
            timestamp,
            extension_root,
            n_bits,
            height,
            votes,
            unparsed,
            miner_pk,
            nonce,
        })
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
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
        Header::from_value(&v)
    }

    /// A list of headers (`/blocks/lastHeaders/{n}`, a page of the explorer's), each checked as
    /// [`Header::from_json`] does.
    pub fn list_from_json(text: &str) -> Result<Vec<Header>, HeaderError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| HeaderError::Json(clip(&e.to_string())))?;
        match v.as_array() {
            Some(list) => list.iter().map(Header::from_value).collect(),
            None => Err(HeaderError::Json("not a list of headers".into())),
        }
    }

    /// From one parsed JSON header (a value inside a larger answer). Read field by field (the
    /// sources differ: `id` or `headerId`, numbers or decimal strings, votes as hex or three
    /// numbers), each error naming its field.
    pub fn from_value(v: &serde_json::Value) -> Result<Header, HeaderError> {
        if !v.is_object() {
            return Err(HeaderError::Json("a header is a JSON object".into()));
        }
        let bad = |field: &'static str, message: String| HeaderError::Field { field, message };
        let text = |field: &'static str| -> Result<&str, HeaderError> {
            v[field]
                .as_str()
                .ok_or_else(|| bad(field, "missing or not a string".into()))
        };
        let number = |field: &'static str| -> Result<u64, HeaderError> {
            match &v[field] {
                serde_json::Value::Number(n) => n.as_u64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            }
            .ok_or_else(|| bad(field, "missing or not a whole number".into()))
        };
        fn fixed<const N: usize>(field: &'static str, s: &str) -> Result<[u8; N], HeaderError> {
            hex::decode_array::<N>(s).map_err(|e| HeaderError::Field {
                field,
                message: e.to_string(),
            })
        }
        let version = number("version")?;
        let version = u8::try_from(version).map_err(|_| bad("version", format!("{version} is not a version")))?;
        if version < 2 {
            return Err(HeaderError::Version(version));
        }
        let votes = match &v["votes"] {
            serde_json::Value::String(s) => fixed::<3>("votes", s)?,
            serde_json::Value::Array(a) if a.len() == 3 => {
                let mut out = [0u8; 3];
                for (o, n) in out.iter_mut().zip(a) {
                    *o = n
                        .as_u64()
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or_else(|| bad("votes", "not three bytes".into()))?;
                }
                out
            }
            _ => return Err(bad("votes", "neither hex nor three numbers".into())),
        };
        let unparsed = match &v["unparsedBytes"] {
            serde_json::Value::Null => vec![],
            u => hex::decode(u.as_str().unwrap_or("?")).map_err(|e| bad("unparsedBytes", e.to_string()))?,
        };
        if unparsed.len() > 255 {
            return Err(bad("unparsedBytes", format!("{} bytes (at most 255)", unparsed.len())));
        }
        let id = match &v["id"] {
            serde_json::Value::Null => text("headerId")?,
            _ => text("id")?,
        };
        let claimed = Id(fixed::<32>("id", id)?);
        let pow = &v["powSolutions"];
        let pow_field = |field: &'static str, key: &str| -> Result<&str, HeaderError> {
            pow[key]
                .as_str()
                .ok_or_else(|| bad(field, "missing or not a string".into()))
        };
        let n_bits = number("nBits")?;
        let height = number("height")?;
        let header = Header {
            version,
            parent_id: Id(fixed::<32>("parentId", text("parentId")?)?),
            ad_proofs_root: fixed("adProofsRoot", text("adProofsRoot")?)?,
            transactions_root: fixed("transactionsRoot", text("transactionsRoot")?)?,
            state_root: fixed("stateRoot", text("stateRoot")?)?,
            timestamp: number("timestamp")?,
            extension_root: fixed("extensionHash", text("extensionHash")?)?,
            n_bits: u32::try_from(n_bits).map_err(|_| bad("nBits", format!("{n_bits} does not fit 4 bytes")))?,
            height: u32::try_from(height).map_err(|_| bad("height", format!("{height} does not fit 4 bytes")))?,
            votes,
            unparsed,
            miner_pk: fixed("powSolutions.pk", pow_field("powSolutions.pk", "pk")?)?,
            nonce: fixed("powSolutions.n", pow_field("powSolutions.n", "n")?)?,
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
        // its JSON as we write it, and its bytes, read back to the same header
        assert_eq!(Header::from_json(&h.to_json().to_string()).unwrap(), h);
        assert_eq!(Header::from_bytes(&h.bytes()).unwrap(), h);
        // every shorter prefix, and a longer input, is refused with where it ended
        let bytes = h.bytes();
        for n in 0..bytes.len() {
            assert!(Header::from_bytes(&bytes[..n]).is_err(), "{n}");
        }
        assert!(Header::from_bytes(&[bytes.clone(), vec![0]].concat()).is_err());
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
        assert!(matches!(Header::from_json("{"), Err(HeaderError::Json(_))));
        v = serde_json::from_str(FIXTURE).unwrap();
        v["votes"] = serde_json::json!([4, 0, 256]);
        assert!(matches!(
            Header::from_json(&v.to_string()),
            Err(HeaderError::Field { field: "votes", .. })
        ));
        v = serde_json::from_str(FIXTURE).unwrap();
        v["powSolutions"] = serde_json::json!({});
        assert!(matches!(
            Header::from_json(&v.to_string()),
            Err(HeaderError::Field {
                field: "powSolutions.pk",
                ..
            })
        ));
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
