//! Register and context-variable values: the serialized sigma constants a share-state pool
//! reads and writes, parsed and serialized byte for byte as the chain does (Scala
//! `DataSerializer`, sigma-rust `Constant::sigma_serialize`).
//!
//! | type | bytes |
//! |---|---|
//! | `Int` | `04` ‖ VLQ(zigzag) |
//! | `Long` | `05` ‖ VLQ(zigzag) |
//! | `Coll[Byte]` | `0e` ‖ VLQ(len) ‖ bytes |
//! | `Coll[Coll[Byte]]` | `1a` ‖ VLQ(count) ‖ per item VLQ(len) ‖ bytes |
//! | `Coll[(Coll[Byte], Coll[Byte])]` | `0c 3c 0e 0e` ‖ VLQ(count) ‖ per pair two (VLQ(len) ‖ bytes) |
//! | `AvlTree` | `64` ‖ digest(33) ‖ flags(1) ‖ VLQ(keyLength) ‖ `00` or `01` VLQ(valueLength) |
//!
//! Collection lengths are unsigned shorts on the chain (at most 65,535).

use crate::avl::{AvlFlags, AvlTreeData, Digest};
use crate::encoding::hex::HexError;
use crate::encoding::{hex, vlq, ReadError, Reader};
use std::fmt;
use thiserror::Error;

