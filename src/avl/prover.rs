//! The prover side: a share state held whole in memory, its digest and register, and the
//! proofs a pool publishes — lookups, payout batches, insert/update/remove batches — byte for
//! byte as Scala's `BatchAVLProver` makes them.
//!
//! A [`ShareState`] changes only through batches, and a batch is all or nothing: if one of its
//! operations fails, the state is as it was before the batch.

use crate::avl::tree::{
    Internal, Key, Kind, Leaf, Navigator, NodeRef, OpError, Operation, Tree, NEGATIVE_INFINITY, POSITIVE_INFINITY,
};
use crate::avl::{AvlTreeData, Digest};
use crate::encoding::hex;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use thiserror::Error;

/// Why a batch or a build was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProverError {
    #[error("operation {index} (key {key}) fails: {source}")]
    Operation {
        index: usize,
        key: String,
        #[source]
        source: OpError,
    },
    #[error("key {key} appears twice among the entries")]
    DuplicateKey { key: String },
    #[error("key {key} is reserved (all zero or all 0xff)")]
    ReservedKey { key: String },
    #[error("the script given for key {key} hashes to {found}")]
    ScriptMismatch { key: String, found: String },
    #[error("the tree is higher than 255 levels")]
    HeightOverflow,
}

/// A proof and what it proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchProof {
    /// The serialized proof.
    pub proof: Vec<u8>,
    /// Each operation's key's value before the operation.
    pub old_values: Vec<Option<Vec<u8>>>,
    /// The digest the proof starts from.
    pub digest_before: Digest,
    /// The digest after the operations.
    pub digest_after: Digest,
}

/// The prover's navigation: compares keys and records the direction bits.
#[derive(Default)]
struct Recorder {
    directions: Vec<u8>,
    bits: usize,
    replay_index: usize,
    last_right_step: usize,
    found: bool,
}

impl Recorder {
    fn bit(&self, i: usize) -> bool {
        self.directions.get(i >> 3).is_some_and(|b| b & (1 << (i & 7)) != 0)
    }
}

impl Navigator for Recorder {
    fn next_direction_is_left(&mut self, _: &Tree, key: &Key, node: &Internal) -> Result<bool, OpError> {
        let left = if self.found {
            true
        } else {
            match key.cmp(&node.key) {
                Ordering::Equal => {
                    // the key's leaf is the leftmost of the right subtree
                    self.found = true;
                    self.last_right_step = self.bits;
                    false
                }
                Ordering::Less => true,
                Ordering::Greater => false,
            }
        };
        if self.bits & 7 == 0 {
            self.directions.push(0);
        }
        if left {
            let last = self.directions.len() - 1;
            self.directions[last] |= 1 << (self.bits & 7);
        }
        self.bits += 1;
        Ok(left)
    }

    fn key_matches_leaf(&mut self, _: &Key, _: &Leaf) -> Result<bool, OpError> {
        Ok(std::mem::take(&mut self.found))
    }

    fn replay_comparison(&mut self) -> Result<i8, OpError> {
        let i = self.replay_index;
        let c = if i == self.last_right_step {
            0
        } else if !self.bit(i) {
            1
        } else {
            -1
        };
        self.replay_index += 1;
        Ok(c)
    }
}

/// An authenticated AVL+ tree of 32-byte keys and variable-length values, kept whole, with
/// the scripts (proposition bytes) of the keys whose scripts are known.
#[derive(Debug, Clone)]
pub struct ShareState {
    tree: Tree,
    len: usize,
    scripts: BTreeMap<Key, Vec<u8>>,
}

impl Default for ShareState {
    fn default() -> Self {
        ShareState::new()
    }
}

impl ShareState {
    /// The empty share state.
    pub fn new() -> ShareState {
        ShareState {
            tree: Tree::empty(None),
            len: 0,
            scripts: BTreeMap::new(),
        }
    }

