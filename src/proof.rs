//! Verifying AVL+ proofs: lookups of any keys, and replays of operation batches, from a
//! starting digest — exactly as the contract's `getMany`, `update`, `insert` and `remove` do,
//! and never panicking on any bytes.
//!
//! A serialized proof (Scala `BatchAVLProver.generateProof`) is the part of the tree the
//! operations touch, in post-order, followed by the direction bits of every descent:
//!
//! | byte | node | followed by |
//! |---|---|---|
//! | `03` | a subtree given by its label | label (32) |
//! | `02` | a leaf | key (32, omitted when the previous node packed was a leaf: it is that leaf's next key), next key (32), value length (u32 big-endian, only for variable-length trees), value |
//! | `ff`, `00`, `01` | an internal node with balance −1, 0, +1 | — (its two children precede it) |
//! | `04` | end of the tree | direction bits, least significant bit first: 1 = left |
//!
//! This implementation is stricter than Scala's in one way only: a balance byte other than
//! −1, 0, +1 is rejected ([`ProofError::InvalidBalance`]); no honest tree has one.

use crate::hex;
use crate::tree::{Internal, Key, Leaf, Navigator, NodeRef, OpError, Tree, KEY_LENGTH};
use std::fmt;
use thiserror::Error;

pub use crate::tree::Operation;

const LEAF: u8 = 2;
const LABEL: u8 = 3;
const END_OF_TREE: u8 = 4;

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
        Digest::from_slice(&hex::decode(s).map_err(|e| ProofError::DigestHex(e.to_string()))?)
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

/// Why a proof, digest or operation was rejected. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProofError {
    #[error("a digest has 33 bytes, this one has {found}")]
    DigestLength { found: usize },
    #[error("the digest is not hex: {0}")]
    DigestHex(String),
    #[error("only {KEY_LENGTH}-byte keys are supported, the tree declares {found}")]
    UnsupportedKeyLength { found: usize },
    #[error("a key has {KEY_LENGTH} bytes, key {index} has {found}")]
    KeyLength { index: usize, found: usize },
    #[error("the proof is empty")]
    Empty,
    #[error("the proof ends inside its tree, at byte {offset}")]
    Truncated { offset: usize },
    #[error("the proof declares a value of {length} bytes at byte {offset}, longer than the rest of the proof")]
    ValueOverrun { offset: usize, length: u64 },
    #[error("byte {offset} of the proof is {byte:#04x}: not a node tag, and not a balance of -1, 0 or 1")]
    InvalidBalance { offset: usize, byte: u8 },
    #[error("the proof's tree has more nodes than this implementation holds (2^30)")]
    TooLarge,
    #[error("the internal node at byte {offset} of the proof lacks two children")]
    MissingChildren { offset: usize },
    #[error("the proof's tree has {roots} roots instead of one")]
    NotOneTree { roots: usize },
    #[error("the proof is for root label {computed}, not for the digest's {expected}")]
    DigestMismatch { expected: String, computed: String },
    #[error("operation {index} (key {key}) fails: {source}")]
    Operation {
        index: usize,
        key: String,
        #[source]
        source: OpError,
    },
    #[error("operation {index} cannot run: an earlier operation failed and the verifier is spent")]
    Spent { index: usize },
    #[error("the resulting tree is higher than 255 levels")]
    HeightOverflow,
}

/// Replays operations against a digest with a proof: Scala's `BatchAVLVerifier`, without its
/// panics and about twice as fast (nodes live in arenas; each node is hashed once; BENCHMARKS.md).
pub struct Verifier<'p> {
    tree: Tree,
    nav: ProofNavigator<'p>,
    operations: usize,
    failed: bool,
}

struct ProofNavigator<'p> {
    proof: &'p [u8],
    /// Next direction bit to read.
    directions_index: usize,
    /// Bit index of the last step to the right (deletions replay from it).
    last_right_step: usize,
    /// Bit index while a deletion replays the comparisons of its first descent.
    replay_index: usize,
}

impl ProofNavigator<'_> {
    fn bit(&self, index: usize) -> Option<bool> {
        self.proof.get(index >> 3).map(|b| b & (1 << (index & 7)) != 0)
    }
}