/// A value that is not one of the constants a share state uses, or not well formed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegisterError {
    #[error("the value is empty")]
    Empty,
    #[error("the value is not hex: {0}")]
    Hex(#[from] HexError),
    #[error("the value {0}")]
    Read(#[from] ReadError),
    #[error("the type at byte {offset} ({code}) is not one sharestate reads (Int, Long, Coll[Byte], Coll[Coll[Byte]], Coll[(Coll[Byte], Coll[Byte])], AvlTree)")]
    UnsupportedType { offset: usize, code: String },
    #[error("the collection length {length} at byte {offset} exceeds 65535")]
    CollectionTooLong { offset: usize, length: u64 },
    #[error("the option tag at byte {offset} is {tag}, not 0 or 1")]
    OptionTag { offset: usize, tag: u8 },
    #[error("{count} bytes follow the value, from byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
    #[error("expected a register of type {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
}

impl AvlTreeData {
    /// The register bytes (`64 ‖ …`).
    pub fn to_bytes(&self) -> Vec<u8> {
        Constant::AvlTree(*self).to_bytes()
    }
}

/// One `(Coll[Byte], Coll[Byte])` pair: a key and its value in a context variable.
pub type BytePair = (Vec<u8>, Vec<u8>);

/// A sigma constant of one of the types share-state contracts use.
#[derive(Clone, PartialEq, Eq)]
pub enum Constant {
    Int(i32),
    Long(i64),
    Bytes(Vec<u8>),
    BytesColl(Vec<Vec<u8>>),
    BytePairs(Vec<BytePair>),
    AvlTree(AvlTreeData),
}

const INT: u8 = 0x04;
const LONG: u8 = 0x05;
const COLL_BYTE: u8 = 0x0e;
const COLL_COLL_BYTE: u8 = 0x1a;
const COLL_PAIRS: [u8; 4] = [0x0c, 0x3c, 0x0e, 0x0e];
const AVL_TREE: u8 = 0x64;

impl Constant {
    /// Parses a whole constant; trailing bytes are an error.
    pub fn parse(bytes: &[u8]) -> Result<Constant, RegisterError> {
        if bytes.is_empty() {
            return Err(RegisterError::Empty);
        }
        let mut r = Reader::new(bytes);
        let c = constant(&mut r)?;
        if r.remaining() != 0 {
            return Err(RegisterError::TrailingBytes {
                offset: r.position(),
                count: r.remaining(),
            });
        }
        Ok(c)
    }

    /// Parses hex.
    pub fn parse_hex(s: &str) -> Result<Constant, RegisterError> {
        Constant::parse(&hex::decode(s)?)
    }

    /// Serializes. Collections longer than 65,535 are not representable on chain; callers
    /// building constants keep within that (see [`Constant::check_lengths`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::new();
        match self {
            Constant::Int(v) => {
                w.push(INT);
                // as Scala and sigma-rust do: the zigzag Int is sign-extended to a Long, so
                // |v| >= 2^30 takes ten bytes
                vlq::put(&mut w, vlq::zigzag32(*v) as i32 as i64 as u64);
            }
            Constant::Long(v) => {
                w.push(LONG);
                vlq::put(&mut w, vlq::zigzag64(*v));
            }
            Constant::Bytes(b) => {
                w.push(COLL_BYTE);
                put_bytes(&mut w, b);
            }
            Constant::BytesColl(items) => {
                w.push(COLL_COLL_BYTE);
                vlq::put(&mut w, items.len() as u64);
                for b in items {
                    put_bytes(&mut w, b);
                }
            }
            Constant::BytePairs(pairs) => {
                w.extend_from_slice(&COLL_PAIRS);
                vlq::put(&mut w, pairs.len() as u64);
                for (a, b) in pairs {
                    put_bytes(&mut w, a);
                    put_bytes(&mut w, b);
                }
            }
            Constant::AvlTree(t) => {
                w.push(AVL_TREE);
                w.extend_from_slice(&t.digest.0);
                w.push(t.flags.0);
                vlq::put(&mut w, t.key_length as u64);
                match t.value_length {
                    None => w.push(0),
                    Some(l) => {
                        w.push(1);
                        vlq::put(&mut w, l as u64);
                    }
                }
            }
        }
        w
    }

    /// Lower-case hex of [`Constant::to_bytes`].
    pub fn to_hex(&self) -> String {
        hex::encode(&self.to_bytes())
    }

    /// Whether every collection fits the chain's 65,535-element limit.
    pub fn check_lengths(&self) -> Result<(), RegisterError> {
        let too_long = |n: usize| (n > u16::MAX as usize).then_some(n);
        let longest = match self {
            Constant::Int(_) | Constant::Long(_) | Constant::AvlTree(_) => None,
            Constant::Bytes(b) => too_long(b.len()),
            Constant::BytesColl(items) => {
                too_long(items.len()).or_else(|| items.iter().find_map(|b| too_long(b.len())))
            }
            Constant::BytePairs(pairs) => too_long(pairs.len()).or_else(|| {
                pairs
                    .iter()
                    .find_map(|(a, b)| too_long(a.len()).or_else(|| too_long(b.len())))
            }),
        };
        match longest {
            Some(n) => Err(RegisterError::CollectionTooLong {
                offset: 0,
                length: n as u64,
            }),
            None => Ok(()),
        }
    }

    /// The ErgoScript type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Constant::Int(_) => "Int",
            Constant::Long(_) => "Long",
            Constant::Bytes(_) => "Coll[Byte]",
            Constant::BytesColl(_) => "Coll[Coll[Byte]]",
            Constant::BytePairs(_) => "Coll[(Coll[Byte], Coll[Byte])]",
            Constant::AvlTree(_) => "AvlTree",
        }
    }

    fn wrong(&self, expected: &'static str) -> RegisterError {
        RegisterError::WrongType {
            expected,
            found: self.type_name(),
        }
    }

    pub fn as_int(&self) -> Result<i32, RegisterError> {
        match self {
            Constant::Int(v) => Ok(*v),
            c => Err(c.wrong("Int")),
        }
    }
    pub fn as_long(&self) -> Result<i64, RegisterError> {
        match self {
            Constant::Long(v) => Ok(*v),
            c => Err(c.wrong("Long")),
        }
    }
    pub fn as_bytes(&self) -> Result<&[u8], RegisterError> {
        match self {
            Constant::Bytes(v) => Ok(v),
            c => Err(c.wrong("Coll[Byte]")),
        }
    }
    pub fn as_bytes_coll(&self) -> Result<&[Vec<u8>], RegisterError> {
        match self {
            Constant::BytesColl(v) => Ok(v),
            c => Err(c.wrong("Coll[Coll[Byte]]")),
        }
    }
    pub fn as_byte_pairs(&self) -> Result<&[BytePair], RegisterError> {
        match self {
            Constant::BytePairs(v) => Ok(v),
            c => Err(c.wrong("Coll[(Coll[Byte], Coll[Byte])]")),
        }
    }
    pub fn as_avl_tree(&self) -> Result<&AvlTreeData, RegisterError> {
        match self {
            Constant::AvlTree(v) => Ok(v),
            c => Err(c.wrong("AvlTree")),
        }
    }
}

