//! Verifying AVL+ proofs: lookups of any keys, and replays of operation batches, from a
//! starting digest — exactly as the contract's `getMany`, `update`, `insert` and `remove` do,
//! and never panicking on any bytes.
//!
//! A serialized proof (Scala `BatchAVLProver.generateProof`) is the part of the tree the
//! operations touch as a packed tree (see [`packed`](super::packed)), followed by the direction
//! bits of every descent.
//!
//! This implementation is stricter than Scala's in one way only: a balance byte other than
//! −1, 0, +1 is rejected ([`ProofError::InvalidBalance`]); no honest tree has one.

use crate::avl::packed::{parse_packed, PackedTreeSink};
use crate::avl::tree::{Internal, Key, Leaf, Navigator, NodeRef, OpError, Operation, Tree, KEY_LENGTH};
use crate::avl::Digest;
use crate::encoding::hex::{self, HexError};
use crate::encoding::ReadError;
use thiserror::Error;

/// Why a proof, digest or operation was rejected. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProofError {
    #[error("a digest has 33 bytes, this one has {found}")]
    DigestLength { found: usize },
    #[error("the digest is not hex: {0}")]
    DigestHex(HexError),
    #[error("the proof is not hex: {0}")]
    NotHex(HexError),
    #[error("only {KEY_LENGTH}-byte keys are supported, the tree declares {found}")]
    UnsupportedKeyLength { found: usize },
    #[error("a key has {KEY_LENGTH} bytes, key {index} has {found}")]
    KeyLength { index: usize, found: usize },
    #[error("the proof is empty")]
    Empty,
    #[error("the proof {0}")]
    Read(ReadError),
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
    #[error("the tree's flags ({flags:#04x}) do not allow update")]
    UpdateNotAllowed { flags: u8 },
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
    use crate::avl::packed::{END_OF_TREE, LEAF};

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