    /// Builds a share state from entries in any order, inserting them in ascending key order
    /// (so the same entries always give the same digest). Duplicate or reserved keys are
    /// refused.
    pub fn from_entries<I: IntoIterator<Item = (Key, Vec<u8>)>>(entries: I) -> Result<ShareState, ProverError> {
        let mut entries: Vec<(Key, Vec<u8>)> = entries.into_iter().collect();
        entries.sort_unstable_by_key(|e| e.0);
        for w in entries.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(ProverError::DuplicateKey {
                    key: hex::encode(&w[0].0),
                });
            }
        }
        let mut s = ShareState::new();
        let mut rec = Recorder::default();
        for (index, (key, value)) in entries.iter().enumerate() {
            if *key == NEGATIVE_INFINITY || *key == POSITIVE_INFINITY {
                return Err(ProverError::ReservedKey { key: hex::encode(key) });
            }
            s.tree
                .perform(&mut rec, &Operation::Insert(*key, value.clone()))
                .map_err(|source| ProverError::Operation {
                    index,
                    key: hex::encode(key),
                    source,
                })?;
            // the directions of a build are never packed into a proof
            rec.directions.clear();
            rec.bits = 0;
        }
        s.len = entries.len();
        s.tree.commit();
        s.tree.digest().ok_or(ProverError::HeightOverflow)?;
        Ok(s)
    }

    /// Wraps a complete, checked tree (from a snapshot).
    pub(crate) fn from_tree(mut tree: Tree, scripts: BTreeMap<Key, Vec<u8>>) -> ShareState {
        tree.commit();
        let len = tree.leaves.len().saturating_sub(1);
        ShareState { tree, len, scripts }
    }

    pub(crate) fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Number of keys (the sentinel leaf is not one).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the state holds no key.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The current digest.
    pub fn digest(&mut self) -> Digest {
        // a tree of this implementation's at most 2^30 nodes is far below height 255
        Digest(self.tree.digest().unwrap_or([0u8; 33]))
    }

    /// The AvlTree register value of this state: all operations allowed, 32-byte keys,
    /// variable-length values.
    pub fn register(&mut self) -> AvlTreeData {
        AvlTreeData::share_state(self.digest())
    }

    /// The value of `key`, read without a proof.
    pub fn get(&self, key: &Key) -> Option<&[u8]> {
        let mut n = self.tree.root;
        let mut found = false;
        loop {
            match n.kind() {
                Kind::Internal => {
                    let node = &self.tree.internals[n.index()];
                    n = if found {
                        node.left
                    } else {
                        match key.cmp(&node.key) {
                            Ordering::Equal => {
                                found = true;
                                node.right
                            }
                            Ordering::Less => node.left,
                            Ordering::Greater => node.right,
                        }
                    };
                }
                Kind::Leaf => {
                    let leaf = &self.tree.leaves[n.index()];
                    return (found || leaf.key == *key).then(|| self.tree.value(leaf.value));
                }
                Kind::LabelOnly => return None,
            }
        }
    }

    /// Every key and value, in ascending key order.
    pub fn entries(&self) -> Vec<(Key, &[u8])> {
        let mut out = Vec::with_capacity(self.len);
        let mut stack = vec![self.tree.root];
        while let Some(n) = stack.pop() {
            match n.kind() {
                Kind::Internal => {
                    let node = &self.tree.internals[n.index()];
                    stack.push(node.right);
                    stack.push(node.left);
                }
                Kind::Leaf => {
                    let leaf = &self.tree.leaves[n.index()];
                    if leaf.key != NEGATIVE_INFINITY {
                        out.push((leaf.key, self.tree.value(leaf.value)));
                    }
                }
                Kind::LabelOnly => {}
            }
        }
        out
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> Vec<Key> {
        self.entries().into_iter().map(|(k, _)| k).collect()
    }

    /// Records the script (proposition bytes) that `key` is the hash of.
    pub fn set_script(&mut self, key: Key, script: Vec<u8>) -> Result<(), ProverError> {
        let found = crate::encoding::hash::blake2b256(&script);
        if found != key {
            return Err(ProverError::ScriptMismatch {
                key: hex::encode(&key),
                found: hex::encode(&found),
            });
        }
        self.scripts.insert(key, script);
        Ok(())
    }

    /// The script of `key`, if known.
    pub fn script(&self, key: &Key) -> Option<&[u8]> {
        self.scripts.get(key).map(Vec::as_slice)
    }

    /// Every known script.
    pub fn scripts(&self) -> &BTreeMap<Key, Vec<u8>> {
        &self.scripts
    }

    /// Proves lookups of `keys` (present or absent) without changing the state.
    pub fn prove_lookups(&mut self, keys: &[Key]) -> Result<BatchProof, ProverError> {
        let ops: Vec<Operation> = keys.iter().map(|k| Operation::Lookup(*k)).collect();
        self.prove(&ops)
    }

    /// Performs `operations` and proves them; the state moves to the new digest. The contract
    /// replays the proof of a Design 1 payout (updates) for `getMany` as well as `update`.
    pub fn prove(&mut self, operations: &[Operation]) -> Result<BatchProof, ProverError> {
        self.run(operations, true)
    }

    /// Proves `operations` as [`ShareState::prove`] does, but leaves the state unchanged.
    pub fn prove_without_applying(&mut self, operations: &[Operation]) -> Result<BatchProof, ProverError> {
        self.run(operations, false)
    }

    fn run(&mut self, operations: &[Operation], apply: bool) -> Result<BatchProof, ProverError> {
        let digest_before = self.digest();
        let (old_root, old_height, old_values_len) = (self.tree.root, self.tree.height, self.tree.values.len());
        let mut rec = Recorder::default();
        let mut old_values = Vec::with_capacity(operations.len());
        let mut len = self.len;
        for (index, op) in operations.iter().enumerate() {
            rec.replay_index = rec.bits;
            match self.tree.perform(&mut rec, op) {
                Ok(old) => {
                    len = match (op, &old) {
                        (Operation::Insert(..) | Operation::InsertOrUpdate(..), None) => len + 1,
                        (Operation::Remove(_), Some(_)) => len - 1,
                        _ => len,
                    };
                    old_values.push(old.map(|s| self.tree.value(s).to_vec()));
                }
                Err(source) => {
                    clear_visits(&mut self.tree, old_root);
                    self.tree.rollback(old_root, old_height, old_values_len);
                    return Err(ProverError::Operation {
                        index,
                        key: hex::encode(op.key()),
                        source,
                    });
                }
            }
        }
        let proof = pack_proof(&mut self.tree, old_root, &rec.directions);
        let digest_after = self.tree.digest().map(Digest);
        if !apply || digest_after.is_none() {
            self.tree.rollback(old_root, old_height, old_values_len);
        }
        self.tree.commit();
        let digest_after = digest_after.ok_or(ProverError::HeightOverflow)?;
        if apply {
            self.len = len;
            self.compact_if_sparse();
        }
        Ok(BatchProof {
            proof,
            old_values,
            digest_before,
            digest_after,
        })
    }

    /// Copies the live nodes into fresh arenas once garbage outweighs them (old nodes are
    /// copied on write, so every batch leaves its predecessors behind).
    fn compact_if_sparse(&mut self) {
        let live = self.len + 1;
        if self.tree.leaves.len() > 2 * live + 1024 {
            if let Ok(t) = self.tree.compacted() {
                self.tree = t;
            }
        }
    }
}

