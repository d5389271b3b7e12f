//! **Ergo's Merkle tree**, as a block header's `transactionsRoot` commits to the block's
//! transactions: blake2b256 over leaves prefixed with 0 and internal nodes prefixed with 1;
//! a level with an odd number of nodes is padded with an empty node, and a node whose right
//! child is empty hashes its left child alone (`blake2b256(1 ‖ left)`); the root of no leaves
//! is 32 zero bytes. An inclusion proof is the leaf and, level by level up to the root, its
//! sibling (or none, for an empty one) and which side the sibling is on — what a node answers
//! at `GET /blocks/{headerId}/proofFor/{txId}` (`{"leafData", "levels": [[hex, side]…]}`).
//!
//! A block's leaves ([`block_leaves`]) are its transactions' ids and, from block version 2,
//! their witness ids after them (`blake2b256` of the inputs' proof bytes concatenated, without
//! its first byte: 31 bytes, so that no witness id is a transaction id); a node's `proofFor`
//! proves a transaction id among all of them. Checked against sigma-rust's
//! `ergo-merkle-tree` on random trees (see the tests).

use crate::encoding::hash::blake2b256_parts;
use crate::encoding::hex;
use serde::Deserialize;
use thiserror::Error;

/// A leaf's or a node's hash.
pub type Hash = [u8; 32];

const LEAF: u8 = 0;
const INTERNAL: u8 = 1;

/// The hash of a leaf holding `data`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    blake2b256_parts(&[&[LEAF], data])
}

/// The hash of an internal node over `left` and `right` (`None`: an empty node).
fn node_hash(left: &Hash, right: Option<&Hash>) -> Hash {
    match right {
        Some(r) => blake2b256_parts(&[&[INTERNAL], left, r]),
        None => blake2b256_parts(&[&[INTERNAL], left]),
    }
}

/// The root of the tree over `leaves`, in order (32 zero bytes for none).
pub fn root<L: AsRef<[u8]>>(leaves: &[L]) -> Hash {
    let mut level: Vec<Option<Hash>> = leaves.iter().map(|l| Some(leaf_hash(l.as_ref()))).collect();
    if level.is_empty() {
        return [0; 32];
    }
    loop {
        if level.len() % 2 == 1 {
            level.push(None);
        }
        level = level.chunks_exact(2).map(|pair| parent(pair[0], pair[1])).collect();
        if level.len() == 1 {
            return level[0].unwrap_or([0; 32]);
        }
    }
}

/// A node from its two children (an empty node over two empty ones).
fn parent(left: Option<Hash>, right: Option<Hash>) -> Option<Hash> {
    left.map(|l| node_hash(&l, right.as_ref()))
}

/// A transaction's witness id: `blake2b256` of its inputs' proof bytes, concatenated, without
/// the first byte.
pub fn witness_id<P: AsRef<[u8]>>(proofs: &[P]) -> [u8; 31] {
    let parts: Vec<&[u8]> = proofs.iter().map(|p| p.as_ref()).collect();
    let h = blake2b256_parts(&parts);
    let mut id = [0u8; 31];
    id.copy_from_slice(&h[1..]);
    id
}

/// The leaves of the tree of a block of `version` whose transactions, in order, have `ids` and
/// `witness_ids`: the ids alone in version 1, the ids then the witness ids from version 2.
pub fn block_leaves(version: u8, ids: &[Hash], witness_ids: &[[u8; 31]]) -> Vec<Vec<u8>> {
    let mut leaves: Vec<Vec<u8>> = ids.iter().map(|i| i.to_vec()).collect();
    if version > 1 {
        leaves.extend(witness_ids.iter().map(|w| w.to_vec()));
    }
    leaves
}

/// Which side of its parent a proof's sibling is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The sibling is the right child: the parent is `hash(1 ‖ this ‖ sibling)` (side 0 in a
    /// node's answer).
    Right,
    /// The sibling is the left child: `hash(1 ‖ sibling ‖ this)` (side 1).
    Left,
}

/// One level of an inclusion proof: the sibling's hash (`None`: an empty node) and its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub sibling: Option<Hash>,
    pub side: Side,
}