impl fmt::Debug for Constant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.type_name(), self.to_hex())
    }
}

/// In JSON: the serialized constant in hex.
impl serde::Serialize for Constant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

fn put_bytes(w: &mut Vec<u8>, b: &[u8]) {
    vlq::put(w, b.len() as u64);
    w.extend_from_slice(b);
}

/// A collection length: at most 65,535 on the chain.
fn length(r: &mut Reader) -> Result<usize, RegisterError> {
    let offset = r.position();
    let n = r.vlq("a collection length")?;
    if n > u16::MAX as u64 {
        return Err(RegisterError::CollectionTooLong { offset, length: n });
    }
    Ok(n as usize)
}

fn bytes(r: &mut Reader) -> Result<Vec<u8>, RegisterError> {
    let n = length(r)?;
    Ok(r.take(n, "collection bytes")?.to_vec())
}

fn constant(r: &mut Reader) -> Result<Constant, RegisterError> {
    let offset = r.position();
    match r.byte("a type code")? {
        // the chain reads an Int as a Long and keeps its low 32 bits
        INT => Ok(Constant::Int(vlq::unzigzag32(r.vlq("an Int")? as u32))),
        LONG => Ok(Constant::Long(vlq::unzigzag64(r.vlq("a Long")?))),
        COLL_BYTE => Ok(Constant::Bytes(bytes(r)?)),
        COLL_COLL_BYTE => {
            let n = length(r)?;
            let items = (0..n).map(|_| bytes(r)).collect::<Result<_, _>>()?;
            Ok(Constant::BytesColl(items))
        }
        AVL_TREE => {
            let digest = Digest(r.array("an AvlTree digest")?);
            let flags = AvlFlags(r.byte("AvlTree flags")?);
            let key_length = r.vlq_u32("an AvlTree key length")?;
            let tag_offset = r.position();
            let value_length = match r.byte("an AvlTree value length")? {
                0 => None,
                1 => Some(r.vlq_u32("an AvlTree value length")?),
                tag => {
                    return Err(RegisterError::OptionTag {
                        offset: tag_offset,
                        tag,
                    })
                }
            };
            Ok(Constant::AvlTree(AvlTreeData {
                digest,
                flags,
                key_length,
                value_length,
            }))
        }
        0x0c => {
            let rest = r.take(3, "a collection's element type")?;
            if rest != &COLL_PAIRS[1..] {
                return Err(RegisterError::UnsupportedType {
                    offset,
                    code: format!("0c{}", hex::encode(rest)),
                });
            }
            let n = length(r)?;
            let pairs = (0..n)
                .map(|_| Ok((bytes(r)?, bytes(r)?)))
                .collect::<Result<_, RegisterError>>()?;
            Ok(Constant::BytePairs(pairs))
        }
        code => Err(RegisterError::UnsupportedType {
            offset,
            code: format!("{code:02x}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(hex_str: &str) -> Constant {
        let c = Constant::parse_hex(hex_str).unwrap();
        assert_eq!(c.to_hex(), hex_str);
        c
    }

    #[crate::test]
    fn encodings_from_the_protocol() {
        assert_eq!(round_trip("0400"), Constant::Int(0));
        assert_eq!(round_trip("0401"), Constant::Int(-1));
        assert_eq!(round_trip("0402"), Constant::Int(1));
        assert_eq!(round_trip("04feffffff07"), Constant::Int((1 << 30) - 1));
        // from 2^30 on, the chain writes ten bytes (a sign-extended zigzag Int)…
        assert_eq!(round_trip("0480808080f8ffffffff01"), Constant::Int(1 << 30));
        assert_eq!(round_trip("04feffffffffffffffff01"), Constant::Int(i32::MAX));
        assert_eq!(round_trip("04ffffffffffffffffff01"), Constant::Int(i32::MIN));
        // …and reads the five-byte form too, keeping the low 32 bits
        assert_eq!(Constant::parse_hex("04feffffff0f").unwrap(), Constant::Int(i32::MAX));
        assert_eq!(round_trip("05feffffffffffffffff01"), Constant::Long(i64::MAX));
        assert_eq!(round_trip("05ffffffffffffffffff01"), Constant::Long(i64::MIN));
        assert_eq!(round_trip("0e03010203"), Constant::Bytes(vec![1, 2, 3]));
        assert_eq!(round_trip("1a0201aa00"), Constant::BytesColl(vec![vec![0xaa], vec![]]));
        assert_eq!(
            round_trip("0c3c0e0e0101aa02bbcc"),
            Constant::BytePairs(vec![(vec![0xaa], vec![0xbb, 0xcc])])
        );
        let t = round_trip(&format!("64{}072000", Digest::EMPTY.to_hex()));
        assert_eq!(t, Constant::AvlTree(AvlTreeData::share_state(Digest::EMPTY)));
        let fixed = round_trip(&format!("64{}022001 09", Digest::EMPTY.to_hex()).replace(' ', ""));
        assert_eq!(fixed.as_avl_tree().unwrap().value_length, Some(9));
    }

    #[crate::test]
    fn malformed_values_say_what_and_where() {
        let e = |s: &str| Constant::parse_hex(s).unwrap_err();
        assert_eq!(e(""), RegisterError::Empty);
        assert!(matches!(
            e("0e05aa"),
            RegisterError::Read(ReadError::Truncated { offset: 3, .. })
        ));
        assert_eq!(e("0e01aabb"), RegisterError::TrailingBytes { offset: 3, count: 1 });
        assert!(matches!(e("08cd"), RegisterError::UnsupportedType { offset: 0, .. }));
        assert!(matches!(
            e("0c0e0000"),
            RegisterError::UnsupportedType { offset: 0, .. }
        ));
        assert_eq!(
            e("05ffffffffffffffffffff01"),
            RegisterError::Read(ReadError::VlqOverflow { offset: 1, bits: 64 })
        );
        assert_eq!(
            e(&format!("64{}07808080801000", Digest::EMPTY.to_hex())),
            RegisterError::Read(ReadError::VlqOverflow { offset: 35, bits: 32 })
        );
        assert_eq!(
            e("0e808004"),
            RegisterError::CollectionTooLong {
                offset: 1,
                length: 65536
            }
        );
        assert!(matches!(
            e(&format!("64{}072002", Digest::EMPTY.to_hex())),
            RegisterError::OptionTag { tag: 2, .. }
        ));
        assert!(matches!(e("zz"), RegisterError::Hex(_)));
    }

    #[crate::test]
    fn typed_access_names_both_types() {
        assert_eq!(
            Constant::Int(1).as_long(),
            Err(RegisterError::WrongType {
                expected: "Long",
                found: "Int"
            })
        );
        assert_eq!(Constant::Long(5).as_long(), Ok(5));
    }

    #[crate::test]
    fn collection_limits_are_checked_before_serializing() {
        assert!(Constant::Bytes(vec![0; 65535]).check_lengths().is_ok());
        assert!(Constant::Bytes(vec![0; 65536]).check_lengths().is_err());
        assert!(Constant::BytePairs(vec![(vec![], vec![0; 70000])])
            .check_lengths()
            .is_err());
    }
}