impl Navigator for ProofNavigator<'_> {
    fn next_direction_is_left(&mut self, _: &Tree, _: &Key, _: &Internal) -> Result<bool, OpError> {
        let left = self.bit(self.directions_index).ok_or(OpError::DirectionsExhausted)?;
        if !left {
            self.last_right_step = self.directions_index;
        }
        self.directions_index += 1;
        Ok(left)
    }

    fn key_matches_leaf(&mut self, key: &Key, leaf: &Leaf) -> Result<bool, OpError> {
        if *key == leaf.key {
            Ok(true)
        } else if *key > leaf.key && *key < leaf.next {
            Ok(false)
        } else {
            Err(OpError::WrongLeaf)
        }
    }

    fn replay_comparison(&mut self) -> Result<i8, OpError> {
        let i = self.replay_index;
        let c = if i == self.last_right_step {
            0
        } else if i < self.last_right_step && !self.bit(i).ok_or(OpError::DirectionsExhausted)? {
            1
        } else {
            -1
        };
        self.replay_index += 1;
        Ok(c)
    }
}

/// A byte cursor over the proof whose every read is bounds-checked.
struct Cursor<'p> {
    bytes: &'p [u8],
    pos: usize,
}

impl<'p> Cursor<'p> {
    fn take(&mut self, n: usize) -> Result<&'p [u8], ProofError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(ProofError::Truncated {
            offset: self.bytes.len(),
        })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn key(&mut self) -> Result<Key, ProofError> {
        let mut k = [0u8; KEY_LENGTH];
        k.copy_from_slice(self.take(KEY_LENGTH)?);
        Ok(k)
    }
}

impl<'p> Verifier<'p> {
    /// Rebuilds the part of the tree that `proof` contains and checks it against `digest`.
    /// `value_length` is the tree's fixed value length (`None`: variable, as in share states).
    pub fn new(digest: &Digest, proof: &'p [u8], value_length: Option<usize>) -> Result<Verifier<'p>, ProofError> {
        let (mut tree, end) = unpack(proof, value_length)?;
        let computed = tree.label(tree.root);
        if computed != digest.root_label() {
            return Err(ProofError::DigestMismatch {
                expected: hex::encode(&digest.root_label()),
                computed: hex::encode(&computed),
            });
        }
        tree.height = digest.height() as usize;
        let directions_index = (end + 1) * 8;
        Ok(Verifier {
            tree,
            nav: ProofNavigator {
                proof,
                directions_index,
                last_right_step: 0,
                replay_index: 0,
            },
            operations: 0,
            failed: false,
        })
    }

    /// Performs the next operation. Returns the key's value before it, or `None` if the key
    /// was absent. After a failure every later operation fails too, as in Scala.
    pub fn perform(&mut self, op: &Operation) -> Result<Option<Vec<u8>>, ProofError> {
        let index = self.operations;
        self.operations += 1;
        if self.failed {
            return Err(ProofError::Spent { index });
        }
        self.nav.replay_index = self.nav.directions_index;
        match self.tree.perform(&mut self.nav, op) {
            Ok(old) => Ok(old.map(|s| self.tree.value(s).to_vec())),
            Err(source) => {
                self.failed = true;
                Err(ProofError::Operation {
                    index,
                    key: hex::encode(op.key()),
                    source,
                })
            }
        }
    }

    /// The digest after the operations performed so far; `None` after a failure.
    pub fn digest(&mut self) -> Option<Digest> {
        if self.failed {
            return None;
        }
        self.tree.digest().map(Digest)
    }
}

/// The outcome of [`replay`]: every key's value before its operation, and the new digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub old_values: Vec<Option<Vec<u8>>>,
    pub digest: Digest,
}

/// Replays `operations` in order from `digest` with `proof` and returns the old values and the
/// resulting digest. Any failure of any operation is an error.
pub fn replay(
    digest: &Digest,
    proof: &[u8],
    operations: &[Operation],
    value_length: Option<usize>,
) -> Result<Replay, ProofError> {
    let mut v = Verifier::new(digest, proof, value_length)?;
    let old_values = operations
        .iter()
        .map(|op| v.perform(op))
        .collect::<Result<Vec<_>, _>>()?;
    let digest = v.digest().ok_or(ProofError::HeightOverflow)?;
    Ok(Replay { old_values, digest })
}

/// Looks `keys` up in the tree of `digest` with `proof`: `Some(value)` for present keys,
/// `None` for keys the proof shows absent. The contract's `getMany`.
pub fn verify_lookups(
    digest: &Digest,
    proof: &[u8],
    keys: &[Key],
    value_length: Option<usize>,
) -> Result<Vec<Option<Vec<u8>>>, ProofError> {
    let mut v = Verifier::new(digest, proof, value_length)?;
    keys.iter().map(|k| v.perform(&Operation::Lookup(*k))).collect()
}