/// A leaf's inclusion proof: the leaf's data and the levels from it up to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub leaf: Vec<u8>,
    pub levels: Vec<Level>,
}

/// Why an inclusion proof could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
    #[error("not an inclusion proof: {0}")]
    Json(String),
    #[error("inclusion proof {field}: {message}")]
    Field { field: String, message: String },
    /// More levels than any block has (a tree of 2^64 leaves).
    #[error("inclusion proof with {0} levels")]
    TooDeep(usize),
}

/// The most levels a proof may have.
pub const MAX_LEVELS: usize = 64;

impl InclusionProof {
    /// The root this proof leads to.
    pub fn root(&self) -> Hash {
        self.levels
            .iter()
            .fold(leaf_hash(&self.leaf), |this, level| match (level.sibling, level.side) {
                (None, _) => node_hash(&this, None),
                (Some(s), Side::Right) => node_hash(&this, Some(&s)),
                (Some(s), Side::Left) => node_hash(&s, Some(&this)),
            })
    }

    /// Whether the proof shows its leaf in the tree of `root`.
    pub fn proves(&self, root: &Hash) -> bool {
        self.root() == *root
    }

    /// The proof of leaf `index` of the tree over `leaves` (`None` if there is no such leaf).
    pub fn of<L: AsRef<[u8]>>(leaves: &[L], index: usize) -> Option<InclusionProof> {
        let leaf = leaves.get(index)?.as_ref().to_vec();
        let mut level: Vec<Option<Hash>> = leaves.iter().map(|l| Some(leaf_hash(l.as_ref()))).collect();
        let mut at = index;
        let mut levels = Vec::new();
        loop {
            if level.len() % 2 == 1 {
                level.push(None);
            }
            let (sibling, side) = if at % 2 == 0 {
                (level[at + 1], Side::Right)
            } else {
                (level[at - 1], Side::Left)
            };
            levels.push(Level { sibling, side });
            level = level.chunks_exact(2).map(|pair| parent(pair[0], pair[1])).collect();
            at /= 2;
            if level.len() == 1 {
                return Some(InclusionProof { leaf, levels });
            }
        }
    }

    /// The node's JSON form of the proof (what [`InclusionProof::from_json`] reads).
    pub fn to_json(&self) -> serde_json::Value {
        let levels: Vec<serde_json::Value> = self
            .levels
            .iter()
            .map(|l| {
                let side = match l.side {
                    Side::Right => 0,
                    Side::Left => 1,
                };
                serde_json::json!([l.sibling.map(|s| hex::encode(&s)).unwrap_or_default(), side])
            })
            .collect();
        serde_json::json!({ "leafData": hex::encode(&self.leaf), "levels": levels })
    }

