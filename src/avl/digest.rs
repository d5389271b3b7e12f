//! What the chain holds of an AVL+ tree: its 33-byte digest, and the AvlTree value (digest,
//! the operations allowed, key and value lengths). Its serialization as a register is in
//! [`ergo::register`](crate::ergo::register).

use crate::avl::ProofError;
use crate::encoding::hex;
use std::fmt;

/// The 33-byte digest of a tree: root label (32) ‖ root height (1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 33]);

impl Digest {
    /// The digest of an empty tree with variable-length values.
    pub const EMPTY: Digest = Digest([
        0x4e, 0xc6, 0x1f, 0x48, 0x5b, 0x98, 0xeb, 0x87, 0x15, 0x3f, 0x7c, 0x57, 0xdb, 0x4f, 0x5e, 0xcd, 0x75, 0x55,
        0x6f, 0xdd, 0xbc, 0x40, 0x3b, 0x41, 0xac, 0xf8, 0x44, 0x1f, 0xde, 0x8e, 0x16, 0x09, 0x00,
    ]);

    /// Parses 33 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Digest, ProofError> {
        bytes
            .try_into()
            .map(Digest)
            .map_err(|_| ProofError::DigestLength { found: bytes.len() })
    }

    /// Parses 66 hex digits.
    pub fn from_hex(s: &str) -> Result<Digest, ProofError> {
        Digest::from_slice(&hex::decode(s).map_err(ProofError::DigestHex)?)
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// The root node's label.
    pub fn root_label(&self) -> [u8; 32] {
        let mut l = [0u8; 32];
        l.copy_from_slice(&self.0[..32]);
        l
    }

    /// The root node's height.
    pub fn height(&self) -> u8 {
        self.0[32]
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// AvlTree flags: which operations the tree allows (bit 0x01 insert, 0x02 update, 0x04 remove).
/// The byte is kept as it was read, so that parsing and serializing is the identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvlFlags(pub u8);

impl AvlFlags {
    /// Insert, update and remove allowed.
    pub const ALL: AvlFlags = AvlFlags(0x07);
    pub fn insert_allowed(self) -> bool {
        self.0 & 0x01 != 0
    }
    pub fn update_allowed(self) -> bool {
        self.0 & 0x02 != 0
    }
    pub fn remove_allowed(self) -> bool {
        self.0 & 0x04 != 0
    }
}

/// The value of an AvlTree register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvlTreeData {
    pub digest: Digest,
    pub flags: AvlFlags,
    pub key_length: u32,
    pub value_length: Option<u32>,
}

impl AvlTreeData {
    /// A share state's tree: every operation allowed, 32-byte keys, variable-length values.
    pub fn share_state(digest: Digest) -> AvlTreeData {
        AvlTreeData {
            digest,
            flags: AvlFlags::ALL,
            key_length: 32,
            value_length: None,
        }
    }
}

/// In JSON: hex.
impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}