/// Keys given as byte strings of any length, checked to be [`KEY_LENGTH`] bytes.
pub fn keys_from_slices<T: AsRef<[u8]>>(keys: &[T]) -> Result<Vec<Key>, ProofError> {
    keys.iter()
        .enumerate()
        .map(|(index, k)| {
            let k = k.as_ref();
            k.try_into()
                .map_err(|_| ProofError::KeyLength { index, found: k.len() })
        })
        .collect()
}

/// Receives the nodes of a packed tree in post-order (see [`parse_packed`]).
pub(crate) trait PackedTreeSink {
    type Error: From<ProofError>;
    fn label(&mut self, offset: usize, label: [u8; 32]) -> Result<(), Self::Error>;
    fn leaf(&mut self, offset: usize, key: Key, value: &[u8], next: Key) -> Result<(), Self::Error>;
    fn internal(&mut self, offset: usize, balance: i8) -> Result<(), Self::Error>;
}

/// Reads the packed tree at the start of `bytes` (a proof's, or a snapshot's whole tree) and
/// hands its nodes to `sink`; returns the offset of the end-of-tree byte. The one parser of the
/// format.
pub(crate) fn parse_packed<S: PackedTreeSink>(
    bytes: &[u8],
    value_length: Option<usize>,
    sink: &mut S,
) -> Result<usize, S::Error> {
    if bytes.is_empty() {
        return Err(ProofError::Empty.into());
    }
    let mut previous_leaf_next: Option<Key> = None;
    let mut c = Cursor { bytes, pos: 0 };
    loop {
        let offset = c.pos;
        let tag = c.take(1)?[0];
        match tag {
            END_OF_TREE => return Ok(offset),
            LABEL => {
                let mut label = [0u8; 32];
                label.copy_from_slice(c.take(32)?);
                sink.label(offset, label)?;
                previous_leaf_next = None;
            }
            LEAF => {
                let key = match previous_leaf_next {
                    Some(k) => k,
                    None => c.key()?,
                };
                let next = c.key()?;
                let len = match value_length {
                    Some(l) => l,
                    None => {
                        let b = c.take(4)?;
                        u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
                    }
                };
                let at = c.pos;
                let value = c.take(len).map_err(|_| ProofError::ValueOverrun {
                    offset: at,
                    length: len as u64,
                })?;
                sink.leaf(offset, key, value, next)?;
                previous_leaf_next = Some(next);
            }
            0x00 | 0x01 | 0xff => sink.internal(offset, tag as i8)?,
            byte => return Err(ProofError::InvalidBalance { offset, byte }.into()),
        }
    }
}

/// Builds the verifier's partial tree, labelling each node as it arrives (bottom-up: no
/// recursion over a forged deep tree later).
struct ProofTree {
    tree: Tree,
    stack: Vec<NodeRef>,
}

impl ProofTree {
    fn push(&mut self, node: Result<NodeRef, OpError>) -> Result<(), ProofError> {
        let node = node.map_err(|_| ProofError::TooLarge)?;
        self.tree.label(node);
        self.stack.push(node);
        Ok(())
    }
}

impl PackedTreeSink for ProofTree {
    type Error = ProofError;
    fn label(&mut self, _: usize, label: [u8; 32]) -> Result<(), ProofError> {
        let n = self.tree.push_label_only(label);
        self.push(n)
    }
    fn leaf(&mut self, _: usize, key: Key, value: &[u8], next: Key) -> Result<(), ProofError> {
        let n = self.tree.push_leaf(key, value, next);
        self.push(n)
    }
    fn internal(&mut self, offset: usize, balance: i8) -> Result<(), ProofError> {
        let (Some(right), Some(left)) = (self.stack.pop(), self.stack.pop()) else {
            return Err(ProofError::MissingChildren { offset });
        };
        let n = self.tree.push_internal([0u8; KEY_LENGTH], left, right, balance);
        self.push(n)
    }
}

/// What a proof is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProofShape {
    /// Leaves given whole.
    pub leaves: usize,
    /// Internal nodes given by their balance.
    pub internal_nodes: usize,
    /// Subtrees given by their label only.
    pub labels: usize,
    /// Bytes of the packed tree, end byte included.
    pub tree_bytes: usize,
    /// Bytes of direction bits after it.
    pub direction_bytes: usize,
}

impl ProofShape {
    /// Hashes a verifier computes to check the starting digest: one per leaf and internal node.
    pub fn hashes_to_check(&self) -> usize {
        self.leaves + self.internal_nodes
    }
}