/// Packs the proof: the old tree from `old_root` in post-order, visited nodes whole and the
/// others by label, then the direction bits. Clears the visited marks it passes.
fn pack_proof(tree: &mut Tree, old_root: NodeRef, directions: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous_was_leaf = false;
    pack(tree, old_root, &mut out, &mut previous_was_leaf);
    out.push(4);
    out.extend_from_slice(directions);
    out
}

fn pack(tree: &mut Tree, n: NodeRef, out: &mut Vec<u8>, previous_was_leaf: &mut bool) {
    if !tree.visited(n) {
        out.push(3);
        out.extend_from_slice(&tree.label(n));
        *previous_was_leaf = false;
        return;
    }
    tree.set_visited(n, false);
    match n.kind() {
        Kind::Leaf => {
            let leaf = tree.leaves[n.index()].clone();
            out.push(2);
            if !*previous_was_leaf {
                out.extend_from_slice(&leaf.key);
            }
            out.extend_from_slice(&leaf.next);
            if tree.value_length.is_none() {
                out.extend_from_slice(&leaf.value.len.to_be_bytes());
            }
            out.extend_from_slice(tree.value(leaf.value));
            *previous_was_leaf = true;
        }
        Kind::Internal => {
            let node = tree.internals[n.index()].clone();
            pack(tree, node.left, out, previous_was_leaf);
            pack(tree, node.right, out, previous_was_leaf);
            out.push(node.balance as u8);
        }
        Kind::LabelOnly => {}
    }
}