    /// A node's answer at `/blocks/{headerId}/proofFor/{txId}`: `{"leafData": hex, "levels":
    /// [[hex (empty for an empty node), 0 | 1], …]}`.
    pub fn from_json(text: &str) -> Result<InclusionProof, MerkleError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            leaf_data: String,
            levels: Vec<(String, u8)>,
        }
        let a: Answer =
            serde_json::from_str(text).map_err(|e| MerkleError::Json(crate::encoding::text::clip(&e.to_string())))?;
        if a.levels.len() > MAX_LEVELS {
            return Err(MerkleError::TooDeep(a.levels.len()));
        }
        let field = |field: String, message: String| MerkleError::Field { field, message };
        let leaf = hex::decode(&a.leaf_data).map_err(|e| field("leafData".into(), e.to_string()))?;
        let levels = a
            .levels
            .iter()
            .enumerate()
            .map(|(i, (h, side))| {
                let sibling = match h.len() {
                    0 => None,
                    _ => Some(hex::decode_array::<32>(h).map_err(|e| field(format!("levels[{i}]"), e.to_string()))?),
                };
                let side = match side {
                    0 => Side::Right,
                    1 => Side::Left,
                    n => return Err(field(format!("levels[{i}]"), format!("side {n} is neither 0 nor 1"))),
                };
                Ok(Level { sibling, side })
            })
            .collect::<Result<_, _>>()?;
        Ok(InclusionProof { leaf, levels })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` leaves of 32 bytes, each different.
    fn leaves(n: usize, seed: u8) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| crate::encoding::hash::blake2b256(&[seed, i as u8, (i >> 8) as u8]).to_vec())
            .collect()
    }

    /// Against sigma-rust's `ergo-merkle-tree` (native only: it is a native dev-dependency).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn roots_and_proofs_are_sigma_rusts_for_every_size_up_to_70() {
        use ergo_merkle_tree::{MerkleNode, MerkleProof, MerkleTree};
        for n in 0..70 {
            let ls = leaves(n, n as u8);
            let tree = MerkleTree::new(ls.iter().map(|l| MerkleNode::from_bytes(l.clone())).collect::<Vec<_>>());
            assert_eq!(root(&ls), tree.root_hash().0, "root of {n} leaves");
            for i in 0..n {
                let ours = InclusionProof::of(&ls, i).unwrap();
                assert!(ours.proves(&root(&ls)));
                // their proof, in the node's JSON form, read by us: the same levels
                let json = serde_json::to_string(&tree.proof_by_index(i).unwrap()).unwrap();
                assert_eq!(
                    InclusionProof::from_json(&json).unwrap(),
                    ours,
                    "proof {i} of {n}: {json}"
                );
                // and ours, in that form, valid for them
                let back: MerkleProof = serde_json::from_str(&ours.to_json().to_string()).unwrap();
                assert!(back.valid(&root(&ls)));
            }
            assert_eq!(InclusionProof::of(&ls, n), None);
        }
    }

    #[crate::test]
    fn known_roots_and_every_proof_round_trip() {
        // (the same values on wasm as natively: the first, against sigma-rust above)
        assert_eq!(root::<Vec<u8>>(&[]), [0; 32]);
        let one = leaves(1, 0);
        assert_eq!(root(&one), node_hash(&leaf_hash(&one[0]), None));
        for n in [1, 2, 3, 5, 8, 13, 33] {
            let ls = leaves(n, 3);
            for i in 0..n {
                let p = InclusionProof::of(&ls, i).unwrap();
                assert!(p.proves(&root(&ls)));
                assert_eq!(InclusionProof::from_json(&p.to_json().to_string()).unwrap(), p);
            }
        }
    }

    #[crate::test]
    fn a_changed_leaf_sibling_or_side_proves_nothing() {
        let ls = leaves(13, 7);
        let r = root(&ls);
        let good = InclusionProof::of(&ls, 5).unwrap();
        let mut leaf = good.clone();
        leaf.leaf[0] ^= 1;
        assert!(!leaf.proves(&r));
        let mut sibling = good.clone();
        if let Some(s) = sibling.levels[1].sibling.as_mut() {
            s[31] ^= 1;
        }
        assert!(!sibling.proves(&r));
        let mut side = good.clone();
        assert_eq!(side.levels[0].side, Side::Left, "leaf 5's sibling is leaf 4");
        side.levels[0].side = Side::Right;
        assert!(!side.proves(&r));
        // another leaf's proof for this leaf's data
        let mut other = InclusionProof::of(&ls, 6).unwrap();
        other.leaf = ls[5].clone();
        assert!(!other.proves(&r));
        // an empty level left out
        let mut short = InclusionProof::of(&ls, 12).unwrap();
        short.levels.retain(|l| l.sibling.is_some());
        assert!(!short.proves(&r));
    }

    #[crate::test]
    fn bad_answers_are_errors_that_say_where() {
        assert!(matches!(InclusionProof::from_json("<html>"), Err(MerkleError::Json(_))));
        let e = InclusionProof::from_json(r#"{"leafData":"00","levels":[["zz",0]]}"#).unwrap_err();
        assert!(e.to_string().starts_with("inclusion proof levels[0]: "), "{e}");
        let e = InclusionProof::from_json(r#"{"leafData":"00","levels":[["",2]]}"#).unwrap_err();
        assert!(e.to_string().contains("side 2"), "{e}");
        let deep = format!(r#"{{"leafData":"00","levels":[{}]}}"#, vec![r#"["",0]"#; 65].join(","));
        assert_eq!(InclusionProof::from_json(&deep), Err(MerkleError::TooDeep(65)));
    }
}