impl PackedTreeSink for ProofShape {
    type Error = ProofError;
    fn label(&mut self, _: usize, _: [u8; 32]) -> Result<(), ProofError> {
        self.labels += 1;
        Ok(())
    }
    fn leaf(&mut self, _: usize, _: Key, _: &[u8], _: Key) -> Result<(), ProofError> {
        self.leaves += 1;
        Ok(())
    }
    fn internal(&mut self, _: usize, _: i8) -> Result<(), ProofError> {
        self.internal_nodes += 1;
        Ok(())
    }
}

/// Counts the parts of a proof (for sizes and benchmarks); checks only that it parses.
pub fn shape(proof: &[u8], value_length: Option<usize>) -> Result<ProofShape, ProofError> {
    let mut s = ProofShape::default();
    let end = parse_packed(proof, value_length, &mut s)?;
    s.tree_bytes = end + 1;
    s.direction_bytes = proof.len() - end - 1;
    Ok(s)
}

/// Rebuilds the part of the tree a proof holds; returns it and the offset of its end byte.
fn unpack(bytes: &[u8], value_length: Option<usize>) -> Result<(Tree, usize), ProofError> {
    // a label takes 33 bytes of proof and a leaf at least 37, so these never grow
    let nodes = bytes.len() / 33 + 1;
    let mut tree = Tree::unrooted(value_length);
    tree.leaves.reserve(bytes.len() / 37 + 1);
    tree.label_only.reserve(nodes);
    tree.internals.reserve(nodes);
    tree.values.reserve(bytes.len());
    let mut sink = ProofTree {
        tree,
        stack: Vec::with_capacity(nodes),
    };
    let end = parse_packed(bytes, value_length, &mut sink)?;
    let [root] = sink.stack[..] else {
        return Err(ProofError::NotOneTree {
            roots: sink.stack.len(),
        });
    };
    sink.tree.root = root;
    Ok((sink.tree, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> Key {
        let mut k = [b; 32];
        k[0] = 0x10;
        k
    }

    #[crate::test]
    fn garbage_is_an_error_never_a_panic() {
        let d = Digest::EMPTY;
        for bytes in [&[][..], &[4], &[2], &[3, 1, 2], &[0], &[2; 40], &[9, 9, 9], &[1, 4]] {
            assert!(Verifier::new(&d, bytes, None).is_err(), "{bytes:?}");
        }
    }

    #[crate::test]
    fn a_value_longer_than_the_proof_is_refused_before_reading() {
        let mut p = vec![LEAF];
        p.extend_from_slice(&[0u8; 32]);
        p.extend_from_slice(&[0xffu8; 32]);
        p.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            Verifier::new(&Digest::EMPTY, &p, None),
            Err(ProofError::ValueOverrun { offset: 69, .. })
        ));
    }

    #[crate::test]
    fn the_empty_tree_proves_any_key_absent() {
        // the proof of a lookup in the empty tree: its one leaf, end of tree, no directions
        let mut p = vec![LEAF];
        p.extend_from_slice(&[0u8; 32]);
        p.extend_from_slice(&[0xffu8; 32]);
        p.extend_from_slice(&[0, 0, 0, 0, END_OF_TREE]);
        let got = verify_lookups(&Digest::EMPTY, &p, &[key(1), key(2)], None).unwrap();
        assert_eq!(got, vec![None, None]);
        // and an insert into it
        let r = replay(&Digest::EMPTY, &p, &[Operation::Insert(key(1), vec![7])], None).unwrap();
        assert_eq!(r.old_values, vec![None]);
        assert_eq!(r.digest.height(), 1);
    }

    #[crate::test]
    fn reserved_keys_and_wrong_digests_are_refused() {
        let mut p = vec![LEAF];
        p.extend_from_slice(&[0u8; 32]);
        p.extend_from_slice(&[0xffu8; 32]);
        p.extend_from_slice(&[0, 0, 0, 0, END_OF_TREE]);
        let e = verify_lookups(&Digest::EMPTY, &p, &[[0u8; 32]], None).unwrap_err();
        assert!(matches!(
            e,
            ProofError::Operation {
                index: 0,
                source: OpError::ReservedKey,
                ..
            }
        ));
        let mut other = Digest::EMPTY;
        other.0[0] ^= 1;
        assert!(matches!(
            verify_lookups(&other, &p, &[key(1)], None),
            Err(ProofError::DigestMismatch { .. })
        ));
    }

    #[crate::test]
    fn digest_parsing_checks_length_and_hex() {
        assert_eq!(Digest::from_hex(&Digest::EMPTY.to_hex()).unwrap(), Digest::EMPTY);
        assert_eq!(
            Digest::from_slice(&[0; 32]),
            Err(ProofError::DigestLength { found: 32 })
        );
        assert!(matches!(Digest::from_hex("zz"), Err(ProofError::DigestHex(_))));
    }
}