/// Clears the visited marks below `n` (after a failed batch).
fn clear_visits(tree: &mut Tree, n: NodeRef) {
    if tree.visited(n) {
        tree.set_visited(n, false);
        if n.kind() == Kind::Internal {
            let node = &tree.internals[n.index()];
            let (l, r) = (node.left, node.right);
            clear_visits(tree, l);
            clear_visits(tree, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avl::{replay, verify_lookups};

    fn k(i: u32) -> Key {
        crate::encoding::hash::blake2b256(&i.to_be_bytes())
    }

    fn state(n: u32) -> ShareState {
        ShareState::from_entries((0..n).map(|i| (k(i), i.to_be_bytes().to_vec()))).unwrap()
    }

    #[crate::test]
    fn empty_state_has_the_empty_digest() {
        assert_eq!(ShareState::new().digest(), Digest::EMPTY);
    }

    #[crate::test]
    fn lookups_prove_present_and_absent_keys() {
        let mut s = state(100);
        let d = s.digest();
        let keys = [k(3), k(1000), k(99)];
        let p = s.prove_lookups(&keys).unwrap();
        assert_eq!(p.digest_before, d);
        assert_eq!(p.digest_after, d);
        let got = verify_lookups(&d, &p.proof, &keys, None).unwrap();
        assert_eq!(
            got,
            vec![
                Some(3u32.to_be_bytes().to_vec()),
                None,
                Some(99u32.to_be_bytes().to_vec())
            ]
        );
        assert_eq!(got, p.old_values);
        assert_eq!(s.digest(), d, "a lookup proof leaves the state as it was");
    }

    #[crate::test]
    fn batches_of_every_kind_replay_to_the_same_digest() {
        let mut s = state(50);
        let ops = vec![
            Operation::Insert(k(500), vec![1, 2]),
            Operation::Update(k(7), vec![9; 9]),
            Operation::Remove(k(8)),
            Operation::InsertOrUpdate(k(9), vec![]),
            Operation::Lookup(k(10)),
            Operation::Remove(k(500)),
        ];
        let before = s.digest();
        let p = s.prove(&ops).unwrap();
        let r = replay(&before, &p.proof, &ops, None).unwrap();
        assert_eq!(r.digest, p.digest_after);
        assert_eq!(r.old_values, p.old_values);
        assert_eq!(s.digest(), p.digest_after);
        assert_eq!(s.len(), 49);
        assert_eq!(s.get(&k(7)), Some(&[9u8; 9][..]));
        assert_eq!(s.get(&k(8)), None);
    }

    #[crate::test]
    fn a_failing_batch_changes_nothing() {
        let mut s = state(20);
        let before = s.digest();
        let ops = [Operation::Update(k(1), vec![5]), Operation::Insert(k(2), vec![1])];
        let e = s.prove(&ops).unwrap_err();
        assert!(matches!(
            e,
            ProverError::Operation {
                index: 1,
                source: OpError::KeyExists,
                ..
            }
        ));
        assert_eq!(s.digest(), before);
        assert_eq!(s.get(&k(1)), Some(&1u32.to_be_bytes()[..]));
        // and the next proof is still right
        let ops = [Operation::Update(k(1), vec![5])];
        let p = s.prove(&ops).unwrap();
        assert_eq!(replay(&before, &p.proof, &ops, None).unwrap().digest, p.digest_after);
    }

    #[crate::test]
    fn proving_without_applying_leaves_the_state() {
        let mut s = state(30);
        let before = s.digest();
        let ops = [Operation::Remove(k(4)), Operation::Insert(k(77), vec![1])];
        let dry = s.prove_without_applying(&ops).unwrap();
        assert_eq!(s.digest(), before);
        assert_eq!(s.len(), 30);
        let real = s.prove(&ops).unwrap();
        assert_eq!(dry, real);
    }

    #[crate::test]
    fn entries_come_back_sorted_and_duplicates_are_refused() {
        let s = state(40);
        let keys = s.keys();
        assert_eq!(keys.len(), 40);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let dup = ShareState::from_entries(vec![(k(1), vec![]), (k(1), vec![])]);
        assert!(matches!(dup, Err(ProverError::DuplicateKey { .. })));
        let reserved = ShareState::from_entries(vec![([0u8; 32], vec![])]);
        assert!(matches!(reserved, Err(ProverError::ReservedKey { .. })));
    }

    #[crate::test]
    fn many_batches_stay_correct_across_compactions() {
        let mut s = state(200);
        for round in 0..40u32 {
            let ops: Vec<Operation> = (0..60)
                .map(|i| Operation::Update(k((round * 7 + i) % 200), round.to_be_bytes().to_vec()))
                .collect();
            let before = s.digest();
            let p = s.prove(&ops).unwrap();
            assert_eq!(replay(&before, &p.proof, &ops, None).unwrap().digest, p.digest_after);
        }
        assert!(s.tree.leaves.len() <= 2 * 201 + 1024 + 200);
    }
}
